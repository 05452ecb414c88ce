"""Appeals (行政复议、行政诉讼) over disclosure work: the list, recording one, editing it.

The office records and edits them; liaisons and leaders read their units' (another unit's is a
404). Table 四 of the annual report counts them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.disclosure import actions
from gongkai.disclosure.access import appeals_for_user, get_appeal_for_user, require_office
from gongkai.disclosure.forms import AppealForm
from gongkai.work.views.mywork import CappedPaginator

PAGE_SIZE = 50


@require_GET
@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    appeals = appeals_for_user(request.user).select_related("request", "unit", "follows")
    page = CappedPaginator(appeals.order_by("-filed_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "disclosure/appeals.html", {"page": page})


def _appeal_page(request: HttpRequest, form: AppealForm, appeal: Any, status: int) -> HttpResponse:
    editable = bool(getattr(request.user, "is_office", False))
    context = {"form": form, "appeal": appeal, "editable": editable}
    return render(request, "disclosure/appeal_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    if request.method != "POST":
        return _appeal_page(request, AppealForm(), None, 200)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            actions.record_appeal(request.user, form.to_input())
        except actions.RequestRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已登记行政复议或行政诉讼")
            return redirect("disclosure:appeals")
    return _appeal_page(request, form, None, 400)


@require_http_methods(["GET", "POST"])
@login_required
def appeal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_user(request.user, pk)
    if request.method != "POST":
        return _appeal_page(request, AppealForm(initial=AppealForm.initial_of(appeal)), appeal, 200)
    require_office(request.user)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            actions.update_appeal(request.user, appeal, form.to_input())
        except actions.RequestRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存")
            return redirect("disclosure:appeals")
    return _appeal_page(request, form, appeal, 400)


urlpatterns: list[URLPattern] = [
    path("appeals/", appeal_list, name="appeals"),
    path("appeals/new/", appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/edit/", appeal_edit, name="appeal_edit"),
]
