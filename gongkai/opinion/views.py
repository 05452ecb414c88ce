"""Staff pages of 政务舆情, under /opinion/: the list with each open event's next deadline, the
registration form, one event with its clocks, responses and history, and one POST view per act.

Every change goes through gongkai.opinion.actions; a refused act is shown on the event's page
with status 400 and nothing changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.opinion import actions
from gongkai.opinion.access import (
    can_work,
    events_for_user,
    get_event_for_user,
    is_office,
    may_register,
    require_office,
)
from gongkai.opinion.display import next_clock, stage_status
from gongkai.opinion.forms import AssignForm, CloseForm, EventForm, LevelForm, ResponseForm
from gongkai.opinion.models import Event, EventState, Level, Response, Stage
from gongkai.units.models import Unit, UnitQuerySet

PAGE_SIZE = 50
TABS = {"open": "处置中", "overdue": "逾期未完成", "closed": "已办结", "all": "全部"}

Bound = dict[str, forms.Form]


def _tab(qs: Any, tab: str) -> Any:
    if tab == "open":
        return qs.open()
    if tab == "overdue":
        return qs.overdue(timezone.now())
    if tab == "closed":
        return qs.filter(state=EventState.CLOSED)
    return qs


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tab = request.GET.get("tab", "open")
    tab = tab if tab in TABS else "open"
    mine = events_for_user(request.user)
    required = Prefetch("stages", queryset=Stage.objects.required())
    qs = _tab(mine, tab).select_related("unit").prefetch_related(required)
    page = Paginator(qs.order_by("-detected_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(e, next_clock(e.stages.all(), now) if e.is_open else None) for e in page]
    context = {
        "page": page,
        "rows": rows,
        "tabs": list(TABS.items()),
        "tab": tab,
        "overdue": mine.overdue(now).count(),
        "can_register": may_register(request.user),
    }
    return render(request, "opinion/list.html", context)


def _units(user: Any) -> UnitQuerySet:
    units = Unit.objects.active().order_by("name")
    return units if is_office(user) else units.filter(pk__in=user.unit_ids())


@require_http_methods(["GET", "POST"])
@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not may_register(request.user):
        raise PermissionDenied("只有公开办和单位联络员可以登记舆情")
    units = _units(request.user)
    if request.method != "POST":
        initial = {"unit": units.first(), "detected_at": timezone.localtime().replace(second=0)}
        form = EventForm(units=units, initial=initial)
        return render(request, "opinion/form.html", {"form": form})
    form = EventForm(request.POST, units=units)
    if form.is_valid():
        try:
            event = actions.register_event(request.user, form.to_input())
        except actions.OpinionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "舆情已登记，回应时限开始计算")
            return redirect("opinion:detail", pk=event.pk)
    return render(request, "opinion/form.html", {"form": form}, status=400)


def trail(event: Event) -> QuerySet[AuditEvent]:
    """The audit events of the event, its stages (those a former level required too) and its
    responses."""
    ct = ContentType.objects.get_for_model

    def ids(qs: QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    parts = Q(content_type=ct(Event), object_id=str(event.pk))
    parts |= Q(content_type=ct(Stage), object_id__in=ids(event.stages.all()))
    parts |= Q(content_type=ct(Response), object_id__in=ids(event.responses.all()))
    return AuditEvent.objects.filter(parts).order_by("-at", "-pk")


def render_detail(
    request: HttpRequest,
    event: Event,
    *,
    bound: Bound | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    now = timezone.now()
    stages = list(event.stages.required())
    worker = can_work(request.user, event) and event.is_open
    office = is_office(request.user) and event.is_open
    context = {
        "e": event,
        "stages": [(s, *stage_status(s, now)) for s in stages],
        "clock": next_clock(stages, now) if event.is_open else None,
        "responses": event.responses.select_related("recorded_by"),
        "response_form": (bound.get("response") or ResponseForm()) if worker else None,
        "close_form": (bound.get("close") or CloseForm()) if worker else None,
        "level_form": (bound.get("level") or LevelForm()) if office else None,
        "assign_form": (bound.get("assign") or AssignForm()) if office else None,
        "problem": problem,
        "trail": trail(event)[:200],
    }
    return render(request, "opinion/detail.html", context, status=status)


@require_GET
@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_event_for_user(request.user, pk))


@require_POST
@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            actions.record_response(request.user, event, form.to_input())
        except actions.OpinionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "回应已登记")
            return redirect("opinion:detail", pk=event.pk)
    return render_detail(request, event, bound={"response": form}, status=400)


@require_POST
@login_required
def change_level(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    require_office(request.user, "只有公开办可以调整舆情级别")
    form = LevelForm(request.POST)
    if form.is_valid():
        try:
            actions.change_level(
                request.user, event, Level(form.cleaned_data["level"]), form.cleaned_data["reason"]
            )
        except actions.OpinionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "舆情级别已调整，回应时限已重新计算")
            return redirect("opinion:detail", pk=event.pk)
    return render_detail(request, event, bound={"level": form}, status=400)


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    require_office(request.user, "只有公开办可以调整舆情的责任单位")
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            actions.assign(
                request.user, event, form.cleaned_data["unit"], form.cleaned_data["reason"]
            )
        except actions.OpinionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "责任单位已调整")
            return redirect("opinion:detail", pk=event.pk)
    return render_detail(request, event, bound={"assign": form}, status=400)


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_event(request.user, event, form.cleaned_data["note"])
        except actions.OpinionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "舆情已办结")
            return redirect("opinion:detail", pk=event.pk)
    return render_detail(request, event, bound={"close": form}, status=400)
