"""The privacy gate's decisions: masking the hits (redact) and the office's override. Each is
written on the check row it resolves (resolution, reason, who, when) and in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_change, snapshot
from gongkai.privacy import find_hits, mask_text
from gongkai.publishing import files
from gongkai.publishing import redact as masking
from gongkai.publishing.access import is_office, require_office
from gongkai.publishing.actions.base import (
    PublishRejected,
    _actor,
    audit_change,
    lock,
    safe_snapshot,
    sync,
)
from gongkai.publishing.gate import (
    METADATA_FIELDS,
    blocking,
    check_attachment,
    check_body,
    latest_checks,
)
from gongkai.publishing.models import (
    DocState,
    Document,
    DocumentAttachment,
    PrivacyCheck,
    PrivacyResolution,
)
from gongkai.publishing.sanitize import html_to_text

MAX_REASON = 1000


def gate(document: Document) -> list[PrivacyCheck]:
    """The latest checks (body, each attachment) that still block publication; [] = clear."""
    return blocking(document)


def _latest(document: Document, attachment: DocumentAttachment | None) -> PrivacyCheck | None:
    wanted = None if attachment is None else attachment.pk
    return next((c for c in latest_checks(document) if c.attachment_id == wanted), None)


def _resolve(user: Any, check: PrivacyCheck, resolution: str, reason: str) -> None:
    before = snapshot(check)
    check.resolution = resolution
    check.reason = reason
    check.resolved_by = _actor(user)
    check.resolved_at = timezone.now()
    check.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])
    record_change(user, check, before, comment=reason)


def _require_redactor(user: Any, document: Document) -> None:
    if document.state == DocState.WITHDRAWN:
        raise PublishRejected("该信息已撤回，无需遮盖")
    if is_office(user):
        return
    from gongkai.publishing.access import can_draft_for

    if document.state == DocState.PUBLISHED or not can_draft_for(user, document.unit_id):
        raise PermissionDenied("只有本单位联络员（发布前）或公开办可以遮盖个人信息")


def redact(
    user: Any, document: Document, attachment: DocumentAttachment | None = None
) -> PrivacyCheck:
    """One-click masking of the hits in the body (or in a .docx/.xlsx attachment's text), then a
    new scan, which is returned. A masked attachment replaces the stored file (the original is
    deleted once the change is committed)."""
    created: list[str] = []
    try:
        with transaction.atomic():
            return _redact(user, document, attachment, created)
    except BaseException:
        for name in created:  # the change was rolled back: the masked copy is nobody's
            files.delete_file(name)
        raise


def _redact(
    user: Any, original: Document, attachment: DocumentAttachment | None, created: list[str]
) -> PrivacyCheck:
    document = lock(original)
    _require_redactor(user, document)
    if attachment is not None:
        attachment = DocumentAttachment.objects.filter(pk=attachment.pk, document=document).first()
        if attachment is None:
            raise PublishRejected("该附件不属于这条信息")
    previous = _latest(document, attachment)
    if attachment is None:
        check = _redact_body(user, document)
    else:
        check = _redact_attachment(user, document, attachment, created)
    if previous is not None:
        masked = check.hits
        _resolve(
            user,
            previous,
            PrivacyResolution.REDACTED,
            f"一键遮盖，遮盖后重新检查：{'仍有 ' + str(masked) + ' 处' if masked else '未再发现'}",
        )
    if document.state == DocState.PUBLISHED:
        from gongkai.publishing.search_index import index_document

        index_document(document)
    sync(original, document)
    return check


def _redact_body(user: Any, document: Document) -> PrivacyCheck:
    before = safe_snapshot(document)
    title_hits = find_hits(document.title)
    count = len(title_hits)
    for name in METADATA_FIELDS:
        value = str(getattr(document, name) or "")
        hits = find_hits(value)
        if hits:
            setattr(document, name, mask_text(value, hits))
            count += len(hits)
    body_html, in_body = masking.mask_html(document.body_html)
    count += in_body
    if not count:
        raise PublishRejected("标题和正文中没有可以自动遮盖的个人信息")
    document.title = mask_text(document.title, title_hits)
    document.body_html = body_html
    document.body_text = html_to_text(body_html)
    document.save(update_fields=["title", *METADATA_FIELDS, "body_html", "body_text", "updated_at"])
    audit_change(user, document, before, comment=f"一键遮盖标题和正文中的个人信息 {count} 处")
    return check_body(document)


def _redact_attachment(
    user: Any, document: Document, attachment: DocumentAttachment, created: list[str]
) -> PrivacyCheck:
    kind = files.file_type(attachment.stored_name).ext
    if kind not in masking.MASKABLE:
        raise PublishRejected(masking.cannot_mask_message(kind))
    try:
        data = files.read_bytes(attachment.stored_name)
    except FileNotFoundError:
        raise PublishRejected(
            f"附件「{attachment.original_name}」的文件已不存在，请重新上传"
        ) from None
    try:
        masked, count = masking.mask_office(data, kind)
    except masking.CannotRedact as exc:
        raise PublishRejected(str(exc)) from None
    if not count:
        raise PublishRejected(
            f"附件「{attachment.original_name}」中没有可以自动遮盖的个人信息；"
            "如检查结果提示有无法检查的内容，请人工核对后上传处理后的文件，或请公开办确认后发布"
        )
    before = safe_snapshot(attachment)
    old_name = attachment.stored_name
    attachment.stored_name = files.save_bytes(masked, kind)
    created.append(attachment.stored_name)
    transaction.on_commit(lambda: files.delete_file(old_name))
    attachment.size = len(masked)
    attachment.text = files.extract_text(masked, kind)
    attachment.save(update_fields=["stored_name", "size", "text"])
    audit_change(
        user,
        attachment,
        before,
        comment=f"一键遮盖附件「{attachment.original_name}」中的个人信息 {count} 处，原文件已删除",
    )
    return check_attachment(attachment, masked)


def override_privacy(user: Any, check: PrivacyCheck, reason: str) -> PrivacyCheck:
    """The office lets a check's hits be published, with a reason (required)."""
    require_office(user)
    reason = (reason or "").strip()
    if not reason:
        raise PublishRejected("请填写确认发布的理由")
    if len(reason) > MAX_REASON:
        raise PublishRejected(f"理由不能超过 {MAX_REASON} 字")
    with transaction.atomic():
        document = lock(check.document)
        check = PrivacyCheck.objects.select_related("attachment").get(pk=check.pk)
        latest = _latest(document, check.attachment)
        if latest is None or latest.pk != check.pk:
            raise PublishRejected("该检查结果已被新的检查取代，请按最新结果处理")
        if check.resolution == PrivacyResolution.OVERRIDDEN:
            raise PublishRejected("该检查结果已由公开办确认可发布")
        if not check.hits and not check.problems:
            raise PublishRejected("该检查未发现问题，无需确认")
        _resolve(user, check, PrivacyResolution.OVERRIDDEN, reason)
    return check
