"""The public page, under /portal/xmt/, without login: the open accounts grouped by unit, each
with its platform, name, link and whether it takes messages, and an id anchor
(#account-<pk>) that inspection findings point at. A fixed place the task lists ask for
(「将…政务新媒体账号在…明显位置展示」). No script; closed accounts are not shown."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from gongkai.newmedia.models import Account
from gongkai.portal.headers import public_page


@public_page
@require_GET
def account_index(request: HttpRequest) -> HttpResponse:
    accounts = (
        Account.objects.open()
        .select_related("unit")
        .order_by("unit__name", "unit_id", "platform", "name", "pk")
    )
    groups = [(unit, list(items)) for unit, items in groupby(accounts, key=lambda a: a.unit)]
    return render(request, "newmedia/public_list.html", {"groups": groups})


urlpatterns: list[URLPattern] = [path("", account_index, name="index")]
