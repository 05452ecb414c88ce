"""The draft and its window: drafting, attachments, publishing (the 30-day rule and the privacy
scan), extending the window, linking the decision, and ending windows that are over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_create, record_delete
from gongkai.consult.access import may_draft, require_editor, require_office
from gongkai.consult.actions.base import (
    MAX_ATTACHMENTS,
    MAX_REASON,
    MAX_TITLE,
    ConsultRejected,
    actor,
    audit_change,
    audit_create,
    catch_up,
    end_window_if_due,
    lock,
    move,
    require_state,
    rich,
    safe_snapshot,
    text,
    today,
)
from gongkai.consult.models import (
    MIN_WINDOW_DAYS,
    Attachment,
    Consultation,
    ConsultState,
)
from gongkai.privacy import KIND_LABELS, HitKind, find_hits, scan_bytes
from gongkai.publishing.models import DocState, Document
from gongkai.publishing.redact import html_attributes
from gongkai.publishing.sanitize import html_to_text
from gongkai.units.models import Unit
from gongkai.work.evidence import (
    EvidenceRejected,
    delete_evidence_file,
    evidence_path,
    save_evidence_file,
)

#: Where attachments are kept, under MEDIA_ROOT.
AREA = "consult"


@dataclass
class DraftInput:
    unit: Unit
    title: str
    draft: str = ""  # rich text: HTML is cleaned, plain text becomes paragraphs
    explanation: str = ""
    interpretation: str = ""
    accepts_online: bool = True
    email: str = ""
    postal_address: str = ""
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    short_reason: str = ""
    is_major_decision: bool = False


def _check_unit(user: Any, unit: Unit) -> None:
    if not getattr(user, "is_office", False) and unit.pk not in user.unit_ids():
        raise PermissionDenied("只能为本单位起草征求意见稿")
    if not unit.active:
        raise ConsultRejected(f"单位「{unit.name}」已停用")


def _fields(data: DraftInput) -> dict[str, Any]:
    title = text(data.title, MAX_TITLE, "标题")
    if not title:
        raise ConsultRejected("请填写标题")
    email = text(data.email, 254, "电子邮箱")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ConsultRejected("接收意见的电子邮箱格式不正确") from None
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        raise ConsultRejected("截止日期不能早于开始日期")
    return {
        "unit": data.unit,
        "title": title,
        "draft_html": rich(data.draft, "征求意见稿"),
        "explanation_html": rich(data.explanation, "起草说明"),
        "interpretation_html": rich(data.interpretation, "解读"),
        "accepts_online": bool(data.accepts_online),
        "email": email,
        "postal_address": text(data.postal_address, 300, "通信地址"),
        "opens_on": data.opens_on,
        "closes_on": data.closes_on,
        "short_reason": text(data.short_reason, MAX_REASON, "缩短征求意见期的理由"),
        "is_major_decision": bool(data.is_major_decision),
    }


def create_draft(user: Any, data: DraftInput) -> Consultation:
    """A new draft of `data.unit` (a liaison of it, or the office)."""
    if not getattr(user, "is_authenticated", False) or not may_draft(user):
        raise PermissionDenied("只有公开办或单位联络员可以起草征求意见稿")
    _check_unit(user, data.unit)
    fields = _fields(data)
    with transaction.atomic():
        made = Consultation.objects.create(**fields, created_by=actor(user))
        audit_create(user, made, "新建征求意见稿")
    return made


def edit_draft(user: Any, consultation: Consultation, data: DraftInput) -> Consultation:
    """Change a draft; once published it is fixed (only the window can be extended)."""
    require_editor(user, consultation)
    if data.unit.pk != consultation.unit_id:
        _check_unit(user, data.unit)
    fields = _fields(data)
    with transaction.atomic():
        c = lock(consultation)
        require_state(
            c, (ConsultState.DRAFT,), "修改（已发布的征求意见稿不能修改，只能延长征求意见期）"
        )
        before = safe_snapshot(c)
        for name, value in fields.items():
            setattr(c, name, value)
        c.save()
        audit_change(user, c, before, "修改征求意见稿")
    return c


# -- attachments ------------------------------------------------------------------------------


def add_attachment(user: Any, consultation: Consultation, upload: UploadedFile) -> Attachment:
    """Store a file with the draft (PDF, docx, xlsx, JPG, PNG, recognised by content)."""
    require_editor(user, consultation)
    require_state(consultation, (ConsultState.DRAFT,), "添加附件")
    if consultation.attachments.count() >= MAX_ATTACHMENTS:
        raise ConsultRejected(f"附件最多 {MAX_ATTACHMENTS} 个")
    try:
        stored = save_evidence_file(upload, AREA)
    except EvidenceRejected as exc:
        raise ConsultRejected(str(exc)) from None
    try:
        with transaction.atomic():
            c = lock(consultation)
            require_state(c, (ConsultState.DRAFT,), "添加附件")
            made = Attachment.objects.create(
                consultation=c,
                stored_name=stored.stored_name,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor(user),
            )
            record_create(user, made, "上传附件")
    except BaseException:
        delete_evidence_file(stored.stored_name, AREA)
        raise
    return made


def remove_attachment(user: Any, attachment: Attachment) -> None:
    require_editor(user, attachment.consultation)
    with transaction.atomic():
        c = lock(attachment.consultation)
        require_state(c, (ConsultState.DRAFT,), "删除附件")
        stored = attachment.stored_name
        record_delete(user, attachment, "删除附件")
        attachment.delete()
        transaction.on_commit(lambda: delete_evidence_file(stored, AREA))


# -- publishing -------------------------------------------------------------------------------


def window_problem(opens_on: dt.date, closes_on: dt.date, short_reason: str) -> str:
    """Why this window is refused ("" when it is fine): closes before it opens, or shorter
    than MIN_WINDOW_DAYS (both ends counted) without a reason."""
    if closes_on < opens_on:
        return "截止日期不能早于开始日期"
    days = (closes_on - opens_on).days + 1
    if days < MIN_WINDOW_DAYS and not short_reason.strip():
        return (
            f"征求意见期为 {days} 日（{opens_on.isoformat()} 至 {closes_on.isoformat()}，"
            f"首尾两日均计入），少于 {MIN_WINDOW_DAYS} 日。依照《重大行政决策程序暂行条例》"
            "第十五条，征求意见期限一般不少于 30 日；确需缩短的，请填写缩短的理由"
        )
    return ""


def publish_problems(consultation: Consultation, day: dt.date) -> list[str]:
    """Everything that stops the draft from being published today (empty: it may be)."""
    c = consultation
    if c.state != ConsultState.DRAFT:
        return [f"该意见征集已发布（{c.get_state_display()}）"]
    problems = []
    if not html_to_text(c.draft_html):
        problems.append("请填写征求意见稿正文")
    if not html_to_text(c.explanation_html):
        problems.append("请填写起草说明（第十五条要求与征求意见稿一并公布）")
    if not (c.accepts_online or c.email or c.postal_address):
        problems.append("请至少提供一种提交意见的方式：网上提交、电子邮箱或通信地址")
    if c.opens_on is None or c.closes_on is None:
        problems.append("请填写征求意见的开始日期和截止日期")
    else:
        if c.opens_on < day:
            problems.append(f"开始日期 {c.opens_on.isoformat()} 早于今天（{day.isoformat()}）")
        if problem := window_problem(c.opens_on, c.closes_on, c.short_reason):
            problems.append(problem)
    if not c.unit.active:
        problems.append(f"单位「{c.unit.name}」已停用")
    return problems


def _tally(kinds: Iterable[HitKind]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[KIND_LABELS[kind]] = counts.get(KIND_LABELS[kind], 0) + 1
    return counts


def _describe(where: str, counts: dict[str, int]) -> str:
    return where + "中有" + "、".join(f"{label} {n} 处" for label, n in counts.items())


def privacy_findings(consultation: Consultation) -> list[str]:
    """Personal data found in what the public will read: the title, the three texts (link
    addresses and titles included) and the attachments (hidden parts of Office files
    included). A file that cannot be read is listed too."""
    found = []
    if counts := _tally(h.kind for h in find_hits(consultation.title)):
        found.append(_describe("标题", counts))
    for label, html in (
        ("征求意见稿", consultation.draft_html),
        ("起草说明", consultation.explanation_html),
        ("解读", consultation.interpretation_html),
    ):
        links, others = html_attributes(html)
        readable = "\n".join([html_to_text(html), *links, *others])
        if counts := _tally(h.kind for h in find_hits(readable)):
            found.append(_describe(label, counts))
    for attachment in consultation.attachments.all():
        where = f"附件「{attachment.filename}」"
        try:
            data = evidence_path(attachment.stored_name, AREA).read_bytes()
        except FileNotFoundError:
            found.append(f"{where}的文件已不存在")
            continue
        scan = scan_bytes(data, attachment.filename)
        if counts := _tally(f.hit.kind for f in scan.findings):
            found.append(_describe(where, counts))
        found.extend(p if attachment.filename in p else f"{where}：{p}" for p in scan.problems)
    return found


def publish(user: Any, consultation: Consultation, *, privacy_override: str = "") -> Consultation:
    """Put the draft out for comment (the office). Refused while publish_problems has anything
    to say, and while the privacy scan finds personal data unless the office gives a reason."""
    require_office(user)
    override = text(privacy_override, MAX_REASON, "放行理由")
    with transaction.atomic():
        c = lock(consultation)
        if problems := publish_problems(c, today()):
            raise ConsultRejected("不能发布：" + "；".join(problems))
        findings = privacy_findings(c)
        if findings and not override:
            raise ConsultRejected(
                "发布前的个人信息检查发现：" + "；".join(findings) + "。请删除或遮盖后再发布；"
                "确认可以公开的，请填写放行理由"
            )
        before = safe_snapshot(c)
        c.published_at = timezone.now()
        c.published_by = actor(user)
        c.privacy_override = override if findings else ""
        c.save()
        audit_change(user, c, before, "个人信息检查：" + "；".join(findings) if findings else "")
        move(user, c, ConsultState.OPEN, "发布征求意见稿")
    return c


def extend_window(
    user: Any, consultation: Consultation, closes_on: dt.date, reason: str
) -> Consultation:
    """Move the deadline later while comments are still taken (the office), with a reason."""
    require_office(user)
    why = text(reason, MAX_REASON, "延长理由")
    if not why:
        raise ConsultRejected("请填写延长征求意见期的理由")
    catch_up(consultation)
    with transaction.atomic():
        c = lock(consultation)
        day = today()
        end_window_if_due(c, day)
        require_state(c, (ConsultState.OPEN,), "延长征求意见期")
        assert c.closes_on is not None  # an open consultation has its window
        if closes_on <= c.closes_on:
            raise ConsultRejected(f"新的截止日期须晚于原截止日期 {c.closes_on.isoformat()}")
        before = safe_snapshot(c)
        c.closes_on = closes_on
        c.save()
        audit_change(user, c, before, f"延长征求意见期：{why}")
    return c


def link_decision(user: Any, consultation: Consultation, document: Document | None) -> Consultation:
    """Name the published decision or document that came out of the consultation (Art. 32);
    None removes the link."""
    require_editor(user, consultation)
    if document is not None and document.state != DocState.PUBLISHED:
        raise ConsultRejected("只能关联已发布的政府信息")
    with transaction.atomic():
        c = lock(consultation)
        if c.state == ConsultState.DRAFT:
            raise ConsultRejected("征求意见稿发布后才能关联决策文件")
        before = safe_snapshot(c)
        c.decision = document
        c.save()
        audit_change(user, c, before, "关联决策文件" if document else "取消关联决策文件")
    return c


def end_due_windows(day: dt.date | None = None) -> int:
    """Move every open consultation whose window is over to "ended"; how many moved."""
    day = day or today()
    moved = 0
    for pk in (
        Consultation.objects.window_over(day)
        .filter(state=ConsultState.OPEN)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            c = Consultation.objects.select_for_update().get(pk=pk)
            if c.state == ConsultState.OPEN:
                end_window_if_due(c, day)
                moved += 1
    return moved
