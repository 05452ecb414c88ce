"""The home page and the 政府信息公开 column: its four parts (指南, 制度, 法定主动公开内容, 年报),
and the published cleanup result lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gongkai.newmedia.models import Account
from gongkai.portal.catalogue import POLICIES, Catalogue, latest_by_kind
from gongkai.portal.headers import public_page
from gongkai.portal.models import ColumnPage, ColumnSlug
from gongkai.publishing.models import Cleanup, DocKind, DocState, Validity
from gongkai.reports.as_html import render_fragment
from gongkai.reports.models import AnnualReport, ReportState

HOME_ITEMS = 6
HOME_NEW_MEDIA = 8
ROW_FIELDS = ("pk", "title", "published_on", "doc_number", "validity", "kind")


@dataclass(frozen=True)
class Block:
    """One box of latest items on the home page."""

    title: str
    kind: str
    rows: list[Any]

    @property
    def more(self) -> str:
        return f"{reverse('portal:list')}?kind={self.kind}"


def _published_reports() -> Any:
    return AnnualReport.objects.filter(state=ReportState.PUBLISHED).select_related("unit")


@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    boxes = [
        ("动态要闻", str(DocKind.NEWS)),
        ("通知公告", str(DocKind.NOTICE)),
        ("政策文件", POLICIES),
        ("政策解读", str(DocKind.INTERPRETATION)),
    ]
    latest = latest_by_kind([kind for _, kind in boxes], HOME_ITEMS, ROW_FIELDS)
    blocks = [Block(title, kind, latest[kind]) for title, kind in boxes]
    context = {"blocks": blocks, "valid": Validity.VALID, "new_media": _new_media()}
    return render(request, "portal/home.html", context)


def _new_media() -> list[Any]:
    """The open 政务新媒体 accounts, shown on the home page as the task lists ask (在门户网站首页
    明显位置展示); the full list is the 政务新媒体 page."""
    return list(Account.objects.open().order_by("unit__name", "pk")[:HOME_NEW_MEDIA])


@public_page
@require_GET
def column(request: HttpRequest) -> HttpResponse:
    catalogue = Catalogue.load()
    context = {
        "guide": ColumnPage.current(ColumnSlug.GUIDE),
        "system": ColumnPage.current(ColumnSlug.SYSTEM),
        "tree": catalogue.tree(),
        "latest": latest_by_kind([POLICIES], HOME_ITEMS, ROW_FIELDS)[POLICIES],
        "reports": list(_published_reports()[:5]),
        "cleanups": list(Cleanup.objects.filter(published_at__isnull=False)[:3]),
        "valid": Validity.VALID,
    }
    return render(request, "portal/column.html", context)


def _column_page(request: HttpRequest, slug: ColumnSlug) -> HttpResponse:
    return render(request, "portal/page.html", {"page": ColumnPage.current(slug)})


@public_page
@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    return _column_page(request, ColumnSlug.GUIDE)


@public_page
@require_GET
def system(request: HttpRequest) -> HttpResponse:
    return _column_page(request, ColumnSlug.SYSTEM)


@public_page
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/reports.html", {"reports": list(_published_reports())})


@public_page
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published_reports().filter(pk=pk).first()
    if found is None or not found.published:
        raise Http404("没有找到该年度报告")
    # The renderer escapes every value of the stored report (autoescaped templates).
    body = mark_safe(render_fragment(found.published))  # noqa: S308  # rendered by our template
    return render(request, "portal/report.html", {"report": found, "body": body})


@public_page
@require_GET
def cleanups(request: HttpRequest) -> HttpResponse:
    found = Cleanup.objects.filter(published_at__isnull=False)
    return render(request, "portal/cleanups.html", {"cleanups": list(found)})


@public_page
@require_GET
def cleanup(request: HttpRequest, pk: int) -> HttpResponse:
    found = Cleanup.objects.filter(pk=pk, published_at__isnull=False).first()
    if found is None:
        raise Http404("没有找到该清理结果")
    items = list(
        found.items.select_related("document").order_by("outcome", "document__written_on", "pk")
    )
    context = {"cleanup": found, "items": items, "published": DocState.PUBLISHED}
    return render(request, "portal/cleanup.html", context)
