"""Every change to the proposal register, one function per act (atomic, audited).

A refused act raises ProposalRejected with the reason in Chinese and changes nothing; acting
without the right raises PermissionDenied. The public draft of a reply and the yearly summary
are documents of the document register (gongkai.publishing.actions): they go through its
review chain and privacy gate like any other, and nothing here publishes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import Snapshot, diff, record, snapshot
from gongkai.disclosure.text import plain_text
from gongkai.proposals.access import is_office, require_office, require_replier
from gongkai.proposals.models import (
    Kind,
    Level,
    Proposal,
    PublicForm,
    Result,
    YearSummary,
    default_due,
)
from gongkai.proposals.summary import summary_paragraphs, year_figures
from gongkai.publishing import actions as publishing
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.publishing.sanitize import text_to_html
from gongkai.units.models import Unit
from gongkai.work.evidence import (
    EvidenceRejected,
    delete_evidence_file,
    open_evidence_file,
    save_evidence_file,
)

#: Where reply letters are stored (MEDIA_ROOT/proposals, like evidence).
AREA = "proposals"
MAX_REPLY = 20000
MAX_REASON = 2000
#: States of a public draft that may still be rewritten from the register.
EDITABLE = (DocState.DRAFT, DocState.RETURNED)
#: States in which a draft is on its way: a second one would be a duplicate.
UNDER_WAY = (DocState.REVIEW, DocState.APPROVED)


class ProposalRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


def today() -> dt.date:
    return timezone.localdate()


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _text(value: str, limit: int, label: str) -> str:
    cleaned = plain_text(value or "").strip()
    if len(cleaned) > limit:
        raise ProposalRejected(f"{label}不能超过 {limit} 字（现为 {len(cleaned)} 字）")
    return cleaned


#: Long texts are kept out of the audit trail (the privacy gate may find personal data in a
#: reply, and the trail cannot be edited); their length and a fingerprint show the change.
_SUMMARISED = ("reply_text", "summary")


def _snapshot(p: Proposal) -> Snapshot:
    data = snapshot(p)
    for name in _SUMMARISED:
        value = data.get(name)
        if isinstance(value, str) and value:
            digest = hashlib.sha256(value.encode()).hexdigest()[:12]
            data[name] = f"（{len(value)} 字，摘要 {digest}）"
    return data


def _audit(user: Any, p: Proposal, before: Snapshot | None, comment: str) -> None:
    action = AuditAction.CREATE if before is None else AuditAction.CHANGE
    changes = diff(before, _snapshot(p))
    if changes or comment:
        record(user, action, p, changes=changes, comment=comment)


def _lock(p: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("unit", "document")
        .get(pk=p.pk)
    )


# -- registering (the office) -----------------------------------------------------------------


@dataclass
class Registration:
    year: int
    level: str
    kind: str
    number: str
    title: str
    deputies: str
    unit: Unit
    received_on: dt.date
    due_on: dt.date | None = None
    co_units: Sequence[Unit] = field(default_factory=list)


def _check(data: Registration) -> dt.date:
    """The registration's rules across fields; the due date to store."""
    if data.level not in Level.values:
        raise ProposalRejected("请选择级别")
    if data.kind not in Kind.values:
        raise ProposalRejected("请选择类别（人大代表建议或政协委员提案）")
    if not data.number.strip():
        raise ProposalRejected("请填写编号")
    if not data.title.strip():
        raise ProposalRejected("请填写标题")
    if not data.deputies.strip():
        raise ProposalRejected("请填写提出建议、提案的代表或委员")
    if data.received_on > today():
        raise ProposalRejected("交办日期不能晚于今天")
    if not data.year - 1 <= data.received_on.year <= data.year + 1:
        raise ProposalRejected(
            f"交办日期 {data.received_on.isoformat()} 与年度 {data.year} 相差过远，请核对"
        )
    due = data.due_on or default_due(data.received_on)
    if due < data.received_on:
        raise ProposalRejected("办复期限不能早于交办日期")
    if not data.unit.active:
        raise ProposalRejected(f"单位「{data.unit.name}」已停用，不能作为主办单位")
    if any(u.pk == data.unit.pk for u in data.co_units):
        raise ProposalRejected("主办单位不能同时作为协办单位")
    return due


