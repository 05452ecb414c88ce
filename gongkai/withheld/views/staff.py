"""Staff pages of 不予公开自查, under /withheld/: the negative list and the self-checks on one
index, an entry's form, one self-check with its items, and one POST view per act.

Every change goes through gongkai.withheld.actions; a refused act is shown again with status
400 and nothing changed. Liaisons read; the office acts (403 for everyone else).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.withheld import actions
from gongkai.withheld.access import (
    OFFICE_ONLY,
    checks_for_user,
    get_check_for_user,
    get_entry_for_user,
    get_item_for_user,
    is_office,
    is_scoped,
    items_for_user,
    require_office,
    sees_all,
)
from gongkai.withheld.forms import CloseForm, DecideForm, EntryForm, OpenCheckForm
from gongkai.withheld.models import (
    CheckItem,
    Decision,
    EntryStatus,
    ItemKind,
    NegativeEntry,
    last_adjusted,
)


def _index(
    request: HttpRequest, open_form: OpenCheckForm | None = None, status: int = 200
) -> HttpResponse:
    entries = NegativeEntry.objects.select_related("unit").order_by("status", "basis", "pk")
    # A unit reading the whole organisation's check counts only its own items there.
    mine = Q()
    scoped: Any = Value(False)
    if not sees_all(request.user):
        mine = Q(unit__isnull=False) | Q(items__unit_id__in=request.user.unit_ids())  # type: ignore[union-attr]  # login_required: a User
        scoped = ExpressionWrapper(Q(unit__isnull=True), output_field=BooleanField())

    def items(decision: str = "") -> Count:
        where = mine & Q(items__decision=decision) if decision else mine
        return Count("items", filter=where) if where else Count("items")

    checks = checks_for_user(request.user).annotate(
        scoped=scoped,
        items_total=items(),
        items_pending=items(Decision.PENDING),
        items_kept=items(Decision.KEEP),
        items_moved=items(Decision.MOVE),
    )
    context = {
        "entries": entries,
        "active_count": sum(1 for e in entries if e.status == EntryStatus.ACTIVE),
        "adjusted": last_adjusted(),
        "checks": checks.order_by("-year", "unit__name"),
        "office": is_office(request.user),
        "open_form": open_form or OpenCheckForm(initial={"year": timezone.localdate().year - 1}),
    }
    return render(request, "withheld/index.html", context, status=status)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


# -- the negative list ------------------------------------------------------------------------


def _entry_page(
    request: HttpRequest, entry: NegativeEntry | None, form: EntryForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "withheld/entry_form.html", {"entry": entry, "form": form}, status=status
    )


def _save_entry(request: HttpRequest, entry: NegativeEntry | None) -> HttpResponse:
    if request.method != "POST":
        return _entry_page(request, entry, EntryForm(initial=EntryForm.initial_for(entry)))
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, form, status=400)
    try:
        if entry is None:
            actions.create_entry(request.user, form.to_input())
            messages.success(request, "已新增负面清单事项")
        else:
            actions.update_entry(request.user, entry, form.to_input())
            messages.success(request, "已保存负面清单事项")
    except actions.WithheldRejected as exc:
        form.add_error(None, str(exc))
        return _entry_page(request, entry, form, status=400)
    return redirect("withheld:index")


@require_http_methods(["GET", "POST"])
@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user, OFFICE_ONLY)
    return _save_entry(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_entry(request, get_entry_for_user(request.user, pk, write=True))


# -- self-checks ------------------------------------------------------------------------------


@require_POST
@login_required
def check_open(request: HttpRequest) -> HttpResponse:
    require_office(request.user, OFFICE_ONLY)
    form = OpenCheckForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    try:
        check = actions.open_check(
            request.user, year=form.cleaned_data["year"], unit=form.cleaned_data["unit"]
        )
    except actions.WithheldRejected as exc:
        form.add_error(None, str(exc))
        return _index(request, form, status=400)
    messages.success(request, f"已开展自查，纳入 {check.items.count()} 个项目")
    return redirect("withheld:check", pk=check.pk)


@dataclass(frozen=True)
class Row:
    """One item on the check's page, with its form when the office may decide it now."""

    item: CheckItem
    form: DecideForm | CloseForm | None


