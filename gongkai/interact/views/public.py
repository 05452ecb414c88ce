"""The public side of 互动交流, under /portal/hdjl/, without login and without JavaScript: the
published questions and replies, the question form, the receipt shown once, the status lookup
with the 查询码, and the statistics.

The asker's name and contact never appear on a public page. Published pages show only
questions whose asker agreed and whose reply the office approved (state PUBLISHED).

Protections of the question form, in the order a POST meets them:
- a per-address limit per minute (GONGKAI_QUESTION_RATE_LIMIT, gongkai.web.ratelimit),
  before anything is read;
- the declared body size (CONTENT_LENGTH) against MAX_POST_BYTES, also before the body is read
  — which is why the view is csrf_exempt on the outside and runs the CSRF check itself
  afterwards (the CSRF middleware would read the body to find the token);
- the CSRF check; the form's length caps and required fields; the hidden trap field for robots
  (filled: answered like a success, nothing stored, logged);
- actions.ask's own cleaning (control characters, contact format).
The lookup is limited per address by GONGKAI_STATUS_RATE_LIMIT, right or wrong, and answers a
wrong number and a wrong code alike. The 查询码 is never put in a URL.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.interact import actions, stats, tracking
from gongkai.interact.forms import AskForm, LookupForm
from gongkai.interact.models import Question, QuestionState
from gongkai.web import ratelimit

log = logging.getLogger(__name__)

PAGE_SIZE = 20
RECEIPT = "hdjl_receipt"  # session: the number and 查询码 of the question just asked
WRONG = "留言编号或查询码不正确"
#: The largest form body accepted: the text caps percent-encoded (9 bytes a Chinese character)
#: with room to spare.
MAX_POST_BYTES = 64 * 1024
PUBLIC_COLUMNS = ("pk", "title", "received_on", "replied_on", "reply_unit__name", "published_at")

#: Each state in the asker's words.
PUBLIC_STATE: dict[str, str] = {
    QuestionState.RECEIVED: "已受理，正在分办",
    QuestionState.ROUTED: "正在办理",
    QuestionState.DRAFTING: "正在办理",
    QuestionState.REVIEW: "正在办理",
    QuestionState.PUBLISHED: "已答复，并已在网站公开",
    QuestionState.ANSWERED: "已答复",
    QuestionState.REJECTED: "经审核属于无效留言，不予答复",
}


def rate_limit() -> int:
    return int(settings.QUESTION_RATE_LIMIT)


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "interact/public_error.html", context, status=status)


def _refusal(
    request: HttpRequest, status: int, title: str, message: str, retry_after: int = 0
) -> HttpResponse:
    return ratelimit.refuse(request, _error_page, status, title, message, retry_after)


def _too_many(request: HttpRequest, verdict: ratelimit.Verdict, what: str) -> HttpResponse:
    return ratelimit.too_many(request, verdict, what, page=_error_page, log=log, where="hdjl")


# -- published questions ----------------------------------------------------------------------


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Question.objects.published()
        .select_related("reply_unit")
        .only(*PUBLIC_COLUMNS)
        .order_by("-published_at", "-pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interact/public_list.html", {"page": page})


@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    q = Question.objects.published().select_related("reply_unit").filter(pk=pk).first()
    if q is None:
        raise Http404("没有找到该留言")
    return render(request, "interact/public_detail.html", {"q": q})


# -- asking -----------------------------------------------------------------------------------


def _ask_page(
    request: HttpRequest, form: AskForm, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "problem": problem,
        "workdays": settings.QUESTION_WORKDAYS,
        "simple_workdays": settings.QUESTION_SIMPLE_WORKDAYS,
    }
    return render(request, "interact/public_ask.html", context, status=status)


@csrf_protect
def _ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _ask_page(request, AskForm())
    form = AskForm(request.POST)
    if form.honeypot_filled:
        log.warning(
            "hdjl: trap field filled from %s; answered as a success, nothing stored",
            ratelimit.client_address(request),
        )
        return redirect("hdjl:done")
    problem = ""
    if form.is_valid():
        try:
            question, secret = actions.ask(form.to_input())
        except actions.QuestionRejected as exc:
            problem = str(exc)
        else:
            request.session[RECEIPT] = {"tracking_no": question.tracking_no, "secret": secret}
            return redirect("hdjl:done")
    return _ask_page(request, form, 400, problem)


@csrf_exempt  # checked by _ask, once the rate and size checks have passed
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def ask(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        verdict = ratelimit.hit("hdjl-ask", request, rate_limit())
        if not verdict.allowed:
            return _too_many(request, verdict, "留言")
        if ratelimit.declared_length(request) > MAX_POST_BYTES:
            log.info("hdjl: body of %s bytes refused", request.META.get("CONTENT_LENGTH"))
            return _refusal(
                request,
                413,
                "提交的内容过大",
                f"本次提交的内容超过 {MAX_POST_BYTES // 1024} KB，留言未提交。"
                f"留言内容请不超过 {actions.MAX_BODY} 字。",
            )
    return _ask(request)


@require_GET
@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The number and 查询码, once: they leave the session as this page is shown."""
    shown = request.session.pop(RECEIPT, None)
    return render(request, "interact/public_done.html", {"receipt": shown})


# -- the status lookup ------------------------------------------------------------------------


def _find(number: str, secret: str) -> Question | None:
    """The question with this number and 查询码; None for a wrong one of either."""
    found = (
        Question.objects.select_related("unit", "reply_unit")
        .filter(tracking_no__iexact=number.strip())
        .first()
    )
    if found is None:
        tracking.matches(secret, "0" * 64)  # spend the same time as a wrong code
        return None
    return found if tracking.matches(secret, found.secret_digest) else None


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "interact/public_status.html", {"form": LookupForm()})
    verdict = ratelimit.hit("hdjl-status", request, ratelimit.lookup_limit())
    if not verdict.allowed:
        return _too_many(request, verdict, "查询")
    form = LookupForm(request.POST)
    if form.is_valid():
        found = _find(form.cleaned_data["tracking_no"], form.cleaned_data["secret"])
        if found is not None:
            context: dict[str, Any] = {
                "form": LookupForm(),
                "found": found,
                "state_label": PUBLIC_STATE.get(found.state, found.get_state_display()),
            }
            return render(request, "interact/public_status.html", context)
        log.info("hdjl: wrong number or code from %s", ratelimit.client_address(request))
        form.add_error(None, WRONG)
    return render(request, "interact/public_status.html", {"form": form}, status=400)


# -- statistics -------------------------------------------------------------------------------


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None
    figures = stats.published(year, timezone.localdate())
    context = {
        "by_year": figures.by_year,
        "total": figures.total,
        "year": figures.year,
        "years": figures.years,
        "by_unit": figures.by_unit,
        "year_total": figures.year_total,
        "workdays": settings.QUESTION_WORKDAYS,
        "simple_workdays": settings.QUESTION_SIMPLE_WORKDAYS,
    }
    return render(request, "interact/public_stats.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", question_list, name="list"),
    path("<int:pk>/", question_detail, name="detail"),
    path("ask/", ask, name="ask"),
    path("ask/done/", receipt, name="done"),
    path("status/", status, name="status"),
    path("stats/", statistics, name="stats"),
]
