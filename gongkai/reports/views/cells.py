"""The records behind one figure of Table 三 or 四 (the drill-down), and the preview of any
year and unit without saving a report.

The drill-down lists the same queryset the figure counted (gongkai/reports/counting.py). For a
published report it lists the registers as they are today, which the page says.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_GET

from gongkai.disclosure.models import Appeal, Request
from gongkai.reports.access import get_report_for_user, get_scope_unit_for_user, sees_all
from gongkai.reports.as_html import CellUrl, context
from gongkai.reports.build import build_annual
from gongkai.reports.counting import CellError, Scope, table3_cell, table4_cell
from gongkai.reports.forms import PreviewForm
from gongkai.reports.models import ReportState
from gongkai.reports.tables import TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS

PAGE_SIZE = 100


def request_url(pk: int) -> str:
    """The request's page in the register (gongkai/disclosure)."""
    return f"/disclosure/{pk}/"


def _int(raw: str | None) -> int | None:
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def _cell_title(table: str, key: str, col: int) -> str:
    if table == "3":
        label = next((r.label for r in TABLE3_ROWS if r.key == key), key)
        return f"表三 · {label} · {TABLE3_COLUMNS[col]}"
    return f"表四 · {dict(TABLE4_GROUPS).get(key, key)} · {TABLE4_COLUMNS[col]}"


def _records(
    scope: Scope, year: int, table: str, key: str, col: int | None
) -> QuerySet[Request] | QuerySet[Appeal]:
    if col is None:
        raise CellError("缺少列号")
    if table == "3":
        return table3_cell(scope.requests(), year, key, col).select_related("unit")
    if table == "4":
        return table4_cell(scope.appeals(), year, key, col).select_related("unit", "request")
    raise CellError("表格应为 3 或 4")


def _cell_page(
    request: HttpRequest, scope: Scope, year: int, back: str, **extra: Any
) -> HttpResponse:
    table, key = request.GET.get("table", ""), request.GET.get("row", "")
    col = _int(request.GET.get("col"))
    try:
        records = _records(scope, year, table, key, col)
    except CellError as exc:
        raise Http404(str(exc)) from exc
    assert col is not None
    hidden = 0
    if not sees_all(request.user):
        # A figure may sum units below the reader's own; list only the records they may open.
        every = records.count()
        records = records.filter(unit_id__in=request.user.unit_ids())  # type: ignore[union-attr]  # login_required
        hidden = every - records.count()
    page = Paginator(records.order_by("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, request_url(r.pk)) for r in page.object_list] if table == "3" else []
    appeals = [
        (a, request_url(a.request_id) if a.request_id else "") for a in page.object_list
    ] if table == "4" else []  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/cell.html",
        {
            "title": _cell_title(table, key, col),
            "year": year,
            "scope": scope.who,
            "table": table,
            "page": page,
            "rows": rows,
            "appeals": appeals,
            "back": back,
            "query": query.urlencode(),
            "hidden": hidden,
            **extra,
        },
    )


@require_GET
@login_required
def report_cell(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return _cell_page(
        request,
        Scope.of(report.unit, report.include_children),
        report.year,
        reverse("reports:detail", args=[report.pk]),
        published=report.state == ReportState.PUBLISHED,
    )


def _preview_choice(request: HttpRequest) -> tuple[int, Any, bool]:
    form = PreviewForm(request.GET)
    year = _int(request.GET.get("year"))
    if not form.is_valid() or year is None:
        raise Http404("请选择年度（如 2025）")
    unit = get_scope_unit_for_user(request.user, _int(request.GET.get("unit")))
    return year, unit, bool(form.cleaned_data["include_children"])


def preview_params(year: int, unit_id: int | None, include_children: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"year": year}
    if unit_id is not None:
        params["unit"] = unit_id
    if include_children:
        params["include_children"] = "on"
    return params


def preview_cell_url(year: int, unit_id: int | None, include_children: bool) -> CellUrl:
    base = reverse("reports:preview_cell")
    params = preview_params(year, unit_id, include_children)

    def url(table: str, key: str, col: int) -> str:
        return f"{base}?{urlencode({**params, 'table': table, 'row': key, 'col': col})}"

    return url


@require_GET
@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """Any year and unit, built now, nothing saved. Without a year: the choice form."""
    if not request.GET.get("year"):
        return render(request, "reports/preview.html", {"form": PreviewForm()})
    year, unit, children = _preview_choice(request)
    built = build_annual(year, unit, children)
    cell_url = preview_cell_url(year, unit.pk if unit else None, children)
    return render(
        request,
        "reports/preview.html",
        {"form": PreviewForm(request.GET), "built": built, **context(built, cell_url)},
    )


@require_GET
@login_required
def preview_cell(request: HttpRequest) -> HttpResponse:
    year, unit, children = _preview_choice(request)
    back = (
        reverse("reports:preview")
        + "?"
        + urlencode(preview_params(year, unit.pk if unit else None, children))
    )
    return _cell_page(request, Scope.of(unit, children), year, back)


urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/cell/", report_cell, name="cell"),
    path("annual/", preview, name="preview"),
    path("annual/cell/", preview_cell, name="preview_cell"),
]
