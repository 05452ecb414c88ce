"""Staff pages for the comments and the feedback report: moderating, entering a comment that
came by e-mail or post, recording each approved comment's outcome, and the report's editor and
preview, with its publication (the office's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.consult import actions
from gongkai.consult.access import (
    get_comment_for_user,
    get_consultation_for_user,
    require_office,
)
from gongkai.consult.forms import ModerateForm, OutcomeForm, RecordCommentForm, ReportForm
from gongkai.consult.views.common import render_detail, render_report


def _to_comment(pk: int, comment_pk: int) -> HttpResponse:
    return redirect(reverse("consult:detail", args=[pk]) + f"#comment-{comment_pk}")


@require_POST
@login_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk, write=True)
    c = comment.consultation
    key = f"m{comment.pk}"
    form = ModerateForm(request.POST, prefix=key)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            done = actions.moderate_comment(
                request.user, comment, approve=approve, reason=form.cleaned_data["reason"]
            )
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            if approve and done.privacy_hits:
                messages.success(
                    request,
                    f"意见已公开；其中 {done.privacy_hits} 处个人信息在公开页面自动遮盖",
                )
            else:
                messages.success(request, "意见已公开" if approve else "意见不予公开")
            return _to_comment(c.pk, comment.pk)
    return render_detail(request, c, bound={key: form}, problem=_first_error(form), status=400)


@require_POST
@login_required
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk, write=True)
    c = comment.consultation
    key = f"o{comment.pk}"
    form = OutcomeForm(request.POST, prefix=key)
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = actions.set_outcome(
                request.user, comment, outcome=d["outcome"], reason=d["reason"], topic=d["topic"]
            )
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            if done.outcome_complete:
                messages.success(request, "采纳情况已保存")
            else:
                messages.warning(
                    request, "采纳情况已保存；部分采纳、未采纳的意见须补充理由后才能发布反馈报告"
                )
            return _to_comment(c.pk, comment.pk)
    return render_detail(request, c, bound={key: form}, problem=_first_error(form), status=400)


@require_POST
@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk, write=True)
    form = RecordCommentForm(request.POST)
    if form.is_valid():
        try:
            made = actions.record_comment(
                request.user,
                c,
                form.to_input(),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
            )
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "意见已登记，待审核")
            return _to_comment(c.pk, made.pk)
    return render_detail(request, c, bound={"record": form}, status=400)


def _first_error(form: ModerateForm | OutcomeForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The feedback report's editor and preview (as the public will see it)."""
    if request.method != "POST":
        c = get_consultation_for_user(request.user, pk)
        existing = actions.report_of(c)
        return render_report(
            request, c, ReportForm(initial={"summary": existing.summary if existing else ""})
        )
    c = get_consultation_for_user(request.user, pk, write=True)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            actions.save_report(request.user, c, form.cleaned_data["summary"])
        except actions.ConsultRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "反馈报告已保存（尚未发布）")
            return redirect("consult:report", pk=c.pk)
    return render_report(request, c, form, status=400)


@require_POST
@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    try:
        actions.publish_report(request.user, c)
    except actions.ConsultRejected as exc:
        existing = actions.report_of(c)
        form = ReportForm(initial={"summary": existing.summary if existing else ""})
        return render_report(request, c, form, status=400, problem=str(exc))
    messages.success(request, "意见反馈报告已发布")
    return redirect("consult:detail", pk=c.pk)
