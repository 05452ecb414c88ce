"""Tables of 意见征集: the consultation (a draft put out for public comment), its attachments, the
comments received, and the feedback report.

The comment window runs from `opens_on` to `closes_on`, both days included, in the office's
time zone (settings.TIME_ZONE): a consultation opening 2025-03-03 and closing 2025-04-01 has a
window of 30 days. Art. 15 of 《重大行政决策程序暂行条例》 asks for at least 30 calendar days;
a shorter window needs `short_reason` (checked by actions.publish).

The stored state moves draft → open (published) → ended (the window is over; the feedback is
being prepared) → concluded (the feedback report is published) → closed. "open → ended" is a
matter of the calendar: the row is moved by the first act after the window (or the daily
digest, actions.end_due_windows); until then `phase(today)` gives the state as it is.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: Art. 15: the comment period is generally not less than 30 (calendar) days.
MIN_WINDOW_DAYS = 30


class ConsultState(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "征求意见中"
    ENDED = "ended", "征求意见已结束，待反馈"
    CONCLUDED = "concluded", "已发布反馈"
    CLOSED = "closed", "已办结"


#: States in which the public sees the consultation.
PUBLIC_STATES = (
    ConsultState.OPEN,
    ConsultState.ENDED,
    ConsultState.CONCLUDED,
    ConsultState.CLOSED,
)
#: States in which comments are still being moderated and assessed.
WORKING_STATES = (ConsultState.OPEN, ConsultState.ENDED)


class Moderation(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "不予公开"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


#: Outcomes whose reason the feedback report must give.
REASON_NEEDED = (Outcome.PARTLY, Outcome.NOT_ADOPTED)


class CommentChannel(models.TextChoices):
    ONLINE = "online", "网上提交"
    EMAIL = "email", "电子邮件"
    POST = "post", "信函"
    OTHER = "other", "其他"


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def public(self) -> ConsultationQuerySet:
        return self.filter(state__in=PUBLIC_STATES)

    def of_units(self, unit_ids: set[int] | list[int]) -> ConsultationQuerySet:
        return self.filter(unit_id__in=unit_ids)

    def accepting(self, today: dt.date) -> ConsultationQuerySet:
        """Taking comments today."""
        return self.filter(state=ConsultState.OPEN, opens_on__lte=today, closes_on__gte=today)

    def window_over(self, today: dt.date) -> ConsultationQuerySet:
        """Published, the window over, the feedback report not yet published."""
        return self.filter(state__in=WORKING_STATES, closes_on__lt=today)


class Consultation(models.Model):
    """A draft (of a decision, rule or policy) put out for public comment."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="起草单位",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField("标题", max_length=200)
    #: Sanitised HTML (gongkai.publishing.sanitize.clean_html), like the two below.
    draft_html = models.TextField("征求意见稿", blank=True)
    explanation_html = models.TextField("起草说明", blank=True)
    interpretation_html = models.TextField("解读", blank=True)
    is_major_decision = models.BooleanField("重大行政决策", default=False)

    # How to comment (Art. 15: the channels and the deadline are published with the draft).
    accepts_online = models.BooleanField("网上提交意见", default=True)
    email = models.EmailField("接收意见的电子邮箱", blank=True)
    postal_address = models.CharField("接收意见的通信地址", max_length=300, blank=True)

    opens_on = models.DateField("征求意见开始日期", null=True, blank=True)
    closes_on = models.DateField("征求意见截止日期", null=True, blank=True)
    short_reason = models.TextField("征求意见期少于30日的理由", blank=True)

    state = models.CharField(
        "状态", max_length=16, choices=ConsultState.choices, default=ConsultState.DRAFT
    )
    #: Why the office published although the privacy scan found personal data (empty: no hit).
    privacy_override = models.TextField("个人信息检查放行理由", blank=True)
    #: The decision or document adopted in the end (Art. 32), once it is published.
    decision = models.ForeignKey(
        "publishing.Document",
        verbose_name="决策文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Set when the daily digest told the unit that the window is over.
    ended_reminded_on = models.DateField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-opens_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "closes_on"], name="consult_state_closes"),
            models.Index(fields=["unit", "state"], name="consult_unit_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="consult_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consult:detail", args=[self.pk])

    def public_url(self) -> str:
        return reverse("yjzj:detail", args=[self.pk])

    def window_days(self) -> int | None:
        """Days in the window, both ends included (None until both dates are set)."""
        if self.opens_on is None or self.closes_on is None:
            return None
        return (self.closes_on - self.opens_on).days + 1

    @property
    def is_short(self) -> bool:
        days = self.window_days()
        return days is not None and days < MIN_WINDOW_DAYS

    def phase(self, today: dt.date) -> ConsultState:
        """The state as of `today`: an open consultation whose window is over has ended."""
        state = ConsultState(self.state)
        if state == ConsultState.OPEN and self.closes_on is not None and today > self.closes_on:
            return ConsultState.ENDED
        return state

    def phase_label(self, today: dt.date) -> str:
        phase = self.phase(today)
        if phase == ConsultState.OPEN and self.opens_on is not None and today < self.opens_on:
            return "已发布，尚未开始征求意见"
        return str(phase.label)

    def accepts_comments(self, today: dt.date) -> bool:
        return (
            self.state == ConsultState.OPEN
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= today <= self.closes_on
        )

    def not_started(self, today: dt.date) -> bool:
        return (
            self.state == ConsultState.OPEN and self.opens_on is not None and today < self.opens_on
        )

    def days_left(self, today: dt.date) -> int | None:
        """Days on which comments may still be sent, today included (1 on the last day)."""
        if self.closes_on is None or not self.accepts_comments(today):
            return None
        return (self.closes_on - today).days + 1


class Attachment(models.Model):
    """A file published with the draft (the full text, a table, a map). Stored like evidence
    (gongkai.work.evidence, area "consult"): type checked by content, random name."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(max_length=200, editable=False)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "意见征集附件"
        verbose_name_plural = "意见征集附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def unit_id(self) -> int:
        """The owning unit, for the audit trail's unit column."""
        return int(self.consultation.unit_id)


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> CommentQuerySet:
        return self.filter(moderation=Moderation.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(moderation=Moderation.PENDING)


class Comment(models.Model):
    """One opinion on a draft. The contact is for the office only and never shown publicly; the
    body is shown, once approved, with personal numbers masked (gongkai.privacy)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    name = models.CharField("姓名或称呼", max_length=64, blank=True)
    contact = models.CharField("联系方式", max_length=128)
    body = models.TextField("意见内容")
    channel = models.CharField(
        "来源", max_length=8, choices=CommentChannel.choices, default=CommentChannel.ONLINE
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    #: For a comment sent by e-mail or post and entered by staff: the day it arrived.
    received_on = models.DateField("收到日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    moderation = models.CharField(
        "审核", max_length=8, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_reason = models.CharField("不予公开的理由", max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    #: Personal numbers found when the comment was approved; masked wherever it is shown.
    privacy_hits = models.PositiveSmallIntegerField("个人信息命中", default=0)

    topic = models.CharField("议题", max_length=64, blank=True)
    outcome = models.CharField("采纳情况", max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField("理由", blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["consultation", "moderation"], name="comment_consult_moderation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(moderation=Moderation.REJECTED) | ~Q(moderation_reason=""),
                name="comment_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"意见 {self.pk}（{self.consultation_id} 号征集）"

    @property
    def unit_id(self) -> int:
        """The owning unit, for the audit trail's unit column."""
        return int(self.consultation.unit_id)

    @property
    def outcome_complete(self) -> bool:
        """Ready for the feedback report: an outcome, and the reason it needs."""
        if not self.outcome:
            return False
        return self.outcome not in REASON_NEEDED or bool(self.outcome_reason.strip())


class FeedbackReport(models.Model):
    """The feedback on the comments (Art. 32's 意见采纳情况): the office's summary here, the
    comments grouped by outcome with their reasons generated from the comments themselves."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="report"
    )
    summary = models.TextField("总体情况说明")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "意见反馈报告"
        verbose_name_plural = "意见反馈报告"

    def __str__(self) -> str:
        return f"{self.consultation.title} 的意见反馈"

    @property
    def unit_id(self) -> int:
        return int(self.consultation.unit_id)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
