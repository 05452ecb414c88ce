"""The 工作日历 page: the national schedule, local adjustments, and a deadline calculator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.holidays.access import get_adjustment_for_user
from gongkai.holidays.actions import add_adjustment, remove_adjustment, require_office
from gongkai.holidays.calendar import office_calendar
from gongkai.holidays.forms import AdjustmentForm, DeadlineForm
from gongkai.holidays.inputs import LAST_YEAR
from gongkai.holidays.models import LocalAdjustment
from gongkai.holidays.overview import deadline, year_overview
from gongkai.workdays import CalendarUnavailable, national_calendar

TRAIL_LENGTH = 50


def _year(request: HttpRequest) -> tuple[int, str]:
    """The year asked for in ?year=, else the current one; and an error message if any."""
    today = timezone.localdate()
    text = request.GET.get("year", "").strip()
    if not text:
        return today.year, ""
    if not text.isascii() or not text.isdigit() or not 1900 <= int(text) <= LAST_YEAR:
        return today.year, f"年份不正确：“{text[:20]}”，已显示 {today.year} 年"
    return int(text), ""


def _page(
    request: HttpRequest,
    *,
    add_form: AdjustmentForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    year, year_error = _year(request)
    context: dict[str, Any] = {
        "year": year,
        "year_error": year_error,
        "adjustments": LocalAdjustment.objects.select_related("created_by"),
        "events": AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(LocalAdjustment)
        )[:TRAIL_LENGTH],
        "add_form": add_form or AdjustmentForm(),
        "error": error,
        "can_edit": bool(getattr(request.user, "is_office", False)),
    }
    try:
        context["overview"] = year_overview(national_calendar(), year)
    except CalendarUnavailable as exc:
        context["overview_error"] = str(exc)
    context.update(_deadline_tool(request))
    return render(request, "holidays/calendar.html", context, status=status)


def _deadline_tool(request: HttpRequest) -> dict[str, Any]:
    if "date" not in request.GET and "n" not in request.GET:
        return {"deadline_form": DeadlineForm()}
    form = DeadlineForm(request.GET)
    result: dict[str, Any] = {"deadline_form": form}
    if form.is_valid():
        data = form.cleaned_data
        try:
            result["deadline"] = deadline(
                office_calendar(), data["date"], data["n"], timezone.localdate()
            )
        except CalendarUnavailable as exc:
            result["deadline_error"] = str(exc)
    return result


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = add_adjustment(request.user, data["date"], data["kind"], data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except CalendarUnavailable as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已登记 {adjustment}；受影响的期限正在后台重算，可在“后台任务”中查看进度。",
            )
            return redirect("holidays:calendar")
    return _page(request, add_form=form, status=400)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_adjustment_for_user(request.user, pk, write=True)
    shown = str(adjustment)
    try:
        remove_adjustment(request.user, adjustment, request.POST.get("reason", ""))
    except ValidationError as exc:
        return _page(request, error=f"未删除 {shown}：{'；'.join(exc.messages)}", status=400)
    messages.success(request, f"已删除 {shown}；受影响的期限正在后台重算。")
    return redirect("holidays:calendar")
