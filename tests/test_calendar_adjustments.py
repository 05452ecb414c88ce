"""Local calendar adjustments: the actions, the recompute job, the admin and the 工作日历 page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.holidays import actions
from gongkai.holidays.actions import add_adjustment, remove_adjustment
from gongkai.holidays.calendar import office_calendar
from gongkai.holidays.hooks import recompute_hooks, register_recompute, unregister_recompute
from gongkai.holidays.models import AdjustmentKind, LocalAdjustment
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar
from tests.conftest import Cast, client_for, csrf_post

D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
Calls = list[tuple[WorkdayCalendar, list[dt.date]]]

CALENDAR_URL = "/calendar/"
ADD_URL = "/calendar/adjustments/add/"


def remove_url(adjustment: LocalAdjustment) -> str:
    return f"/calendar/adjustments/{adjustment.pk}/remove/"


@pytest.fixture
def hook_calls() -> Iterator[Calls]:
    """A registered recompute hook that records its calls and claims 3 deadlines each time."""
    calls: Calls = []

    def hook(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
        calls.append((calendar, changed))
        return 3

    register_recompute(hook)
    yield calls
    unregister_recompute(hook)


def local_holiday(cast: Cast, capture: Capture, day: str = "2025-10-09") -> LocalAdjustment:
    with capture(execute=True):
        return add_adjustment(cast.office, D(day), AdjustmentKind.HOLIDAY, "区政府通知放假")


def adjustment_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(LocalAdjustment)
    )


def nothing_written() -> bool:
    return not (
        LocalAdjustment.objects.exists() or adjustment_events().exists() or Job.objects.exists()
    )


# -- actions ----------------------------------------------------------------------------------
def test_office_adds_a_local_holiday_audited_with_its_reason(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = add_adjustment(
            cast.office, D("2025-10-09"), AdjustmentKind.HOLIDAY, "  区政府通知放假  "
        )
    adjustment.refresh_from_db()
    assert (adjustment.reason, adjustment.created_by) == ("区政府通知放假", cast.office)
    [event] = AuditEvent.objects.for_object(adjustment)
    assert (event.action, event.actor, event.comment) == (
        AuditAction.CREATE,
        cast.office,
        "区政府通知放假",
    )
    assert not office_calendar().is_workday(D("2025-10-09"))
    assert office_calendar().add_workdays(D("2025-09-26"), 20) == D("2025-10-31")


def test_adding_runs_a_recompute_job_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        add_adjustment(cast.office, D("2025-10-09"), AdjustmentKind.HOLIDAY, "区政府通知放假")
        job = Job.objects.get()
        assert job.status == JobStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert (job.kind, job.status, job.created_by) == (
        JobKind.CALENDAR_RECOMPUTE,
        JobStatus.SUCCEEDED,
        cast.office,
    )
    assert job.params == {"dates": ["2025-10-09"]}
    assert job.result == {"recomputed": 0, "hooks": len(recompute_hooks())}  # the apps' own


def test_a_rolled_back_addition_leaves_no_row_event_or_job(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add_adjustment(cast.office, D("2025-10-09"), AdjustmentKind.HOLIDAY, "放假")
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert nothing_written()


def test_the_recompute_job_calls_every_hook_with_the_new_calendar(
    cast: Cast, django_capture_on_commit_callbacks: Capture, hook_calls: Calls
) -> None:
    local_holiday(cast, django_capture_on_commit_callbacks)
    [(calendar, changed)] = hook_calls
    assert changed == [D("2025-10-09")]
    assert not calendar.is_workday(D("2025-10-09"))
    job = Job.objects.get()
    assert (job.status, job.progress) == (JobStatus.SUCCEEDED, 100)
    assert job.result == {"recomputed": 3, "hooks": len(recompute_hooks())}


def test_a_failing_hook_fails_the_job_but_keeps_the_adjustment(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    def broken(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
        raise RuntimeError("deadline table locked")

    register_recompute(broken)
    try:
        local_holiday(cast, django_capture_on_commit_callbacks)
    finally:
        unregister_recompute(broken)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "deadline table locked" in job.error
    assert LocalAdjustment.objects.filter(date=D("2025-10-09")).exists()


@pytest.mark.parametrize("who", ["justice_liaison", "justice_leader", "evaluator"])
def test_only_the_office_may_adjust_the_calendar(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        add_adjustment(getattr(cast, who), D("2025-10-09"), AdjustmentKind.HOLIDAY, "放假")
    assert nothing_written()


def test_a_year_without_a_national_schedule_cannot_be_adjusted(cast: Cast) -> None:
    with pytest.raises(CalendarUnavailable, match="2027"):
        add_adjustment(cast.office, D("2027-01-04"), AdjustmentKind.HOLIDAY, "放假")
    assert nothing_written()


@pytest.mark.parametrize(
    ("day", "kind", "reason", "complaint"),
    [
        ("2025-10-18", AdjustmentKind.HOLIDAY, "放假", "本来就不上班"),  # a Saturday
        ("2025-10-03", AdjustmentKind.HOLIDAY, "放假", "本来就不上班"),  # 国庆
        ("2025-10-09", AdjustmentKind.WORKDAY, "加班", "本来就是工作日"),
        ("2025-09-28", AdjustmentKind.WORKDAY, "加班", "本来就是工作日"),  # make-up Sunday
        ("2025-10-09", AdjustmentKind.HOLIDAY, "   ", "请填写调整原因"),
        ("2025-10-09", AdjustmentKind.HOLIDAY, "长" * 201, "200"),
        ("2025-10-09", "weekend", "放假", "调整类型"),
    ],
)
def test_an_adjustment_that_changes_nothing_or_lacks_a_reason_is_refused(
    cast: Cast, day: str, kind: str, reason: str, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        add_adjustment(cast.office, D(day), kind, reason)
    assert nothing_written()


def test_a_date_can_only_be_adjusted_once(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    local_holiday(cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="已有本地调整"):
        add_adjustment(cast.office, D("2025-10-09"), AdjustmentKind.HOLIDAY, "再次放假")
    assert LocalAdjustment.objects.count() == 1


def test_a_date_added_by_a_concurrent_request_is_refused_not_a_crash(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    LocalAdjustment.objects.create(date=D("2025-10-09"), kind=AdjustmentKind.HOLIDAY, reason="先")
    # As if the other request committed between this one's check and its insert.
    monkeypatch.setattr(actions, "check_adjustment", lambda day, kind: AdjustmentKind(kind))
    with pytest.raises(ValidationError, match="已有本地调整"):
        add_adjustment(cast.office, D("2025-10-09"), AdjustmentKind.HOLIDAY, "后")
    assert LocalAdjustment.objects.get().reason == "先"
    assert not Job.objects.exists()


def test_office_removes_an_adjustment_audited_and_recomputed(
    cast: Cast, django_capture_on_commit_callbacks: Capture, hook_calls: Calls
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    pk = adjustment.pk
    with django_capture_on_commit_callbacks(execute=True):
        remove_adjustment(cast.office, adjustment, "通知撤回")
    assert not LocalAdjustment.objects.exists()
    removal = adjustment_events().get(action=AuditAction.DELETE)
    assert (removal.object_id, removal.comment, removal.actor) == (str(pk), "通知撤回", cast.office)
    assert office_calendar().is_workday(D("2025-10-09"))
    assert [changed for _, changed in hook_calls] == [[D("2025-10-09")], [D("2025-10-09")]]
    assert hook_calls[-1][0].is_workday(D("2025-10-09"))
    assert Job.objects.filter(status=JobStatus.SUCCEEDED).count() == 2


def test_a_liaison_cannot_remove_an_adjustment(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        remove_adjustment(cast.justice_liaison, adjustment, "不需要")
    assert LocalAdjustment.objects.filter(pk=adjustment.pk).exists()


# -- admin ------------------------------------------------------------------------------------
ADMIN_ADD = "/admin/holidays/localadjustment/add/"


def test_adding_in_the_admin_goes_through_the_action(
    cast: Cast, django_capture_on_commit_callbacks: Capture, hook_calls: Calls
) -> None:
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            client,
            ADMIN_ADD,
            {"date": "2025-10-09", "kind": "holiday", "reason": "区政府通知放假", "_save": "1"},
        )
    assert response.status_code == 302
    adjustment = LocalAdjustment.objects.get()
    assert adjustment.created_by == cast.office
    [event] = AuditEvent.objects.for_object(adjustment)
    assert (event.channel, event.comment) == (Channel.ADMIN, "区政府通知放假")
    assert Job.objects.get().result == {"recomputed": 3, "hooks": len(recompute_hooks())}


def test_the_admin_refuses_a_year_without_a_national_schedule(cast: Cast) -> None:
    response = csrf_post(
        client_for(cast.office),
        ADMIN_ADD,
        {"date": "2027-01-04", "kind": "holiday", "reason": "放假", "_save": "1"},
    )
    assert response.status_code == 200
    assert "2027 年的全国放假安排" in response.content.decode()
    assert nothing_written()


def test_deleting_in_the_admin_goes_through_the_action(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    url = f"/admin/holidays/localadjustment/{adjustment.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(client_for(cast.office), url, {"post": "yes"})
    assert response.status_code == 302
    assert not LocalAdjustment.objects.exists()
    removal = adjustment_events().get(action=AuditAction.DELETE)
    assert (removal.channel, removal.comment) == (Channel.ADMIN, "在管理后台删除")
    assert Job.objects.filter(params={"dates": ["2025-10-09"]}).count() == 2


def test_an_adjustment_cannot_be_edited_in_the_admin(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    url = f"/admin/holidays/localadjustment/{adjustment.pk}/change/"
    response = csrf_post(
        client_for(cast.office), url, {"date": "2025-10-10", "kind": "holiday", "reason": "改"}
    )
    assert response.status_code == 403
    adjustment.refresh_from_db()
    assert adjustment.date == D("2025-10-09")


# -- the page ---------------------------------------------------------------------------------
def travel(day: str) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(D(day), dt.time(10), SHANGHAI), tick=False)


def test_a_signed_out_visitor_is_sent_to_log_in(anon: Any, cast: Cast) -> None:
    response = anon.get(CALENDAR_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_evaluator_sees_the_schedule_adjustments_and_trail_but_no_form(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    local_holiday(cast, django_capture_on_commit_callbacks)
    with travel("2025-06-01"):
        response = client_for(cast.evaluator).get(CALENDAR_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2025 年全国放假安排" in page
    assert "国办发明电〔2024〕12号" in page
    assert "2025-10-01 至 2025-10-08" in page
    assert "2025-09-28" in page  # make-up Sunday
    assert "全年工作日 248 天" in page
    assert "区政府通知放假" in page
    assert "变更记录" in page and "新建" in page
    assert ADD_URL not in page
    assert "/remove/" not in page


def test_the_office_sees_the_add_and_remove_forms(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    page = client_for(cast.office).get(CALENDAR_URL).content.decode()
    assert ADD_URL in page
    assert remove_url(adjustment) in page


def test_another_year_can_be_shown_and_an_unpublished_one_is_explained(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert "国办发明电〔2023〕7号" in client.get(CALENDAR_URL, {"year": "2024"}).content.decode()
    page = client.get(CALENDAR_URL, {"year": "2027"}).content.decode()
    assert "缺少 2027 年的全国放假安排" in page
    assert "年份不正确" in client.get(CALENDAR_URL, {"year": "二〇二五"}).content.decode()


@pytest.mark.parametrize("who", ["justice_liaison", "evaluator"])
def test_a_non_office_user_cannot_add_through_the_page(cast: Cast, who: str) -> None:
    response = csrf_post(
        client_for(getattr(cast, who)),
        ADD_URL,
        {"date": "2025-10-09", "kind": "holiday", "reason": "放假"},
    )
    assert response.status_code == 403
    assert nothing_written()


def test_the_office_adds_through_the_page(
    cast: Cast, django_capture_on_commit_callbacks: Capture, hook_calls: Calls
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            client_for(cast.office),
            ADD_URL,
            {"date": "2025-10-09", "kind": "holiday", "reason": "区政府通知放假"},
        )
    assert response.status_code == 302
    assert response["Location"] == CALENDAR_URL
    adjustment = LocalAdjustment.objects.get()
    assert (adjustment.date, adjustment.kind) == (D("2025-10-09"), AdjustmentKind.HOLIDAY)
    [event] = AuditEvent.objects.for_object(adjustment)
    assert event.channel == Channel.WEB
    assert hook_calls[0][1] == [D("2025-10-09")]


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"date": "2027-01-04", "kind": "holiday", "reason": "放假"}, "2027 年的全国放假安排"),
        ({"date": "2025/10/09", "kind": "holiday", "reason": "放假"}, "格式不正确"),
        ({"date": "2025-10-18", "kind": "holiday", "reason": "放假"}, "本来就不上班"),
        ({"date": "2025-10-09", "kind": "holiday", "reason": ""}, "请填写调整原因"),
    ],
)
def test_a_refused_addition_shows_why_in_chinese(
    cast: Cast, data: dict[str, str], complaint: str
) -> None:
    response = csrf_post(client_for(cast.office), ADD_URL, data)
    assert response.status_code == 400
    assert complaint in response.content.decode()
    assert nothing_written()


def test_adding_needs_a_post(cast: Cast) -> None:
    assert client_for(cast.office).get(ADD_URL).status_code == 405


def test_the_office_removes_through_the_page_with_a_reason(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    client = client_for(cast.office)
    refused = csrf_post(client, remove_url(adjustment), {"reason": ""})
    assert refused.status_code == 400
    assert "请填写" in refused.content.decode()
    assert LocalAdjustment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(client, remove_url(adjustment), {"reason": "通知撤回"})
    assert response.status_code == 302
    assert not LocalAdjustment.objects.exists()
    assert adjustment_events().get(action=AuditAction.DELETE).comment == "通知撤回"


def test_a_liaison_cannot_remove_through_the_page(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    adjustment = local_holiday(cast, django_capture_on_commit_callbacks)
    client = client_for(cast.justice_liaison)
    assert csrf_post(client, remove_url(adjustment), {"reason": "x"}).status_code == 403
    assert LocalAdjustment.objects.exists()
    missing = f"/calendar/adjustments/{adjustment.pk + 1}/remove/"
    assert csrf_post(client_for(cast.office), missing, {"reason": "x"}).status_code == 404


# -- the 期限计算 tool -------------------------------------------------------------------------
def test_the_tool_shows_the_deadline_and_the_working_days_left(cast: Cast) -> None:
    with travel("2025-10-20"):
        response = client_for(cast.justice_liaison).get(
            CALENDAR_URL, {"date": "2025-09-26", "n": "20"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="due">2025-10-30<' in page
    assert 'class="left">8<' in page  # 21–24 and 27–30 October
    assert "共 34 个自然日" in page


def test_the_tool_reports_a_passed_deadline(cast: Cast) -> None:
    with travel("2025-11-03"):
        page = (
            client_for(cast.evaluator)
            .get(CALENDAR_URL, {"date": "2025-09-26", "n": "20"})
            .content.decode()
        )
    assert "期限已过 2 个工作日" in page  # 31 October and 3 November


def test_the_tool_uses_the_local_adjustments(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    local_holiday(cast, django_capture_on_commit_callbacks)
    page = (
        client_for(cast.evaluator)
        .get(CALENDAR_URL, {"date": "2025-09-26", "n": "20"})
        .content.decode()
    )
    assert 'class="due">2025-10-31<' in page


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"date": "26.09.2025", "n": "20"}, "起算日格式不正确"),
        ({"date": "2025-09-26", "n": "-1"}, "工作日数不能为负数"),
        ({"date": "2025-09-26", "n": "二十"}, "工作日数应为不小于 0 的整数"),
        ({"date": "", "n": "20"}, "请填写起算日"),
        ({"date": "2026-12-15", "n": "20"}, "缺少 2027 年的全国放假安排"),
    ],
)
def test_the_tool_explains_bad_input_in_chinese(
    cast: Cast, query: dict[str, str], complaint: str
) -> None:
    response = client_for(cast.evaluator).get(CALENDAR_URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert complaint in page
    assert 'class="due"' not in page
