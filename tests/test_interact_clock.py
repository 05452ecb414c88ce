"""The question clock: working days with 调休 and the receipt day not counted, no guessing in a
year without a schedule, calendar corrections recomputing deadlines and published figures, the
60-day alarm raised once, the 3-month veto date, and the alarm setting checked at start-up."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.interact import actions, clock
from gongkai.interact.actions import AskInput
from gongkai.interact.apps import check_alarm_days
from gongkai.interact.models import EventKind, Question, QuestionState
from gongkai.workdays import national_calendar
from tests.conftest import Cast, client_for, csrf_post
from tests.test_interact import D, at, text_of

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
ROOT = Path(__file__).resolve().parent.parent


def asked(title: str = "咨询") -> Question:
    question, _ = actions.ask(AskInput(contact="13800001111", title=title, body="内容"))
    return question


@pytest.mark.parametrize(
    ("received", "simple", "due"),
    [
        ("2026-02-13", False, "2026-02-27"),  # Friday before 春节, across the 调休 Saturday
        ("2026-02-13", True, "2026-02-25"),
        ("2026-04-03", False, "2026-04-13"),  # before 清明 (4–6 April)
        ("2026-09-30", False, "2026-10-13"),  # before 国庆, with the 10 October 调休 Saturday
        ("2026-01-03", False, "2026-01-08"),  # asked on a holiday Saturday: 4 January works
        ("2026-05-08", True, "2026-05-12"),  # 9 May (Saturday) is a 调休 working day
    ],
)
def test_the_reply_is_due_n_working_days_after_the_day_of_receipt(
    received: str, simple: bool, due: str
) -> None:
    calendar = national_calendar()
    assert clock.due_date(D(received), simple, calendar) == (D(due), "")


def test_a_year_without_a_schedule_leaves_the_deadline_empty_and_says_why(cast: Cast) -> None:
    with at("2026-12-28"):
        question = asked("年底的咨询")
    assert question.due_on is None
    assert "工作日历缺少 2027 年的全国放假安排" in question.clock_problem
    with at("2026-12-29"):
        office = client_for(cast.office)
        assert "1 件留言无法计算答复期限" in text_of(office.get("/interact/?tab=all"))
        page = text_of(office.get(f"/interact/{question.pk}/"))
    assert "工作日历缺少 2027 年的全国放假安排" in page
    assert "60 日告警 2027-02-26" in page  # calendar days: no calendar needed
    assert "最迟须于 2027-03-28 答复" in page


def test_a_calendar_correction_moves_open_deadlines_and_recounts_replies(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with at("2026-03-02"):
        waiting = actions.route(cast.office, asked("待答复"), cast.justice)
        replied = actions.route(cast.office, asked("已答复"), cast.justice)
    with at("2026-03-09"):
        replied = actions.submit(cast.justice_liaison, replied, "答复")
        replied = actions.review(cast.office, replied, approve=True, round_seen=1)
    assert (replied.reply_workdays, replied.on_time) == (5, True)
    assert waiting.due_on == D("2026-03-09")

    with at("2026-03-10"), django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            client_for(cast.office),
            "/calendar/adjustments/add/",
            {"date": "2026-03-05", "kind": "holiday", "reason": "区政府通知放假"},
        )
        assert response.status_code == 302

    waiting.refresh_from_db()
    replied.refresh_from_db()
    assert waiting.due_on == D("2026-03-10")
    [moved] = waiting.events.filter(kind=EventKind.DUE_CHANGED)
    assert moved.note == "工作日历调整，答复期限由 2026-03-09 调整为 2026-03-10"
    audited = AuditEvent.objects.for_object(waiting).filter(comment=moved.note).get()
    assert audited.changes == {"due_on": ["2026-03-09", "2026-03-10"]}
    assert (replied.due_on, replied.reply_workdays, replied.on_time) == (D("2026-03-10"), 4, True)


def test_the_alarm_is_raised_once_at_sixty_calendar_days(cast: Cast) -> None:
    with at("2026-03-02"):
        waiting = actions.route(cast.office, asked("无人答复"), cast.justice)
        spam = actions.reject(cast.office, asked("广告"), reason="spam")
        answered = actions.route(cast.office, asked("已答复"), cast.justice)
        answered = actions.submit(cast.justice_liaison, answered, "答复")
        actions.review(cast.office, answered, approve=True, round_seen=1)
    assert clock.alarm_date(waiting.received_on) == D("2026-05-01")
    with at("2026-04-30", 23, 59):
        assert clock.raise_alarms() == 0
    with at("2026-05-01", 0, 5):
        assert clock.raise_alarms() == 1
    with at("2026-05-02"):
        assert clock.raise_alarms() == 0
    waiting.refresh_from_db()
    assert waiting.alarm60_sent_at is not None
    [alarm] = waiting.events.filter(kind=EventKind.ALARM)
    assert "2026-06-02 之后仍未答复即超过 3 个月" in alarm.note
    assert Question.objects.filter(alarm60_sent_at__isnull=False).count() == 1
    assert spam.state == QuestionState.REJECTED


def test_the_alarm_setting_follows_the_configuration(cast: Cast, settings: Any) -> None:
    settings.QUESTION_ALARM_DAYS = 30
    with at("2026-03-02"):
        question = asked()
    with at("2026-04-01"):
        assert clock.raise_alarms() == 1
    question.refresh_from_db()
    assert question.alarm60_sent_at is not None


@pytest.mark.parametrize(
    ("day", "veto"),
    [
        ("2026-02-13", "2026-05-13"),
        ("2026-11-30", "2027-02-28"),
        ("2026-08-31", "2026-11-30"),
        ("2027-11-29", "2028-02-29"),
    ],
)
def test_the_veto_date_is_three_calendar_months_later(day: str, veto: str) -> None:
    assert clock.veto_date(D(day)) == D(veto)


def test_an_alarm_at_or_after_ninety_days_is_refused(settings: Any) -> None:
    settings.QUESTION_ALARM_DAYS = 60
    assert check_alarm_days() == []
    settings.QUESTION_ALARM_DAYS = 90
    [error] = check_alarm_days()
    assert error.id == "interact.E001"
    env = dict(os.environ, GONGKAI_QUESTION_ALARM_DAYS="90", DJANGO_SETTINGS_MODULE="")
    result = subprocess.run(
        [sys.executable, "-c", "import gongkai.config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "GONGKAI_QUESTION_ALARM_DAYS=90" in result.stderr
    assert "use a value below 90" in result.stderr


def test_numbers_count_per_year(db: None) -> None:
    with at("2026-12-31", 23):
        first, second = asked(), asked()
    with at("2027-01-01", 8):
        third = asked()
    assert [q.tracking_no for q in (first, second, third)] == [
        "HD-2026-00001",
        "HD-2026-00002",
        "HD-2027-00001",
    ]


def test_dates_are_local_dates(db: None) -> None:
    """Asked at 00:30 Beijing time (16:30 UTC the day before): received that Beijing day."""
    with at("2026-03-03", 0, 30):
        question = asked()
    assert question.received_on == D("2026-03-03")
    assert question.received_at.astimezone(dt.UTC).day == 2
