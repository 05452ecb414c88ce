"""/api/calendar: working-day arithmetic and the office's local adjustments.

Parameters are read as text and checked by gongkai.holidays.inputs, so every bad value is a
400 with a Chinese `detail`, like the web page, rather than a validation dump.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.holidays.actions import add_adjustment, require_office
from gongkai.holidays.calendar import office_calendar
from gongkai.holidays.inputs import InputError, parse_count, parse_date
from gongkai.holidays.models import LocalAdjustment
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

router = Router()


class ErrorOut(Schema):
    detail: str


class AddOut(Schema):
    date: dt.date
    n: int
    result: dt.date


class BetweenOut(Schema):
    workdays: int


class IsOut(Schema):
    date: dt.date
    workday: bool


class AdjustmentIn(Schema):
    date: str = ""
    kind: str = ""
    reason: str = ""


class AdjustmentOut(Schema):
    id: int
    date: dt.date
    kind: str
    kind_label: str
    reason: str
    created_at: dt.datetime
    created_by: str | None

    @staticmethod
    def of(a: LocalAdjustment) -> AdjustmentOut:
        return AdjustmentOut(
            id=a.pk,
            date=a.date,
            kind=a.kind,
            kind_label=a.get_kind_display(),
            reason=a.reason,
            created_at=a.created_at,
            created_by=a.created_by.get_username() if a.created_by else None,
        )


def _calendar() -> WorkdayCalendar:
    return office_calendar()


def _bad(exc: Exception) -> HttpError:
    if isinstance(exc, ValidationError):
        return HttpError(400, "；".join(exc.messages))
    return HttpError(400, str(exc))


@router.get("/add", response={200: AddOut, 400: ErrorOut}, summary="起算日后第 n 个工作日")
def add(request: HttpRequest, date: str = "", n: str = "") -> AddOut:
    try:
        start, count = parse_date(date, "日期 date"), parse_count(n, "天数 n")
        return AddOut(date=start, n=count, result=_calendar().add_workdays(start, count))
    except (InputError, CalendarUnavailable) as exc:
        raise _bad(exc) from exc


@router.get("/between", response={200: BetweenOut, 400: ErrorOut}, summary="a 之后至 b 的工作日数")
def between(request: HttpRequest, a: str = "", b: str = "") -> BetweenOut:
    try:
        first, last = parse_date(a, "起始日期 a"), parse_date(b, "截止日期 b")
        return BetweenOut(workdays=_calendar().workdays_between(first, last))
    except (InputError, CalendarUnavailable) as exc:
        raise _bad(exc) from exc


@router.get("/is", response={200: IsOut, 400: ErrorOut}, summary="某日是否工作日")
def is_workday(request: HttpRequest, date: str = "") -> IsOut:
    try:
        day = parse_date(date, "日期 date")
        return IsOut(date=day, workday=_calendar().is_workday(day))
    except (InputError, CalendarUnavailable) as exc:
        raise _bad(exc) from exc


@router.get("/adjustments", response=list[AdjustmentOut], summary="本地调整")
def adjustments(request: HttpRequest) -> list[AdjustmentOut]:
    return [AdjustmentOut.of(a) for a in LocalAdjustment.objects.select_related("created_by")]


@router.post(
    "/adjustments",
    response={201: AdjustmentOut, 400: ErrorOut, 403: ErrorOut},
    summary="登记本地调整（公开办）",
)
def create_adjustment(request: HttpRequest, payload: AdjustmentIn) -> Status[AdjustmentOut]:
    try:
        require_office(request.user)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    try:
        day = parse_date(payload.date, "日期 date")
        adjustment = add_adjustment(request.user, day, payload.kind, payload.reason)
    except (InputError, CalendarUnavailable, ValidationError) as exc:
        raise _bad(exc) from exc
    return Status(201, AdjustmentOut.of(adjustment))
