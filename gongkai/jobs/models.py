"""Background jobs as rows the UI can show: kind, status, progress, message, outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobKind(models.TextChoices):
    UNITS_IMPORT = "units_import", "导入单位"
    PLAN_IMPORT = "plan_import", "导入任务清单"
    CALENDAR_RECOMPUTE = "calendar_recompute", "工作日历调整后重算期限"
    SELF_TEST = "self_test", "后台任务自检"
    LEDGER_EXPORT = "ledger_export", "导出工作台账"
    INSPECTION = "inspection", "网站检查"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class JobQuerySet(models.QuerySet["Job"]):
    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(models.Model):
    kind = models.CharField("类型", max_length=32, choices=JobKind.choices)
    status = models.CharField(
        "状态", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("当前说明", max_length=300, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class WorkerHeartbeat(models.Model):
    """When a background worker last proved it was alive: one row per worker name.

    Written when a worker starts and by the periodic heartbeat task (so it also shows that
    beat is sending); the jobs page warns when the newest row is old.
    """

    worker = models.CharField("后台进程", max_length=200, unique=True)
    last_seen_at = models.DateTimeField("最近一次心跳")

    class Meta:
        verbose_name = "后台进程心跳"
        verbose_name_plural = "后台进程心跳"
        ordering = ("-last_seen_at",)

    def __str__(self) -> str:
        return f"{self.worker} @ {self.last_seen_at:%Y-%m-%d %H:%M:%S}"
