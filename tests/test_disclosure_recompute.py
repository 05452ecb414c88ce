"""A change to the office's calendar moves open requests' deadlines, says so on each request,
and tells the unit in its next digest; closed requests keep theirs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import time_machine
from django.core import mail

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import actions
from gongkai.disclosure.actions import RequestInput
from gongkai.disclosure.models import ApplicantType, Request
from gongkai.holidays.actions import remove_adjustment
from gongkai.holidays.models import LocalAdjustment
from gongkai.jobs.models import Job
from gongkai.work.models import NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for, csrf_post

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
COMMENT = "工作日历调整，重新计算答复期限"


def at(day: str, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(D(day), dt.time(hour), ZONE), tick=False)


def register(cast: Cast, arrived: str = "2025-09-26") -> Request:
    data = RequestInput(
        applicant_type=ApplicantType.PERSON,
        applicant_name="李四",
        description="本区2025年行政复议案件统计数据",
        channel="in_person",
        arrived_on=D(arrived),
        unit=cast.justice,
        contact_phone="13900000000",
    )
    with at(arrived):
        request, _ = actions.register_request(cast.office, data)
    return request


def add_holiday(cast: Cast, capture: Capture, day: str) -> None:
    """The office adds a local holiday on the 工作日历 page; the recompute job runs after commit."""
    with capture(execute=True):
        response = csrf_post(
            client_for(cast.office),
            "/calendar/adjustments/add/",
            {"date": day, "kind": "holiday", "reason": "区政府通知放假"},
        )
    assert response.status_code == 302


def moves(request: Request) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.for_object(request) if e.comment == COMMENT]


def test_a_local_holiday_moves_open_deadlines_one_working_day_and_says_so(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    open_request = register(cast)
    closed = register(cast)
    with at("2025-09-26"):
        actions.answer_on_the_spot(cast.justice_liaison, closed, outcome="granted")
    closed.refresh_from_db()
    closed_before = (closed.deadline, closed.on_time, closed.updated_at)
    assert open_request.deadline == D("2025-10-30")

    with at("2025-10-10"):
        add_holiday(cast, django_capture_on_commit_callbacks, "2025-10-20")

    assert Job.objects.get().result["recomputed"] >= 1
    open_request.refresh_from_db()
    assert open_request.deadline == D("2025-10-31")
    assert open_request.deadline_moved_from == D("2025-10-30")
    [event] = moves(open_request)
    assert event.changes == {"deadline": ["2025-10-30", "2025-10-31"]}
    closed.refresh_from_db()
    assert (closed.deadline, closed.on_time, closed.updated_at) == closed_before
    assert closed.deadline_moved_from is None
    assert moves(closed) == []


def test_the_unit_hears_of_the_moved_deadline_in_its_next_digest_once(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    request = register(cast)
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn", days_before=3)
    with at("2025-10-10"):
        add_holiday(cast, django_capture_on_commit_callbacks, "2025-10-20")
        add_holiday(cast, django_capture_on_commit_callbacks, "2025-10-21")
    request.refresh_from_db()
    # Moved twice before the unit heard: the notice runs from the first deadline to the last.
    assert (request.deadline_moved_from, request.deadline) == (D("2025-10-30"), D("2025-11-03"))
    assert len(moves(request)) == 2

    with at("2025-10-13", 9):  # Monday: the next working day after the change
        run_reminders()
    [message] = mail.outbox
    assert message.subject == "【政务公开】区司法局 任务提醒（2025-10-13）：申请期限调整1件"
    assert (
        f"1. {request.tracking_no}：因工作日历调整，答复期限由 2025-10-30 调整为 2025-11-03"
        in message.body
    )
    request.refresh_from_db()
    assert request.deadline_moved_from is None

    mail.outbox.clear()
    with at("2025-10-14", 9):
        run_reminders()
    assert mail.outbox == []


def test_a_change_undone_before_the_digest_tells_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    request = register(cast)
    NotifySettings.objects.create(unit=cast.justice, emails="justice@example.cn")
    with at("2025-10-10"):
        add_holiday(cast, django_capture_on_commit_callbacks, "2025-10-20")
        with django_capture_on_commit_callbacks(execute=True):
            remove_adjustment(cast.office, LocalAdjustment.objects.get(), "通知有误，撤销")
    request.refresh_from_db()
    assert request.deadline == request.deadline_moved_from == D("2025-10-30")

    with at("2025-10-13", 9):
        run_reminders()
    assert mail.outbox == []
    request.refresh_from_db()
    assert request.deadline_moved_from is None
