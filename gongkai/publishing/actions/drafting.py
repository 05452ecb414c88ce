"""Drafting a document: its metadata and body, and its attachments. Every change of the title or
body, and every upload, is scanned by the privacy gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from gongkai.publishing import files, gate
from gongkai.publishing.access import can_draft_for, can_edit, documents_for_user
from gongkai.publishing.actions.base import (
    EDITABLE_FIELDS,
    PublishRejected,
    _actor,
    _today,
    audit_change,
    audit_create,
    audit_delete,
    lock,
    safe_snapshot,
    sync,
)
from gongkai.publishing.models import (
    POLICY_KINDS,
    Category,
    DocKind,
    DocState,
    Document,
    DocumentAttachment,
)
from gongkai.publishing.sanitize import MAX_HTML, clean_html, html_to_text

#: Attachments one document may carry.
MAX_ATTACHMENTS = 20
#: Kinds that must carry a 文号 before review.
NUMBERED_KINDS = (DocKind.RULE, DocKind.NORMATIVE)
#: States an interpretation's policy document may be in when the interpretation is submitted:
#: published already, or going through review with it (三同步: drafted, reviewed and published
#: together).
INTERPRETABLE_STATES = (DocState.REVIEW, DocState.APPROVED, DocState.PUBLISHED)

_LENGTHS = {
    "title": ("标题", 300),
    "topic": ("主题分类", 64),
    "doc_number": ("文号", 100),
    "publisher": ("发布机构", 128),
    "source": ("来源", 200),
    "source_url": ("来源网址", 500),
}
_BOOLEANS = ("is_repost", "needs_interpretation")
_http_url = URLValidator(schemes=["http", "https"])


def _text(name: str, value: Any) -> str:
    label, limit = _LENGTHS[name]
    text = " ".join(str(value or "").split())  # one line: no breaks or runs of blanks
    if len(text) > limit:
        raise PublishRejected(f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）")
    return text


def _date(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise PublishRejected(f"{label}应为日期")
    day: dt.date = value
    if day > _today():
        raise PublishRejected(f"{label}不能晚于今天")
    return day


def _category(value: Any) -> Category | None:
    if value in (None, ""):
        return None
    found = value if isinstance(value, Category) else Category.objects.filter(pk=value).first()
    if found is None:
        raise PublishRejected("所选公开目录不存在")
    if not found.active:
        raise PublishRejected(f"公开目录「{found.name}」已停用，请选择其他目录")
    return found


def _interprets(user: Any, value: Any) -> Document | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Document) else value
    found = documents_for_user(user).filter(pk=pk).first()
    if found is None:
        raise PublishRejected("所解读的文件不存在或您无权查看")
    return found


def clean_fields(user: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields, checked and normalised one by one; PublishRejected for the first bad one."""
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise PublishRejected(f"不能修改以下字段：{'、'.join(unknown)}")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "kind":
            if value not in DocKind.values:
                raise PublishRejected("请选择信息类别")
            out[name] = str(value)
        elif name in _LENGTHS:
            out[name] = _text(name, value)
        elif name in _BOOLEANS:
            out[name] = bool(value)
        elif name == "body_html":
            raw = str(value or "")
            if len(raw) > MAX_HTML:
                raise PublishRejected(f"正文过长（超过 {MAX_HTML} 个字符），请精简或改为附件")
            out[name] = clean_html(raw)
        elif name == "written_on":
            out[name] = _date(value, "成文日期")
        elif name == "category":
            out[name] = _category(value)
        elif name == "interprets":
            out[name] = _interprets(user, value)
    if out.get("source_url"):
        try:
            _http_url(out["source_url"])
        except ValidationError:
            raise PublishRejected("来源网址应以 http:// 或 https:// 开头") from None
    return out


def check_consistency(document: Document) -> None:
    """Rules across fields, checked on every save."""
    if not document.title:
        raise PublishRejected("请填写标题")
    if document.is_repost and not document.source:
        raise PublishRejected("转载的信息须注明来源")
    if document.needs_interpretation and document.kind not in POLICY_KINDS:
        raise PublishRejected("只有规章、行政规范性文件和其他政策文件需要标注“需要解读”")
    target = document.interprets
    if target is not None:
        if document.kind != DocKind.INTERPRETATION:
            raise PublishRejected("只有政策解读可以关联所解读的文件")
        if target.pk == document.pk:
            raise PublishRejected("政策解读不能解读其自身")
        if target.kind not in POLICY_KINDS:
            raise PublishRejected(
                f"「{target.title}」不是政策文件（规章、行政规范性文件或其他政策文件），不能作为解读对象"
            )
        if target.state == DocState.WITHDRAWN:
            raise PublishRejected(f"「{target.title}」已撤回，不能作为解读对象")


