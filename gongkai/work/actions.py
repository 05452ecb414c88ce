"""Changes to assignments, progress reports and reviews. Each is one transaction, audited.

Views, the API and tests call these; none of them writes the models directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import (
    diff,
    record,
    record_change,
    record_create,
    record_delete,
    snapshot,
)
from gongkai.plans.models import Task, TaskStatus
from gongkai.units.models import Unit
from gongkai.work.access import can_report, require_office
from gongkai.work.models import (
    FINISHED,
    Assignment,
    Checkpoint,
    CheckState,
    Evidence,
    EvidenceKind,
    Origin,
    Progress,
    Report,
    Review,
    Score,
)
from gongkai.work.sync import SyncResult, sync_checkpoints, task_slots

MAX_URLS = 20
#: Evidence.url holds this many characters.
MAX_URL = 2000
MAX_FILES = 20


class WorkRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


class ReviewConflict(WorkRejected):
    """Someone else reviewed the report first; their decision stands."""


# -- assignments (the office) --------------------------------------------------------------


def _resync(assignment: Assignment) -> SyncResult:
    result = SyncResult()
    from gongkai.holidays.calendar import office_calendar

    sync_checkpoints(assignment, task_slots(assignment.task, office_calendar()), result)
    return result


@transaction.atomic
def add_assignment(
    user: Any, task: Task, unit: Unit, *, lead: bool = False, note: str = ""
) -> Assignment:
    require_office(user)
    if task.status != TaskStatus.ACTIVE:
        raise WorkRejected("该任务已从清单中删除，不能再分工")
    if not unit.active:
        raise WorkRejected(f"单位「{unit.name}」已停用")
    assignment = Assignment.objects.select_for_update().filter(task=task, unit=unit).first()
    if assignment is not None and assignment.active:
        raise WorkRejected(f"「{unit.name}」已承担该任务")
    if assignment is None:
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    task=task, unit=unit, is_lead=lead, origin=Origin.OFFICE, note=note[:300]
                )
        except IntegrityError:  # a colleague added it a moment ago
            raise WorkRejected(f"「{unit.name}」已承担该任务") from None
        record_create(user, assignment, comment=note or "公开办增加分工")
    else:
        before = snapshot(assignment)
        assignment.active, assignment.is_lead = True, lead
        assignment.origin, assignment.note = Origin.OFFICE, note[:300]
        assignment.save()
        record_change(user, assignment, before, comment=note or "公开办恢复分工")
    _resync(assignment)
    return assignment


@transaction.atomic
def remove_assignment(user: Any, assignment: Assignment, reason: str) -> Assignment:
    require_office(user)
    reason = reason.strip()
    if not reason:
        raise WorkRejected("请说明撤销分工的理由")
    assignment = (
        Assignment.objects.select_for_update().select_related("task__plan").get(pk=assignment.pk)
    )
    if not assignment.active:
        raise WorkRejected("该分工已撤销")
    before = snapshot(assignment)
    assignment.active, assignment.origin, assignment.note = False, Origin.OFFICE, reason[:300]
    assignment.save()
    record_change(user, assignment, before, comment=f"撤销分工：{reason}")
    _resync(assignment)
    return assignment


@transaction.atomic
def move_assignment(user: Any, assignment: Assignment, unit: Unit, reason: str = "") -> Assignment:
    """Hand the assignment, with its checkpoints and reports so far, to another unit."""
    require_office(user)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__plan", "unit")
        .get(pk=assignment.pk)
    )
    if not unit.active:
        raise WorkRejected(f"单位「{unit.name}」已停用")
    if assignment.unit_id == unit.pk:
        raise WorkRejected(f"该分工已属于「{unit.name}」")
    there = (
        Assignment.objects.select_for_update().filter(task_id=assignment.task_id, unit=unit).first()
    )
    if there is not None:
        if there.active or there.checkpoints.exists():
            raise WorkRejected(f"「{unit.name}」已有该任务的分工，请撤销其中一项")
        # Only the marker a previous move left behind: the task comes back to this unit.
        record_delete(user, there, comment=f"分工调回「{unit.name}」")
        there.delete()
    before = snapshot(assignment)
    old_unit = assignment.unit
    assignment.unit, assignment.origin = unit, Origin.OFFICE
    assignment.note = (reason or f"由「{old_unit.name}」调整为「{unit.name}」")[:300]
    assignment.save()
    # The new unit has been told nothing yet: its reminders start afresh.
    Checkpoint.objects.filter(assignment=assignment).update(
        unit=unit,
        updated_at=timezone.now(),
        reminded_soon_on=None,
        reminded_today_on=None,
        reminded_overdue_on=None,
    )
    Score.objects.filter(
        checkpoint__assignment=assignment, quarter_check__state=CheckState.DRAFT
    ).update(unit=unit)
    comment = f"分工由「{old_unit.name}」调整为「{unit.name}」" + (f"：{reason}" if reason else "")
    record_change(user, assignment, before, comment=comment)
    # The old unit keeps an inactive marker made by the office, so a re-import of a list
    # that still names it does not hand it the task again.
    marker = Assignment.objects.create(
        task_id=assignment.task_id,
        unit=old_unit,
        is_lead=assignment.is_lead,
        origin=Origin.OFFICE,
        active=False,
        note=f"已调整给「{unit.name}」"[:300],
    )
    record_create(user, marker, comment=comment)
    return assignment


# -- progress reports (the unit) -----------------------------------------------------------


@dataclass
class ReportInput:
    status: str
    text: str = ""
    na_reason: str = ""
    urls: Sequence[str] = field(default_factory=list)
    files: Sequence[UploadedFile] = field(default_factory=list)


def _clean_urls(urls: Sequence[str]) -> list[str]:
    check = URLValidator(schemes=["http", "https"])
    out: list[str] = []
    for raw in urls:
        url = raw.strip()
        if not url:
            continue
        try:
            check(url)
        except ValidationError:
            raise WorkRejected(
                f"链接格式不正确：{url[:100]}（须以 http:// 或 https:// 开头）"
            ) from None
        if len(url) > MAX_URL:
            raise WorkRejected(f"链接过长（超过{MAX_URL}个字符）：{url[:100]}…")
        if url not in out:
            out.append(url)
    if len(out) > MAX_URLS:
        raise WorkRejected(f"每次最多添加{MAX_URLS}个链接")
    return out


def submit_report(user: Any, checkpoint: Checkpoint, data: ReportInput) -> Report:
    """Record a report. done / not applicable go to the office's review; the other statuses
    are progress notes and need none. Files are checked before anything is written, and
    removed again if the transaction fails."""
    from gongkai.work.evidence import (
        StoredFile,
        check_links_later,
        delete_evidence_file,
        save_evidence_file,
    )

    if not can_report(user, checkpoint):
        raise WorkRejected("只有本单位联络员可以报送进展")
    if data.status not in Progress.values:
        raise WorkRejected("请选择进展状态")
    text, reason = data.text.strip(), data.na_reason.strip()
    if data.status == Progress.NOT_APPLICABLE and not reason:
        raise WorkRejected("选择“不适用”时须说明理由")
    if data.status == Progress.DONE and not (text or data.urls or data.files):
        raise WorkRejected("报送“已完成”时请填写进展情况或提供佐证材料")
    urls = _clean_urls(data.urls)
    if len(data.files) > MAX_FILES:
        raise WorkRejected(f"每次最多上传{MAX_FILES}个文件")
    stored: list[StoredFile] = []
    try:
        for upload in data.files:  # each raises EvidenceRejected (a WorkRejected) if refused
            stored.append(save_evidence_file(upload))
        with transaction.atomic():
            report = _write_report(user, checkpoint, data.status, text, reason, urls, stored)
    except BaseException:
        for info in stored:
            delete_evidence_file(info.stored_name)
        raise
    link_ids = [e.pk for e in report.evidence.all() if e.kind == EvidenceKind.URL]
    if link_ids:
        check_links_later(link_ids)
    return report


def _write_report(
    user: Any,
    checkpoint: Checkpoint,
    status: str,
    text: str,
    reason: str,
    urls: list[str],
    stored: list[Any],
) -> Report:
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    if checkpoint.cancelled:
        raise WorkRejected("该节点已取消，无需报送")
    if checkpoint.review == Review.ACCEPTED:
        raise WorkRejected("该节点已审核通过，无需再报送")
    if checkpoint.review == Review.PENDING:
        raise WorkRejected("该节点已报送完成、正在审核，请等待公开办审核结果")
    finished = status in FINISHED
    now = timezone.now()
    report = Report.objects.create(
        checkpoint=checkpoint,
        status=status,
        text=text,
        na_reason=reason if status == Progress.NOT_APPLICABLE else "",
        author=user if getattr(user, "is_authenticated", False) else None,
        submitted_at=now,
        review=Review.PENDING if finished else Review.NONE,
    )
    Evidence.objects.bulk_create(
        [Evidence(report=report, kind=EvidenceKind.URL, url=u, link_state="pending") for u in urls]
        + [
            Evidence(
                report=report,
                kind=EvidenceKind.FILE,
                stored_name=s.stored_name,
                filename=s.filename,
                content_type=s.content_type,
                size=s.size,
                sha256=s.sha256,
            )
            for s in stored
        ]
    )
    before = snapshot(checkpoint)
    checkpoint.status = status
    checkpoint.latest_report = report
    checkpoint.updated_at = now
    if finished:
        checkpoint.review = Review.PENDING
        checkpoint.finished_on = timezone.localdate(now)
    checkpoint.save()
    evidence = [str(e) for e in report.evidence.all()]
    record(
        user,
        AuditAction.CREATE,
        report,
        changes=diff(None, {**snapshot(report), "佐证材料": evidence}),
        comment=f"报送进展：{report.get_status_display()}",
    )
    record_change(user, checkpoint, before, comment=f"报送进展：{report.get_status_display()}")
    return report


# -- review (the office) ---------------------------------------------------------------------


def review_report(user: Any, report: Report, *, accept: bool, comment: str = "") -> Report:
    """Accept a report, or return it with a comment. The first reviewer wins: the update only
    applies while the report still awaits review, so a second reviewer gets ReviewConflict
    and their comment back, and nothing of the first decision is overwritten."""
    require_office(user)
    comment = comment.strip()
    if not accept and not comment:
        raise WorkRejected("退回时请填写意见，说明需要补充或修改的内容")
    with transaction.atomic():
        now = timezone.now()
        decision = Review.ACCEPTED if accept else Review.RETURNED
        won = Report.objects.filter(pk=report.pk, review=Review.PENDING).update(
            review=decision, reviewer=user, reviewed_at=now, review_comment=comment
        )
        if not won:
            current = Report.objects.select_related("reviewer").get(pk=report.pk)
            if current.review == Review.NONE:
                raise WorkRejected("这是一份进展说明，不需要审核")
            who = current.reviewer.get_username() if current.reviewer else "其他人"
            raise ReviewConflict(
                f"该报送已由 {who} 于 {timezone.localtime(current.reviewed_at):%Y-%m-%d %H:%M} "
                f"{current.get_review_display()}，您的审核未保存"
            )
        report.refresh_from_db()
        checkpoint = Checkpoint.objects.select_for_update().get(pk=report.checkpoint_id)
        if checkpoint.cancelled:  # raising here also undoes the decision written above
            raise WorkRejected("该节点已取消（分工已撤销或任务已从清单中删除），无需审核")
        before = snapshot(checkpoint)
        if checkpoint.latest_report_id == report.pk:
            checkpoint.review = decision
            if not accept:
                checkpoint.finished_on = None
            checkpoint.updated_at = now
            checkpoint.save()
        record(
            user,
            AuditAction.CHANGE,
            report,
            changes={"review": [Review.PENDING.label, report.get_review_display()]}
            | ({"review_comment": ["", comment]} if comment else {}),
            comment=("审核通过" if accept else "退回") + (f"：{comment}" if comment else ""),
        )
        record_change(
            user, checkpoint, before, comment="审核通过" if accept else f"退回：{comment}"
        )
    return report
