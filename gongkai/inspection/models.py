"""The office's inspected sites, their inspections and findings, and the tickets findings become.

A ticket is one problem (a finding's `key`: its type and URL) on one site, owned by the unit
responsible for the page. It opens when an inspection first finds the problem, stays open while
re-inspections keep finding it, is fixed when an inspection that ran its check and reached the
page (gongkai.inspection.evidence) no longer finds it, and is reopened (a regression) when a
later inspection finds it again.
`due_on` is a cache written by gongkai.inspection.clock: N working days after the day the ticket
was opened or reopened, empty with the reason in `due_problem` when the office calendar has no
schedule for the year it needs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.inspect.scoring import NATIONAL_2019, RUBRICS


def rubric_choices() -> list[tuple[str, str]]:
    return [(version, rubric.name) for version, rubric in RUBRICS.items()]


class Schedule(models.TextChoices):
    NONE = "none", "不定期（手动发起）"
    DAILY = "daily", "每天"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"


class InspectedSiteQuerySet(models.QuerySet["InspectedSite"]):
    def of_units(self, unit_ids: set[int]) -> InspectedSiteQuerySet:
        return self.filter(unit_id__in=unit_ids)


class InspectedSite(models.Model):
    name = models.CharField("网站名称", max_length=100)
    base_url = models.CharField("首页地址", max_length=500)
    #: Further hosts crawled like the start host (a 信息公开 platform on its own host).
    extra_hosts = models.JSONField("同时检查的其他主机", default=list, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="inspected_sites",
    )
    is_portal = models.BooleanField("政府门户网站", default=False)
    external_services = models.BooleanField("有对外服务职能", default=True)
    respect_robots = models.BooleanField("遵守 robots.txt", default=True)
    max_pages = models.PositiveIntegerField("最多检查页面数", default=2000)
    schedule = models.CharField(
        "定期检查", max_length=16, choices=Schedule.choices, default=Schedule.NONE
    )
    next_run = models.DateTimeField("下次检查时间", null=True, blank=True)
    #: The day of the month monthly runs keep to (the 31st: the last day of shorter months).
    anchor_day = models.PositiveSmallIntegerField("每月检查日", null=True, blank=True)
    #: type → options: {"enabled": false} turns a check off; other keys are its thresholds.
    check_options = models.JSONField("检查项设置", default=dict, blank=True)
    rubric = models.CharField(
        "评分标准", max_length=32, choices=rubric_choices(), default=NATIONAL_2019.version
    )
    #: 加分 the office awarded by hand (portals only, capped by the rubric).
    bonus = models.FloatField("加分", default=0)
    allow_private = models.BooleanField("允许检查内网地址", default=False)
    #: [{"name", "url", "platform"}]: 政务新媒体 accounts whose feed or page is read.
    new_media = models.JSONField("政务新媒体账号", default=list, blank=True)
    #: [[wrong, right]] added to the typo dictionary for this site.
    terms = models.JSONField("错误表述词典", default=list, blank=True)
    #: Hosts exempt from the .gov.cn domain rule.
    domain_exempt = models.JSONField("域名规则豁免主机", default=list, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = InspectedSiteQuerySet.as_manager()

    class Meta:
        verbose_name = "检查网站"
        verbose_name_plural = "检查网站"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["active", "next_run"], name="inspsite_due")]

    def __str__(self) -> str:
        return self.name


class RuleKind(models.TextChoices):
    PREFIX = "prefix", "路径前缀"
    COLUMN = "column", "栏目名称"


class OwnerRule(models.Model):
    """Which unit owns part of a site: pages under a path prefix (or a full URL prefix), or a
    column named in the finding. The longest matching prefix wins, then the first column rule;
    else the site's own unit."""

    site = models.ForeignKey(
        InspectedSite, verbose_name="网站", on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField("方式", max_length=16, choices=RuleKind.choices)
    pattern = models.CharField("前缀或栏目名", max_length=300)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "责任单位规则"
        verbose_name_plural = "责任单位规则"
        ordering = ["site", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "pattern"], name="inspection_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}「{self.pattern}」→ {self.unit}"


class InspectionStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "检查中"
    FINISHED = "finished", "已完成"
    FAILED = "failed", "失败"


class Trigger(models.TextChoices):
    MANUAL = "manual", "手动发起"
    SCHEDULED = "scheduled", "定期检查"


UNFINISHED = (InspectionStatus.QUEUED, InspectionStatus.RUNNING)


class Inspection(models.Model):
    site = models.ForeignKey(
        InspectedSite, verbose_name="网站", on_delete=models.CASCADE, related_name="inspections"
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.QUEUED
    )
    trigger = models.CharField(
        "发起方式", max_length=16, choices=Trigger.choices, default=Trigger.MANUAL
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    started = models.DateTimeField("开始时间", null=True, blank=True)
    finished = models.DateTimeField("结束时间", null=True, blank=True)
    pages_crawled = models.PositiveIntegerField("检查页面数", default=0)
    links_checked = models.PositiveIntegerField("检查链接数", default=0)
    #: Score.to_json() plus "by_indicator" and "bonus".
    score = models.JSONField("得分", default=dict, blank=True)
    rubric = models.CharField("评分标准版本", max_length=32, blank=True)
    result = models.FloatField("得分", null=True, blank=True)
    grade = models.CharField("结论", max_length=8, blank=True)
    deductions = models.FloatField("扣分", null=True, blank=True)
    veto = models.BooleanField("单项否决", default=False)
    #: What the crawler was asked to do (InspectConfig.to_json()) and the site's scoring
    #: settings, as they were when the inspection was started: recording uses these, not the
    #: site's values at the time the result comes back.
    config = models.JSONField("检查配置", default=dict, blank=True)
    max_pages = models.PositiveIntegerField("页面上限", null=True, blank=True)
    is_portal = models.BooleanField("政府门户网站", null=True, blank=True)
    external_services = models.BooleanField("有对外服务职能", null=True, blank=True)
    bonus = models.FloatField("加分", null=True, blank=True)
    #: The types this inspection was configured to check (set at start), and those whose
    #: checks ran without error with the home page reachable (set when recorded): only their
    #: tickets may close, and each only when the inspection reached its page.
    checked_types = models.JSONField("检查项", default=list, blank=True)
    closable_types = models.JSONField("可据以销号的检查项", default=list, blank=True)
    #: The crawler said it did not stop at the page cap (or skip pages for depth).
    complete = models.BooleanField("覆盖全站", default=False)
    #: {"new", "still_open", "reopened", "fixed", "findings"} against the tickets.
    counts = models.JSONField("工单变化", default=dict, blank=True)
    stats = models.JSONField("统计", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "网站检查"
        verbose_name_plural = "网站检查"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["site", "status", "finished"], name="insp_site_done")]

    def __str__(self) -> str:
        return f"{self.site} 检查 #{self.pk}"

    @property
    def unit_id(self) -> int:
        """The site's unit, so the audit trail files the event under it."""
        return int(self.site.unit_id)

    @property
    def is_finished(self) -> bool:
        return self.status in (InspectionStatus.FINISHED, InspectionStatus.FAILED)

    @property
    def duration(self) -> float | None:
        if self.started and self.finished:
            return (self.finished - self.started).total_seconds()
        return None


class TicketStatus(models.TextChoices):
    OPEN = "open", "待整改"
    REOPENED = "reopened", "复发待整改"
    FIXED = "fixed", "已整改"
    DISMISSED = "dismissed", "已排除"


#: A ticket in one of these is owed: listed, counted, reminded.
OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.REOPENED)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def open(self) -> TicketQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def of_units(self, unit_ids: set[int]) -> TicketQuerySet:
        return self.filter(unit_id__in=unit_ids)


