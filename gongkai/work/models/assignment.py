"""Who owes what: one assignment per task and unit, and the checkpoints due on it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Origin(models.TextChoices):
    PLAN = "plan", "清单分工"
    OFFICE = "office", "公开办调整"


class Assignment(models.Model):
    """A task given to a unit. Created from the list's wording at import (origin plan); the
    office may add, remove (active=False, kept for the record) or move one to another unit."""

    task = models.ForeignKey(
        "plans.Task", verbose_name="任务", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="assignments"
    )
    is_lead = models.BooleanField("牵头单位", default=False)
    origin = models.CharField("来源", max_length=16, choices=Origin.choices, default=Origin.PLAN)
    active = models.BooleanField("有效", default=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task", "-is_lead", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit_unique")
        ]

    def __str__(self) -> str:
        role = "牵头" if self.is_lead else "责任"
        return f"{self.unit}（{role}）：{self.task}"


class CheckpointKind(models.TextChoices):
    DATE = "date", "限期完成"
    RECURRING = "recurring", "定期"
    SELFCHECK = "selfcheck", "季度自查"


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    NOT_APPLICABLE = "na", "不适用"


#: A report with one of these says the checkpoint's work is finished.
FINISHED = (Progress.DONE, Progress.NOT_APPLICABLE)


class Review(models.TextChoices):
    NONE = "none", "未报送"
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


class CheckpointQuerySet(models.QuerySet["Checkpoint"]):
    def live(self) -> CheckpointQuerySet:
        """Not cancelled (the assignment or the task still stands)."""
        return self.filter(cancelled=False)

    def open(self) -> CheckpointQuerySet:
        """Still owed: live and not accepted by the office."""
        return self.live().exclude(review=Review.ACCEPTED)

    def overdue(self, today: dt.date) -> CheckpointQuerySet:
        """Past due and not reported finished (a finished report awaiting review is not late)."""
        return self.live().filter(due__lt=today, finished_on__isnull=True)

    def of_units(self, unit_ids: set[int]) -> CheckpointQuerySet:
        return self.filter(unit_id__in=unit_ids)


class Checkpoint(models.Model):
    """A date by which a unit reports on its assignment.

    unit, task and plan repeat the assignment's so lists and charts over a million rows need
    no joins. `key` names the slot in the schedule (schedule.py) so a re-import finds it again.
    """

    assignment = models.ForeignKey(
        Assignment, verbose_name="分工", on_delete=models.CASCADE, related_name="checkpoints"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name="任务", on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name="任务清单", on_delete=models.CASCADE, related_name="+"
    )
    #: The task's first category, for filters and charts without reading the task.
    category = models.CharField("类别", max_length=200, blank=True)
    key = models.CharField("节点键", max_length=32)
    kind = models.CharField("类型", max_length=16, choices=CheckpointKind.choices)
    label = models.CharField("节点", max_length=100)
    #: The time-rule words it came from; for a standing duty (an event clock such as
    #: 3个工作日内) the clock's words, checked at each quarter's self-check.
    rule_text = models.CharField("时间要求", max_length=200, blank=True)
    standing = models.BooleanField("常态化职责", default=False)
    nominal = models.DateField("规定日期")
    due = models.DateField("截止日期", db_index=True)
    status = models.CharField(
        "进展", max_length=16, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    review = models.CharField("审核", max_length=16, choices=Review.choices, default=Review.NONE)
    #: The day a report saying done / not applicable was submitted, unless it was returned.
    finished_on = models.DateField("完成日期", null=True, blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    latest_report = models.ForeignKey(
        "work.Report",
        verbose_name="最新报送",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The digest day each reminder went out in (reminders.py); each goes out once.
    reminded_soon_on = models.DateField("临期提醒", null=True, blank=True)
    reminded_today_on = models.DateField("当日提醒", null=True, blank=True)
    reminded_overdue_on = models.DateField("逾期提醒", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = "任务节点"
        verbose_name_plural = "任务节点"
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "key"], name="checkpoint_slot_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "due"], name="checkpoint_unit_due"),
            # Lists are ordered by (due, id) within a plan: these serve the first page of
            # a million rows without sorting them, the second the overdue list.
            models.Index(fields=["plan", "due", "id"], name="checkpoint_plan_due_id"),
            models.Index(
                fields=["plan", "due", "id"],
                condition=Q(cancelled=False, finished_on__isnull=True),
                name="checkpoint_plan_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.due:%Y-%m-%d}）"

    def is_overdue(self, today: dt.date) -> bool:
        return not self.cancelled and self.finished_on is None and self.due < today

    @property
    def is_open(self) -> bool:
        return not self.cancelled and self.review != Review.ACCEPTED


class Report(models.Model):
    """A unit's progress report on a checkpoint, and the office's review of it."""

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name="节点", on_delete=models.CASCADE, related_name="reports"
    )
    status = models.CharField("进展", max_length=16, choices=Progress.choices)
    text = models.TextField("进展情况", blank=True)
    na_reason = models.TextField("不适用理由", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    review = models.CharField("审核", max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["review", "submitted_at"], name="report_review_queue")]

    def __str__(self) -> str:
        return f"{self.checkpoint}：{self.get_status_display()}"

    @property
    def unit_id(self) -> int:
        """The owning unit, for the audit trail (audit.record finds it by this name)."""
        return self.checkpoint.unit_id


class EvidenceKind(models.TextChoices):
    URL = "url", "网页链接"
    FILE = "file", "文件"


class LinkState(models.TextChoices):
    PENDING = "pending", "待检查"
    OK = "ok", "正常"
    DEAD = "dead", "无法访问"
    CHANGED = "changed", "内容已变化"
    REFUSED = "refused", "地址不允许访问"


class Evidence(models.Model):
    """A URL of a published page or an uploaded file attached to a report."""

    report = models.ForeignKey(
        Report, verbose_name="报送", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField("类型", max_length=8, choices=EvidenceKind.choices)
    url = models.URLField("链接", max_length=2000, blank=True)
    #: Files: the stored name under MEDIA_ROOT/evidence/ (never the uploader's name).
    stored_name = models.CharField("存储文件名", max_length=200, blank=True)
    filename = models.CharField("文件名", max_length=255, blank=True)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    # URL checks (evidence.check_link): the first good fetch is the reference a later
    # fetch is compared with.
    link_state = models.CharField("链接状态", max_length=16, choices=LinkState.choices, blank=True)
    http_status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    final_url = models.URLField("最终地址", max_length=2000, blank=True)
    title = models.CharField("网页标题", max_length=500, blank=True)
    first_title = models.CharField("首次标题", max_length=500, blank=True)
    content_hash = models.CharField("内容摘要", max_length=64, blank=True)
    first_hash = models.CharField("首次内容摘要", max_length=64, blank=True)
    check_error = models.CharField("检查错误", max_length=500, blank=True)
    fetched_at = models.DateTimeField("检查时间", null=True, blank=True)
    next_check_at = models.DateTimeField("下次检查", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.filename if self.kind == EvidenceKind.FILE else self.url

    @property
    def unit_id(self) -> int:
        return self.report.checkpoint.unit_id

    @property
    def flagged(self) -> bool:
        return self.link_state in (LinkState.DEAD, LinkState.CHANGED, LinkState.REFUSED)
