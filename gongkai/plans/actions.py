"""Importing a task list into a plan: all of it or nothing, audited.

The web import (after its preview) and `gongkai import` both end in `import_plan`. A new
plan gets version 1; a plan that exists gets the next version, with its active tasks matched
to the new rows (diff.py): matched tasks keep their rows and ids, so whatever later work
recorded on them survives; tasks no longer in the list are marked removed, never deleted.

Audit: the plan, the version and every task created, changed or removed get an event. A task
that only moved in the list or was confirmed unchanged gets none: the version's event says
which version confirmed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import (
    Snapshot,
    diff,
    record,
    record_change,
    record_create,
    record_transition,
    snapshot,
)
from gongkai.plans.access import require_office
from gongkai.plans.diff import Change
from gongkai.plans.hooks import tasks_changed
from gongkai.plans.models import Plan, PlanVersion, Task, TaskStatus, TaskUnit, text_key
from gongkai.plans.resolving import Resolver, UnitRef
from gongkai.plans.revision import compare, counts
from gongkai.plans.rows import DraftRow
from gongkai.plans.sources import remove_source, sha256, store_source
from gongkai.units.directory import load_directory

#: Task fields that change whenever a list is re-imported; on their own they are not a change.
BOOKKEEPING = frozenset({"order", "line", "last_version"})
MIN_YEAR, MAX_YEAR = 2000, 2100


class ImportRejected(Exception):
    """The import cannot go ahead; nothing was written. The message says why, in Chinese."""


class UnresolvedUnits(ImportRejected):
    """Some unit phrases match no unit, and importing them as text was not allowed."""

    def __init__(self, refs: list[UnitRef]) -> None:
        self.refs = refs
        self.phrases = [r.phrase for r in refs]
        super().__init__("以下单位未能对应到单位名录：" + "、".join(self.phrases))


@dataclass(frozen=True)
class Source:
    data: bytes
    filename: str


@dataclass(frozen=True)
class Meta:
    """What the parser found about the document itself."""

    title: str | None = None
    issuer: str | None = None
    issued: str | None = None  # YYYY-MM-DD
    doc_number: str | None = None
    warnings: list[str] = field(default_factory=list)

    def issued_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.issued) if self.issued else None
        except ValueError:
            return None


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    version: PlanVersion
    counts: dict[str, int]
    unresolved: list[str]  # phrases kept as text on their tasks

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{self.version}：新增 {c['added']} 项，修改 {c['changed']} 项，"
            f"删除 {c['removed']} 项，未变 {c['unchanged']} 项"
        )
        if self.unresolved:
            text += f"；{len(self.unresolved)} 个单位未能对应：" + "、".join(self.unresolved)
        return text


def import_plan(
    user: Any,
    rows: list[DraftRow],
    source: Source,
    meta: Meta,
    *,
    plan: Plan | None = None,
    name: str = "",
    year: int | None = None,
    picks: dict[str, int] | None = None,
    allow_unresolved: bool = False,
) -> ImportResult:
    """Create `name`/`year` as a new plan, or add a version to `plan`, from `rows`.

    `user` None is the system (the command line without --user). Raises ImportRejected,
    UnresolvedUnits (unless allow_unresolved) and PermissionDenied; nothing is written then.
    """
    if user is not None:
        require_office(user)
    if not rows:
        raise ImportRejected("文件中没有识别出任何任务，未导入")
    if plan is None:
        _check_new_plan(name, year)
    resolver = Resolver(load_directory(), picks or {}, settings.RESOLVE_THRESHOLD)
    refs = [resolver.row(r) for r in rows]
    missing = {r.phrase: r for row in refs for r in row if not r.resolved}
    if missing and not allow_unresolved:
        raise UnresolvedUnits(list(missing.values()))
    stored, created = store_source(source.data, source.filename)
    try:
        with transaction.atomic():
            target = _plan_for(user, plan, name, year, meta)
            version = _write_version(user, target, rows, refs, source, stored, meta)
    except BaseException:
        if created:  # the file was only for this import, which did not happen
            remove_source(stored)
        raise
    return ImportResult(target, version, version.counts(), list(missing))


def _plan_for(user: Any, plan: Plan | None, name: str, year: int | None, meta: Meta) -> Plan:
    if plan is not None:
        return Plan.objects.select_for_update().get(pk=plan.pk)
    year = _check_new_plan(name, year)
    try:
        with transaction.atomic():
            new = Plan.objects.create(
                name=name.strip(),
                year=year,
                issuer=(meta.issuer or "")[:200],
                created_by=_person(user),
            )
    except IntegrityError:  # a colleague created it a moment ago
        raise ImportRejected(f"已有 {year} 年的「{name.strip()}」，请作为它的新版本导入") from None
    record_create(user, new)
    return new


def _check_new_plan(name: str, year: int | None) -> int:
    name = name.strip()
    if not name:
        raise ImportRejected("请填写任务清单名称")
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ImportRejected(f"年度应在 {MIN_YEAR} 至 {MAX_YEAR} 之间")
    if Plan.objects.filter(name=name, year=year).exists():
        raise ImportRejected(f"已有 {year} 年的「{name}」，请作为它的新版本导入")
    return year


def _person(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _write_version(
    user: Any,
    plan: Plan,
    rows: list[DraftRow],
    refs: list[list[UnitRef]],
    source: Source,
    stored: str,
    meta: Meta,
) -> PlanVersion:
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        source_name=stored,
        filename=source.filename[:255],
        sha256=sha256(source.data),
        size=len(source.data),
        title=(meta.title or "")[:500],
        issuer=(meta.issuer or "")[:200],
        issued=meta.issued_date(),
        doc_number=(meta.doc_number or "")[:100],
        warnings=list(meta.warnings),
        imported_by=_person(user),
        imported_at=timezone.now(),
    )
    comment = f"导入第{number}版（{source.filename}）"
    old = list(plan.tasks.active().select_for_update().order_by("order", "pk"))
    entries, shown = compare(old, rows)
    for entry, line in zip(entries, shown, strict=True):
        if entry.new is None:
            assert entry.old is not None
            _remove(user, old[entry.old], comment)
        elif entry.old is None:
            line.task = _add(
                user, plan, version, rows[entry.new], refs[entry.new], entry.new, comment
            )
        else:
            _update(
                user, old[entry.old], version, rows[entry.new], refs[entry.new], entry.new, comment
            )
    changed = [c.to_dict() for c in shown if c.change != Change.UNCHANGED] if number > 1 else []
    version.changes = {"counts": counts(entries), "entries": changed}
    version.save(update_fields=["changes"])
    # The diff itself stays out of the event: it names every unit's tasks, and the trail is
    # shown to liaisons who may only see their own. The counts say enough.
    created = {k: v for k, v in snapshot(version).items() if k != "changes"}
    created["counts"] = version.counts()
    record(user, AuditAction.CREATE, version, changes=diff(None, created), comment=comment)
    before = snapshot(plan)
    plan.current_version = version
    if meta.issuer and not plan.issuer:
        plan.issuer = meta.issuer[:200]
    plan.save()
    record_change(user, plan, before, comment=comment)
    tasks_changed(user, plan, comment)
    return version


def _fill(task: Task, row: DraftRow, refs: list[UnitRef], order: int, version: PlanVersion) -> None:
    task.path = list(row.path)
    task.requirement = row.requirement
    task.lead_text = list(row.lead_units)
    task.responsible_text = list(row.responsible_units)
    task.unresolved = [{"phrase": r.phrase, "role": r.role.value} for r in refs if not r.resolved]
    task.deadline = (row.deadline or "")[:300]
    task.time_rules = [dict(r) for r in row.time_rules]
    task.notes = row.notes or ""
    task.line = row.line if row.line is not None and row.line >= 0 else None
    task.order = order
    task.key = text_key(row.requirement)
    task.last_version = version
    task.status = TaskStatus.ACTIVE


def task_snapshot(task: Task) -> Snapshot:
    """The task's fields and its units, so an audit event shows a change of units too."""
    units = sorted(
        f"{u.unit.name}（{u.get_role_display()}）" for u in task.units.select_related("unit")
    )
    return {**snapshot(task), "units": units}


