"""The quarterly check (季度检查): a versioned scoring rubric, the check, and its scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Result(models.TextChoices):
    DONE = "done", "完成"
    PARTLY = "partly", "部分完成"
    NOT_DONE = "not_done", "未完成"
    NOT_APPLICABLE = "na", "不适用"


class Rubric(models.Model):
    """Points per result and weights per category, as data. Never edited once a published
    check used it: a change is a new version (scoring.new_rubric_version)."""

    name = models.CharField("名称", max_length=100)
    version = models.PositiveIntegerField("版本", default=1)
    #: {"done": 100, "partly": 50, "not_done": 0}; not applicable is left out of the score.
    points = models.JSONField("分值")
    #: {"<first category>": weight}; a category not listed weighs `default_weight`.
    weights = models.JSONField("类别权重", default=dict, blank=True)
    default_weight = models.DecimalField("默认权重", max_digits=6, decimal_places=2, default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="rubric_name_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class CheckState(models.TextChoices):
    DRAFT = "draft", "评分中"
    PUBLISHED = "published", "已发布"


class QuarterCheck(models.Model):
    """One quarter's check of one plan. Once published its scores and results are frozen."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="任务清单", on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    rubric = models.ForeignKey(
        Rubric, verbose_name="评分标准", on_delete=models.PROTECT, related_name="checks"
    )
    state = models.CharField(
        "状态", max_length=16, choices=CheckState.choices, default=CheckState.DRAFT
    )
    #: Frozen at publication: [{"unit_id", "unit", "score", "rank", "counts": {...}}].
    results = models.JSONField("结果", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "季度检查"
        verbose_name_plural = "季度检查"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "quarter"], name="quarter_check_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_check_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}年第{self.quarter}季度检查"

    @property
    def is_published(self) -> bool:
        return self.state == CheckState.PUBLISHED


class Score(models.Model):
    """The office's judgement of one checkpoint in a check."""

    quarter_check = models.ForeignKey(
        QuarterCheck, verbose_name="季度检查", on_delete=models.CASCADE, related_name="scores"
    )
    checkpoint = models.ForeignKey(
        "work.Checkpoint", verbose_name="节点", on_delete=models.CASCADE, related_name="scores"
    )
    #: Repeated from the checkpoint so a check's results group by unit without a join.
    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("评定", max_length=16, choices=Result.choices)
    comment = models.CharField("说明", max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField("评分时间", default=timezone.now)

    class Meta:
        verbose_name = "检查评分"
        verbose_name_plural = "检查评分"
        constraints = [
            models.UniqueConstraint(fields=["quarter_check", "checkpoint"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint}：{self.get_result_display()}"
