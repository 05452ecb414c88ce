"""A user's own API tokens: list, issue (the raw value is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from gongkai.accounts.actions import issue_token, revoke_token
from gongkai.accounts.models import ApiToken, User


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@login_required
@require_safe
def tokens(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    new_raw = request.session.pop("new_token", None)
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": user.api_tokens.order_by("-created_at"), "new_raw": new_raw},
    )


@login_required
@require_POST
def token_issue(request: HttpRequest) -> HttpResponse:
    _, raw = issue_token(_me(request), request.POST.get("name", ""))
    # Shown once on the next page, never stored in clear.
    request.session["new_token"] = raw
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404("没有找到该令牌")
    revoke_token(user, token)
    messages.success(request, f"已吊销令牌 {token.name}。")
    return redirect("accounts:tokens")
