"""The dashboard (统计看板): headline numbers and four charts, each drilling down to the list.

The office, evaluators (and superusers) see every unit; everyone else their own units only
(gongkai.work.access). The figures are in gongkai.work.dashboard; the charts are drawn by
static/work/dashboard.js from a JSON block, and the same numbers are tables on the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gongkai.plans.models import Plan
from gongkai.units.access import units_for_user
from gongkai.work.access import sees_all
from gongkai.work.dashboard import (
    HEAT_UNITS,
    TOP_UNITS,
    Links,
    chart_data,
    dashboard_filter,
    figures,
)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    f = dashboard_filter(request.GET)
    plans = list(Plan.objects.order_by("-year", "name").values("pk", "name", "year"))
    if f.plan is None and plans and "plan" not in request.GET:
        f.plan = plans[0]["pk"]  # the newest plan, as on the list
    if f.quarter and not f.year and f.plan:
        # A quarter of the plan's year: a date range the due-date indexes serve, where a
        # quarter of any year would read every row's month.
        f.year = next((p["year"] for p in plans if p["pk"] == f.plan), None)
    today = timezone.localdate()
    scope = None if sees_all(request.user) else request.user.unit_ids()  # type: ignore[union-attr]  # login_required: a User
    fig = figures(scope, f, today)
    links = Links(f, today)
    all_units = request.GET.get("all_units") == "1"
    units = list(units_for_user(request.user).order_by("name").values_list("pk", "name"))
    # Two thousand <option>s cost more in the template language than the rest of the page.
    unit_options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if pk == f.unit else "", name) for pk, name in units),
    )
    shown = fig.units if all_units else fig.units[:TOP_UNITS]
    filters = f.query(state=None)
    context: dict[str, Any] = {
        "f": f,
        "today": today,
        "plans": plans,
        "unit_options": unit_options if len(units) > 1 else "",
        "categories": fig.category_choices,
        "mine": scope is not None,
        "fig": fig,
        "head": fig.headline,
        "head_links": links.counts(),
        "unit_rows": [(uid, name, c, links.counts(unit=uid)) for uid, name, c in shown],
        "all_units": all_units,
        "unit_count": len(fig.units),
        "top_units": TOP_UNITS,
        "show_all_url": "?" + urlencode({**filters, "all_units": "1"}),
        "show_top_url": "?" + urlencode(filters),
        "category_rows": [(name, c, links.counts(category=name)) for name, c in fig.categories],
        "week_rows": [(w, links.week(w)) for w in fig.weeks],
        "heat_rows": [
            (name, [(fig.heat[uid].get(m, 0), links.month(uid, m)) for m in fig.months])
            for uid, name, _ in [r for r in fig.units if r[0] in fig.heat][:HEAT_UNITS]
        ],
        "heat_units": HEAT_UNITS,
        "charts": chart_data(fig, links, all_units=all_units),
    }
    return render(request, "work/dashboard.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", dashboard, name="dashboard"),
]
