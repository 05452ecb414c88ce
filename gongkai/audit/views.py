"""The audit log page: filter by action, channel, who and when."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.audit.access import events_for_user
from gongkai.audit.models import AuditAction, Channel


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = events_for_user(request.user)
    q = request.GET
    if q.get("action") in AuditAction.values:
        events = events.filter(action=q["action"])
    if q.get("channel") in Channel.values:
        events = events.filter(channel=q["channel"])
    if who := q.get("who", "").strip():
        events = events.filter(actor_name__icontains=who)
    if what := q.get("what", "").strip():
        events = events.filter(object_repr__icontains=what)
    if since := _date(q.get("since")):
        events = events.filter(at__date__gte=since)
    if until := _date(q.get("until")):
        events = events.filter(at__date__lte=until)
    page = Paginator(events, 50).get_page(q.get("page"))
    return render(
        request,
        "audit/list.html",
        {"page": page, "actions": AuditAction.choices, "channels": Channel.choices, "q": q},
    )
