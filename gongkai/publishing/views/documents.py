"""One document: drafting it, editing it, its page (metadata, sanitised body, attachments,
review trail, privacy gate, publication, interpretation, validity) and its files.

The page's forms post to acts.py, which renders this page again through `render_detail` when
an act is refused (status 400, the form as typed) or a review came second (409).
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.audit.models import AuditEvent
from gongkai.publishing import access, actions, clock, files, gate
from gongkai.publishing.files import AREA
from gongkai.publishing.forms import (
    AttachmentsForm,
    DocumentForm,
    OverrideForm,
    PublishForm,
    ReviewForm,
    ValidityForm,
    WithdrawForm,
    attachment_redactable,
)
from gongkai.publishing.models import (
    POLICY_KINDS,
    DocKind,
    DocState,
    Document,
    DocumentAttachment,
    PrivacyCheck,
    PrivacyResolution,
    ReviewStep,
    ValidityChange,
)
from gongkai.publishing.views.listing import can_create
from gongkai.units.models import Unit
from gongkai.work.evidence import EvidenceRejected, open_evidence_file

log = logging.getLogger(__name__)

EDITABLE_STATES = access.EDITABLE_STATES
UNPUBLISHED = (DocState.DRAFT, DocState.RETURNED, DocState.REVIEW, DocState.APPROVED)


def _office(user: Any) -> bool:
    return bool(getattr(user, "is_office", False))


def _policy_documents(user: Any) -> QuerySet[Document]:
    """What an interpretation may interpret: policy documents the user can see."""
    return (
        access.documents_for_user(user)
        .filter(kind__in=POLICY_KINDS)
        .exclude(state=DocState.WITHDRAWN)
    )


def _draft_units(user: Any) -> QuerySet[Unit]:
    units = Unit.objects.active().order_by("name")
    return units if _office(user) else units.filter(pk__in=user.unit_ids())


# -- drafting and editing ---------------------------------------------------------------------


def attach_all(user: Any, doc: Document, uploads: list[Any]) -> int:
    """Every upload or none. A refused file rolls back the ones before it, and their stored
    copies are deleted too (the rows are gone with the rollback, the files would stay)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            for upload in uploads:
                stored.append(actions.add_attachment(user, doc, upload).stored_name)
    except BaseException:
        for name in stored:
            files.delete_file(name)
        raise
    return len(stored)


@require_http_methods(["GET", "POST"])
@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_create(user):
        raise PermissionDenied("只有公开办和单位联络员可以起草政府信息")
    units = _draft_units(user)
    policy = _policy_documents(user)
    if request.method != "POST":
        first = units.first()
        initial = {"unit": first.pk, "publisher": first.name} if first is not None else {}
        form = DocumentForm(initial=initial, units=units, policy_documents=policy)
        return render(request, "publishing/form.html", {"form": form, "document": None})
    form = DocumentForm(request.POST, request.FILES, units=units, policy_documents=policy)
    if form.is_valid():
        try:
            with transaction.atomic():  # the draft and its files, or nothing
                made = actions.create_document(
                    user, unit=form.cleaned_data["unit"], **form.fields_for_action()
                )
                attach_all(user, made, form.cleaned_data["attachments"])
        except (actions.PublishRejected, EvidenceRejected) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "草稿已保存；核对无误后请“提交审核”")
            return redirect("publishing:detail", pk=made.pk)
    context = {"form": form, "document": None, "files_again": bool(request.FILES)}
    return render(request, "publishing/form.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = access.get_document_for_user(user, pk)
    if doc.state not in EDITABLE_STATES:
        messages.error(request, f"该信息{doc.get_state_display()}，只有草稿和已退回的信息可以修改")
        return redirect("publishing:detail", pk=doc.pk)
    if not access.can_edit(user, doc):
        raise PermissionDenied("只有本单位联络员或公开办可以修改该信息")
    policy = _policy_documents(user)
    if request.method != "POST":
        form = DocumentForm(
            initial=DocumentForm.initial_of(doc), policy_documents=policy, document=doc
        )
        return render(request, "publishing/form.html", {"form": form, "document": doc})
    form = DocumentForm(request.POST, request.FILES, policy_documents=policy, document=doc)
    if form.is_valid():
        try:
            with transaction.atomic():
                fields = form.fields_for_action()
                if fields["category"] == doc.category:
                    del fields["category"]  # kept as it was, even if since deactivated
                actions.update_document(user, doc, **fields)
                attach_all(user, doc, form.cleaned_data["attachments"])
        except (actions.PublishRejected, EvidenceRejected) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "修改已保存")
            return redirect("publishing:detail", pk=doc.pk)
    doc.refresh_from_db()
    context = {"form": form, "document": doc, "files_again": bool(request.FILES)}
    return render(request, "publishing/form.html", context, status=400)


# -- the page ---------------------------------------------------------------------------------


def _checks(doc: Document) -> tuple[list[PrivacyCheck], list[PrivacyCheck]]:
    """The latest check of each part (the body first, then the attachments in order: the
    checks the gate reads) and every check that carries a decision, newest first."""
    decided = (
        doc.privacy_checks.exclude(resolution=PrivacyResolution.NONE)
        .select_related("attachment", "resolved_by")
        .order_by("-resolved_at", "-pk")
    )
    return gate.latest_checks(doc), list(decided)