def _duplicate(data: Registration, exclude: int | None = None) -> None:
    qs = Proposal.objects.filter(
        year=data.year, level=data.level, kind=data.kind, number=data.number.strip()
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise ProposalRejected(
            f"{data.year}年{Level(data.level).label}{Kind(data.kind).label}"
            f"{data.number.strip()}已登记，编号不能重复"
        )


def _fill(p: Proposal, data: Registration, due: dt.date) -> None:
    p.year, p.level, p.kind = data.year, data.level, data.kind
    p.number = data.number.strip()
    p.title = " ".join(data.title.split())
    p.deputies = " ".join(data.deputies.split())
    p.unit = data.unit
    p.received_on, p.due_on = data.received_on, due


@transaction.atomic
def register(user: Any, data: Registration) -> Proposal:
    require_office(user, "只有公开办可以登记建议提案")
    due = _check(data)
    _duplicate(data)
    p = Proposal(created_by=_actor(user))
    _fill(p, data, due)
    try:
        with transaction.atomic():
            p.save()
    except IntegrityError:  # a second registration of the same number at the same moment
        raise ProposalRejected(f"{p.label}已登记，编号不能重复") from None
    p.co_units.set(data.co_units)
    _audit(user, p, None, "登记并交办")
    return p


@transaction.atomic
def update_registration(user: Any, proposal: Proposal, data: Registration) -> Proposal:
    """Change what was registered (a new due date, another lead unit…); the stamps of the
    reminders are cleared when the due date or the lead unit changes, so the new date or the
    new unit is reminded too."""
    require_office(user, "只有公开办可以修改建议提案的登记信息")
    p = _lock(proposal)
    due = _check(data)
    _duplicate(data, exclude=p.pk)
    doc = p.document
    handed_on = doc is not None and doc.unit_id != data.unit.pk
    if handed_on and doc is not None and doc.state not in (*EDITABLE, DocState.WITHDRAWN):
        raise ProposalRejected(
            f"公开复文「{doc.title}」{doc.get_state_display()}，不能更换主办单位；"
            "如确需更换，请待该文稿退回，或由公开办撤回已发布的文稿后再改"
        )
    before = _snapshot(p)
    if handed_on and doc is not None:
        # The old unit's unsent draft cannot be withdrawn (only published documents can): it
        # is emptied and let go, and the new lead unit makes its own.
        if doc.state in EDITABLE:
            try:
                _void_draft(user, doc, "该建议提案已改由其他单位主办")
            except publishing.PublishRejected as exc:
                raise ProposalRejected(str(exc)) from None
        p.document = None
    _fill(p, data, due)
    # A new due date, or a new lead unit that was never told: the reminders start again.
    if before["due_on"] != due.isoformat() or before["unit"] != data.unit.pk:
        p.reminded_soon_on = p.reminded_overdue_on = p.overdue_alerted_on = None
    p.save()
    p.co_units.set(data.co_units)
    _audit(user, p, before, "修改登记信息")
    return p


# -- the reply (the lead unit) ----------------------------------------------------------------


@dataclass
class Reply:
    replied_on: dt.date
    result: str
    reply_text: str = ""
    disclose: bool = True
    withhold_reason: str = ""
    public_form: str = PublicForm.FULL
    summary: str = ""


def _check_reply(p: Proposal, r: Reply, has_letter: bool) -> Reply:
    if r.replied_on > today():
        raise ProposalRejected("办复日期不能晚于今天")
    if r.replied_on < p.received_on:
        raise ProposalRejected(f"办复日期不能早于交办日期 {p.received_on.isoformat()}")
    if r.result not in Result.values:
        raise ProposalRejected("请选择办理结果")
    text = _text(r.reply_text, MAX_REPLY, "答复内容")
    if not text and not has_letter:
        raise ProposalRejected("请填写答复内容或上传复文文件")
    reason = _text(r.withhold_reason, MAX_REASON, "不公开的理由")
    if not r.disclose and not reason:
        raise ProposalRejected("复文不公开的，须说明理由（如涉及国家秘密、商业秘密或个人隐私）")
    if r.public_form not in PublicForm.values:
        raise ProposalRejected("请选择公开方式")
    summary = _text(r.summary, MAX_REPLY, "复文摘要")
    if r.disclose and r.public_form == PublicForm.SUMMARY and not summary:
        raise ProposalRejected("摘要公开的，须填写复文摘要")
    return Reply(
        replied_on=r.replied_on,
        result=r.result,
        reply_text=text,
        disclose=r.disclose,
        withhold_reason="" if r.disclose else reason,
        public_form=r.public_form,
        summary=summary,
    )


def record_reply(
    user: Any, proposal: Proposal, reply: Reply, letter: UploadedFile | None = None
) -> Proposal:
    """Record (or correct) the reply. The letter, if sent, is checked by its content and
    replaces any earlier one."""
    require_replier(user, proposal)
    stored = None
    if letter is not None:
        try:
            stored = save_evidence_file(letter, AREA)
        except EvidenceRejected as exc:
            raise ProposalRejected(str(exc)) from None
    replaced = ""
    try:
        with transaction.atomic():
            p = _lock(proposal)
            require_replier(user, p)
            cleaned = _check_reply(p, reply, has_letter=stored is not None or p.has_letter)
            before = _snapshot(p)
            public_before = _public_content(p)
            if stored is not None:
                replaced = p.letter_stored
                p.letter_stored, p.letter_name = stored.stored_name, stored.filename[:200]
                p.letter_type, p.letter_size = stored.content_type, stored.size
                p.letter_sha256 = stored.sha256
            p.replied_on, p.result = cleaned.replied_on, cleaned.result
            p.reply_text, p.disclose = cleaned.reply_text, cleaned.disclose
            p.withhold_reason, p.public_form = cleaned.withhold_reason, cleaned.public_form
            p.summary = cleaned.summary
            _guard_public_draft(p, public_before, replaced_letter=stored is not None)
            p.save()
            _audit(user, p, before, "办复" if before["replied_on"] is None else "修改办复情况")
            _follow_draft(user, p, public_before, replaced_letter=stored is not None)
    except BaseException:
        if stored is not None:
            delete_evidence_file(stored.stored_name, AREA)
        raise
    if replaced:
        delete_evidence_file(replaced, AREA)
    return p


def _public_content(p: Proposal, letter_changed: bool = False) -> tuple[Any, ...]:
    """What the public draft is made of: whether and how the reply is disclosed, the text it
    shows and (in full) the letter."""
    full = p.public_form == PublicForm.FULL
    text = p.reply_text if full else p.summary
    letter = p.letter_sha256 if full else ""
    return (p.disclose, p.public_form, text, letter, letter_changed and full)


def _guard_public_draft(p: Proposal, before: tuple[Any, ...], *, replaced_letter: bool) -> None:
    """A public draft in review, approved or published holds the reply as it was: the register
    may not say less is public (不公开, only a summary) or other words than it. The document
    must first come back (退回) or be withdrawn (撤回)."""
    doc = p.document
    if doc is None or doc.state not in (*UNDER_WAY, DocState.PUBLISHED):
        return
    if before != _public_content(p, replaced_letter):
        raise ProposalRejected(
            f"公开复文「{doc.title}」{doc.get_state_display()}，不能改为不公开或修改公开的内容；"
            "如确需修改，请待该文稿退回，或由公开办在信息发布中撤回已发布的文稿后再改"
        )


def _follow_draft(
    user: Any, p: Proposal, before: tuple[Any, ...], *, replaced_letter: bool
) -> None:
    """A draft not yet submitted follows the register at once, so that what goes to review is
    never more than the register allows: rewritten from the reply, or emptied when the reply
    is no longer to be disclosed."""
    doc = p.document
    if doc is None or doc.state not in EDITABLE:
        return
    if before == _public_content(p, replaced_letter):
        return
    try:
        if p.disclose:
            _rewrite_draft(user, p, doc)
            comment = "按修改后的复文更新公开文稿"
        else:
            _void_draft(user, doc, "该复文已登记为不公开")
            comment = "复文改为不公开，公开文稿草稿已清空作废"
    except publishing.PublishRejected as exc:
        raise ProposalRejected(str(exc)) from None
    record(user, AuditAction.CHANGE, p, comment=comment)


def _clear_attachments(user: Any, doc: Document) -> None:
    for attachment in list(doc.attachments.all()):
        publishing.remove_attachment(user, attachment)


def _void_draft(user: Any, doc: Document, why: str) -> None:
    """Empty an unsent draft (the document register cannot discard one): no word or file of
    the reply stays in it."""
    publishing.update_document(
        user,
        doc,
        title="（已作废）建议提案复文公开草稿",
        body_html=f"<p>{why}，本草稿作废，请勿送审。</p>",
    )
    _clear_attachments(user, doc)


# -- making the public draft ------------------------------------------------------------------


def _reply_body(p: Proposal) -> str:
    if p.public_form == PublicForm.SUMMARY:
        return text_to_html(p.summary)
    if p.reply_text:
        return text_to_html(p.reply_text)
    return "<p>答复全文见附件。</p>"


def _attach_letter(user: Any, p: Proposal, document: Document) -> None:
    handle, kind = open_evidence_file(p.letter_stored, AREA)
    with handle:
        data = handle.read()
    upload = SimpleUploadedFile(p.letter_name or f"复文.{kind.ext}", data, kind.content_type)
    try:
        publishing.add_attachment(user, document, upload)
    except publishing.PublishRejected as exc:
        raise ProposalRejected(f"复文文件不能附到公开文稿：{exc}") from None


def _draft_fields(p: Proposal) -> dict[str, Any]:
    title = f"对{p.label}《{p.title}》的答复"
    return {"title": title[:300], "body_html": _reply_body(p), "written_on": p.replied_on}


def _rewrite_draft(user: Any, p: Proposal, doc: Document) -> Document:
    """The unsent draft made again from the register. Its files are the register's too: the
    letter is attached only to a reply disclosed in full, so a summary never carries it."""
    doc = publishing.update_document(user, doc, **_draft_fields(p))
    _clear_attachments(user, doc)
    if p.public_form == PublicForm.FULL and p.has_letter:
        _attach_letter(user, p, doc)
    return doc


@transaction.atomic
def publish_reply(user: Any, proposal: Proposal) -> Document:
    """ "公开复文": a draft of the reply (in full or the summary) for the lead unit, in the
    document register; a draft not yet submitted is rewritten from the register instead."""
    require_replier(user, proposal)
    p = _lock(proposal)
    if not p.is_replied:
        raise ProposalRejected("尚未办复，不能公开复文")
    if not p.disclose:
        raise ProposalRejected(f"该复文登记为不公开（理由：{p.withhold_reason}），不能生成公开文稿")
    doc = p.document
    if doc is not None and doc.state in UNDER_WAY:
        raise ProposalRejected(f"公开复文已在审核流程中（{doc.get_state_display()}），无需重复生成")
    if doc is not None and doc.state == DocState.PUBLISHED:
        raise ProposalRejected("复文已公开；如需更正，请先在信息发布中撤回原文稿")
    try:
        if doc is not None and doc.state in EDITABLE:
            doc = _rewrite_draft(user, p, doc)
            comment = "按登记的复文更新公开文稿"
        else:
            doc = publishing.create_document(
                user, unit=p.unit, kind=DocKind.OTHER, topic="建议提案办理", **_draft_fields(p)
            )
            if p.public_form == PublicForm.FULL and p.has_letter:
                _attach_letter(user, p, doc)
            comment = "生成公开复文草稿"
    except publishing.PublishRejected as exc:
        raise ProposalRejected(str(exc)) from None
    before = _snapshot(p)
    p.document = doc
    p.save(update_fields=["document", "updated_at"])
    _audit(user, p, before, comment)
    return doc


# -- the yearly summary (the office) ----------------------------------------------------------


def latest_summary(year: int) -> YearSummary | None:
    return (
        YearSummary.objects.filter(year=year).order_by("-serial").select_related("document").first()
    )


@transaction.atomic
def generate_summary(user: Any, year: int) -> YearSummary:
    """ "生成总体情况": a draft with the year's figures, for the office's own unit; an unsent
    draft is rewritten with today's figures, one in review is left alone."""
    require_office(user, "只有公开办可以生成建议提案办理总体情况")
    unit = user.primary_unit() if is_office(user) else None
    if unit is None:
        raise ProposalRejected("您的账号未归属任何单位，无法确定总体情况的发布单位")
    figures = year_figures(None, year, today())
    if not figures.received:
        raise ProposalRejected(f"{year}年尚未登记建议提案，无法生成总体情况")
    body = "".join(f"<p>{line}</p>" for line in summary_paragraphs(figures, "各承办单位"))
    fields = {"title": f"{year}年人大代表建议和政协委员提案办理总体情况", "body_html": body}
    last = latest_summary(year)
    try:
        if last is not None and last.document.state in UNDER_WAY:
            raise ProposalRejected(
                f"上次生成的总体情况正在审核（{last.document.get_state_display()}），"
                "请待其发布或退回后再生成"
            )
        if last is not None and last.document.state in EDITABLE:
            publishing.update_document(user, last.document, **fields)
            record(user, AuditAction.CHANGE, last, comment="按最新数据重新生成总体情况")
            return last
        doc = publishing.create_document(
            user, unit=unit, kind=DocKind.OTHER, topic="建议提案办理", **fields
        )
    except publishing.PublishRejected as exc:
        raise ProposalRejected(str(exc)) from None
    serial = last.serial + 1 if last is not None else 1
    try:
        with transaction.atomic():
            summary = YearSummary.objects.create(
                year=year, serial=serial, document=doc, created_by=_actor(user)
            )
    except IntegrityError:  # another generation of the year got there first; its draft stands
        raise ProposalRejected(
            f"{year}年的总体情况草稿刚刚已由他人生成，本次未重复生成，请刷新页面查看"
        ) from None
    record(user, AuditAction.CREATE, summary, changes=diff(None, snapshot(summary)))
    return summary
