"""Fixing a plan's units after import: a phrase no unit was found for gets its unit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record
from gongkai.plans.access import require_office
from gongkai.plans.actions import task_snapshot
from gongkai.plans.hooks import tasks_changed
from gongkai.plans.models import Plan, TaskUnit
from gongkai.units.models import Unit


class UnitAssignRejected(Exception):
    """Nothing was assigned; the message says why."""


def unresolved_in_plan(plan: Plan) -> list[tuple[str, int]]:
    """Each unit phrase still without a unit on the plan's active tasks, with its task count."""
    counts: dict[str, int] = {}
    for entries in plan.tasks.active().exclude(unresolved=[]).values_list("unresolved", flat=True):
        for phrase in dict.fromkeys(str(e.get("phrase")) for e in entries if isinstance(e, dict)):
            counts[phrase] = counts.get(phrase, 0) + 1
    return list(counts.items())


@transaction.atomic
def assign_unit(user: Any, plan: Plan, phrase: str, unit: Unit) -> int:
    """Give `phrase` the unit `unit` on every active task of the plan; returns how many."""
    require_office(user)
    if not unit.active:
        raise UnitAssignRejected(f"单位「{unit.name}」已停用")
    count = 0
    for task in plan.tasks.active().exclude(unresolved=[]).select_for_update():
        roles = [
            e.get("role")
            for e in task.unresolved
            if isinstance(e, dict) and e.get("phrase") == phrase
        ]
        if not roles:
            continue
        before = task_snapshot(task)
        for role in dict.fromkeys(roles):
            TaskUnit.objects.get_or_create(
                task=task, unit=unit, role=role, defaults={"phrase": phrase[:200]}
            )
        task.unresolved = [
            e for e in task.unresolved if not (isinstance(e, dict) and e.get("phrase") == phrase)
        ]
        task.save(update_fields=["unresolved"])
        comment = f"为「{phrase}」指定单位「{unit.name}」"
        record(
            user,
            AuditAction.CHANGE,
            task,
            changes=diff(before, task_snapshot(task)),
            comment=comment,
        )
        count += 1
    if not count:
        raise UnitAssignRejected(f"没有任务含有未对应的单位「{phrase}」")
    tasks_changed(user, plan, f"为「{phrase}」指定单位「{unit.name}」")
    return count