def _set_units(task: Task, refs: list[UnitRef]) -> None:
    wanted: dict[tuple[int, str], UnitRef] = {}
    for ref in refs:
        for unit_id in ref.resolution.unit_ids:
            wanted.setdefault((unit_id, ref.role.value), ref)
    have = {(u.unit_id, u.role): u for u in task.units.all()}
    gone = [u.pk for key, u in have.items() if key not in wanted]
    TaskUnit.objects.filter(pk__in=gone).delete()
    TaskUnit.objects.bulk_create(
        TaskUnit(
            task=task,
            unit_id=unit_id,
            role=role,
            from_group_id=ref.resolution.group_id,
            phrase=ref.phrase[:200],
        )
        for (unit_id, role), ref in wanted.items()
        if (unit_id, role) not in have
    )


def _add(
    user: Any,
    plan: Plan,
    version: PlanVersion,
    row: DraftRow,
    refs: list[UnitRef],
    order: int,
    comment: str,
) -> int:
    task = Task(plan=plan, first_version=version)
    _fill(task, row, refs, order, version)
    task.save()
    _set_units(task, refs)
    record(user, AuditAction.CREATE, task, changes=diff(None, task_snapshot(task)), comment=comment)
    return task.pk


def _update(
    user: Any,
    task: Task,
    version: PlanVersion,
    row: DraftRow,
    refs: list[UnitRef],
    order: int,
    comment: str,
) -> None:
    before = task_snapshot(task)
    _fill(task, row, refs, order, version)
    task.save()
    _set_units(task, refs)
    changes = diff(before, task_snapshot(task))
    if set(changes) - BOOKKEEPING:
        record(user, AuditAction.CHANGE, task, changes=changes, comment=comment)


def _remove(user: Any, task: Task, comment: str) -> None:
    old = task.status
    task.status = TaskStatus.REMOVED
    task.save(update_fields=["status"])
    record_transition(user, task, "status", old, task.status, comment=comment)