def check_ready(document: Document) -> None:
    """What must be there before review (and again at publication)."""
    check_consistency(document)
    if not document.body_text.strip() and not document.attachments.exists():
        raise PublishRejected("请填写正文或上传附件")
    if document.kind in POLICY_KINDS and document.written_on is None:
        raise PublishRejected(f"{document.get_kind_display()}须填写成文日期")
    if document.kind in NUMBERED_KINDS and not document.doc_number:
        raise PublishRejected(f"{document.get_kind_display()}须填写文号")
    if document.kind == DocKind.INTERPRETATION:
        target = document.interprets
        if target is None:
            raise PublishRejected("政策解读须选择所解读的政策文件")
        if target.state not in INTERPRETABLE_STATES:
            raise PublishRejected(
                f"所解读的文件「{target.title}」尚未送审或发布"
                f"（当前为「{target.get_state_display()}」），请与该文件同步送审"
            )


def _apply(document: Document, cleaned: dict[str, Any]) -> bool:
    """Set the fields; whether the scanned text (title, metadata or body) changed."""
    before = (document.title, gate.metadata_text(document), document.body_html)
    for name, value in cleaned.items():
        setattr(document, name, value)
    if "body_html" in cleaned:
        document.body_text = html_to_text(document.body_html)
    return (document.title, gate.metadata_text(document), document.body_html) != before


@transaction.atomic
def create_document(user: Any, *, unit: Any, **fields: Any) -> Document:
    """A new draft for `unit` (the user must be a liaison of it, or the office). `body_html` is
    sanitised; the body is scanned by the privacy gate."""
    if not can_draft_for(user, unit.pk):
        raise PermissionDenied("只能为本单位起草信息")
    if not unit.active:
        raise PublishRejected(f"单位「{unit.name}」已停用，不能起草信息")
    if "kind" not in fields:
        raise PublishRejected("请选择信息类别")
    cleaned = clean_fields(user, fields)
    document = Document(unit=unit, created_by=_actor(user))
    _apply(document, cleaned)
    check_consistency(document)
    document.save()
    audit_create(user, document, comment="新建草稿")
    gate.check_body(document)
    return document


@transaction.atomic
def update_document(user: Any, document: Document, **fields: Any) -> Document:
    """Change a draft or returned document (EDITABLE_FIELDS only); rescans a changed body."""
    original, document = document, lock(document)
    if not can_edit(user, document):
        if document.state not in (DocState.DRAFT, DocState.RETURNED):
            raise PublishRejected(
                f"该信息当前状态为「{document.get_state_display()}」，只有草稿或退回的信息可以修改"
            )
        raise PermissionDenied("只有本单位联络员或公开办可以修改该信息")
    cleaned = clean_fields(user, fields)
    before = safe_snapshot(document)
    rescan = _apply(document, cleaned)
    check_consistency(document)
    document.save()
    audit_change(user, document, before, comment="修改信息")
    if rescan:
        gate.check_body(document)
    return sync(original, document)


def _require_editable(user: Any, document: Document, act: str) -> None:
    if document.state not in (DocState.DRAFT, DocState.RETURNED):
        raise PublishRejected(
            f"该信息当前状态为「{document.get_state_display()}」，不能{act}（只有草稿或退回的信息可以）"
        )
    if not can_edit(user, document):
        raise PermissionDenied(f"只有本单位联络员或公开办可以{act}")


def add_attachment(user: Any, document: Document, upload: UploadedFile) -> DocumentAttachment:
    """Store a file (validated by content), extract its text and scan it."""
    _require_editable(user, lock_free(document), "上传附件")
    try:
        stored = files.save_upload(upload)
    except files.FileRejected as exc:
        raise PublishRejected(str(exc)) from None
    try:
        data = files.read_bytes(stored.stored_name)
        text = files.extract_text(data, files.file_type(stored.stored_name).ext)
        with transaction.atomic():
            document = lock(document)
            _require_editable(user, document, "上传附件")
            if document.attachments.count() >= MAX_ATTACHMENTS:
                raise PublishRejected(f"每条信息最多 {MAX_ATTACHMENTS} 个附件")
            last = document.attachments.aggregate(m=Max("position"))["m"]
            attachment = DocumentAttachment.objects.create(
                document=document,
                stored_name=stored.stored_name,
                original_name=stored.filename[:200],
                file_type=stored.stored_name.rsplit(".", 1)[-1],
                size=stored.size,
                text=text,
                position=0 if last is None else last + 1,
                uploaded_by=_actor(user),
            )
            audit_create(user, attachment, comment=f"上传附件「{attachment.original_name}」")
            gate.check_attachment(attachment, data)
    except BaseException:
        files.delete_file(stored.stored_name)
        raise
    return attachment


def lock_free(document: Document) -> Document:
    """The document as stored now, without a lock: a quick check before storing a file."""
    return Document.objects.select_related("unit").get(pk=document.pk)


@transaction.atomic
def remove_attachment(user: Any, attachment: DocumentAttachment) -> None:
    document = lock(attachment.document)
    _require_editable(user, document, "删除附件")
    attachment = DocumentAttachment.objects.get(pk=attachment.pk, document=document)
    stored = attachment.stored_name
    audit_delete(user, attachment, comment=f"删除附件「{attachment.original_name}」")
    attachment.delete()
    transaction.on_commit(lambda: files.delete_file(stored))
