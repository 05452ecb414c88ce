"""The acts posted from a document's page: submit, review, the privacy gate (redact, the
office's override), publish, withdraw, change validity, add and remove attachments.

Each loads the document through access.py (404 when invisible), refuses the wrong role with
403, validates its form, and calls one function of actions.py. A refused act re-renders the
page with the form as typed and status 400; a review that came second, 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.publishing import access, actions
from gongkai.publishing.forms import (
    AttachmentsForm,
    OverrideForm,
    PublishForm,
    RedactForm,
    ReviewForm,
    ValidityForm,
    WithdrawForm,
)
from gongkai.publishing.models import DocState, Document, ReviewStage
from gongkai.publishing.views.documents import (
    EDITABLE_STATES,
    UNPUBLISHED,
    attach_all,
    detail_url,
    render_detail,
)
from gongkai.work.evidence import EvidenceRejected


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("只有公开办可以进行此操作")


def may_redact(user: Any, doc: Document) -> bool:
    """The office, or a liaison of the unit before publication (actions.redact)."""
    if getattr(user, "is_office", False):
        return True
    return doc.state in UNPUBLISHED and access.can_draft_for(user, doc.unit_id)


def _require_edit(user: Any, doc: Document) -> None:
    if not access.can_edit(user, doc):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该信息")


def _run(
    request: HttpRequest,
    doc: Document,
    key: str,
    form: forms.Form,
    act: Callable[[], str],
    anchor: str = "",
) -> HttpResponse:
    """Validate, do the act, and show the page again: with the message, or with the form
    as typed and what was wrong."""
    if not form.is_valid():
        return render_detail(request, doc, bound={key: form}, status=400)
    try:
        done = act()
    except (actions.PublishRejected, EvidenceRejected) as exc:
        form.add_error(None, str(exc))
        doc.refresh_from_db()
        return render_detail(request, doc, bound={key: form}, status=400)
    messages.success(request, done)
    return redirect(detail_url(doc, anchor))


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_edit(user, doc)

    def act() -> str:
        actions.submit(user, doc)
        return "已提交审核"

    return _run(request, doc, "submit", forms.Form(request.POST), act, "review")


def _stage_label(stage: Any) -> str:
    return ReviewStage(stage).label if stage in ReviewStage.values else "（无）"


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    form = ReviewForm(request.POST)
    waiting = actions.next_stage(doc) if doc.state == DocState.REVIEW else None
    posted_stage = request.POST.get("stage") or ""
    if posted_stage and posted_stage != (waiting or ""):
        # The page showed another stage: someone decided it meanwhile. Theirs stands; this
        # reviewer keeps the comment typed and sees what waits now.
        form.is_valid()
        messages.error(
            request,
            f"「{_stage_label(posted_stage)}」已由他人审核，以其结果为准；"
            f"当前等待：{_stage_label(waiting)}。您填写的意见保留在下面。",
        )
        return render_detail(request, doc, bound={"review": form, "conflict": form}, status=409)
    if waiting is None or not access.can_review(user, doc):
        if waiting is None:
            form.is_valid()
            form.add_error(None, "该信息当前没有等待审核的环节")
            return render_detail(request, doc, bound={"review": form}, status=400)
        raise PermissionDenied(f"您不能审核「{_stage_label(waiting)}」环节")
    if not form.is_valid():
        return render_detail(request, doc, bound={"review": form}, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.review(
            user,
            doc,
            approve=approve,
            comment=form.cleaned_data["comment"],
            stage=posted_stage or None,
        )
    except actions.ReviewConflict as exc:
        messages.error(request, f"{exc}。您填写的意见保留在下面。")
        doc.refresh_from_db()
        return render_detail(request, doc, bound={"review": form, "conflict": form}, status=409)
    except actions.PublishRejected as exc:
        form.add_error(None, str(exc))
        doc.refresh_from_db()
        return render_detail(request, doc, bound={"review": form}, status=400)
    label = _stage_label(waiting)
    messages.success(request, f"{label}：已通过" if approve else f"{label}：已退回起草单位修改")
    if request.POST.get("next") == "queue":
        return redirect("publishing:reviews")
    return redirect(detail_url(doc, "review"))


@require_POST
@login_required
def redact(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    if not may_redact(user, doc):
        raise PermissionDenied("只有本单位联络员（发布前）或公开办可以遮盖个人信息")
    form = RedactForm(request.POST)

    def act() -> str:
        attachment = None
        number = form.cleaned_data.get("attachment")
        if number:
            attachment = doc.attachments.filter(pk=number).first()
            if attachment is None:
                raise actions.PublishRejected("没有找到该附件")
        check = actions.redact(user, doc, attachment)
        part = f"附件「{attachment}」" if attachment is not None else "正文"
        if check.hits or check.problems:
            return f"{part}已遮盖，重新检查后仍有 {check.hits} 处需要处理"
        return f"{part}中的个人信息已遮盖，重新检查未发现个人信息"

    return _run(request, doc, "redact", form, act, "privacy")


@require_POST
@login_required
def override(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_office(user)
    form = OverrideForm(request.POST)

    def act() -> str:
        check = doc.privacy_checks.filter(pk=form.cleaned_data["check"]).first()
        if check is None:
            raise actions.PublishRejected("没有找到该检查记录")
        actions.override_privacy(user, check, form.cleaned_data["reason"].strip())
        return "已确认可发布，理由已记录"

    return _run(request, doc, "override", form, act, "privacy")


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_office(user)
    form = PublishForm(request.POST)

    def act() -> str:
        done = actions.publish(user, doc, published_on=form.cleaned_data["published_on"])
        return f"已发布，索引号 {done.index_number}"

    return _run(request, doc, "publish", form, act)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_office(user)
    form = WithdrawForm(request.POST)

    def act() -> str:
        actions.withdraw(user, doc, form.cleaned_data["reason"].strip())
        return "已撤回，公开页面不再显示该信息"

    return _run(request, doc, "withdraw", form, act)


@require_POST
@login_required
def change_validity(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_office(user)
    published = access.documents_for_user(user).filter(state=DocState.PUBLISHED).exclude(pk=pk)
    form = ValidityForm(request.POST, documents=published)

    def act() -> str:
        c = form.cleaned_data
        done = actions.change_validity(
            user,
            doc,
            validity=c["validity"],
            effective_on=c["effective_on"],
            changed_by_document=c["changed_by"],
            reason=(c.get("reason") or "").strip(),
        )
        return f"有效性已改为「{done.get_validity_display()}」"

    return _run(request, doc, "validity", form, act, "validity")


@require_POST
@login_required
def add_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    _require_edit(user, doc)
    form = AttachmentsForm(request.POST, request.FILES)

    def act() -> str:
        if doc.state not in EDITABLE_STATES:
            raise actions.PublishRejected("只有草稿和已退回的信息可以添加附件")
        count = attach_all(user, doc, form.cleaned_data["attachments"])
        return f"已上传 {count} 个附件，隐私检查结果见下方"

    return _run(request, doc, "attachments", form, act, "attachments")


@require_POST
@login_required
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    attachment = access.get_attachment_for_user(user, pk)
    doc = attachment.document
    _require_edit(user, doc)
    form = forms.Form(request.POST)

    def act() -> str:
        name = attachment.original_name
        actions.remove_attachment(user, attachment)
        return f"已删除附件「{name}」"

    return _run(request, doc, "remove", form, act, "attachments")
