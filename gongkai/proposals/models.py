"""The register of 人大代表建议 and 政协委员提案 handed to the units, their replies (复文) and the
yearly summary of how they were handled (办理总体情况).

The office registers a proposal and assigns its lead unit (主办单位) and any co-handling units
(协办单位); the lead unit's liaison records the reply. The reply reaches the portal only
through the document register: "公开复文" makes a draft (publishing.Document) that goes through
the normal review chain and privacy gate, and the reply shows on /portal/jyta/ once that
document is published. The yearly summary is a document made the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: Common practice: a proposal is answered within three months of being handed over.
DUE_MONTHS = 3


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区（县）级"


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", "人大代表建议"
    PROPOSAL = "proposal", "政协委员提案"


class Result(models.TextChoices):
    """The usual three classes of a handling result (A/B/C). C also covers "cannot be solved
    for now because of conditions", which the replies explain."""

    SOLVED = "A", "A类：已解决或采纳"
    PLANNED = "B", "B类：列入计划逐步解决"
    REFERENCE = "C", "C类：留作参考"


#: Results counted as absorbed and adopted (吸收采纳) in the summary's rate.
ADOPTED = (Result.SOLVED, Result.PLANNED)


class PublicForm(models.TextChoices):
    FULL = "full", "全文公开"
    SUMMARY = "summary", "摘要公开"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (30 Nov + 3 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_due(received_on: dt.date) -> dt.date:
    return add_months(received_on, DUE_MONTHS)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def of_year(self, year: int) -> ProposalQuerySet:
        return self.filter(year=year)

    def open(self) -> ProposalQuerySet:
        """Not yet replied."""
        return self.filter(replied_on__isnull=True)

    def overdue(self, today: dt.date) -> ProposalQuerySet:
        return self.open().filter(due_on__lt=today)

    def reply_public(self, on: dt.date | None = None) -> ProposalQuerySet:
        """Replies the public may read: to be disclosed, and their document published (by the
        day `on`, when given)."""
        from gongkai.publishing.models import DocState

        qs = self.filter(disclose=True, document__state=DocState.PUBLISHED)
        return qs if on is None else qs.filter(document__published_on__lte=on)


class Proposal(models.Model):
    """One 建议 or 提案 handed to this organisation."""

    year = models.PositiveSmallIntegerField("年度", help_text="提出建议、提案的会议年度")
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    number = models.CharField("编号", max_length=32, help_text="如：第0123号")
    title = models.CharField("标题", max_length=200)
    deputies = models.CharField(
        "代表、委员", max_length=200, help_text="领衔人及联名人姓名，以顿号分隔"
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="proposals_led",
    )
    co_units = models.ManyToManyField(
        "units.Unit", verbose_name="协办单位", blank=True, related_name="proposals_cohandled"
    )
    received_on = models.DateField("交办日期")
    due_on = models.DateField(
        "办复期限", help_text="按惯例为交办之日起 3 个月内，不填则自动按此计算"
    )

    # The reply (复文): its text, a letter file, or both.
    reply_text = models.TextField("答复内容", blank=True)
    letter_stored = models.CharField(max_length=200, blank=True, editable=False)
    letter_name = models.CharField("复文文件", max_length=200, blank=True)
    letter_type = models.CharField(max_length=100, blank=True, editable=False)
    letter_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    replied_on = models.DateField("办复日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=2, choices=Result.choices, blank=True)

    disclose = models.BooleanField("公开复文", default=True)
    withhold_reason = models.TextField("不公开的理由", blank=True)
    public_form = models.CharField(
        "公开方式", max_length=8, choices=PublicForm.choices, default=PublicForm.FULL
    )
    summary = models.TextField("复文摘要", blank=True)
    #: The publishing draft made by "公开复文"; the reply is public once it is published.
    document = models.ForeignKey(
        "publishing.Document",
        verbose_name="公开复文",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Digest stamps: the lead unit told the reply is due soon / overdue; the office told it is
    #: overdue. Each is sent once.
    reminded_soon_on = models.DateField(null=True, blank=True, editable=False)
    reminded_overdue_on = models.DateField(null=True, blank=True, editable=False)
    overdue_alerted_on = models.DateField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "建议提案"
        verbose_name_plural = "建议提案"
        ordering = ["-year", "level", "kind", "number", "pk"]
        indexes = [
            models.Index(fields=["unit", "year"], name="proposal_unit_year"),
            models.Index(fields=["replied_on", "due_on"], name="proposal_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level", "kind", "number"], name="proposal_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(disclose=True) | ~Q(withhold_reason=""),
                name="proposal_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")),
                name="proposal_due_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}{self.number}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    def public_url(self) -> str:
        return reverse("jyta:detail", args=[self.pk])

    @property
    def label(self) -> str:
        """How the reply's title names it: 2026年区（县）级政协委员提案第0123号."""
        return f"{self.year}年{self.get_level_display()}{self.get_kind_display()}{self.number}"

    @property
    def is_replied(self) -> bool:
        return self.replied_on is not None

    @property
    def has_letter(self) -> bool:
        return bool(self.letter_stored)

    def is_overdue(self, today: dt.date) -> bool:
        return self.replied_on is None and self.due_on < today

    @property
    def replied_on_time(self) -> bool:
        return self.replied_on is not None and self.replied_on <= self.due_on

    @property
    def reply_is_public(self) -> bool:
        from gongkai.publishing.models import DocState

        return (
            self.disclose
            and self.document is not None
            and self.document.state == DocState.PUBLISHED
        )

    def state_label(self, today: dt.date) -> str:
        if self.is_replied:
            return "已办复" if self.replied_on_time else "已办复（超期）"
        return "逾期未办复" if self.is_overdue(today) else "办理中"


class YearSummary(models.Model):
    """A 办理总体情况 draft generated for a year; the latest published one is on the portal.

    A year's summaries are numbered: a new one is made only when the last is published or
    withdrawn, so two generations racing for the same number means one of them came second —
    the unique number lets the database refuse it rather than leave two drafts."""

    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveSmallIntegerField("第几次生成", default=1)
    document = models.ForeignKey(
        "publishing.Document",
        verbose_name="总体情况文稿",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "建议提案办理总体情况"
        verbose_name_plural = "建议提案办理总体情况"
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="proposal_summary_serial")
        ]

    def __str__(self) -> str:
        return f"{self.year}年建议提案办理总体情况"

    @property
    def unit_id(self) -> int:
        """The owning unit, for the audit trail's unit column."""
        return int(self.document.unit_id)
