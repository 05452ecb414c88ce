"""Pages of 网站检查, under /inspection/: the sites with their latest scores, one site with its
trend and owner rules, one inspection's result, the tickets and one ticket.

Every change goes through gongkai.inspection.actions; a refused act is shown with status 400.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.inspect.scoring import NATIONAL_2019, RUBRICS
from gongkai.inspection import actions
from gongkai.inspection.access import (
    get_inspection_for_user,
    get_rule_for_user,
    get_site_for_user,
    get_ticket_for_user,
    is_office,
    require_office,
    sees_all,
    sites_for_user,
    tickets_for_user,
)
from gongkai.inspection.clock import workdays_allowed
from gongkai.inspection.forms import DismissForm, RuleForm, SiteForm
from gongkai.inspection.models import (
    OPEN_STATUSES,
    UNFINISHED,
    InspectedSite,
    Inspection,
    InspectionStatus,
    Ticket,
    TicketStatus,
)
from gongkai.inspection.types import SEVERITY_NAMES, type_choices, type_name
from gongkai.units.access import units_for_user
from gongkai.work.views.mywork import CappedPaginator

TICKET_PAGE = 50
FINDING_PAGE = 200
TREND_POINTS = 60
STATUS_FILTERS = {
    "open": "待整改（含复发）",
    "overdue": "已逾期",
    "fixed": "已整改",
    "dismissed": "已排除",
    "all": "全部",
}


def _finished(site: InspectedSite) -> Any:
    return Inspection.objects.filter(site=site, status=InspectionStatus.FINISHED).order_by(
        "-finished", "-pk"
    )


# -- sites ----------------------------------------------------------------------------------


SITE_PAGE = 50


@require_GET
@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    """The sites with their latest two scores, open tickets and any inspection under way: a
    fixed number of queries per page, whatever the number of sites and inspections."""
    finished = Inspection.objects.filter(
        site=OuterRef("pk"), status=InspectionStatus.FINISHED
    ).order_by("-finished", "-pk")
    unfinished = Inspection.objects.filter(site=OuterRef("pk"), status__in=UNFINISHED).order_by(
        "-created_at", "-pk"
    )
    open_tickets = (
        Ticket.objects.filter(site=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sites = (
        sites_for_user(request.user)
        .select_related("unit")
        .annotate(
            open_tickets=Coalesce(Subquery(open_tickets), 0),
            last_pk=Subquery(finished.values("pk")[:1]),
            before_pk=Subquery(finished.values("pk")[1:2]),
            running_job=Subquery(unfinished.values("job_id")[:1]),
            running_pk=Subquery(unfinished.values("pk")[:1]),
        )
        .order_by("name", "pk")
    )
    page = Paginator(sites, SITE_PAGE).get_page(request.GET.get("page"))
    pairs = [(s, getattr(s, "last_pk", None), getattr(s, "before_pk", None)) for s in page]
    wanted = [pk for _s, *pks in pairs for pk in pks if pk is not None]
    runs = Inspection.objects.only("pk", "finished", "result", "grade", "veto").in_bulk(wanted)
    rows = []
    for site, last_pk, before_pk in pairs:
        last = runs.get(last_pk) if last_pk else None
        before = runs.get(before_pk) if before_pk else None
        delta = None
        if last and before and last.result is not None and before.result is not None:
            delta = round(last.result - before.result, 2)
        rows.append({"site": site, "last": last, "delta": delta})
    return render(
        request,
        "inspection/site_list.html",
        {"rows": rows, "page": page, "query": {}, "office": is_office(request.user)},
    )


def _site_form_page(
    request: HttpRequest, form: SiteForm, site: InspectedSite | None, status: int = 200
) -> HttpResponse:
    return render(request, "inspection/site_form.html", {"form": form, "site": site}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    if request.method != "POST":
        form = SiteForm(initial={"schedule": "none", "rubric": NATIONAL_2019.version})
        return _site_form_page(request, form, None)
    form = SiteForm(request.POST)
    if not form.is_valid():
        return _site_form_page(request, form, None, 400)
    site = actions.create_site(request.user, form.site_data())
    messages.success(request, f"已登记网站「{site.name}」")
    return redirect("inspection:site", pk=site.pk)


@require_http_methods(["GET", "POST"])
@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_site_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return _site_form_page(request, SiteForm(initial=SiteForm.initial_for(site)), site)
    form = SiteForm(request.POST)
    if not form.is_valid():
        return _site_form_page(request, form, site, 400)
    actions.update_site(request.user, site, form.site_data())
    messages.success(request, "网站设置已保存")
    return redirect("inspection:site", pk=site.pk)


def _seen(run: Inspection) -> int:
    """Distinct problems the inspection found (new, still open and reopened tickets)."""
    return sum(int(run.counts.get(k, 0)) for k in ("new", "still_open", "reopened"))


def _trend(site: InspectedSite) -> dict[str, Any]:
    runs = list(_finished(site).only("pk", "finished", "result", "veto", "counts")[:TREND_POINTS])
    runs.reverse()
    return {
        "labels": [timezone.localtime(r.finished).strftime("%m-%d %H:%M") for r in runs],
        "scores": [r.result for r in runs],
        "veto": [r.veto for r in runs],
        "open": [_seen(r) for r in runs],
        "links": [reverse("inspection:run", args=[r.pk]) for r in runs],
    }


def _site_page(
    request: HttpRequest, site: InspectedSite, rule_form: RuleForm | None = None, status: int = 200
) -> HttpResponse:
    office = is_office(request.user)
    inspections = list(
        site.inspections.select_related("job", "started_by")
        .defer("stats", "config", "score", "job__params", "job__result")
        .order_by("-created_at", "-pk")[:30]
    )
    open_by_type = Counter(site.tickets.open().values_list("type", flat=True))
    context = {
        "site": site,
        "office": office,
        "rules": site.rules.select_related("unit").order_by("kind", "pattern"),
        "rule_form": rule_form or (RuleForm() if office else None),
        "inspections": inspections,
        "trend": _trend(site),
        "rubric": RUBRICS.get(site.rubric, NATIONAL_2019),
        "disabled": [
            type_name(t)
            for t, opts in (site.check_options or {}).items()
            if isinstance(opts, Mapping) and opts.get("enabled") is False
        ],
        "open_by_type": sorted((type_name(t), t, n) for t, n in open_by_type.items()),
        "running": next((i for i in inspections if not i.is_finished), None),
        "queued_minutes": int(actions.queued_limit().total_seconds() // 60),
    }
    return render(request, "inspection/site_detail.html", context, status=status)


@require_GET
@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _site_page(request, get_site_for_user(request.user, pk))


@require_POST
@login_required
def site_run(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_site_for_user(request.user, pk, write=True)
    try:
        inspection = actions.start_inspection(request.user, site)
    except actions.InspectionRejected as exc:
        messages.error(request, str(exc))
        return _site_page(request, site, status=400)
    assert inspection.job_id is not None
    return redirect("jobs:detail", pk=inspection.job_id)


@require_POST
@login_required
def site_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """取消检查: the office gives up on the site's queued or running inspection."""
    site = get_site_for_user(request.user, pk, write=True)
    try:
        actions.cancel_inspection(request.user, site)
    except actions.InspectionRejected as exc:
        messages.error(request, str(exc))
        return _site_page(request, site, status=400)
    messages.success(request, "已取消本次检查")
    return redirect("inspection:site", pk=site.pk)


