"""The information-processing fee on a request (国办函〔2020〕109号): notice, payment, lapse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, snapshot
from gongkai.disclosure.actions.base import (
    WORKING,
    RequestRejected,
    _check_day,
    _conclude,
    _lock,
    _move,
    _require_state,
    _require_worker,
    _working_state,
)
from gongkai.disclosure.models import (
    FeeMethod,
    Outcome,
    Request,
    RequestState,
)


def issue_fee_notice(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    method: FeeMethod,
    pay_by: dt.date,
    pages: int | None = None,
) -> Request:
    """A fee notice under 国办函〔2020〕109号 (per request or per page, never both)."""
    from gongkai.disclosure.fees import quote

    _require_worker(user, request)
    _check_day(day, "收费通知日期")
    if method == FeeMethod.NONE:
        raise RequestRejected("请选择收费方式")
    if method == FeeMethod.PER_PAGE and not pages:
        raise RequestRejected("按量计收须填写页数")
    if pay_by <= day:
        raise RequestRejected("缴费期限应晚于通知日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, WORKING, "发出收费通知")
        if request.fee_paid_on is not None:
            raise RequestRejected("本申请已缴纳信息处理费，不能再次发出收费通知")
        priced = quote(request, method, pages)
        if priced.amount <= 0:
            raise RequestRejected(f"按{method.label}计算，本申请不收费：{priced.explanation}")
        before = snapshot(request)
        request.fee_method = method
        request.fee_pages = pages
        request.fee_amount = Decimal(priced.amount)
        request.fee_notice_on = day
        request.fee_pay_by = pay_by
        request.fee_paid_on = None
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        _move(user, request, RequestState.AWAITING_FEE)
    return request


def fee_paid(user: Any, request: Request, day: dt.date) -> Request:
    _require_worker(user, request)
    _check_day(day, "缴费日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_FEE], "登记缴费")
        before = snapshot(request)
        request.fee_paid_on = day
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        _move(user, request, _working_state(request))
    return request


def fee_lapsed(user: Any, request: Request, day: dt.date) -> Request:
    """Unpaid by the date in the notice: closed as 其他处理-2."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_FEE], "按逾期未缴费处理")
        if request.fee_pay_by and day <= request.fee_pay_by:
            raise RequestRejected(f"缴费期限 {request.fee_pay_by.isoformat()} 尚未届满")
        _conclude(user, request, Outcome.FEE_UNPAID, day, RequestState.CLOSED)
    return request
