"""The events of the reply clock: correction, consultation, extension (条例 Arts. 30–34)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.clocks import MAX_EXTENSION_WORKDAYS, Consulted
from gongkai.disclosure import clock
from gongkai.disclosure.access import require_office
from gongkai.disclosure.actions.base import (
    EXTENDABLE,
    WORKING,
    RequestRejected,
    _check_day,
    _conclude,
    _event,
    _lock,
    _move,
    _require_state,
    _require_worker,
    _today,
    _working_state,
)
from gongkai.disclosure.models import (
    EventKind,
    Outcome,
    Request,
    RequestState,
)
from gongkai.holidays.calendar import office_calendar


def request_correction(
    user: Any, request: Request, day: dt.date, correct_by: dt.date, note: str = ""
) -> Request:
    """The one correction notice (补正, Art. 30), and the period it sets."""
    _require_worker(user, request)
    _check_day(day, "补正通知日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.IN_PROGRESS], "发出补正通知")
        if request.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise RequestRejected("补正通知只能一次性发出，本申请已经发出过")
        if request.received_on is None or day < request.received_on:
            raise RequestRejected("补正通知日期不能早于收到申请日期")
        if correct_by <= day:
            raise RequestRejected("补正期限应晚于通知日期")
        _event(
            user,
            request,
            EventKind.CORRECTION_REQUESTED,
            day,
            {"correct_by": correct_by.isoformat()},
            note,
        )
        _move(user, request, RequestState.AWAITING_CORRECTION)
        clock.refresh(request)
    return request


def receive_correction(user: Any, request: Request, day: dt.date, note: str = "") -> Request:
    """The corrected application arrived: the 20 working days restart from this day."""
    _require_worker(user, request)
    _check_day(day, "收到补正日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_CORRECTION], "登记收到补正")
        _event(user, request, EventKind.CORRECTION_RECEIVED, day, note=note)
        _move(user, request, RequestState.IN_PROGRESS)
        clock.refresh(request)
    return request


def correction_lapsed(user: Any, request: Request, day: dt.date, note: str = "") -> Request:
    """The applicant let the correction period pass: closed as 其他处理-1."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_CORRECTION], "按逾期未补正处理")
        notice = request.events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
        correct_by = (notice.data or {}).get("correct_by") if notice else None
        if correct_by and day <= dt.date.fromisoformat(correct_by):
            raise RequestRejected(f"补正期限 {correct_by} 尚未届满")
        _event(user, request, EventKind.CORRECTION_LAPSED, day, note=note)
        _conclude(user, request, Outcome.NO_CORRECTION, day, RequestState.CLOSED)
    return request


def start_consultation(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    party: Consulted,
    name: str,
    letter_received: dt.date | None = None,
    note: str = "",
) -> Request:
    """A consultation letter went to a third party (Art. 32) or another organ (Art. 34); the
    clock pauses until the answer or the 15-working-day lapse."""
    _require_worker(user, request)
    _check_day(day, "征求意见日期")
    if not name.strip():
        raise RequestRejected("请填写被征求意见的第三方或机关名称")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, WORKING, "征求意见")
        data: dict[str, Any] = {"party": party.value, "name": name.strip()[:200]}
        if letter_received is not None:
            if letter_received < day:
                raise RequestRejected("对方收到征求意见函的日期不能早于发函日期")
            data["letter_received"] = letter_received.isoformat()
        _event(user, request, EventKind.CONSULTATION_STARTED, day, data, note)
        _move(user, request, RequestState.CONSULTING)
        clock.refresh(request)
    return request


def end_consultation(
    user: Any, request: Request, day: dt.date, *, answered: bool, note: str = ""
) -> Request:
    """The consulted party answered, or its 15 working days lapsed; the clock runs again."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.CONSULTING], "结束征求意见")
        kind = EventKind.CONSULTATION_ANSWERED if answered else EventKind.CONSULTATION_LAPSED
        _event(user, request, kind, day, note=note)
        _move(user, request, _working_state(request))
        clock.refresh(request)
    return request


def extend(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    approver: str,
    notified: dt.date,
    workdays: int = MAX_EXTENSION_WORKDAYS,
    note: str = "",
) -> Request:
    """The head of the disclosure office approved an extension (Art. 33): once, at most 20
    working days, approved and told to the applicant before the current deadline."""
    require_office(user)
    _check_day(day, "批准日期")
    _check_day(notified, "告知申请人日期")
    if not approver.strip():
        raise RequestRejected("请填写批准延期的负责人")
    if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise RequestRejected(f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, EXTENDABLE, "延期")
        if request.events.filter(kind=EventKind.EXTENDED).exists():
            raise RequestRejected("答复期限只能延长一次")
        if notified < day:
            raise RequestRejected("告知申请人日期不能早于批准日期")
        live = clock.state_of(request, office_calendar(), _today())
        current = live.deadline if live is not None else None
        if current is not None and notified > current:
            raise RequestRejected(f"延期须在答复期限 {current.isoformat()} 届满前批准并告知申请人")
        data = {
            "approver": approver.strip()[:64],
            "notified": notified.isoformat(),
            "workdays": workdays,
        }
        _event(user, request, EventKind.EXTENDED, day, data, note)
        if request.state == RequestState.IN_PROGRESS:
            _move(user, request, RequestState.EXTENDED)
        clock.refresh(request)
    return request