@require_POST
@login_required
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_site_for_user(request.user, pk, write=True)
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _site_page(request, site, form, 400)
    try:
        actions.add_rule(request.user, site, **form.cleaned_data)
    except actions.InspectionRejected as exc:
        form.add_error(None, str(exc))
        return _site_page(request, site, form, 400)
    messages.success(request, "已添加责任单位规则，下次检查起生效")
    return redirect("inspection:site", pk=site.pk)


@require_POST
@login_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    site_pk = rule.site_id
    actions.remove_rule(request.user, rule)
    messages.success(request, "已删除责任单位规则")
    return redirect("inspection:site", pk=site_pk)


# -- one inspection -----------------------------------------------------------------------


def _previous(inspection: Inspection) -> Inspection | None:
    if inspection.finished is None:
        return None
    return (
        Inspection.objects.filter(
            site_id=inspection.site_id,
            status=InspectionStatus.FINISHED,
            finished__lt=inspection.finished,
        )
        .order_by("-finished", "-pk")
        .first()
    )


@dataclass
class Comparison:
    previous: Inspection | None
    new: list[Any] = field(default_factory=list)
    still_open: list[Any] = field(default_factory=list)
    fixed: list[Any] = field(default_factory=list)
    not_rechecked: list[Any] = field(default_factory=list)


