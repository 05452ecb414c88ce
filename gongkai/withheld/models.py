"""负面清单 entries and the yearly 不予公开 self-check with its snapshotted items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Basis(models.TextChoices):
    """The non-disclosure grounds of 条例 Arts. 14–16 (domain-rules §1.2), and other laws."""

    STATE_SECRET = "art14.secret", "条例第十四条：国家秘密"
    LAW_FORBIDDEN = "art14.law", "条例第十四条：法律、行政法规禁止公开"
    SAFETY_STABILITY = "art14.safety", "条例第十四条：危及“三安全一稳定”"
    THIRD_PARTY = "art15.thirdParty", "条例第十五条：商业秘密、个人隐私等第三方合法权益"
    INTERNAL_AFFAIRS = "art16.internal", "条例第十六条：内部事务信息"
    PROCESS_INFO = "art16.process", "条例第十六条：过程性信息"
    ENFORCEMENT_FILE = "art16.enforcement", "条例第十六条：行政执法案卷信息"
    OTHER_LAW = "other", "其他法律、法规规定"


class EntryStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    RETIRED = "retired", "已停用"


class EntryQuerySet(models.QuerySet["NegativeEntry"]):
    def active(self) -> EntryQuerySet:
        return self.filter(status=EntryStatus.ACTIVE)

    def for_unit(self, unit_id: int) -> EntryQuerySet:
        """The entries a unit applies: its own and the whole organisation's."""
        return self.filter(Q(unit_id=unit_id) | Q(unit__isnull=True))


class NegativeEntry(models.Model):
    """One category of information not to be disclosed (负面清单); outside the list, disclosure
    is the rule."""

    title = models.CharField("类别名称", max_length=200)
    basis = models.CharField("依据", max_length=24, choices=Basis.choices)
    basis_text = models.CharField(
        "具体依据",
        max_length=300,
        blank=True,
        help_text="法律、法规的名称和条款；依据为“其他法律、法规规定”时必填",
    )
    description = models.TextField("范围说明")
    examples = models.TextField("示例", blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="适用单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空表示适用于全机关",
    )
    effective_on = models.DateField("生效日期")
    status = models.CharField(
        "状态", max_length=16, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    #: The day of the last change: the list's 最近调整日期 is the latest of these.
    adjusted_on = models.DateField("调整日期", default=timezone.localdate)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "负面清单事项"
        verbose_name_plural = verbose_name
        ordering = ("basis", "pk")

    def __str__(self) -> str:
        return self.title

    def basis_display(self) -> str:
        label = self.get_basis_display()
        return f"{label}（{self.basis_text}）" if self.basis_text else label


def last_adjusted(qs: EntryQuerySet | None = None) -> dt.date | None:
    """The list's 最近调整日期: the latest change of any entry, a retirement included."""
    qs = qs if qs is not None else NegativeEntry.objects.all()
    last: dt.date | None = qs.aggregate(last=models.Max("adjusted_on"))["last"]
    return last


class CheckState(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已完成"


class SelfCheck(models.Model):
    """One year's self-check, of one unit or (no unit) of the whole organisation."""

    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="自查单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空表示全机关",
    )
    state = models.CharField(
        "状态", max_length=16, choices=CheckState.choices, default=CheckState.OPEN
    )
    note = models.TextField("自查结论", blank=True)
    opened_at = models.DateTimeField("开始时间", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    refreshed_at = models.DateTimeField("最近刷新", null=True, blank=True)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The result, written when the check is closed so that it reads the same forever.
    total = models.PositiveIntegerField("自查项目数", default=0)
    kept = models.PositiveIntegerField("继续不予公开", default=0)
    moved = models.PositiveIntegerField("转为主动公开", default=0)

    class Meta:
        verbose_name = "不予公开自查"
        verbose_name_plural = verbose_name
        ordering = ("-year", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                condition=Q(unit__isnull=False),
                name="withheld_one_check_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(unit__isnull=True),
                name="withheld_one_overall_check_per_year",
            ),
        ]

    def __str__(self) -> str:
        who = self.unit.name if self.unit else "全机关"
        return f"{self.year} 年不予公开自查（{who}）"

    @property
    def is_open(self) -> bool:
        return self.state == CheckState.OPEN

    def scope_label(self) -> str:
        return self.unit.name if self.unit else "全机关"


class ItemKind(models.TextChoices):
    DENIED = "denied", "不予公开的答复"
    FREQUENT = "frequent", "依申请公开较为集中的信息"


class Decision(models.TextChoices):
    PENDING = "pending", "待审查"
    KEEP = "keep", "继续不予公开"
    MOVE = "move", "转为主动公开"


class CheckItem(models.Model):
    """A request answered 不予公开, or a group of similar requests, as it stood when the check
    took it in: later changes in the request register do not rewrite a finished check. Nothing
    about the applicants is kept — only what was asked for, the register's numbers and counts."""

    selfcheck = models.ForeignKey(
        SelfCheck, verbose_name="自查", on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("类型", max_length=16, choices=ItemKind.choices)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("所需信息")
    #: The register's 申请编号 of the request(s), and their ids to find new ones on a refresh.
    tracking_nos = models.JSONField("申请编号", default=list)
    request_ids = models.JSONField(default=list, editable=False)
    #: 不予公开 items: the outcome given; groups: outcome label → number of requests.
    outcome = models.CharField("办理结果", max_length=40, blank=True)
    outcomes = models.JSONField("各类办理结果", default=dict, blank=True)
    requests = models.PositiveIntegerField("申请件数", default=1)
    applicants = models.PositiveIntegerField("申请人数", default=1)
    decision = models.CharField(
        "审查结论", max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField("理由", blank=True)
    decided_at = models.DateTimeField("审查时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        "publishing.Document",
        verbose_name="主动公开草稿",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "自查项目"
        verbose_name_plural = verbose_name
        ordering = ("kind", "-applicants", "-requests", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:40]}"

    def outcome_label(self) -> str:
        from gongkai.disclosure.models import Outcome

        return Outcome(self.outcome).label if self.outcome in Outcome.values else self.outcome
