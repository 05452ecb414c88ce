"""Plans with tasks, assignments and checkpoints for the work tests, without parsing a file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.plans.models import Plan, PlanVersion, Task, TaskUnit, UnitRole, text_key
from gongkai.units.models import Unit
from gongkai.work.models import Checkpoint
from gongkai.work.sync import sync_plan


@dataclass
class TaskSpec:
    requirement: str
    units: Sequence[Unit]
    lead: Sequence[Unit] = ()
    path: Sequence[str] = ("公开重点",)
    rules: Sequence[dict[str, Any]] = field(default_factory=list)


def year_end(year: int = 2026) -> dict[str, Any]:
    return {"kind": "by_date", "text": "年底前", "date": f"{year}-12-31"}


def quarterly() -> dict[str, Any]:
    return {"kind": "recurring", "text": "每季度", "amount": 1, "unit": "quarter"}


def make_plan(
    specs: Sequence[TaskSpec], *, year: int = 2026, name: str = "政务公开工作任务清单"
) -> Plan:
    """A plan with one version holding `specs`, synced into assignments and checkpoints."""
    plan = Plan.objects.create(name=name, year=year)
    version = PlanVersion.objects.create(
        plan=plan, number=1, source_name="none", filename="test.docx", sha256="0" * 64
    )
    for order, spec in enumerate(specs):
        task = Task.objects.create(
            plan=plan,
            path=list(spec.path),
            requirement=spec.requirement,
            time_rules=list(spec.rules),
            order=order,
            key=text_key(spec.requirement),
            first_version=version,
            last_version=version,
        )
        for unit in spec.lead:
            TaskUnit.objects.create(task=task, unit=unit, role=UnitRole.LEAD, phrase=unit.name)
        for unit in spec.units:
            TaskUnit.objects.create(
                task=task, unit=unit, role=UnitRole.RESPONSIBLE, phrase=unit.name
            )
    plan.current_version = version
    plan.save()
    sync_plan(plan)
    return plan


def checkpoints_of(plan: Plan, unit: Unit) -> list[Checkpoint]:
    return list(Checkpoint.objects.filter(plan=plan, unit=unit).order_by("due", "pk"))
