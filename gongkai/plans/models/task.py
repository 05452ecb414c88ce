"""Tasks of a plan, and the units each is assigned to."""

from __future__ import annotations

import hashlib

from django.db import models

from gongkai.plans.rules import summaries
from gongkai.units.resolve import normalise


def text_key(requirement: str) -> str:
    """The key that finds a task again in the next version: its normalised requirement."""
    return hashlib.sha256(normalise(requirement).encode()).hexdigest()[:32]


class TaskStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REMOVED = "removed", "已从清单中删除"


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"


class TaskQuerySet(models.QuerySet["Task"]):
    def active(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.ACTIVE)

    def of_units(self, unit_ids: set[int]) -> TaskQuerySet:
        return self.filter(units__unit_id__in=unit_ids).distinct()


class Task(models.Model):
    """One task. Kept across versions (matched by text), so progress recorded on it survives."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="任务清单", on_delete=models.CASCADE, related_name="tasks"
    )
    path = models.JSONField("类别", default=list, blank=True)
    requirement = models.TextField("工作要求")
    lead_text = models.JSONField("牵头单位（原文）", default=list, blank=True)
    responsible_text = models.JSONField("责任单位（原文）", default=list, blank=True)
    #: Unit phrases no unit was found for: [{"phrase": ..., "role": "lead"|"responsible"}].
    unresolved = models.JSONField("未确定的单位", default=list, blank=True)
    deadline = models.CharField("时限", max_length=300, blank=True)
    time_rules = models.JSONField("时间规则", default=list, blank=True)
    notes = models.TextField("备注", blank=True)
    line = models.PositiveIntegerField("原文行号", null=True, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)
    key = models.CharField("匹配键", max_length=32, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.ACTIVE
    )
    first_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name="首次出现于",
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name="最后出现于",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        text = self.requirement
        return text if len(text) <= 40 else text[:39] + "…"

    def path_text(self) -> str:
        return " / ".join(self.path)

    def rule_summaries(self) -> list[str]:
        return summaries(self.time_rules)


class TaskUnit(models.Model):
    """A unit a task is assigned to, resolved from the list's wording at import."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="plan_tasks"
    )
    role = models.CharField("职责", max_length=16, choices=UnitRole.choices)
    from_group = models.ForeignKey(
        "units.UnitGroup",
        verbose_name="来自单位组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The phrase as written in the list (区司法局, 各成员单位 …).
    phrase = models.CharField("原文", max_length=200, blank=True)

    class Meta:
        verbose_name = "任务承办单位"
        verbose_name_plural = "任务承办单位"
        ordering = ["task", "role", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "role"], name="task_unit_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"
