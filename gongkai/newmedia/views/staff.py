"""Staff pages, under /newmedia/: the register (stale accounts in red), registering and editing
an account, one account with its last post and fetch result, entering the last post by hand
and reading the account's page now.

Every change goes through gongkai.newmedia.actions (or fetching, for the read); a refused act
is shown on the page it came from with status 400 and nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.newmedia import actions, fetching
from gongkai.newmedia.access import (
    accounts_for_user,
    can_edit,
    get_account_for_user,
    may_register,
    writable_units,
)
from gongkai.newmedia.forms import AccountForm, PostForm
from gongkai.newmedia.models import Account, AccountQuerySet, AccountStatus, stale_days
from gongkai.units.models import Unit

PAGE_SIZE = 50
TABS = {"open": "开设中", "stale": "超期未更新", "closed": "已关停", "all": "全部"}


def _tab(qs: AccountQuerySet, tab: str) -> AccountQuerySet:
    today = timezone.localdate()
    if tab == "open":
        return qs.open()
    if tab == "stale":
        return qs.stale(today)
    if tab == "closed":
        return qs.filter(status=AccountStatus.CLOSED)
    return qs


@require_GET
@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tab = request.GET.get("tab", "open")
    tab = tab if tab in TABS else "open"
    mine = accounts_for_user(request.user)
    qs = _tab(mine, tab).select_related("unit").order_by("unit__name", "platform", "name", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(a, a.is_stale(today), a.idle_days(today)) for a in page],
        "tabs": list(TABS.items()),
        "tab": tab,
        "stale_count": mine.stale(today).count(),
        "open_count": mine.open().count(),
        "days": stale_days(),
        "can_register": may_register(request.user),
    }
    return render(request, "newmedia/list.html", context)


def _form_page(
    request: HttpRequest, form: AccountForm, account: Account | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "account": account}
    return render(request, "newmedia/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    if not may_register(request.user):
        raise PermissionDenied("只有公开办和单位联络员可以登记政务新媒体账号")
    units = writable_units(request.user)
    if request.method != "POST":
        return _form_page(request, AccountForm(units=units, initial={"unit": units.first()}), None)
    form = AccountForm(request.POST, units=units)
    if form.is_valid():
        try:
            made = actions.register_account(request.user, form.to_input())
        except actions.NewMediaRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "政务新媒体账号已登记")
            return redirect("newmedia:detail", pk=made.pk)
    return _form_page(request, form, None, 400)


@require_http_methods(["GET", "POST"])
@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, write=True)
    units = writable_units(request.user) | Unit.objects.filter(pk=account.unit_id)
    if request.method != "POST":
        initial = AccountForm.initial_of(account)
        return _form_page(request, AccountForm(units=units, initial=initial), account)
    form = AccountForm(request.POST, units=units)
    if form.is_valid():
        try:
            actions.update_account(request.user, account, form.to_input())
        except actions.NewMediaRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "账号信息已保存")
            return redirect("newmedia:detail", pk=account.pk)
    return _form_page(request, form, account, 400)


def _detail(
    request: HttpRequest,
    account: Account,
    post_form: PostForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    initial = {"last_post_on": account.manual_post_on}
    context: dict[str, Any] = {
        "a": account,
        "stale": account.is_stale(today),
        "idle": account.idle_days(today),
        "days": stale_days(),
        "can_edit": can_edit(request.user, account),
        "post_form": post_form or PostForm(initial=initial),
        "problem": problem,
    }
    return render(request, "newmedia/detail.html", context, status=status)


@require_GET
@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_account_for_user(request.user, pk))


@require_POST
@login_required
def record_post(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, write=True)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            actions.record_post(request.user, account, form.cleaned_data["last_post_on"])
        except actions.NewMediaRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "最近发布日期已登记")
            return redirect("newmedia:detail", pk=account.pk)
    return _detail(request, account, post_form=form, status=400)


@require_POST
@login_required
def fetch_now(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, write=True)
    if not account.url or not account.is_open:
        return _detail(request, account, problem="只有开设中且填写了地址的账号可以读取", status=400)
    if not fetching.claim_now(account.pk):
        minutes = int(fetching.MANUAL_GAP.total_seconds() // 60)
        problem = f"该账号刚读取过（或正在自动读取），请 {minutes} 分钟后再试"
        return _detail(request, account, problem=problem, status=400)
    read = fetching.fetch_account(account.pk)
    if read is not None and read.fetch_error:
        messages.warning(request, f"读取未取得发布日期：{read.fetch_error}")
    else:
        messages.success(request, "已读取账号页面，最近发布日期已更新")
    return redirect("newmedia:detail", pk=account.pk)


urlpatterns: list[URLPattern] = [
    path("", account_list, name="index"),
    path("new/", account_new, name="new"),
    path("<int:pk>/", account_detail, name="detail"),
    path("<int:pk>/edit/", account_edit, name="edit"),
    path("<int:pk>/post/", record_post, name="post"),
    path("<int:pk>/fetch/", fetch_now, name="fetch"),
]
