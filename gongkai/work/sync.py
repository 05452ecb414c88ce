"""Keep a plan's assignments and checkpoints in step with its tasks.

Runs after every import and unit fix (plans.hooks), inside that transaction:
- an active task gets one assignment per unit the list names (lead if it leads); groups were
  expanded into units at import;
- an assignment the list no longer names is deactivated, unless the office made or changed
  it (origin office): the office's decisions outlive a re-import;
- each active assignment gets its checkpoints from schedule.slots_for; a slot that no longer
  exists, and every open checkpoint of an inactive assignment or removed task, is cancelled
  (kept, with its reports, for the record).

Idempotent: running it twice changes nothing the second time. One audit event per plan says
what changed; the office's own edits (actions.py) are audited one by one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.holidays.calendar import office_calendar
from gongkai.plans.models import Plan, Task, TaskStatus, UnitRole
from gongkai.work.models import Assignment, Checkpoint, Origin, Review
from gongkai.work.schedule import Slot, due_date, slots_for
from gongkai.workdays import WorkdayCalendar

_BATCH = 2000


@dataclass
class SyncResult:
    assignments_added: int = 0
    assignments_removed: int = 0
    checkpoints_added: int = 0
    checkpoints_changed: int = 0
    checkpoints_cancelled: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())

    def summary(self) -> str:
        parts = [
            ("新增分工", self.assignments_added),
            ("撤销分工", self.assignments_removed),
            ("新增节点", self.checkpoints_added),
            ("调整节点", self.checkpoints_changed),
            ("取消节点", self.checkpoints_cancelled),
        ]
        return "，".join(f"{label}{n}项" for label, n in parts if n) or "无变化"


#: The days each reminder went out; a due date moved later is reminded again.
REMINDER_STAMPS = ("reminded_soon_on", "reminded_today_on", "reminded_overdue_on")


def forget_reminders(checkpoint: Checkpoint) -> None:
    for stamp in REMINDER_STAMPS:
        setattr(checkpoint, stamp, None)


def category_of(task: Task) -> str:
    return str(task.path[0])[:200] if task.path else ""


def wanted_units(task: Task) -> dict[int, bool]:
    """unit id → lead, from the task's units as the list names them (none if removed)."""
    if task.status != TaskStatus.ACTIVE:
        return {}
    wanted: dict[int, bool] = {}
    for tu in task.units.all():
        wanted[tu.unit_id] = wanted.get(tu.unit_id, False) or tu.role == UnitRole.LEAD
    return wanted


def _sync_assignments(task: Task, result: SyncResult) -> list[Assignment]:
    wanted = wanted_units(task)
    have = {a.unit_id: a for a in task.assignments.all()}
    changed: list[Assignment] = []
    for unit_id, lead in wanted.items():
        a = have.get(unit_id)
        if a is None:
            have[unit_id] = Assignment.objects.create(task=task, unit_id=unit_id, is_lead=lead)
            result.assignments_added += 1
        elif a.origin == Origin.PLAN and (not a.active or a.is_lead != lead):
            if not a.active:
                result.assignments_added += 1
            a.active, a.is_lead, a.note = True, lead, ""
            changed.append(a)
    for unit_id, a in have.items():
        if unit_id not in wanted and a.origin == Origin.PLAN and a.active:
            a.active = False
            a.note = "任务已从清单中删除" if not wanted else "清单修订后不再列出该单位"
            changed.append(a)
            result.assignments_removed += 1
    Assignment.objects.bulk_update(changed, ["active", "is_lead", "note"])
    # The office's own assignments are left as they are when the task leaves the list: the
    # task has no checkpoints then (task_slots), and if a revision brings it back, so does
    # the office's decision about who does it.
    return list(have.values())


