"""Staff pages, under /decisions/: the catalogues, one catalogue with its items and the office's
acts, one item with its checks and its unit's progress forms.

Every change goes through gongkai.decisions.actions; a refused act is shown on the page it came
from with status 400 and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.decisions import actions
from gongkai.decisions.access import (
    can_edit,
    get_catalogue_for_user,
    get_item_for_user,
    is_office,
    items_for_user,
    require_office,
)
from gongkai.decisions.forms import (
    CatalogueForm,
    ConsultationForm,
    DecisionForm,
    EvaluationForm,
    HearingForm,
    ItemForm,
    NewCatalogueForm,
)
from gongkai.decisions.models import Catalogue, Item
from gongkai.units.models import Unit, UnitQuerySet

Bound = dict[str, forms.Form]


def _units() -> UnitQuerySet:
    return Unit.objects.active().order_by("name")


def _errors(form: forms.Form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


# -- catalogues -------------------------------------------------------------------------------


def _index_page(
    request: HttpRequest, form: NewCatalogueForm | None = None, status: int = 200
) -> HttpResponse:
    catalogues = Catalogue.objects.annotate(n=Count("items")).order_by("-year")
    office = is_office(request.user)
    if office and form is None:
        form = NewCatalogueForm(initial={"year": timezone.localdate().year})
    context = {"catalogues": catalogues, "form": form if office else None}
    return render(request, "decisions/index.html", context, status=status)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _index_page(request)


@require_POST
@login_required
def new(request: HttpRequest) -> HttpResponse:
    require_office(request.user, actions.OFFICE_ONLY)
    form = NewCatalogueForm(request.POST)
    if form.is_valid():
        data = actions.CatalogueInput(party_note=form.cleaned_data["party_note"])
        try:
            made = actions.create_catalogue(request.user, form.cleaned_data["year"], data)
        except actions.DecisionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{made.year} 年度目录已创建，请列入决策事项")
            return redirect("decisions:catalogue", pk=made.pk)
    return _index_page(request, form, 400)


def render_catalogue(
    request: HttpRequest,
    c: Catalogue,
    *,
    bound: Bound | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    office = is_office(user)
    items = list(items_for_user(user).filter(catalogue=c).with_links().order_by("number"))
    rows = [(item, item.checks(today)) for item in items]
    context = {
        "c": c,
        "rows": rows,
        "hidden_items": c.items.count() - len(items),
        "problems": sum(1 for _, checks in rows for check in checks if check.is_problem),
        "is_office": office,
        "publish_problems": actions.publish_problems(c) if not c.is_published else [],
        "catalogue_form": (
            bound.get("catalogue")
            or CatalogueForm(
                initial={
                    "party_agreed_on": c.party_agreed_on,
                    "party_note": c.party_note,
                    "note": c.note,
                }
            )
        )
        if office
        else None,
        "item_form": (bound.get("item") or ItemForm(units=_units())) if office else None,
        "trail": AuditEvent.objects.for_object(c).order_by("-at", "-pk")[:100],
        "problem": problem,
    }
    return render(request, "decisions/catalogue.html", context, status=status)


@require_GET
@login_required
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    return render_catalogue(request, get_catalogue_for_user(request.user, pk))


@require_POST
@login_required
def catalogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_catalogue_for_user(request.user, pk, write=True)
    form = CatalogueForm(request.POST)
    if form.is_valid():
        try:
            actions.edit_catalogue(request.user, c, form.to_input())
        except actions.DecisionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "目录信息已保存")
            return redirect("decisions:catalogue", pk=c.pk)
    return render_catalogue(request, c, bound={"catalogue": form}, status=400)


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_catalogue_for_user(request.user, pk, write=True)
    try:
        actions.publish_catalogue(request.user, c)
    except actions.DecisionRejected as exc:
        return render_catalogue(request, c, problem=str(exc), status=400)
    messages.success(request, "目录已发布，公众可在门户网站查看")
    return redirect("decisions:catalogue", pk=c.pk)


@require_POST
@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_catalogue_for_user(request.user, pk, write=True)
    form = ItemForm(request.POST, units=_units())
    if form.is_valid():
        try:
            actions.add_item(request.user, c, form.to_input())
        except actions.DecisionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "决策事项已列入" + ("（目录调整）" if c.is_published else ""))
            return redirect("decisions:catalogue", pk=c.pk)
    return render_catalogue(request, c, bound={"item": form}, status=400)


# -- items ------------------------------------------------------------------------------------


def render_item(
    request: HttpRequest,
    item: Item,
    *,
    bound: Bound | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    editable = can_edit(user, item)
    office = is_office(user)
    forms_shown: dict[str, forms.Form | None] = {
        "edit_form": (
            bound.get("edit")
            or ItemForm(
                units=_units() | Unit.objects.filter(pk=item.unit_id),
                initial=ItemForm.initial_of(item),
            )
        )
        if office
        else None,
        "consultation_form": (
            bound.get("consultation")
            or ConsultationForm(item=item, initial={"consultation": item.consultation_id})
        )
        if editable
        else None,
        "hearing_form": (
            bound.get("hearing")
            or HearingForm(
                initial={"hearing_on": item.hearing_on, "materials_on": item.materials_on}
            )
        )
        if editable and item.hearing
        else None,
        "decision_form": (
            bound.get("decision")
            or DecisionForm(
                initial={
                    "decided_on": item.decided_on,
                    "index_number": getattr(item.decision_document, "index_number", "") or "",
                    "url": item.decision_url,
                }
            )
        )
        if editable
        else None,
        "evaluation_form": (
            bound.get("evaluation")
            or EvaluationForm(
                initial={
                    "evaluated_on": item.evaluated_on,
                    "summary": item.evaluation_summary,
                    "index_number": getattr(item.evaluation_document, "index_number", "") or "",
                    "url": item.evaluation_url,
                    "public": item.evaluation_public,
                }
            )
        )
        if editable
        else None,
    }
    shown = {id(f) for f in forms_shown.values() if f is not None}
    hidden = [f for f in bound.values() if id(f) not in shown]
    context: dict[str, Any] = {
        "item": item,
        "c": item.catalogue,
        "checks": item.checks(today),
        "can_edit": editable,
        "is_office": office,
        "removable": office and not item.catalogue.is_published,
        "trail": AuditEvent.objects.for_object(item).order_by("-at", "-pk")[:100],
        "problem": "；".join([problem, *(_errors(f) for f in hidden)]).strip("；"),
        **forms_shown,
    }
    return render(request, "decisions/item.html", context, status=status)


@require_GET
@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    return render_item(request, get_item_for_user(request.user, pk))


@require_POST
@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_item_for_user(request.user, pk)
    require_office(request.user, actions.OFFICE_ONLY)
    form = ItemForm(request.POST, units=_units() | Unit.objects.filter(pk=found.unit_id))
    if form.is_valid():
        try:
            actions.edit_item(request.user, found, form.to_input())
        except actions.DecisionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "决策事项已保存")
            return redirect("decisions:item", pk=found.pk)
    return render_item(request, found, bound={"edit": form}, status=400)


@require_POST
@login_required
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_item_for_user(request.user, pk)
    require_office(request.user, actions.OFFICE_ONLY)
    try:
        actions.remove_item(request.user, found)
    except actions.DecisionRejected as exc:
        return render_item(request, found, problem=str(exc), status=400)
    messages.success(request, "决策事项已删除")
    return redirect("decisions:catalogue", pk=found.catalogue_id)


def _progress(
    request: HttpRequest,
    pk: int,
    key: str,
    make: Callable[[Item], forms.Form],
    act: Callable[[Item, forms.Form], object],
    done: str,
) -> HttpResponse:
    """One of the unit's progress acts: validate the form, call the action, back to the item."""
    found = get_item_for_user(request.user, pk, write=True)
    form = make(found)
    if form.is_valid():
        try:
            act(found, form)
        except actions.DecisionRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("decisions:item", pk=found.pk)
    return render_item(request, found, bound={key: form}, status=400)


