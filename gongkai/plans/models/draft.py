"""An import in progress: the uploaded file, what the parser made of it, the office's edits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.plans.rows import DraftRow


class DraftStatus(models.TextChoices):
    PARSING = "parsing", "正在解析"
    READY = "ready", "待确认"
    FAILED = "failed", "解析失败"
    IMPORTED = "imported", "已导入"


class PlanDraft(models.Model):
    """Between upload and confirmation. Not audited: nothing in it counts until it is imported.

    `rows` are DraftRow dicts (rows.py); `picks` maps a unit phrase to the unit id the office
    chose for it, for every row of the draft at once.
    """

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name="修订的任务清单",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    status = models.CharField(
        "状态", max_length=16, choices=DraftStatus.choices, default=DraftStatus.PARSING
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="解析任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("原文件名", max_length=255)
    upload = models.CharField("待导入文件", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    meta = models.JSONField("文件信息", default=dict, blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    rows = models.JSONField("任务", default=list, blank=True)
    picks = models.JSONField("人工选定的单位", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name="导入为",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "任务清单导入草稿"
        verbose_name_plural = "任务清单导入草稿"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"导入草稿 #{self.pk}（{self.filename}）"

    def draft_rows(self) -> list[DraftRow]:
        return [DraftRow.from_dict(r) for r in self.rows if isinstance(r, dict)]

    def set_rows(self, rows: list[DraftRow]) -> None:
        self.rows = [r.to_dict() for r in rows]

    def unit_picks(self) -> dict[str, int]:
        picks = self.picks if isinstance(self.picks, dict) else {}
        return {str(k): int(v) for k, v in picks.items() if isinstance(v, int)}

    @property
    def is_editable(self) -> bool:
        return self.status == DraftStatus.READY