def _trail(doc: Document) -> QuerySet[AuditEvent]:
    def ids(qs: QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    ct = ContentType.objects.get_for_model
    parts = Q(content_type=ct(Document), object_id=str(doc.pk))
    for model, related in (
        (ReviewStep, doc.review_steps.all()),
        (PrivacyCheck, doc.privacy_checks.all()),
        (DocumentAttachment, doc.attachments.all()),
        (ValidityChange, doc.validity_changes.all()),
    ):
        parts |= Q(content_type=ct(model), object_id__in=ids(related))
    return AuditEvent.objects.filter(parts).order_by("-at", "-pk")[:200]


def _portal_url(doc: Document) -> str:
    """The public page, once the portal serves it."""
    if doc.state != DocState.PUBLISHED:
        return ""
    try:
        return doc.public_url()
    except NoReverseMatch:
        return ""


def _interpretation(user: Any, doc: Document) -> dict[str, Any]:
    visible = access.documents_for_user(user)
    interprets = None
    if doc.interprets_id is not None:
        interprets = visible.filter(pk=doc.interprets_id).first()
    interpretations = list(
        visible.filter(interprets=doc).exclude(state=DocState.WITHDRAWN).order_by("pk")
    )
    status = clock.interpretation_status(doc, timezone.localdate())
    return {
        "interprets": interprets,
        "interpretations": interpretations,
        "interpretation_status": status,
        "interpretation_late": clock.is_problem(doc),
        "show_interpretation": doc.needs_interpretation
        or doc.kind == DocKind.INTERPRETATION
        or bool(interpretations),
    }


def _blockers(doc: Document, blocked: list[PrivacyCheck]) -> list[str]:
    """Why the publish button is off, in the office's words (no number in them)."""
    reasons = []
    if doc.state != DocState.APPROVED:
        reasons.append(f"该信息{doc.get_state_display()}，审核全部通过（待发布）后才能发布")
    reasons += [gate.describe(c) + "。须遮盖，或由公开办确认可发布" for c in blocked]
    return reasons


def detail_context(
    request: HttpRequest, doc: Document, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    bound = bound or {}
    office = _office(user)
    can_edit = access.can_edit(user, doc)
    editable = can_edit and doc.state in EDITABLE_STATES
    waiting = actions.next_stage(doc) if doc.state == DocState.REVIEW else None
    may_decide = waiting is not None and access.can_review(user, doc)
    checks, decided = _checks(doc)
    unpublished = doc.state in UNPUBLISHED
    blocked = actions.gate(doc) if unpublished else []
    blocking = {c.pk for c in blocked}
    bound_check = bound["override"].data.get("check") if "override" in bound else None
    parts = []
    for check in checks:
        override = OverrideForm(initial={"check": check.pk})
        if bound_check is not None and str(bound_check) == str(check.pk):
            override = bound["override"]  # type: ignore[assignment]
        attachment = check.attachment
        parts.append(
            {
                "check": check,
                "blocks": check.pk in blocking,
                "redactable": check.hits > 0
                and (attachment is None or attachment_redactable(attachment)),
                "override": override,
            }
        )
    review_form = bound.get("review") or (ReviewForm() if may_decide else None)
    today = timezone.localdate()
    return {
        "d": doc,
        "office": office,
        "today": today,
        "editable": editable,
        "can_submit": editable,
        "attachments": doc.attachments.all(),
        "attachments_form": bound.get("attachments") or AttachmentsForm(),
        "steps": doc.review_steps.select_related("reviewer").order_by("round", "decided_at", "pk"),
        "stages": actions.stages_for(doc),
        "waiting": waiting,
        "may_decide": may_decide,
        "review_form": review_form,
        "conflict": bool(bound.get("conflict")),
        # Errors of the acts whose forms have no fields of their own.
        "act_errors": {
            key: form.non_field_errors()
            for key, form in bound.items()
            if key in ("submit", "redact", "remove") and form.errors
        },
        "parts": parts,
        "decided": decided,
        "gate": blocked,
        "unpublished": unpublished,
        "may_redact": unpublished and (office or access.can_draft_for(user, doc.unit_id)),
        "may_override": unpublished and office,
        "may_publish": office and doc.state == DocState.APPROVED,
        "blockers": _blockers(doc, blocked),
        "publish_form": bound.get("publish") or PublishForm(initial={"published_on": today}),
        "may_withdraw": office and doc.state == DocState.PUBLISHED,
        "withdraw_form": bound.get("withdraw") or WithdrawForm(),
        "show_validity": doc.is_policy and doc.state in (DocState.PUBLISHED, DocState.WITHDRAWN),
        "validity_changes": doc.validity_changes.select_related(
            "changed_by_document", "recorded_by"
        ),
        "may_change_validity": office and doc.is_policy and doc.state == DocState.PUBLISHED,
        "validity_form": bound.get("validity")
        or ValidityForm(initial={"validity": doc.validity, "effective_on": today}),
        "portal_url": _portal_url(doc),
        "trail": _trail(doc),
        **_interpretation(user, doc),
    }


def render_detail(
    request: HttpRequest,
    doc: Document,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request, "publishing/detail.html", detail_context(request, doc, bound), status=status
    )


@require_GET
@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = access.get_document_for_user(request.user, pk)
    return render_detail(request, doc)


# -- files ------------------------------------------------------------------------------------


@require_GET
@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, always as a download, never type-sniffed by the browser."""
    attachment = access.get_attachment_for_user(request.user, pk)
    try:
        stream, kind = open_evidence_file(attachment.stored_name, AREA)
    except FileNotFoundError:
        log.warning(
            "attachment %s: stored file %r is missing", attachment.pk, attachment.stored_name
        )
        raise Http404("附件文件已不存在") from None
    # FileResponse writes filename*=utf-8''… (RFC 5987) for a Chinese name.
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


def detail_url(doc: Document, anchor: str = "") -> str:
    return reverse("publishing:detail", args=[doc.pk]) + (f"#{anchor}" if anchor else "")
