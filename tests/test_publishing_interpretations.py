"""The interpretation clock: due N working days after a policy document's publication by the
office calendar (across weekends, 2026's holidays and 调休 Saturdays), never guessed where the
calendar has no schedule, moved by a calendar change; the overdue alert goes once to the unit
and once to the office; task tracking shows the record as evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from gongkai.audit.models import AuditEvent
from gongkai.holidays.actions import add_adjustment
from gongkai.publishing import actions, clock, reminders
from gongkai.publishing.models import DocKind, Document
from gongkai.publishing.tasks import refresh_interpretations_task
from gongkai.work import linked
from gongkai.work.linked import linked_evidence
from gongkai.work.models import Checkpoint, NotifySettings, Reminder
from gongkai.work.reminders import build_digests, office_unit_ids, run_reminders
from gongkai.workdays import WorkdayCalendar
from tests.conftest import Cast
from tests.test_publishing_actions import D, approve_all, at, draft, published
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def policy(cast: Cast, day: str, **fields: Any) -> Document:
    """A 行政规范性文件 needing interpretation, published on `day`."""
    with at(day):
        values: dict[str, Any] = {"needs_interpretation": True, "written_on": D(day), **fields}
        return published(cast, draft(cast, **values))


def interpretation(cast: Cast, of: Document, day: str) -> Document:
    with at(day):
        reading = draft(
            cast, kind=DocKind.INTERPRETATION, title=f"《{of.title}》解读", interprets=of
        )
        approve_all(cast, reading)
        return actions.publish(cast.office, reading)


@pytest.mark.parametrize(
    ("day", "due"),
    [
        # Thursday before 中秋 (Fri 25 Sep off) and the weekend: Mon 28, Tue 29, Wed 30.
        ("2026-09-24", "2026-09-30"),
        # Thursday before 劳动节 (1–5 May off): Wed 6, Thu 7, Fri 8 May.
        ("2026-04-30", "2026-05-08"),
        # Wednesday before 国庆 (1–7 Oct off): Thu 8, Fri 9 and the 调休 Saturday 10 October.
        ("2026-09-30", "2026-10-10"),
        # An ordinary Friday: the weekend does not count.
        ("2026-03-13", "2026-03-18"),
    ],
)
def test_the_interpretation_is_due_three_working_days_after_publication(
    cast: Cast, day: str, due: str
) -> None:
    document = policy(cast, day)
    assert document.interpretation_due == D(due)
    assert document.interpretation_problem == ""


def test_the_number_of_days_is_a_setting(cast: Cast, settings: Any) -> None:
    settings.INTERPRETATION_WORKDAYS = 0
    assert policy(cast, "2026-09-24").interpretation_due == D("2026-09-24")
    settings.INTERPRETATION_WORKDAYS = 5
    assert policy(cast, "2026-09-24", title="另一文件").interpretation_due == D("2026-10-09")


def test_documents_not_needing_an_interpretation_have_no_clock(cast: Cast) -> None:
    assert policy(cast, "2026-09-24", needs_interpretation=False).interpretation_due is None


def test_a_year_without_a_schedule_leaves_the_due_date_empty_and_says_why(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    document = policy(cast, "2026-12-30")  # 31 Dec, then 2027, which has no schedule yet
    assert document.interpretation_due is None
    assert "2027" in document.interpretation_problem
    assert clock.interpretation_status(document, D("2027-01-10")) == "无法计算期限"
    assert clock.refresh_open() == 0  # still nothing known about 2027

    # The calendar's data later gains 2027 (here: weekdays only): the periodic task fills it.
    with_2027 = WorkdayCalendar(frozenset({2026, 2027}))
    monkeypatch.setattr(clock, "office_calendar", lambda: with_2027)
    beat = settings.CELERY_BEAT_SCHEDULE["publishing-refresh-interpretations"]
    assert beat["task"] == refresh_interpretations_task.name
    assert refresh_interpretations_task.delay().get() == 1  # what beat sends
    document.refresh_from_db()
    assert document.interpretation_due == D("2027-01-04")
    assert document.interpretation_problem == ""


def test_a_local_holiday_moves_the_due_date_and_says_so(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    document = policy(cast, "2026-03-10")  # Tuesday: due Friday the 13th
    assert document.interpretation_due == D("2026-03-13")
    done = policy(cast, "2026-03-10", title="已解读的文件")
    interpretation(cast, done, "2026-03-10")

    with at("2026-03-10", 15), django_capture_on_commit_callbacks(execute=True):
        add_adjustment(cast.office, D("2026-03-12"), "holiday", "区政府通知放假")

    document.refresh_from_db()
    assert document.interpretation_due == D("2026-03-16")
    moved = AuditEvent.objects.filter(
        object_id=str(document.pk), comment="工作日历调整，重新计算解读应发布日期"
    ).get()
    assert moved.changes == {"interpretation_due": ["2026-03-13", "2026-03-16"]}
    done.refresh_from_db()
    assert done.interpretation_due == D("2026-03-13")  # answered already: left alone


def test_an_interpretation_published_in_time_or_late(cast: Cast) -> None:
    early = policy(cast, "2026-09-24", title="甲")
    late = policy(cast, "2026-09-24", title="乙")
    interpretation(cast, early, "2026-09-30")
    interpretation(cast, late, "2026-10-08")
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.interpretation_published_on == D("2026-09-30")
    assert clock.interpretation_status(early) == "按时发布"
    assert late.interpretation_published_on == D("2026-10-08")
    assert clock.interpretation_status(late) == "逾期发布"
    waiting = policy(cast, "2026-09-24", title="丙")
    assert clock.interpretation_status(waiting, D("2026-09-30")) == "待发布"
    assert clock.interpretation_status(waiting, D("2026-10-01")) == "已逾期"


# -- the overdue alert -----------------------------------------------------------------------


def run_days(first: str, last: str) -> dict[str, list[Any]]:
    """Beat twice a day from `first` to `last`; the mails sent, by day."""
    sent: dict[str, list[Any]] = {}
    day = D(first)
    while day <= D(last):
        for hour in (9, 16):
            with at(day.isoformat(), hour):
                run_reminders()
        if mail.outbox:
            sent[day.isoformat()] = list(mail.outbox)
        mail.outbox.clear()
        day += dt.timedelta(days=1)
    return sent


def test_an_overdue_interpretation_alerts_its_unit_and_the_office_once(cast: Cast) -> None:
    document = policy(cast, "2026-09-24")  # due Wednesday 30 September
    assert document.interpretation_due == D("2026-09-30")
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn")
    NotifySettings.objects.create(unit=cast.gov, emails="office@example.cn")  # the office's

    sent = run_days("2026-09-28", "2026-10-12")

    # Overdue from 1 October, a holiday until the 7th: the first digest goes on the 8th.
    assert list(sent) == ["2026-10-08"]
    by_unit = {m.to[0]: m for m in sent["2026-10-08"]}
    own, office = by_unit["justice@example.cn"], by_unit["office@example.cn"]
    assert "【政策解读】" in own.body and "本单位文件的解读已逾期（1件）" in own.body
    assert f"《{document.title}》（{document.index_number}）2026-09-24 发布" in own.body
    assert "解读应于 2026-09-30 前发布，已逾期" in own.body
    assert f"/publishing/{document.pk}/" in own.body
    assert "各单位文件的解读已逾期（公开办）（1件）" in office.body
    assert f"司法局：《{document.title}》" in office.body
    document.refresh_from_db()
    assert document.interpretation_alerted_at is not None
    assert document.interpretation_office_alerted_at is not None

    # Published late afterwards: nothing more is sent, and the record shows it late.
    interpretation(cast, document, "2026-10-09")
    assert run_days("2026-10-09", "2026-10-14") == {}
    document.refresh_from_db()
    assert clock.interpretation_status(document) == "逾期发布"


def test_the_office_without_a_unit_with_settings_hears_nothing_but_the_unit_does(
    cast: Cast,
) -> None:
    policy(cast, "2026-09-24")
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn")
    with at("2026-10-08", 9):
        assert build_digests(D("2026-10-08")) == 1
    assert list(Reminder.objects.values_list("unit__name", flat=True)) == ["区司法局"]
    assert office_unit_ids() == {cast.gov.pk}


def test_a_unit_that_is_the_office_hears_of_its_own_once(cast: Cast) -> None:
    own = policy(cast, "2026-09-24")
    Document.objects.filter(pk=own.pk).update(unit=cast.gov)
    other = policy(cast, "2026-09-24", title="司法局的文件")
    NotifySettings.objects.create(unit=cast.gov, emails="office@example.cn")
    with at("2026-10-08", 9):
        build_digests(D("2026-10-08"))
    reminder = Reminder.objects.get(unit=cast.gov)
    assert [i["id"] for i in reminder.payload[reminders.OWN]] == [own.pk]
    assert [i["id"] for i in reminder.payload[reminders.OFFICE]] == [other.pk]
    with at("2026-10-09", 9):
        assert build_digests(D("2026-10-09")) == 0


def test_the_digest_carries_no_personal_data(cast: Cast) -> None:
    document = policy(cast, "2026-09-24")
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn")
    with at("2026-10-08", 9):
        build_digests(D("2026-10-08"))
    [item] = Reminder.objects.get(unit=cast.justice).payload[reminders.OWN]
    assert set(item) == {"id", "index_number", "title", "published_on", "due"}
    assert item["index_number"] == document.index_number


# -- task-tracking evidence ------------------------------------------------------------------


def test_the_unit_s_interpretation_record_is_evidence_on_a_matching_checkpoint(
    cast: Cast,
) -> None:
    on_time = policy(cast, "2026-09-24", title="按时的文件")
    interpretation(cast, on_time, "2026-09-28")
    overdue = policy(cast, "2026-09-24", title="逾期的文件")
    policy(cast, "2026-09-24", title="不需要解读", needs_interpretation=False)
    with at("2026-11-02"):
        lines = clock.linked_lines(cast.justice.pk, 2026)
        assert [(line.problem, line.url) for line in lines] == [
            (False, f"/publishing/{on_time.pk}/"),
            (True, f"/publishing/{overdue.pk}/"),
        ]
        assert "按时的文件" in lines[0].text and "实际 2026-09-28：按时发布" in lines[0].text
        assert "解读应于 2026-09-30 前发布，实际 尚未发布：已逾期" in lines[1].text
        assert clock.linked_lines(cast.finance.pk, 2026) == []
        assert clock.linked_lines(cast.justice.pk, 2025) == []

        assert [s.name for s in linked.linked_sources() if s.name == "政策解读"] == ["政策解读"]
        plan = make_plan(
            [
                TaskSpec(
                    "做好政策解读工作，解读材料与政策文件同步发布",
                    [cast.justice],
                    rules=[year_end()],
                )
            ]
        )
        checkpoint = Checkpoint.objects.select_related("plan", "task").get(plan=plan)
        [evidence] = [e for e in linked_evidence(checkpoint) if e.source.name == "政策解读"]
        assert evidence.problems == 1 and len(evidence.lines) == 2