class Ticket(models.Model):
    site = models.ForeignKey(
        InspectedSite, verbose_name="网站", on_delete=models.CASCADE, related_name="tickets"
    )
    key = models.CharField("问题键", max_length=32)
    type = models.CharField("问题类型", max_length=32)
    severity = models.CharField("严重程度", max_length=8)
    url = models.TextField("问题地址")
    #: The pages that showed or linked to it when last found (a link ticket is fixed when one
    #: of them is re-read and the link is no longer reported).
    source_urls = models.JSONField("所在页面", default=list, blank=True)
    detail = models.TextField("问题说明")
    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=16, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    #: The day the ticket was opened, or reopened last; the due date counts from it.
    opened_on = models.DateField("派单日期")
    due_on = models.DateField("整改期限", null=True, blank=True)
    due_problem = models.CharField("期限说明", max_length=300, blank=True)
    first_seen = models.ForeignKey(
        Inspection,
        verbose_name="首次发现",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_seen = models.ForeignKey(
        Inspection,
        verbose_name="最近发现",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fixed_at = models.DateTimeField("整改确认时间", null=True, blank=True)
    fixed_in = models.ForeignKey(
        Inspection,
        verbose_name="复查确认",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_count = models.PositiveIntegerField("复发次数", default=0)
    checkpoint = models.ForeignKey(
        "work.Checkpoint",
        verbose_name="对应任务节点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_reason = models.CharField("排除理由", max_length=300, blank=True)
    #: Daily digests (gongkai.inspection.reminders): the unit was told of the ticket, told it
    #: is overdue; the office was told it is overdue. Cleared when the ticket is reopened or
    #: moves to another unit, so each episode is told once.
    notified_on = models.DateField("派单通知日期", null=True, blank=True)
    reminded_overdue_on = models.DateField("逾期提醒日期", null=True, blank=True)
    office_alerted_on = models.DateField("公开办逾期提醒日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "整改工单"
        verbose_name_plural = "整改工单"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="inspection_ticket_key_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="ticket_unit_status"),
            models.Index(fields=["site", "status"], name="ticket_site_status"),
        ]

    def __str__(self) -> str:
        from gongkai.inspection.types import type_name

        return f"工单 #{self.pk} {type_name(self.type)}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def type_name(self) -> str:
        from gongkai.inspection.types import type_name

        return type_name(self.type)

    @property
    def severity_name(self) -> str:
        from gongkai.inspection.types import SEVERITY_NAMES

        return SEVERITY_NAMES.get(self.severity, self.severity)


class EventKind(models.TextChoices):
    OPENED = "opened", "发现问题，派单"
    FIXED = "fixed", "复查通过，销号"
    REOPENED = "reopened", "复查发现复发，重新派单"
    DISMISSED = "dismissed", "公开办排除"
    RESTORED = "restored", "恢复为待整改"
    MOVED = "moved", "责任单位调整"
    DUE_CHANGED = "due_changed", "整改期限调整"


class TicketEvent(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="检查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "工单记录"
        verbose_name_plural = "工单记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()}"


class InspectionFinding(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="findings"
    )
    order = models.PositiveIntegerField("序号")
    key = models.CharField("问题键", max_length=32, db_index=True)
    type = models.CharField("问题类型", max_length=32)
    severity = models.CharField("严重程度", max_length=8)
    url = models.TextField("问题地址")
    source_urls = models.JSONField("所在页面", default=list, blank=True)
    detail = models.TextField("问题说明")
    evidence = models.TextField("证据", blank=True)
    cost = models.FloatField("扣分", default=0)
    #: Its ticket had been dismissed (误报 or an accepted exception): shown, not scored.
    dismissed = models.BooleanField("已排除", default=False)
    indicator = models.CharField("扣分指标", max_length=32, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name="工单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ["inspection", "order"]

    def __str__(self) -> str:
        return f"{self.type} {self.url}"

    @property
    def type_name(self) -> str:
        from gongkai.inspection.types import type_name

        return type_name(self.type)

    @property
    def severity_name(self) -> str:
        from gongkai.inspection.types import SEVERITY_NAMES

        return SEVERITY_NAMES.get(self.severity, self.severity)

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "severity": self.severity,
            "url": self.url,
            "source_urls": list(self.source_urls),
            "detail": self.detail,
            "evidence": self.evidence or None,
        }