def _check_page(
    request: HttpRequest,
    pk: int,
    *,
    bound: DecideForm | CloseForm | None = None,
    bound_item: int = 0,
    status: int = 200,
) -> HttpResponse:
    check = get_check_for_user(request.user, pk)
    items = list(items_for_user(request.user, check).select_related("unit", "document"))
    office = is_office(request.user) and check.is_open
    rows = []
    for item in items:
        form: DecideForm | CloseForm | None = None
        if office and item.decision != Decision.MOVE:
            form = bound if bound_item == item.pk else None
            if form is None:
                form = DecideForm(prefix=f"i{item.pk}", initial={"reason": item.reason})
        rows.append(Row(item, form))
    close_form = bound if isinstance(bound, CloseForm) else CloseForm()
    context: dict[str, Any] = {
        "check": check,
        "denied": [r for r in rows if r.item.kind == ItemKind.DENIED],
        "frequent": [r for r in rows if r.item.kind == ItemKind.FREQUENT],
        "total": len(items),
        "pending": sum(1 for i in items if i.decision == Decision.PENDING),
        "kept": sum(1 for i in items if i.decision == Decision.KEEP),
        "moved": sum(1 for i in items if i.decision == Decision.MOVE),
        "office": office,
        "scoped": is_scoped(request.user, check),
        "close_form": close_form if office else None,
        "see_requests": is_office(request.user),
        # Shown above the items: the form it belongs to may not be on the page any more (a
        # check closed meanwhile, an item moved).
        "refusals": list(bound.non_field_errors()) if bound is not None else [],
    }
    return render(request, "withheld/check.html", context, status=status)


@require_GET
@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_page(request, pk)


@require_POST
@login_required
def check_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_check_for_user(request.user, pk, write=True)
    try:
        added = actions.refresh_check(request.user, check)
    except actions.WithheldRejected as exc:
        messages.error(request, str(exc))
        return _check_page(request, pk, status=400)
    messages.success(request, f"已刷新，新增 {added} 个项目" if added else "已刷新，没有新的项目")
    return redirect("withheld:check", pk=pk)


@require_POST
@login_required
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    check = item.selfcheck
    form = DecideForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        return _check_page(request, check.pk, bound=form, bound_item=item.pk, status=400)
    try:
        done = actions.decide_item(
            request.user, item, form.cleaned_data["decision"], form.cleaned_data["reason"]
        )
    except actions.WithheldRejected as exc:
        form.add_error(None, str(exc))
        return _check_page(request, check.pk, bound=form, bound_item=item.pk, status=400)
    if done.document is not None:
        messages.success(request, f"已转为主动公开，草稿已交{done.unit.name}完善后提交审核")
    else:
        messages.success(request, "已记录：继续不予公开")
    return redirect("withheld:check", pk=check.pk)


@require_POST
@login_required
def check_close(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_check_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _check_page(request, pk, bound=form, status=400)
    try:
        actions.close_check(request.user, check, form.cleaned_data["note"])
    except actions.WithheldRejected as exc:
        form.add_error(None, str(exc))
        return _check_page(request, pk, bound=form, status=400)
    messages.success(request, "自查已完成，结果已记录")
    return redirect("withheld:check", pk=pk)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", index, name="index"),
    path("entries/new/", entry_new, name="entry-new"),
    path("entries/<int:pk>/edit/", entry_edit, name="entry-edit"),
    path("checks/open/", check_open, name="check-open"),
    path("checks/<int:pk>/", check_detail, name="check"),
    path("checks/<int:pk>/refresh/", check_refresh, name="check-refresh"),
    path("checks/<int:pk>/close/", check_close, name="check-close"),
    path("items/<int:pk>/decide/", item_decide, name="item-decide"),
]