@require_POST
@login_required
def item_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(
        request,
        pk,
        "consultation",
        lambda i: ConsultationForm(request.POST, item=i),
        lambda i, f: actions.link_consultation(request.user, i, f.cleaned_data["consultation"]),
        "预公开的意见征集已保存",
    )


@require_POST
@login_required
def item_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(
        request,
        pk,
        "hearing",
        lambda i: HearingForm(request.POST),
        lambda i, f: actions.save_hearing(
            request.user, i, f.cleaned_data["hearing_on"], f.cleaned_data["materials_on"]
        ),
        "听证情况已保存",
    )


@require_POST
@login_required
def item_decision(request: HttpRequest, pk: int) -> HttpResponse:
    def act(i: Item, f: forms.Form) -> object:
        assert isinstance(f, DecisionForm)
        return actions.record_decision(request.user, i, f.to_input())

    return _progress(
        request, pk, "decision", lambda i: DecisionForm(request.POST), act, "决策结果已保存"
    )


@require_POST
@login_required
def item_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    def act(i: Item, f: forms.Form) -> object:
        assert isinstance(f, EvaluationForm)
        return actions.record_evaluation(request.user, i, f.to_input())

    return _progress(
        request, pk, "evaluation", lambda i: EvaluationForm(request.POST), act, "后评估已保存"
    )
