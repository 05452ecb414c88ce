"""The request register over JSON, with the pages' access rules and the pages' forms.

An event posted to /requests/{id}/events names its act by the slug of the page's URL (`kind`:
confirm, correction, corrected, correction-lapsed, consult, consult-end, extend, fee-notice,
fee-paid, fee-lapsed, submit, answer, on-the-spot, deliver, close, transfer, return) and carries
that form's fields; it is checked by the same form and done by the same action as on the page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.disclosure import actions, clock
from gongkai.disclosure.access import (
    get_request_for_user,
    get_review_for_user,
    requests_for_user,
    require_office,
)
from gongkai.disclosure.filters import RequestFilter
from gongkai.disclosure.forms import RegisterForm
from gongkai.disclosure.models import Request
from gongkai.disclosure.steps import STEPS
from gongkai.holidays.calendar import office_calendar
from gongkai.units.models import Unit
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

router = Router()

MAX_PAGE = 500
MAX_OFFSET = 10**9


class RequestOut(Schema):
    id: int
    tracking_no: str
    applicant_type: str
    applicant_name: str
    unit_id: int
    unit: str
    state: str
    channel: str
    arrived_on: dt.date
    received_on: dt.date | None
    deadline: dt.date | None
    days_left: int | None
    review_due: dt.date | None
    on_time: bool | None
    outcome: str
    concluded_on: dt.date | None


class EventOut(Schema):
    id: int
    kind: str
    date: dt.date
    data: dict[str, Any]
    note: str


class ClockOut(Schema):
    deadline: dt.date | None
    days_left: int | None
    state: str
    met: bool | None
    explanation: list[str]
    problems: list[str]


class RequestDetailOut(RequestOut):
    description: str
    id_number: str
    contact_phone: str
    email: str
    address: str
    form_wanted: str
    delivery_wanted: str
    clock: ClockOut | None
    events: list[EventOut]


class RequestPage(Schema):
    count: int
    offset: int
    items: list[RequestOut]


class Registered(RequestDetailOut):
    secret: str


class RequestIn(Schema):
    unit_id: int
    applicant_type: str
    applicant_name: str
    description: str
    channel: str
    # Dates as text, checked by RegisterForm, so a bad one is a 400 in Chinese like on the page.
    arrived_on: str
    id_number: str = ""
    contact_phone: str = ""
    email: str = ""
    address: str = ""
    form_wanted: str = "paper"
    delivery_wanted: str = "post"
    confirmed_on: str | None = None
    contact_restored_on: str | None = None


class ReviewOut(Schema):
    id: int
    request_id: int
    outcome: str
    separated: bool
    decision: str
    comment: str
    due_on: dt.date | None
    decided_at: dt.datetime | None


def _days_left(calendar: WorkdayCalendar, today: dt.date, deadline: dt.date | None) -> int | None:
    if deadline is None:
        return None
    try:
        return calendar.workdays_between(today, deadline)
    except CalendarUnavailable:
        return None


def _row(r: Request, calendar: WorkdayCalendar, today: dt.date) -> dict[str, Any]:
    return {
        "id": r.pk,
        "tracking_no": r.tracking_no,
        "applicant_type": r.applicant_type,
        "applicant_name": r.applicant_name,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "state": r.state,
        "channel": r.channel,
        "arrived_on": r.arrived_on,
        "received_on": r.received_on,
        "deadline": r.deadline,
        "days_left": _days_left(calendar, today, r.deadline) if r.is_open else None,
        "review_due": r.review_due,
        "on_time": r.on_time,
        "outcome": r.outcome,
        "concluded_on": r.concluded_on,
    }


def _detail(r: Request) -> dict[str, Any]:
    calendar, today = office_calendar(), timezone.localdate()
    try:
        state = clock.state_of(r, calendar, today)
    except CalendarUnavailable as exc:
        state, problems = None, [f"工作日历缺少所需年份，无法计算期限：{exc}"]
    else:
        problems = state.problems if state else []
    return _row(r, calendar, today) | {
        "description": r.description,
        "id_number": r.id_number,
        "contact_phone": r.contact_phone,
        "email": r.email,
        "address": r.address,
        "form_wanted": r.form_wanted,
        "delivery_wanted": r.delivery_wanted,
        "clock": {
            "deadline": state.deadline if state else None,
            "days_left": state.days_left if state else None,
            "state": state.state.value if state else "",
            "met": state.met if state else None,
            "explanation": state.explanation if state else [],
            "problems": problems,
        },
        "events": list(r.events.all()),
    }


def _rejected(exc: Exception) -> HttpError:
    if isinstance(exc, actions.ReviewConflict):
        return HttpError(409, str(exc))
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc) or "没有权限")
    return HttpError(400, str(exc))


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "请求体应为 JSON 对象") from None
    if not isinstance(data, dict):
        raise HttpError(400, "请求体应为 JSON 对象")
    return data


def _form_errors(form: Any) -> HttpError:
    parts = [
        str(e) if name == "__all__" else f"{form.fields[name].label}：{e}"
        for name, errors in form.errors.items()
        for e in errors
    ]
    return HttpError(400, "；".join(parts))


@router.get(
    "/requests",
    response=RequestPage,
    summary="依申请公开的申请（联络员只看本单位的）；筛选参数同“依申请公开”页面",
)
def list_requests(request: HttpRequest, offset: int = 0, limit: int = 100) -> dict[str, Any]:
    f = RequestFilter.from_query(request.GET)
    calendar, today = office_calendar(), timezone.localdate()
    qs = f.apply(requests_for_user(request.user), today, calendar)
    if f.errors:
        raise HttpError(400, "；".join(f.errors))
    qs = f.ordered(qs.select_related("unit"))
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, min(offset, MAX_OFFSET))
    rows = [_row(r, calendar, today) for r in qs[offset : offset + limit]]
    return {"count": qs.count(), "offset": offset, "items": rows}


@router.get(
    "/requests/{int:request_id}",
    response=RequestDetailOut,
    summary="一件申请，及其答复期限、期限说明、问题和办理记录",
)
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(get_request_for_user(request.user, request_id))


@router.post(
    "/requests",
    response={201: Registered},
    summary="登记申请（JSON）；返回申请编号和只显示一次的查询码",
)
def register(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    units = Unit.objects.active()
    if not getattr(request.user, "is_office", False):
        units = units.filter(pk__in=request.user.unit_ids())  # type: ignore[union-attr]  # authenticated by the router
    data = payload.dict()
    data["unit"] = data.pop("unit_id")
    form = RegisterForm(data, units=units)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        made, secret = actions.register_request(request.user, form.to_input())
    except (actions.RequestRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc
    return Status(201, _detail(made) | {"secret": secret})


@router.post(
    "/requests/{int:request_id}/events",
    response=RequestDetailOut,
    summary="办理：记录一个事项（kind 为页面上的操作，如 correction、consult、answer、deliver）",
    description=(
        '请求体：JSON `{"kind": "correction", "date": "2025-10-09", "correct_by": "2025-10-20"}`，'
        "其余字段与页面上该操作的表单相同。"
    ),
)
def post_event(request: HttpRequest, request_id: int) -> dict[str, Any]:
    # Read the body after the access check: another unit's request is a 404 whatever was sent.
    r = get_request_for_user(request.user, request_id, write=True)
    data = _json_body(request)
    kind = str(data.pop("kind", ""))
    wrong = [k for k, v in data.items() if not isinstance(v, str | int | bool) and v is not None]
    if wrong:
        raise HttpError(400, f"字段“{str(wrong[0])[:40]}”应为文字、数字或真假值")
    data = {k: v if isinstance(v, str) or v is None else str(v).lower() for k, v in data.items()}
    if kind not in STEPS:
        raise HttpError(400, f"未知的办理事项“{kind[:40]}”，可用：{'、'.join(STEPS)}")
    form = STEPS[kind](data)
    try:
        if form.office_only:
            require_office(request.user)
        if not form.is_valid():
            raise _form_errors(form)
        form.run(request.user, r)
    except (actions.RequestRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc
    return _detail(get_request_for_user(request.user, request_id))


@router.post(
    "/reviews/{int:review_id}/decision",
    response=ReviewOut,
    summary="公开办审核答复意见：通过或退回（退回须填写意见）；他人已先审核时返回 409",
    description='请求体：JSON `{"approve": true, "comment": "…"}`。',
)
def decide(request: HttpRequest, review_id: int) -> Any:
    review = get_review_for_user(request.user, review_id)
    data = _json_body(request)
    approve = data.get("approve")
    if not isinstance(approve, bool):
        raise HttpError(
            400, "请提交审核结论：approve 为 true（通过）或 false（退回），以及 comment"
        )
    try:
        return actions.decide_review(
            request.user, review, approve=approve, comment=str(data.get("comment") or "")
        )
    except (actions.RequestRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc
