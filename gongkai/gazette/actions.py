"""Everything that changes the gazette: one function per act, one transaction each, audited.

Views, the demo and tests call these. A refused act raises `GazetteRejected` with the reason in
Chinese and changes nothing; an act the user may not do raises PermissionDenied (403). All acts
are the office's.

The flow (IssueState): the office creates an issue (草稿), adds its contents — each item a
published document of the register or an uploaded PDF — and, if it has one, the full PDF of
the issue; publishes it (已发布, on the portal). A published issue is changed only after it is
withdrawn to 草稿 with a reason, so the portal never shows half an edit. Publishing writes the
issue's PDFs into the portal's search index and withdrawing takes them out (search_index), in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import Snapshot, diff, record, record_transition, snapshot
from gongkai.disclosure.text import plain_text
from gongkai.gazette import pdf, search_index
from gongkai.gazette.access import require_editor
from gongkai.gazette.models import GazetteInfo, Issue, IssueState, Item
from gongkai.publishing.models import DocState, Document

MAX_NOTE = 2000
MAX_TITLE = 300
MAX_SECTION = 50
MAX_DOC_NUMBER = 100
MAX_REASON = 500
MAX_ITEMS = 500
MAX_HOW = 2000


class GazetteRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


@dataclass(frozen=True)
class IssueInput:
    year: int
    number: int
    published_on: dt.date
    total_number: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ItemInput:
    section: str
    title: str = ""
    doc_number: str = ""
    #: A published document of the register; None when the item is an uploaded PDF.
    document: Document | None = None
    position: int | None = None


@dataclass(frozen=True)
class InfoInput:
    address: str = ""
    phone: str = ""
    hours: str = ""
    how_to_obtain: str = ""


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _text(value: str, limit: int, label: str) -> str:
    cleaned = plain_text(value or "").strip()
    if len(cleaned) > limit:
        raise GazetteRejected(f"{label}不能超过 {limit} 字（现为 {len(cleaned)} 字）")
    return cleaned


def _snap(obj: Any) -> Snapshot:
    """A snapshot without the PDF's text (up to a million characters; its digest says enough)."""
    data = snapshot(obj)
    data.pop("pdf_text", None)
    return data


def _audit_change(user: Any, obj: Any, before: Snapshot, comment: str = "") -> None:
    changes = diff(before, _snap(obj))
    if changes or comment:
        record(user, AuditAction.CHANGE, obj, changes=changes, comment=comment)


def _lock(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _require_draft(issue: Issue, act: str) -> None:
    if issue.state != IssueState.DRAFT:
        raise GazetteRejected(f"{issue.label}已发布，须先撤回发布才能{act}")


def _sync(target: Issue, source: Issue) -> Issue:
    target.__dict__.update({k: v for k, v in source.__dict__.items() if not k.startswith("_")})
    return target


# -- issues -----------------------------------------------------------------------------------


def _check_issue(data: IssueInput, exclude: int | None = None) -> None:
    if not 1949 <= data.year <= 9999:
        raise GazetteRejected(f"年份「{data.year}」不正确")
    if data.number < 1:
        raise GazetteRejected("期号须为正整数")
    if data.total_number is not None and data.total_number < 1:
        raise GazetteRejected("总期号须为正整数")
    if abs(data.published_on.year - data.year) > 1:
        raise GazetteRejected(
            f"出版日期 {data.published_on:%Y-%m-%d} 与年份 {data.year} 不符，请核对"
        )
    others = Issue.objects.exclude(pk=exclude) if exclude else Issue.objects.all()
    if others.filter(year=data.year, number=data.number).exists():
        raise GazetteRejected(f"{data.year}年第{data.number}期已经存在")
    if data.total_number and others.filter(total_number=data.total_number).exists():
        raise GazetteRejected(f"总第{data.total_number}期已经存在")


def _unique_race(data: IssueInput) -> GazetteRejected:
    return GazetteRejected(f"{data.year}年第{data.number}期或其总期号刚被他人登记，请核对后重试")


def create_issue(user: Any, data: IssueInput) -> Issue:
    require_editor(user)
    note = _text(data.note, MAX_NOTE, "本期说明")
    _check_issue(data)
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                year=data.year,
                number=data.number,
                total_number=data.total_number,
                published_on=data.published_on,
                note=note,
                created_by=_actor(user),
            )
            record(user, AuditAction.CREATE, issue, changes=diff(None, _snap(issue)))
    except IntegrityError:
        raise _unique_race(data) from None
    return issue