def sync_checkpoints(
    assignment: Assignment,
    slots: list[Slot],
    result: SyncResult,
    existing: list[Checkpoint] | None = None,
) -> None:
    """Make the assignment's live checkpoints match `slots` (none if it is inactive)."""
    task = assignment.task
    if existing is None:
        existing = list(assignment.checkpoints.all())
    by_key = {c.key: c for c in existing}
    wanted = {s.key: s for s in slots} if assignment.active else {}
    now = timezone.now()
    new: list[Checkpoint] = []
    changed: list[Checkpoint] = []
    forgotten: list[Checkpoint] = []  # due moved later: their reminders go out again
    for key, slot in wanted.items():
        c = by_key.get(key)
        if c is None:
            new.append(
                Checkpoint(
                    assignment=assignment,
                    unit_id=assignment.unit_id,
                    task_id=task.pk,
                    plan_id=task.plan_id,
                    category=category_of(task),
                    key=slot.key,
                    kind=slot.kind,
                    label=slot.label,
                    rule_text=slot.rule_text[:200],
                    standing=slot.standing,
                    nominal=slot.nominal,
                    due=slot.due,
                    updated_at=now,
                )
            )
            continue
        fields = {
            "kind": slot.kind,
            "label": slot.label,
            "rule_text": slot.rule_text[:200],
            "standing": slot.standing,
            "nominal": slot.nominal,
            "due": slot.due,
            "cancelled": False,
            "unit_id": assignment.unit_id,
            "category": category_of(task),
        }
        if any(getattr(c, f) != v for f, v in fields.items()):
            if slot.due > c.due:
                forget_reminders(c)
                forgotten.append(c)
            for f, v in fields.items():
                setattr(c, f, v)
            c.updated_at = now
            changed.append(c)
            result.checkpoints_changed += 1
    for key, c in by_key.items():
        if key not in wanted and not c.cancelled and c.review != Review.ACCEPTED:
            c.cancelled, c.updated_at = True, now
            changed.append(c)
            result.checkpoints_cancelled += 1
    Checkpoint.objects.bulk_create(new, batch_size=_BATCH)
    result.checkpoints_added += len(new)
    Checkpoint.objects.bulk_update(
        changed,
        [
            "kind",
            "label",
            "rule_text",
            "standing",
            "nominal",
            "due",
            "cancelled",
            "unit_id",
            "category",
            "updated_at",
        ],
        batch_size=_BATCH,
    )
    # Only the stamps cleared here are written: the others may have been set by a reminder
    # builder since they were read.
    Checkpoint.objects.bulk_update(forgotten, REMINDER_STAMPS, batch_size=_BATCH)


def task_slots(task: Task, calendar: WorkdayCalendar) -> list[Slot]:
    """The task's checkpoints in its plan's year; none while it is removed from the list."""
    if task.status != TaskStatus.ACTIVE:
        return []
    rules = task.time_rules if isinstance(task.time_rules, list) else []
    return slots_for([r for r in rules if isinstance(r, dict)], task.plan.year, calendar)


@transaction.atomic
def sync_plan(
    plan: Plan, *, user: Any = None, comment: str = "", calendar: WorkdayCalendar | None = None
) -> SyncResult:
    calendar = calendar or office_calendar()
    result = SyncResult()
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("plan")
        .prefetch_related("units", "assignments__checkpoints")
    )
    for task in tasks:
        slots = task_slots(task, calendar)
        for assignment in _sync_assignments(task, result):
            assignment.task = task
            cached = getattr(assignment, "_prefetched_objects_cache", {}).get("checkpoints")
            sync_checkpoints(
                assignment, slots, result, list(cached) if cached is not None else None
            )
    if result:
        record(
            user,
            AuditAction.CHANGE,
            plan,
            changes={"分工与节点": ["", result.summary()]},
            comment=f"按任务清单生成分工与节点：{result.summary()}"
            + (f"（{comment}）" if comment else ""),
        )
    return result


def recompute_due(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
    """A calendar change: move the due date of every live checkpoint whose date it affects."""
    if not changed:
        return 0
    low, high = min(changed), max(changed) + dt.timedelta(days=31)
    count = 0
    todo = Checkpoint.objects.live().filter(nominal__gte=low, nominal__lte=high)
    batch: list[Checkpoint] = []
    forgotten: list[Checkpoint] = []
    for c in todo.only("pk", "nominal", "due").iterator(chunk_size=_BATCH):
        due = due_date(c.nominal, calendar)
        if due != c.due:
            if due > c.due:
                forget_reminders(c)
                forgotten.append(c)
            c.due = due
            batch.append(c)
            count += 1
    Checkpoint.objects.bulk_update(batch, ["due"], batch_size=_BATCH)
    Checkpoint.objects.bulk_update(forgotten, REMINDER_STAMPS, batch_size=_BATCH)
    if count:
        record(
            None,
            AuditAction.CHANGE,
            None,
            changes={"节点截止日期": ["", f"{count}个"]},
            comment=f"工作日历调整，重新计算{count}个任务节点的截止日期",
        )
    return count
