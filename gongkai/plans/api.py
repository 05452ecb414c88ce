"""Plans over JSON, with the pages' access rules (access.py): plans org-wide, tasks by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.plans.access import get_plan_for_user, plans_for_user, tasks_for_user
from gongkai.plans.models import Plan, PlanVersion, Task, TaskStatus

router = Router()


class VersionOut(Schema):
    number: int
    filename: str
    sha256: str
    title: str
    issuer: str
    issued: dt.date | None
    doc_number: str
    imported_at: dt.datetime
    counts: dict[str, int]

    @staticmethod
    def resolve_counts(obj: PlanVersion) -> dict[str, int]:
        return {str(k): int(v) for k, v in obj.counts().items()}


class PlanOut(Schema):
    id: int
    name: str
    year: int
    issuer: str
    current_version: int | None
    task_count: int

    @staticmethod
    def resolve_current_version(obj: Plan) -> int | None:
        return obj.current_version.number if obj.current_version else None


class PlanDetailOut(PlanOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Plan) -> list[PlanVersion]:
        return list(obj.versions.order_by("number"))


class TaskUnitOut(Schema):
    unit_id: int
    name: str
    role: str
    from_group_id: int | None
    phrase: str


class TaskOut(Schema):
    id: int
    path: list[str]
    requirement: str
    lead_units: list[str]
    responsible_units: list[str]
    units: list[TaskUnitOut]
    unresolved: list[dict[str, str]]
    deadline: str
    time_rules: list[dict[str, Any]]
    notes: str
    line: int | None
    order: int
    status: str
    first_version: int
    last_version: int

    @staticmethod
    def resolve_lead_units(obj: Task) -> list[str]:
        return list(obj.lead_text)

    @staticmethod
    def resolve_responsible_units(obj: Task) -> list[str]:
        return list(obj.responsible_text)

    @staticmethod
    def resolve_units(obj: Task) -> list[dict[str, Any]]:
        return [
            {
                "unit_id": u.unit_id,
                "name": u.unit.name,
                "role": u.role,
                "from_group_id": u.from_group_id,
                "phrase": u.phrase,
            }
            for u in obj.units.all()
        ]

    @staticmethod
    def resolve_first_version(obj: Task) -> int:
        return obj.first_version.number

    @staticmethod
    def resolve_last_version(obj: Task) -> int:
        return obj.last_version.number


def _with_counts(plans: Any) -> Any:
    active = Q(tasks__status=TaskStatus.ACTIVE)
    return plans.select_related("current_version").annotate(
        task_count=Count("tasks", filter=active, distinct=True)
    )


@router.get("", response=list[PlanOut], summary="任务清单（全部，按年度倒序）")
def list_plans(request: HttpRequest) -> list[Plan]:
    return list(_with_counts(plans_for_user(request.user)))


@router.get("/{int:plan_id}", response=PlanDetailOut, summary="一份任务清单及其各版本")
def get_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_plan_for_user(request.user, plan_id)
    annotated: Plan = _with_counts(plans_for_user(request.user)).get(pk=plan.pk)
    return annotated


@router.get(
    "/{int:plan_id}/tasks",
    response=list[TaskOut],
    summary="任务清单中的任务（联络员只能看到本单位的任务）",
)
def list_tasks(request: HttpRequest, plan_id: int, include_removed: bool = False) -> list[Task]:
    plan = get_plan_for_user(request.user, plan_id)
    tasks = tasks_for_user(request.user, plan)
    if not include_removed:
        tasks = tasks.active()
    related = tasks.select_related("first_version", "last_version")
    return list(related.prefetch_related("units__unit").order_by("order", "pk"))
