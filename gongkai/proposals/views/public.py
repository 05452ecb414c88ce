"""The public side, under /portal/jyta/, without login: the published replies (复文) by year and
kind with a search by title or number, one reply, and the year's published 办理总体情况.

Only replies whose document has passed review and been published are shown; anything else is
a 404. The reply's text is the published document's body (sanitised when saved and again on
the way out); its files are on the document's own portal page.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from gongkai.portal.headers import public_page
from gongkai.proposals.models import Kind, Proposal, YearSummary
from gongkai.publishing.models import DocState

PAGE_SIZE = 20
MAX_QUERY = 50


@public_page
@require_GET
def reply_list(request: HttpRequest) -> HttpResponse:
    qs = Proposal.objects.reply_public().select_related("unit", "document")
    years = sorted(set(qs.values_list("year", flat=True)), reverse=True)
    summary_years = YearSummary.objects.filter(document__state=DocState.PUBLISHED).values_list(
        "year", flat=True
    )
    years = sorted(set(years) | set(summary_years), reverse=True)
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    if year is not None:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    page = Paginator(qs.order_by("-year", "kind", "number", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    summary = None
    if year is not None:
        summary = (
            YearSummary.objects.filter(year=year, document__state=DocState.PUBLISHED)
            .select_related("document")
            .first()
        )
    context = {
        "page": page,
        "years": years,
        "year": year,
        "kinds": Kind.choices,
        "kind": kind,
        "q": q,
        "summary": summary,
        "filters": urlencode({"year": year or "", "kind": kind, "q": q}),
    }
    return render(request, "proposals/public_list.html", context)


@public_page
@require_GET
def reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Proposal.objects.reply_public().select_related("unit", "document"), pk=pk)
    return render(
        request, "proposals/public_detail.html", {"p": p, "co_units": p.co_units.order_by("name")}
    )
