"""检索: full-text search over what the registers published (gongkai.search), with filters,
relevance or date order, highlighted snippets and page numbers; limited per client address."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.portal.catalogue import page_links, page_number, published_years
from gongkai.portal.headers import public_page
from gongkai.publishing.models import DocKind, Validity
from gongkai.search.query import SearchPage, SearchResult, search
from gongkai.search.sources import label_of
from gongkai.units.models import Unit
from gongkai.web import ratelimit

log = logging.getLogger(__name__)

#: Longest query accepted, in characters.
MAX_QUERY = 100
PAGE_SIZE = 20
#: Results beyond this many pages are not offered (refine the query instead).
MAX_PAGES = 50
ORDERS = {"relevance": "按相关度", "date": "按发布日期"}


def search_limit() -> int:
    return int(getattr(settings, "SEARCH_RATE_LIMIT", 60))


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw and len(raw) <= 12 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Query:
    q: str
    kind: str = ""
    unit: int | None = None
    year: int | None = None
    validity: str = ""
    order: str = "relevance"
    page: int = 1

    @classmethod
    def from_get(cls, get: QueryDict) -> Query:
        kind, validity, order = get.get("kind", ""), get.get("validity", ""), get.get("order", "")
        year = _int(get.get("year"))
        return cls(
            q=" ".join(get.get("q", "").split()),
            kind=kind if kind in DocKind.values else "",
            unit=_int(get.get("unit")),
            year=year if year is not None and 1949 <= year <= 9999 else None,
            validity=validity if validity in Validity.values else "",
            order=order if order in ORDERS else "relevance",
            page=min(page_number(get.get("page")), MAX_PAGES),
        )

    def link(self, page: int) -> str:
        """The query string of this search at another page."""
        q = QueryDict(mutable=True)
        for name in ("q", "kind", "unit", "year", "validity", "order"):
            value = getattr(self, name)
            if value not in (None, "") and not (name == "order" and value == "relevance"):
                q[name] = str(value)
        q["page"] = str(page)
        return q.urlencode()


@dataclass(frozen=True)
class Row:
    result: SearchResult
    #: Only a path on this site is linked (registers index their own pages).
    href: str
    kind: str
    #: The validity label when it is not 有效 (shown as a badge).
    validity: str

    @classmethod
    def of(cls, result: SearchResult) -> Row:
        entry = result.entry
        url = entry.url or ""
        local = url.startswith("/") and not url.startswith("//") and "\\" not in url
        kinds, validities = dict(DocKind.choices), dict(Validity.choices)
        shown = "" if entry.validity in ("", Validity.VALID) else validities.get(entry.validity, "")
        # A register other than the document register is named by its label (政府公报).
        kind = kinds.get(entry.doc_kind) or label_of(entry.source)
        return cls(result, url if local else "", kind, shown)


def _run(query: Query) -> SearchPage:
    return search(
        query.q,
        doc_kind=query.kind or None,
        unit_id=query.unit,
        year=query.year,
        validity=query.validity or None,
        order="date" if query.order == "date" else "relevance",
        offset=(query.page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


def _refused(
    request: HttpRequest, verdict: ratelimit.Verdict, context: dict[str, Any]
) -> HttpResponse:
    log.warning(
        "portal search refused for %s (%d this minute)",
        ratelimit.bucket_of(ratelimit.client_address(request)),
        verdict.count,
    )
    context["problem"] = (
        f"同一网络地址在一分钟内的检索次数已达上限，请在 {verdict.retry_after} 秒后再试。"
    )
    response = render(request, "portal/search.html", context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@public_page
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = Query.from_get(request.GET)
    context: dict[str, Any] = {
        "query": query,
        "kinds": DocKind.choices,
        "validities": Validity.choices,
        "orders": list(ORDERS.items()),
        "units": Unit.objects.filter(active=True).only("pk", "name"),
        "years": published_years(),
        "max_query": MAX_QUERY,
        "searched": False,
    }
    if "q" not in request.GET:
        return render(request, "portal/search.html", context)
    if not query.q:
        context["problem"] = "请输入要检索的词语。"
        return render(request, "portal/search.html", context)
    if len(query.q) > MAX_QUERY:
        context["problem"] = f"检索词过长：最多 {MAX_QUERY} 个字，请缩短后再试。"
        return render(request, "portal/search.html", context, status=400)
    verdict = ratelimit.hit("portal-search", request, search_limit())
    if not verdict.allowed:
        return _refused(request, verdict, context)
    found = _run(query)
    last = min(MAX_PAGES, max(1, -(-found.total // PAGE_SIZE)))
    context.update(
        searched=True,
        found=found,
        rows=[Row.of(r) for r in found.results],
        pages=[(n, query.link(n) if n else "") for n in page_links(min(query.page, last), last)],
        last=last,
        # More than were counted (the index's own bound), or more than the pages offered.
        more=found.total_capped,
        capped=found.total_capped or found.total > MAX_PAGES * PAGE_SIZE,
    )
    if not found.terms:
        context["problem"] = "检索词中没有可以检索的文字，请换一个词语。"
    return render(request, "portal/search.html", context)
