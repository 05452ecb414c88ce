"""The home page: where the user stands today and what to do next, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.holidays.calendar import office_calendar
from gongkai.jobs.access import jobs_for_user
from gongkai.units.access import units_for_user
from gongkai.workdays import CalendarUnavailable


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        is_workday: bool | None = office_calendar().is_workday(today)
    except CalendarUnavailable:
        is_workday = None
    context = {
        "today": today,
        "today_is_workday": is_workday,
        "units": units_for_user(request.user)[:12],
        "recent_jobs": jobs_for_user(request.user)[:5],
    }
    return render(request, "web/home.html", context)
