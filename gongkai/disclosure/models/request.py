"""A request for government information (依申请公开) and its event log.

The reply deadline is derived from the log (gongkai.clocks.request) and stored on the row only as
a cache for lists and reminders; `gongkai.disclosure.clock.refresh` rewrites it after every event
and after every change to the calendar.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.clocks import CHANNEL_LABELS, Channel, ClockStatus
from gongkai.disclosure.models.outcomes import Outcome


class ApplicantType(models.TextChoices):
    """The applicant columns of Table 三, in its order."""

    PERSON = "person", "自然人"
    COMPANY = "company", "商业企业"
    RESEARCH = "research", "科研机构"
    NONPROFIT = "nonprofit", "社会公益组织"
    LEGAL = "legal", "法律服务机构"
    OTHER = "other", "其他"


class RequestChannel(models.TextChoices):
    """How the request arrived; the values are gongkai.clocks.Channel's."""

    ONLINE = Channel.ONLINE.value, CHANNEL_LABELS[Channel.ONLINE]
    LETTER = Channel.LETTER.value, CHANNEL_LABELS[Channel.LETTER]
    POST_SIGNED = Channel.POST_SIGNED.value, CHANNEL_LABELS[Channel.POST_SIGNED]
    IN_PERSON = Channel.IN_PERSON.value, CHANNEL_LABELS[Channel.IN_PERSON]
    FAX = Channel.FAX.value, CHANNEL_LABELS[Channel.FAX]
    EMAIL = Channel.EMAIL.value, CHANNEL_LABELS[Channel.EMAIL]
    OTHER = Channel.OTHER.value, CHANNEL_LABELS[Channel.OTHER]


class Source(models.TextChoices):
    PUBLIC = "public", "网上申请表"
    STAFF = "staff", "工作人员登记"


