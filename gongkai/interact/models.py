"""Questions from the public (互动交流 留言), their history, and the tracking-number counter.

A question is received (受理) the moment the public form stores it; the office routes it to a
unit (分办), marking it 简单 when a short reply will do; the unit's liaison drafts the reply and
files it with the office; the office reviews it and, if the asker agreed, publishes the question
and reply with 受理日期, 答复日期 and 答复单位. The office may mark a question invalid (无效留言:
spam, abuse, a duplicate), which takes it out of every clock, alarm and published figure.

`due_on` (答复期限) is a cache written only by gongkai.interact.clock.refresh: N working days
after the day of receipt, that day not counted. It is empty, with the reason in
`clock_problem`, when the working-day calendar has no schedule for a year it needs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class QuestionState(models.TextChoices):
    RECEIVED = "received", "待分办"
    ROUTED = "routed", "已分办"
    DRAFTING = "drafting", "答复起草中"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "已答复并公开"
    ANSWERED = "answered", "已答复（不公开）"
    REJECTED = "rejected", "无效留言"


#: States in which the reply is still owed: the clock, the reminders and the alarm run.
OPEN_STATES = (
    QuestionState.RECEIVED,
    QuestionState.ROUTED,
    QuestionState.DRAFTING,
    QuestionState.REVIEW,
)
#: States in which the asker has had the reply.
REPLIED_STATES = (QuestionState.PUBLISHED, QuestionState.ANSWERED)
#: States in which the unit's liaison may (re)write the draft.
DRAFTABLE_STATES = (QuestionState.ROUTED, QuestionState.DRAFTING)


class InvalidReason(models.TextChoices):
    """Why a message is not a valid question (无效留言); it then counts nowhere."""

    SPAM = "spam", "广告或垃圾信息"
    ABUSE = "abuse", "辱骂、攻击或其他违法违规内容"
    DUPLICATE = "duplicate", "重复留言"
    UNRELATED = "unrelated", "与政务咨询无关"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"


class QuestionQuerySet(models.QuerySet["Question"]):
    def open(self) -> QuestionQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def valid(self) -> QuestionQuerySet:
        """Every question except the ones marked invalid (the published figures' base)."""
        return self.exclude(state=QuestionState.REJECTED)

    def replied(self) -> QuestionQuerySet:
        return self.filter(state__in=REPLIED_STATES)

    def published(self) -> QuestionQuerySet:
        return self.filter(state=QuestionState.PUBLISHED)

    def overdue(self, today: dt.date) -> QuestionQuerySet:
        return self.open().filter(due_on__lt=today)

    def due_by(self, today: dt.date, limit: dt.date) -> QuestionQuerySet:
        """Owed, not yet late, due on or before `limit`."""
        return self.open().filter(due_on__gte=today, due_on__lte=limit)

    def alarmed(self) -> QuestionQuerySet:
        """Owed and past the 60-day alarm (clock.raise_alarms stamped them)."""
        return self.open().filter(alarm60_sent_at__isnull=False)

    def needing_attention(self, today: dt.date) -> QuestionQuerySet:
        """The office's first tab: overdue or alarmed."""
        return self.open().filter(Q(due_on__lt=today) | Q(alarm60_sent_at__isnull=False))

    def of_units(self, unit_ids: set[int]) -> QuestionQuerySet:
        return self.filter(unit_id__in=unit_ids)


class Question(models.Model):
    tracking_no = models.CharField("留言编号", max_length=32, unique=True)
    #: sha256 of the 查询码 shown to the asker once (see tracking.py); never the code itself.
    secret_digest = models.CharField(max_length=64, blank=True, editable=False)

    asker_name = models.CharField("留言人", max_length=64, blank=True)
    contact = models.CharField("联系方式", max_length=254)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("留言内容")
    agree_publish = models.BooleanField("同意公开", default=False)

    received_at = models.DateTimeField("受理时间")
    received_on = models.DateField("受理日期")

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="办理单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    simple = models.BooleanField("简单咨询", default=False)
    due_on = models.DateField("答复期限", null=True, blank=True)
    #: Why due_on is empty although the question is owed (a year without a calendar schedule).
    clock_problem = models.CharField("期限说明", max_length=300, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=QuestionState.choices, default=QuestionState.RECEIVED
    )
    invalid_reason = models.CharField(
        "无效原因", max_length=16, choices=InvalidReason.choices, blank=True
    )
    invalid_note = models.CharField("无效说明", max_length=500, blank=True)

    reply = models.TextField("答复内容", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送审核时间", null=True, blank=True)
    #: Bumped each time a draft is filed for review, so a decision names the draft it saw.
    review_round = models.PositiveIntegerField("审核轮次", default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_decision = models.CharField(
        "审核结果", max_length=16, choices=ReviewDecision.choices, blank=True
    )
    review_comment = models.CharField("审核意见", max_length=1000, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_unit = models.ForeignKey(
        "units.Unit",
        verbose_name="答复单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Working days from receipt to reply (receipt day not counted); None without a calendar.
    reply_workdays = models.IntegerField("答复用时（工作日）", null=True, blank=True)
    #: Calendar days from the day of receipt to the reply date.
    reply_days = models.IntegerField("答复用时（自然日）", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    #: The office let the question be published although the privacy scan found hits.
    privacy_override_reason = models.CharField("个人信息放行理由", max_length=500, blank=True)
    privacy_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="放行人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_override_at = models.DateTimeField("放行时间", null=True, blank=True)

    # Reminder stamps (reminders.py): each notice goes out once.
    reminded_soon_on = models.DateField("临期/当日提醒日期", null=True, blank=True)
    reminded_overdue_on = models.DateField("单位逾期提醒日期", null=True, blank=True)
    overdue_alerted_on = models.DateField("公开办逾期提醒日期", null=True, blank=True)
    #: When the 60-day alarm was raised (clock.raise_alarms), once.
    alarm60_sent_at = models.DateTimeField("60日告警时间", null=True, blank=True)
    alarm60_unit_on = models.DateField("60日告警告知单位日期", null=True, blank=True)
    alarm60_office_on = models.DateField("60日告警告知公开办日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="interact_q_state_due"),
            models.Index(fields=["unit", "state"], name="interact_q_unit_state"),
            models.Index(fields=["state", "published_at"], name="interact_q_published"),
            models.Index(fields=["received_on"], name="interact_q_received"),
            models.Index(fields=["state", "received_on"], name="interact_q_state_received"),
            models.Index(fields=["received_at"], name="interact_q_received_at"),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_replied(self) -> bool:
        return self.state in REPLIED_STATES


class EventKind(models.TextChoices):
    RECEIVED = "received", "受理留言"
    ROUTED = "routed", "分办"
    TRANSFERRED = "transferred", "转办"
    GIVEN_BACK = "given_back", "退回公开办重新分办"
    DRAFTED = "drafted", "保存答复草稿"
    SUBMITTED = "submitted", "报送审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "公开答复"
    ANSWERED = "answered", "答复（不公开）"
    REJECTED = "rejected", "标记为无效留言"
    MASKED = "masked", "遮蔽个人信息"
    PRIVACY_OVERRIDE = "privacy_override", "个人信息放行"
    ALARM = "alarm", "60日未答复告警"
    DUE_CHANGED = "due_changed", "答复期限调整"


class QuestionEvent(models.Model):
    """One line of a question's history, as staff read it on its page. The audit trail holds
    the same acts with field-level changes."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=24, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_unit = models.ForeignKey(
        "units.Unit",
        verbose_name="原单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "units.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=1000, blank=True)

    class Meta:
        verbose_name = "留言办理记录"
        verbose_name_plural = "留言办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.question_id} {self.get_kind_display()}"


class QuestionCounter(models.Model):
    """The last serial issued per year; bumped with one UPDATE inside the creating transaction."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "留言编号计数"
        verbose_name_plural = "留言编号计数"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