def edit_issue(user: Any, issue: Issue, data: IssueInput) -> Issue:
    require_editor(user)
    note = _text(data.note, MAX_NOTE, "本期说明")
    try:
        with transaction.atomic():
            locked = _lock(issue)
            _require_draft(locked, "修改")
            _check_issue(data, exclude=locked.pk)
            before = _snap(locked)
            locked.year, locked.number = data.year, data.number
            locked.total_number, locked.published_on = data.total_number, data.published_on
            locked.note = note
            locked.save()
            _audit_change(user, locked, before)
    except IntegrityError:
        raise _unique_race(data) from None
    return _sync(issue, locked)


def set_issue_pdf(user: Any, issue: Issue, upload: UploadedFile) -> Issue:
    """Attach (or replace) the full PDF of the issue."""
    require_editor(user)
    _require_draft(issue, "上传整期 PDF")
    try:
        saved = pdf.save_pdf(upload)
    except pdf.PdfRejected as exc:
        raise GazetteRejected(str(exc)) from None
    try:
        with transaction.atomic():
            locked = _lock(issue)
            _require_draft(locked, "上传整期 PDF")
            old = locked.pdf_name
            before = _snap(locked)
            for name, value in saved.fields().items():
                setattr(locked, name, value)
            locked.save()
            _audit_change(user, locked, before, "上传整期 PDF")
            if old:
                transaction.on_commit(lambda: pdf.discard(old))
    except BaseException:
        pdf.discard(saved.stored_name)
        raise
    return _sync(issue, locked)


def remove_issue_pdf(user: Any, issue: Issue) -> Issue:
    require_editor(user)
    with transaction.atomic():
        locked = _lock(issue)
        _require_draft(locked, "删除整期 PDF")
        old = locked.pdf_name
        if not old:
            raise GazetteRejected("本期没有整期 PDF")
        before = _snap(locked)
        for name, value in pdf.NO_PDF.items():
            setattr(locked, name, value)
        locked.save()
        _audit_change(user, locked, before, "删除整期 PDF")
        transaction.on_commit(lambda: pdf.discard(old))
    return _sync(issue, locked)


def publish_problems(issue: Issue, today: dt.date) -> list[str]:
    """What stands in the way of publishing the issue (empty: it may be published)."""
    problems = []
    if not issue.items.exists():
        problems.append("本期还没有目录条目")
    if issue.published_on > today:
        problems.append(f"出版日期 {issue.published_on:%Y-%m-%d} 晚于今天")
    withdrawn = issue.items.filter(document__isnull=False).exclude(
        document__state=DocState.PUBLISHED
    )
    for item in withdrawn.order_by("position", "pk")[:10]:
        problems.append(f"条目「{item.title}」关联的文件已不在发布状态，请删除或改为上传 PDF")
    return problems


def publish_issue(user: Any, issue: Issue) -> Issue:
    require_editor(user)
    with transaction.atomic():
        locked = _lock(issue)
        _require_draft(locked, "发布")
        problems = publish_problems(locked, timezone.localdate())
        if problems:
            raise GazetteRejected("不能发布：" + "；".join(problems))
        locked.state = IssueState.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = _actor(user)
        locked.save()
        record_transition(user, locked, "state", IssueState.DRAFT, IssueState.PUBLISHED, "发布")
        search_index.index_issue(locked)
    return _sync(issue, locked)


def withdraw_issue(user: Any, issue: Issue, reason: str) -> Issue:
    """已发布 → 草稿: the issue leaves the portal until it is published again."""
    require_editor(user)
    why = _text(reason, MAX_REASON, "撤回理由")
    if not why:
        raise GazetteRejected("请填写撤回发布的理由")
    with transaction.atomic():
        locked = _lock(issue)
        if locked.state != IssueState.PUBLISHED:
            raise GazetteRejected(f"{locked.label}尚未发布，无需撤回")
        locked.state = IssueState.DRAFT
        locked.save()
        record_transition(
            user, locked, "state", IssueState.PUBLISHED, IssueState.DRAFT, f"撤回发布：{why}"
        )
        search_index.remove_issue(locked)
    return _sync(issue, locked)


