"""The home page: where the user stands today and what to do next, by role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.holidays.calendar import office_calendar
from gongkai.jobs.access import jobs_for_user
from gongkai.units.access import units_for_user
from gongkai.web.duties import DUTIES
from gongkai.workdays import CalendarUnavailable


def work_summary(user: Any, today: dt.date) -> dict[str, int]:
    """The few numbers the home page shows about the work on the task lists."""
    from gongkai.work.access import checkpoints_for_user
    from gongkai.work.models import Report, Review

    checkpoints = checkpoints_for_user(user)
    summary = {"overdue": checkpoints.overdue(today).count()}
    if not getattr(user, "sees_all_units", False):  # a unit's own few hundred rows
        summary["open"] = checkpoints.open().count()
        summary["soon"] = (
            checkpoints.open()
            .filter(finished_on__isnull=True, due__gte=today, due__lte=today + dt.timedelta(days=7))
            .count()
        )
    if getattr(user, "is_office", False):
        summary["pending"] = Report.objects.filter(
            review=Review.PENDING, checkpoint__cancelled=False
        ).count()
    return summary


def requests_summary(user: Any, today: dt.date) -> dict[str, int]:
    """The few numbers the home page shows about requests for government information."""
    from gongkai.disclosure.access import requests_for_user
    from gongkai.disclosure.models import ReplyReview, RequestState, ReviewDecision

    requests = requests_for_user(user)
    summary = {
        "open": requests.open().count(),
        "overdue": requests.overdue(today).count(),
        "unconfirmed": requests.filter(state=RequestState.RECEIVED).count(),
        "review_days": int(settings.REQUEST_REVIEW_WORKDAYS),
    }
    if getattr(user, "is_office", False):
        summary["pending"] = ReplyReview.objects.filter(decision=ReviewDecision.PENDING).count()
    return summary


def publishing_summary(user: Any, today: dt.date) -> dict[str, int]:
    """The few numbers the home page shows about the document register (主动公开)."""
    from django.db.models import Count, Q

    from gongkai.publishing.access import documents_for_user
    from gongkai.publishing.models import DocState
    from gongkai.publishing.views.listing import waiting_for

    documents = documents_for_user(user)
    summary: dict[str, int] = documents.aggregate(
        drafts=Count("pk", filter=Q(state=DocState.DRAFT)),
        returned=Count("pk", filter=Q(state=DocState.RETURNED)),
        approved=Count("pk", filter=Q(state=DocState.APPROVED)),
    )
    summary["review"] = waiting_for(user, documents).count()
    summary["overdue"] = documents.interpretation_overdue(today).count()
    return summary


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
        "work": work_summary(request.user, today),
        "requests": requests_summary(request.user, today),
        "publishing": publishing_summary(request.user, today),
    }
    return render(request, "web/home.html", context)


@login_required
def duties(request: HttpRequest) -> HttpResponse:
    return render(request, "web/duties.html", {"duties": DUTIES})
