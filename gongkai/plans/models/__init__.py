"""Plans, versions, tasks and the units they are assigned to; import drafts."""

from __future__ import annotations

from gongkai.plans.models.draft import DraftStatus, PlanDraft
from gongkai.plans.models.plan import Plan, PlanVersion
from gongkai.plans.models.task import (
    Task,
    TaskQuerySet,
    TaskStatus,
    TaskUnit,
    UnitRole,
    text_key,
)

__all__ = [
    "DraftStatus",
    "Plan",
    "PlanDraft",
    "PlanVersion",
    "Task",
    "TaskQuerySet",
    "TaskStatus",
    "TaskUnit",
    "UnitRole",
    "text_key",
]
