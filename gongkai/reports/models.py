"""An annual report being written: its text, its hand-entered Table 二, and its workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审定"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    """One report: for a year, and for a unit or (unit None) the whole organisation.

    The tables are computed from the registers on every build; `sections` holds the office's
    text for 一, 五 and 六 (keyed by the section number), `table2` the figures of Table 二 entered
    by hand until the document register supplies them. Once published, `published` holds the
    built report as it was, and nothing changes any more.
    """

    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Add the figures of the units under `unit` (a government's report with its departments).
    include_children = models.BooleanField("含下级单位", default=False)
    state = models.CharField(
        "状态", max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    sections = models.JSONField("正文", default=dict, blank=True)
    table2 = models.JSONField("表二数据", default=dict, blank=True)
    comment = models.TextField("审核意见", blank=True)
    published = models.JSONField("发布版本", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="annual_report_year_unit_unique"),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(unit__isnull=True),
                name="annual_report_year_whole_unique",
            ),
        ]

    def __str__(self) -> str:
        who = self.unit.name if self.unit else "全部"
        return f"{self.year}年政府信息公开工作年度报告（{who}）"

    @property
    def locked(self) -> bool:
        return self.state == ReportState.PUBLISHED