LIST_CAP = 200


def _compare(inspection: Inspection) -> Comparison:
    """What changed since the previous finished inspection of the site, by finding key. A
    problem of the previous inspection not found now is fixed when this inspection closed its
    ticket; else it was not re-checked (no evidence, or its ticket was dismissed)."""
    previous = _previous(inspection)
    result = Comparison(previous)
    if previous is None:
        return result
    fields: tuple[str, ...] = ("pk", "inspection", "key", "type", "url", "order")
    fields += ("ticket__reopened_count", "ticket__fixed_in")
    now_rows = {
        f.key: f
        for f in inspection.findings.select_related("ticket").only(*fields).order_by("order")
    }
    before_rows = {
        f.key: f for f in previous.findings.select_related("ticket").only(*fields).order_by("order")
    }
    for key, row in now_rows.items():
        (result.still_open if key in before_rows else result.new).append(row)
    for key, row in before_rows.items():
        if key not in now_rows:
            closed = row.ticket is not None and row.ticket.fixed_in_id == inspection.pk
            (result.fixed if closed else result.not_rechecked).append(row)
    return result


@require_GET
@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    inspection = get_inspection_for_user(user, pk)
    findings = inspection.findings.select_related("unit", "ticket", "ticket__unit").order_by(
        "order"
    )
    chosen = request.GET.get("type", "")
    if chosen:
        findings = findings.filter(type=chosen)
    page = Paginator(findings, FINDING_PAGE).get_page(request.GET.get("page"))
    by_type = (
        inspection.findings.values("type")
        .annotate(n=Count("pk"), cost=Sum("cost"))
        .order_by("type")
    )
    rubric = RUBRICS.get(inspection.rubric, NATIONAL_2019)
    spent = inspection.score.get("by_indicator", {}) if inspection.score else {}
    indicators = [
        {"name": i.name, "points": i.points, "spent": float(spent.get(i.code, 0))}
        for i in rubric.indicators
    ]
    comparison = _compare(inspection) if inspection.status == InspectionStatus.FINISHED else None
    context = {
        "inspection": inspection,
        "site": inspection.site,
        "rubric": rubric,
        "indicators": indicators,
        "page": page,
        "query": {"type": chosen} if chosen else {},
        "chosen": chosen,
        "types": [
            {
                "type": r["type"],
                "name": type_name(r["type"]),
                "n": r["n"],
                "cost": round(float(r["cost"] or 0), 2),
            }
            for r in by_type
        ],
        "severity_names": SEVERITY_NAMES,
        "comparison": comparison,
        "list_cap": LIST_CAP,
        "all_tickets": sees_all(user),
        "my_units": set() if sees_all(user) else user.unit_ids(),
        "dismissed": int((inspection.score or {}).get("dismissed") or 0),
        "evidence_notes": list((inspection.score or {}).get("evidence_notes") or []),
        "checked_names": [type_name(t) for t in inspection.checked_types],
        "unchecked_names": [
            type_name(t) for t, _ in type_choices() if t not in set(inspection.checked_types)
        ],
    }
    return render(request, "inspection/inspection_detail.html", context)


