"""A task list (任务清单) and its imported versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Plan(models.Model):
    """One office's yearly task list. Org-wide: every signed-in user may see that it exists."""

    name = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    issuer = models.CharField("印发单位", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    current_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name="当前版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "任务清单"
        verbose_name_plural = "任务清单"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="plan_name_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"


class PlanVersion(models.Model):
    """One imported file of a plan. The file itself lives under MEDIA_ROOT/plans/ (sources.py)."""

    plan = models.ForeignKey(
        Plan, verbose_name="任务清单", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    source_name = models.CharField("存储文件名", max_length=200)
    filename = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    title = models.CharField("文件标题", max_length=500, blank=True)
    issuer = models.CharField("印发单位", max_length=200, blank=True)
    issued = models.DateField("印发日期", null=True, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    #: What this version changed against the one before: {"counts": {...}, "entries": [...]}
    #: as written by actions.import_plan, so the diff survives later edits of the tasks.
    changes = models.JSONField("与上一版相比", default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        verbose_name = "任务清单版本"
        verbose_name_plural = "任务清单版本"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}版"

    def counts(self) -> dict[str, Any]:
        counts = self.changes.get("counts", {}) if isinstance(self.changes, dict) else {}
        return counts if isinstance(counts, dict) else {}