# -- contents ---------------------------------------------------------------------------------


def add_item(user: Any, issue: Issue, data: ItemInput, upload: UploadedFile | None) -> Item:
    """Add one entry to a draft issue: a published document of the register (its title and
    文号 are taken from it when left empty) or an uploaded PDF (a title is then required)."""
    require_editor(user)
    _require_draft(issue, "修改目录")
    section = _text(data.section, MAX_SECTION, "栏目")
    title = _text(data.title, MAX_TITLE, "标题")
    doc_number = _text(data.doc_number, MAX_DOC_NUMBER, "文号")
    document = data.document
    if not section:
        raise GazetteRejected("请填写栏目，例如：市政府文件")
    if (document is None) == (upload is None):
        raise GazetteRejected("每个条目须关联一份已发布文件或上传一个 PDF 文件（二者选一）")
    if document is not None:
        if document.state != DocState.PUBLISHED:
            raise GazetteRejected(f"《{document.title}》尚未发布，只能关联已发布的文件")
        title = title or document.title
        doc_number = doc_number or document.doc_number
    elif not title:
        raise GazetteRejected("上传 PDF 的条目须填写标题")
    if data.position is not None and not 1 <= data.position <= MAX_ITEMS:
        raise GazetteRejected(f"序号须在 1 至 {MAX_ITEMS} 之间")
    saved = None
    if upload is not None:
        try:
            saved = pdf.save_pdf(upload)
        except pdf.PdfRejected as exc:
            raise GazetteRejected(str(exc)) from None
    try:
        with transaction.atomic():
            locked = _lock(issue)
            _require_draft(locked, "修改目录")
            if locked.items.count() >= MAX_ITEMS:
                raise GazetteRejected(f"每期最多 {MAX_ITEMS} 个目录条目")
            position = data.position
            if position is None:
                last = locked.items.aggregate(last=Max("position"))["last"] or 0
                position = min(last + 1, MAX_ITEMS)
            item = Item(
                issue=locked,
                position=position,
                section=section,
                title=title[:MAX_TITLE],
                doc_number=doc_number[:MAX_DOC_NUMBER],
                document=document,
                added_by=_actor(user),
                **(saved.fields() if saved else {}),
            )
            item.save()
            record(
                user,
                AuditAction.CREATE,
                item,
                changes=diff(None, _snap(item)),
                comment=f"{locked.label}目录",
            )
    except BaseException:
        if saved is not None:
            pdf.discard(saved.stored_name)
        raise
    return item


def remove_item(user: Any, item: Item) -> Issue:
    require_editor(user)
    with transaction.atomic():
        issue = _lock(item.issue)
        _require_draft(issue, "修改目录")
        found = Item.objects.filter(pk=item.pk, issue=issue).first()
        if found is None:
            raise GazetteRejected("该目录条目已被删除")
        record(
            user,
            AuditAction.DELETE,
            found,
            changes=diff(_snap(found), None),
            comment=f"{issue.label}目录",
        )
        old = found.pdf_name
        search_index.remove_item(found.pk)
        found.delete()
        if old:
            transaction.on_commit(lambda: pdf.discard(old))
    return issue


# -- reader information -----------------------------------------------------------------------


def save_info(user: Any, data: InfoInput) -> GazetteInfo:
    require_editor(user)
    values = {
        "address": _text(data.address, 300, "赠阅点地址"),
        "phone": _text(data.phone, 64, "联系电话"),
        "hours": _text(data.hours, 200, "开放时间"),
        "how_to_obtain": _text(data.how_to_obtain, MAX_HOW, "获取方式"),
    }
    with transaction.atomic():
        info = GazetteInfo.objects.select_for_update().order_by("pk").first()
        if info is None:
            info = GazetteInfo.objects.create(updated_by=_actor(user), **values)
            record(user, AuditAction.CREATE, info, changes=diff(None, snapshot(info)))
            return info
        before = snapshot(info)
        for name, value in values.items():
            setattr(info, name, value)
        info.updated_by = _actor(user)
        info.save()
        changes = diff(before, snapshot(info))
        changes.pop("updated_at", None)
        changes.pop("updated_by", None)
        if changes:
            record(user, AuditAction.CHANGE, info, changes=changes)
    return info
