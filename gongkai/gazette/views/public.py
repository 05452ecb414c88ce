"""The public side, under /portal/gb/, without login and without script: the years, one year's
issues, one issue with its contents grouped by 栏目 (each entry linked to the document's page
or its PDF), the PDFs, and the gazette search. Only published issues exist here; a draft is a
404 like a missing one. The reader information (赠阅点, 电话, 开放时间, 获取方式) is on every
page but the files.

Search (gongkai.gazette.search: titles and 文号 as substrings, PDF and document text through the
portal's full-text index): the query is capped at MAX_QUERY characters and counted against the
portal's search limit per client address (settings.SEARCH_RATE_LIMIT, the same budget as
/portal/search/, so alternating the two gains nothing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.gazette import search
from gongkai.gazette.models import GazetteInfo, Issue, Item
from gongkai.gazette.views.files import pdf_response
from gongkai.portal.catalogue import page_number
from gongkai.portal.headers import public_page
from gongkai.portal.views.search import MAX_QUERY, search_limit
from gongkai.publishing.models import DocState
from gongkai.web import ratelimit

log = logging.getLogger(__name__)

PAGE_SIZE = 20
#: Results beyond this many pages are not offered (refine the query instead).
MAX_PAGES = 50


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("info", GazetteInfo.current())
    context.setdefault("max_query", MAX_QUERY)
    return render(request, template, context, status=status)


@dataclass(frozen=True)
class Entry:
    item: Item
    #: The document's portal page, or the item's PDF.
    href: str
    is_pdf: bool


def entry(item: Item) -> Entry:
    if item.document_id is not None:
        document = item.document
        if document is not None and document.state == DocState.PUBLISHED:
            return Entry(item, reverse("portal:document", args=[document.pk]), False)
        # Not reached from the portal's queries (search.on_portal); kept unlinked if it were.
        return Entry(item, "", False)
    return Entry(item, reverse("gb:item_file", args=[item.pk]), True)


def _shown_items() -> Count:
    return Count("items", filter=search.on_portal("items__"))


def _years() -> list[dict[str, Any]]:
    rows = (
        Issue.objects.published()
        .values("year")
        .annotate(issues=Count("pk"), last=Max("number"))
        .order_by("-year")
    )
    return list(rows)


@public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    years = _years()
    latest = years[0]["year"] if years else None
    issues = (
        Issue.objects.published().filter(year=latest).annotate(item_count=_shown_items())
        if latest
        else Issue.objects.none()
    )
    context = {"years": years, "latest": latest, "issues": issues.order_by("-number")}
    return _page(request, "gazette/public_index.html", context)


@public_page
@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    issues = Issue.objects.published().filter(year=year).annotate(item_count=_shown_items())
    if not issues.exists():
        raise Http404("该年度没有已发布的政府公报")
    context = {"year": year, "issues": issues.order_by("-number"), "years": _years()}
    return _page(request, "gazette/public_year.html", context)


def _published(year: int, number: int) -> Issue:
    return get_object_or_404(Issue.objects.published(), year=year, number=number)


@public_page
@require_GET
def issue(request: HttpRequest, year: int, number: int) -> HttpResponse:
    found = _published(year, number)
    sections: list[tuple[str, list[Entry]]] = []
    shown = found.items.filter(search.on_portal()).select_related("document")
    for item in shown.order_by("position", "pk"):
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append(entry(item))
    neighbours = Issue.objects.published().filter(year=year)
    context = {
        "issue": found,
        "sections": sections,
        "previous": neighbours.filter(number__lt=number).order_by("-number").first(),
        "next": neighbours.filter(number__gt=number).order_by("number").first(),
    }
    return _page(request, "gazette/public_issue.html", context)


@public_page
@require_GET
def issue_file(request: HttpRequest, year: int, number: int) -> FileResponse:
    return pdf_response(_published(year, number))


@public_page
@require_GET
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    found = Item.objects.filter(pk=pk, issue__in=Issue.objects.published()).first()
    if found is None:
        raise Http404("没有找到该文件")
    return pdf_response(found)


def _refused(
    request: HttpRequest, verdict: ratelimit.Verdict, context: dict[str, Any]
) -> HttpResponse:
    log.warning(
        "gazette search refused for %s (%d this minute)",
        ratelimit.bucket_of(ratelimit.client_address(request)),
        verdict.count,
    )
    context["problem"] = (
        f"同一网络地址在一分钟内的检索次数已达上限，请在 {verdict.retry_after} 秒后再试。"
    )
    response = _page(request, "gazette/public_search.html", context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@public_page
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())
    context: dict[str, Any] = {"q": q, "searched": False}
    if "q" not in request.GET:
        return _page(request, "gazette/public_search.html", context)
    if not q:
        context["problem"] = "请输入要检索的词语。"
        return _page(request, "gazette/public_search.html", context)
    if len(q) > MAX_QUERY:
        context["problem"] = f"检索词过长：最多 {MAX_QUERY} 个字，请缩短后再试。"
        return _page(request, "gazette/public_search.html", context, status=400)
    verdict = ratelimit.hit("portal-search", request, search_limit())
    if not verdict.allowed:
        return _refused(request, verdict, context)
    found = search.find(q)
    number = min(page_number(request.GET.get("page")), MAX_PAGES)
    paginator = Paginator(found.items, PAGE_SIZE)
    page = paginator.get_page(number)
    rows = [(entry(item), search.snippet_of(search.text_of(item), found)) for item in page]
    issues = list(found.issues[: search.MAX_ISSUES]) if page.number == 1 else []
    context.update(
        searched=True,
        page=page,
        rows=rows,
        issues=[(i, search.snippet_of(i.pdf_text, found)) for i in issues],
        capped=paginator.num_pages > MAX_PAGES,
        max_pages=MAX_PAGES,
    )
    return _page(request, "gazette/public_search.html", context)
