"""Local adjustments to the official working-day calendar, made by the office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AdjustmentKind(models.TextChoices):
    HOLIDAY = "holiday", "放假（非工作日）"
    WORKDAY = "workday", "上班（工作日）"


class LocalAdjustment(models.Model):
    """One date whose status differs locally from the national schedule."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("调整为", max_length=8, choices=AdjustmentKind.choices)
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "本地工作日调整"
        verbose_name_plural = "本地工作日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.reason}）"
