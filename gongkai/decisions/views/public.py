"""The public side, under /portal/zdjc/, without login and without JavaScript: the published
catalogues by year, and one year's catalogue with each item's unit, planned time and hearing and
links to its consultation (意见征集), its decision and its 后评估 where they are public.

A draft catalogue is a 404, the same as a year without one. A link is shown only where its
target is public: the consultation once published, the decision and evaluation documents once
published in the register (or their URLs), the evaluation only when the unit marked it public.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.decisions.models import Catalogue
from gongkai.portal.headers import public_page


@public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    catalogues = Catalogue.objects.published().annotate(n=Count("items")).order_by("-year")
    return render(request, "decisions/public_list.html", {"catalogues": catalogues})


@public_page
@require_GET
def catalogue(request: HttpRequest, year: int) -> HttpResponse:
    found = Catalogue.objects.published().filter(year=year).first()
    if found is None:
        raise Http404("没有找到该年度的重大行政决策事项目录")
    items = found.items.with_links().order_by("number")
    others = Catalogue.objects.published().exclude(pk=found.pk).values_list("year", flat=True)
    context = {"c": found, "items": items, "other_years": list(others)}
    return render(request, "decisions/public_catalogue.html", context)
