"""The public side, under /portal/yjzj/, without login: the consultations (open ones first, with
the days left), one consultation with its draft, explanation, interpretation, window and ways
to comment, the comment form while the window is open, the approved comments (masked) and,
once published, the feedback report grouped 采纳 / 部分采纳 / 未采纳.

The comment form's protections, in the order a POST meets them (as on /apply/):
- a per-address limit per minute (GONGKAI_COMMENT_RATE_LIMIT, gongkai.web.ratelimit);
- the declared body size against MAX_BODY, before the body is read — which is why the view is
  csrf_exempt on the outside and runs the CSRF check itself afterwards;
- the CSRF check; the form's length caps; a hidden trap field for robots (filled: answered like
  a success, nothing stored, logged);
- submit_comment's own checks (the window, in the office's time zone).
Everything shown is escaped by the templates; the rich texts were cleaned by nh3 when saved.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from gongkai.consult import actions
from gongkai.consult.display import approved_comments, feedback, shown
from gongkai.consult.forms import CommentForm
from gongkai.consult.models import (
    PUBLIC_STATES,
    Attachment,
    Consultation,
    ConsultState,
    Moderation,
)
from gongkai.consult.views.staff import download
from gongkai.publishing.models import DocState
from gongkai.web import ratelimit

log = logging.getLogger(__name__)

#: The largest comment form accepted, in bytes: 5,000 Chinese characters percent-encoded are
#: 45,000; the rest is room for the other fields.
MAX_BODY = 64 * 1024
PAGE_SIZE = 20
COMMENTS_PER_PAGE = 50


#: The public pages run no script and load nothing from elsewhere (the portal's own policy).
POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; style-src 'self'"
)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def comment_limit() -> int:
    return int(getattr(settings, "COMMENT_RATE_LIMIT", 10))


def _public(pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.public().select_related("unit", "decision"), pk=pk
    )


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = Consultation.objects.public().select_related("unit")
    counted = qs.annotate(
        shown=Count("comments", filter=Q(comments__moderation=Moderation.APPROVED))
    )
    current = counted.filter(state=ConsultState.OPEN, closes_on__gte=today).order_by(
        "closes_on", "pk"
    )
    past = counted.exclude(state=ConsultState.OPEN, closes_on__gte=today).order_by(
        "-closes_on", "-pk"
    )
    page = Paginator(past.select_related("report"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "today": today,
        "current": [(c, c.days_left(today)) for c in current],
        "page": page,
        "past": [(c, c.phase(today)) for c in page],
    }
    return _page(request, "consult/public_list.html", context)


def _decision_url(c: Consultation) -> str:
    document = c.decision
    if document is None or document.state != DocState.PUBLISHED:
        return ""
    try:
        return reverse("portal:document", args=[document.pk])
    except NoReverseMatch:
        return ""


def _detail(
    request: HttpRequest,
    c: Consultation,
    form: CommentForm | None = None,
    *,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    accepting = c.accepts_comments(today)
    report = getattr(c, "report", None)
    published = report is not None and report.is_published
    rows = c.comments.approved().order_by("submitted_at", "pk")
    page = Paginator(rows, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    first = page.start_index()
    opinions = [shown(r, first + i) for i, r in enumerate(page.object_list)]
    context: dict[str, Any] = {
        "c": c,
        "today": today,
        "phase": c.phase(today),
        "phase_label": c.phase_label(today),
        "window_days": c.window_days(),
        "days_left": c.days_left(today),
        "accepting": accepting,
        "not_started": c.not_started(today),
        "form": (form or CommentForm()) if accepting else None,
        "problem": problem,
        "sent": request.GET.get("sent") == "1",
        "attachments": c.attachments.all(),
        "page": page,
        "opinions": opinions,
        "report": report if published else None,
        "feedback": feedback(c, approved_comments(c)) if published else None,
        "decision_url": _decision_url(c),
        "max_comment": actions.MAX_COMMENT,
    }
    return _page(request, "consult/public_detail.html", context, status)


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _public(pk))


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return _page(request, "consult/public_error.html", {"title": title, "message": message}, status)


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return ratelimit.refuse(request, _error_page, status, title, message)


@csrf_protect
def _comment(request: HttpRequest, pk: int) -> HttpResponse:
    c = _public(pk)
    form = CommentForm(request.POST)
    if form.honeypot_filled:
        log.warning(
            "yjzj: trap field filled from %s; answered as a success, nothing stored",
            ratelimit.bucket_of(ratelimit.client_address(request)),
        )
        return redirect(reverse("yjzj:detail", args=[c.pk]) + "?sent=1#comment")
    if not form.is_valid():
        return _detail(request, c, form, status=400)
    try:
        actions.submit_comment(c, form.to_input())
    except actions.ConsultRejected as exc:
        return _detail(request, c, form, problem=str(exc), status=400)
    return redirect(reverse("yjzj:detail", args=[c.pk]) + "?sent=1#comment")


@csrf_exempt  # checked by _comment once the rate and size checks have passed
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = ratelimit.hit("consult-comment", request, comment_limit())
    if not verdict.allowed:
        return ratelimit.too_many(
            request,
            verdict,
            "提交意见",
            page=_error_page,
            log=log,
            where="yjzj",
            title="提交过于频繁",
            lost="本次意见未被接收",
        )
    if ratelimit.declared_length(request) > MAX_BODY:
        log.info("yjzj: body of %s bytes refused", request.META.get("CONTENT_LENGTH"))
        return _refusal(
            request,
            413,
            "提交的内容过大",
            f"意见内容不能超过 {actions.MAX_COMMENT} 字，本次意见未被接收。请精简后重新提交。",
        )
    return _comment(request, pk)


@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of a published consultation."""
    attachment = Attachment.objects.filter(pk=pk, consultation__state__in=PUBLIC_STATES).first()
    if attachment is None:
        raise Http404("没有找到该附件")
    return download(attachment.stored_name, attachment.filename)
