"""The public 负面清单, under /portal/fmqd/: the entries in use, grouped by their legal basis,
with the list's last adjusted date. No login, no script."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_GET

from gongkai.portal.headers import public_page
from gongkai.withheld.models import Basis, NegativeEntry, last_adjusted


@public_page
@require_GET
def negative_list(request: HttpRequest) -> HttpResponse:
    order = {value: n for n, value in enumerate(Basis.values)}
    entries = sorted(
        NegativeEntry.objects.active().select_related("unit"),
        key=lambda e: (order.get(e.basis, len(order)), e.effective_on, e.pk),
    )
    groups = [
        (Basis(basis).label, list(rows)) for basis, rows in groupby(entries, key=lambda e: e.basis)
    ]
    context = {"groups": groups, "count": len(entries), "adjusted": last_adjusted()}
    return render(request, "withheld/public_list.html", context)


urlpatterns: list[URLPattern | URLResolver] = [path("", negative_list, name="index")]