class FormWanted(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文件"
    OTHER = "other", "其他"


class DeliveryWanted(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上查看"
    FAX = "fax", "传真"
    OTHER = "other", "其他"


class RequestState(models.TextChoices):
    RECEIVED = "received", "已登记"  # the receipt day is not fixed yet, or nobody started
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    IN_PROGRESS = "in_progress", "办理中"
    CONSULTING = "consulting", "征求意见中"
    EXTENDED = "extended", "已延期"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REVIEW = "review", "公开办审核中"
    ANSWERED = "answered", "已答复"
    DELIVERED = "delivered", "已送达"
    CLOSED = "closed", "已办结"


#: States in which the reply is still owed.
OPEN_STATES = (
    RequestState.RECEIVED,
    RequestState.AWAITING_CORRECTION,
    RequestState.IN_PROGRESS,
    RequestState.CONSULTING,
    RequestState.EXTENDED,
    RequestState.AWAITING_FEE,
    RequestState.REVIEW,
)


class FeeMethod(models.TextChoices):
    NONE = "none", "不收费"
    PER_REQUEST = "per_request", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class RequestQuerySet(models.QuerySet["Request"]):
    def open(self) -> RequestQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: dt.date) -> RequestQuerySet:
        """Owed and past the deadline (paused and awaiting-correction requests have none)."""
        return self.open().filter(deadline__lt=today)

    def due_by(self, today: dt.date, limit: dt.date) -> RequestQuerySet:
        """Owed, not yet late, due on or before `limit`."""
        return self.open().filter(deadline__gte=today, deadline__lte=limit)

    def without_clock(self) -> RequestQuerySet:
        """Owed, received, yet no clock: a date it needs lies in a year the working-day
        calendar has no schedule for (clock.refresh says so in clock_problems)."""
        return (
            self.open()
            .exclude(state=RequestState.RECEIVED)
            .filter(received_on__isnull=False, clock_status="")
        )

    def of_units(self, unit_ids: set[int]) -> RequestQuerySet:
        return self.filter(unit_id__in=unit_ids)


class Request(models.Model):
    tracking_no = models.CharField("申请编号", max_length=32, unique=True)
    #: sha256 of the secret the applicant got with the tracking number (see tracking.py).
    secret_digest = models.CharField(max_length=64, blank=True, editable=False)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.STAFF)

    applicant_type = models.CharField("申请人类型", max_length=16, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=128)
    id_number = models.CharField("身份证件号码或统一社会信用代码", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=64, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=256, blank=True)
    description = models.TextField("所需政府信息的名称、文号或便于查询的其他特征性描述")
    form_wanted = models.CharField(
        "获取信息的载体形式", max_length=16, choices=FormWanted.choices, default=FormWanted.PAPER
    )
    delivery_wanted = models.CharField(
        "获取信息的方式", max_length=16, choices=DeliveryWanted.choices, default=DeliveryWanted.POST
    )

    channel = models.CharField("申请渠道", max_length=16, choices=RequestChannel.choices)
    arrived_on = models.DateField("到达日期")
    confirmed_on = models.DateField("双方确认日期", null=True, blank=True)
    contact_restored_on = models.DateField("恢复联系日期", null=True, blank=True)
    #: R under A1; None while an ordinary letter or an online request is not yet confirmed.
    received_on = models.DateField("收到申请日期", null=True, blank=True, db_index=True)

    unit = models.ForeignKey(
        "units.Unit", verbose_name="办理单位", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=24, choices=RequestState.choices, default=RequestState.RECEIVED
    )

    # The clock's answer, cached by clock.refresh.
    deadline = models.DateField("答复期限", null=True, blank=True, db_index=True)
    clock_status = models.CharField(max_length=24, blank=True, editable=False)
    #: True/False once decided (served in time or not, or late already); None while running.
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    clock_problems = models.JSONField(default=list, blank=True, editable=False)
    #: The office's review of the draft reply is due this day (deadline minus N working days).
    review_due = models.DateField("审核期限", null=True, blank=True)

    # Reminder bookkeeping (disclosure.reminders): when each digest mentioned it, and the
    # deadline before a calendar change moved it, until the next digest tells the unit.
    reminded_soon_on = models.DateField(null=True, blank=True, editable=False)
    reminded_overdue_on = models.DateField(null=True, blank=True, editable=False)
    deadline_moved_from = models.DateField(null=True, blank=True, editable=False)

    outcome = models.CharField("办理结果", max_length=40, choices=Outcome.choices, blank=True)
    #: Content was separated (Art. 37): counts only as 部分公开.
    separated = models.BooleanField("区分处理", default=False)
    reasons = models.TextField("理由和依据", blank=True)
    #: The day the outcome took effect (reply date, or the day the request lapsed).
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)

    fee_method = models.CharField(
        "收费方式", max_length=16, choices=FeeMethod.choices, default=FeeMethod.NONE
    )
    fee_pages = models.PositiveIntegerField("页数", null=True, blank=True)
    fee_amount = models.DecimalField("信息处理费（元）", max_digits=10, decimal_places=2, default=0)
    fee_notice_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_pay_by = models.DateField("缴费期限", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-arrived_on", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="request_state_deadline"),
            models.Index(fields=["unit", "state"], name="request_unit_state"),
            models.Index(fields=["concluded_on"], name="request_concluded"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def paused(self) -> bool:
        return self.clock_status == ClockStatus.PAUSED


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CORRECTION_LAPSED = "correction_lapsed", "逾期未补正"
    CONSULTATION_STARTED = "consultation_started", "征求意见"
    CONSULTATION_ANSWERED = "consultation_answered", "收到征求意见答复"
    CONSULTATION_LAPSED = "consultation_lapsed", "征求意见逾期未答复"
    EXTENDED = "extended", "延期答复"
    ANSWERED = "answered", "答复"
    DELIVERED = "delivered", "送达"


class RequestEvent(models.Model):
    """One entry of the clock's log. `data` holds the event's own fields (see clock.py)."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    date = models.DateField("日期")
    data = models.JSONField(default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    @property
    def unit_id(self) -> int:
        """The request's unit, so audit events on the log are scoped like the request."""
        return self.request.unit_id


class TrackingCounter(models.Model):
    """The last serial issued per year; bumped with one UPDATE inside the creating transaction."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "申请编号计数"
        verbose_name_plural = "申请编号计数"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