# -- tickets ----------------------------------------------------------------------------------


def _int(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if text.isascii() and text.isdigit() and len(text) < 13:
        return int(text)
    return None


@require_GET
@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine = tickets_for_user(request.user)
    status = request.GET.get("status") or "open"
    status = status if status in STATUS_FILTERS else "open"
    qs = mine
    if status == "open":
        qs = qs.open()
    elif status == "overdue":
        qs = qs.open().filter(due_on__lt=today)
    elif status == "fixed":
        qs = qs.filter(status=TicketStatus.FIXED)
    elif status == "dismissed":
        qs = qs.filter(status=TicketStatus.DISMISSED)
    unit = _int(request.GET.get("unit"))
    site = _int(request.GET.get("site"))
    chosen_type = (request.GET.get("type") or "").strip()[:32]
    if unit:
        qs = qs.filter(unit_id=unit)
    if site:
        qs = qs.filter(site_id=site)
    if chosen_type:
        qs = qs.filter(type=chosen_type)
    if status in ("fixed",):
        qs = qs.order_by(F("fixed_at").desc(nulls_last=True), "-pk")
    else:
        qs = qs.order_by(F("due_on").asc(nulls_last=True), "-opened_on", "pk")
    qs = qs.select_related("site", "unit")
    page = CappedPaginator(qs, TICKET_PAGE).get_page(request.GET.get("page"))
    query = {
        k: str(v)
        for k, v in {"status": status, "unit": unit, "site": site, "type": chosen_type}.items()
        if v not in (None, "")
    }
    units = list(units_for_user(request.user).order_by("name").values("pk", "name"))
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": STATUS_FILTERS,
        "unit": unit,
        "site_pk": site,
        "chosen_type": chosen_type,
        "units": units if len(units) > 1 else [],
        "sites": list(sites_for_user(request.user).order_by("name").values("pk", "name"))
        if sees_all(request.user)
        else [],
        "types": type_choices(),
        "today": today,
        "overdue": mine.open().filter(due_on__lt=today).count(),
        "no_due": mine.open().filter(due_on__isnull=True).count(),
        "workdays": workdays_allowed(),
    }
    return render(request, "inspection/ticket_list.html", context)


def _ticket_page(
    request: HttpRequest, pk: int, form: DismissForm | None = None, status: int = 200
) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, pk)
    office = is_office(request.user)
    latest = (
        ticket.findings.select_related("inspection").order_by("-inspection_id", "order").first()
    )
    site_visible = sites_for_user(request.user).filter(pk=ticket.site_id).exists()
    context = {
        "ticket": ticket,
        "latest": latest,
        "events": ticket.events.select_related("actor", "inspection"),
        "office": office,
        "site_visible": site_visible,
        "dismiss_form": form or (DismissForm() if office and ticket.is_open else None),
        "today": timezone.localdate(),
        "severity_names": SEVERITY_NAMES,
        "seen": ticket.findings.values("inspection").distinct().count(),
    }
    return render(request, "inspection/ticket_detail.html", context, status=status)


@require_GET
@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ticket_page(request, pk)


@require_POST
@login_required
def ticket_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, pk, write=True)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _ticket_page(request, pk, form, 400)
    try:
        actions.dismiss_ticket(request.user, ticket, form.cleaned_data["reason"])
    except actions.InspectionRejected as exc:
        form.add_error(None, str(exc))
        return _ticket_page(request, pk, form, 400)
    messages.success(request, "工单已排除")
    return redirect("inspection:ticket", pk=pk)


@require_POST
@login_required
def ticket_restore(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, pk, write=True)
    try:
        actions.restore_ticket(request.user, ticket)
    except actions.InspectionRejected as exc:
        messages.error(request, str(exc))
        return _ticket_page(request, pk, status=400)
    messages.success(request, "工单已恢复为待整改")
    return redirect("inspection:ticket", pk=pk)
