"""Tables of 政务舆情: the event, the stages its level requires, and the responses recorded.

The clocks run in wall-clock hours from the moment the event was detected (实施细则
国办发〔2016〕80号, 舆情通知 国办发〔2016〕61号): a 特别重大、重大突发事件 needs authoritative
information within 5 hours and a press conference within 24 hours; any other 政务舆情 a response
within 48 hours. Each required stage is a row with its deadline and half-time as columns, so the
alert worker finds due alerts with one indexed query and claims each with a conditional UPDATE.
A stage is met by the first response of its kind ("response": any kind); it is late when that
response came after the deadline. A stage the level no longer requires (the office re-graded the
event) is kept, not required, with its alert stamps: the event's history still shows the alerts
sent, and if the level comes back the stage returns as it was, so no alert goes out twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.workdays import WorkdayCalendar


class Level(models.TextChoices):
    SERIOUS = "serious", "特别重大、重大突发事件"
    OTHER = "other", "其他政务舆情"


class EventState(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已办结"


class ResponseKind(models.TextChoices):
    AUTHORITATIVE = "authoritative", "发布权威信息"
    PRESS = "press", "举行新闻发布会"
    RESPONSE = "response", "回应"


class StageKind(models.TextChoices):
    AUTHORITATIVE = "authoritative", "发布权威信息"
    PRESS = "press", "举行新闻发布会"
    RESPONSE = "response", "予以回应"


#: Hours from detection to each stage's deadline.
STAGE_HOURS = {StageKind.AUTHORITATIVE: 5, StageKind.PRESS: 24, StageKind.RESPONSE: 48}
#: The stages each level requires, in the order they fall due.
STAGES_OF_LEVEL = {
    Level.SERIOUS: (StageKind.AUTHORITATIVE, StageKind.PRESS),
    Level.OTHER: (StageKind.RESPONSE,),
}
#: Which response kinds meet a stage: its own kind; "respond" is met by any response.
MEETS = {
    StageKind.AUTHORITATIVE: (ResponseKind.AUTHORITATIVE,),
    StageKind.PRESS: (ResponseKind.PRESS,),
    StageKind.RESPONSE: tuple(ResponseKind),
}


def deadline_of(detected_at: dt.datetime, kind: StageKind) -> dt.datetime:
    return WorkdayCalendar.add_hours(detected_at, STAGE_HOURS[kind])


def half_time_of(detected_at: dt.datetime, kind: StageKind) -> dt.datetime:
    return WorkdayCalendar.add_hours(detected_at, STAGE_HOURS[kind] / 2)


class EventQuerySet(models.QuerySet["Event"]):
    def of_units(self, unit_ids: list[int]) -> EventQuerySet:
        return self.filter(unit_id__in=unit_ids)

    def open(self) -> EventQuerySet:
        return self.filter(state=EventState.OPEN)

    def overdue(self, now: dt.datetime) -> EventQuerySet:
        """Open events with a stage past its deadline and still not met."""
        late = Stage.objects.required().filter(met_at__isnull=True, deadline__lte=now)
        return self.open().filter(pk__in=late.values("event_id"))

    def of_year(self, year: int) -> EventQuerySet:
        """Detected in `year`, in the office's time zone."""
        start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
        end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
        return self.filter(detected_at__gte=start, detected_at__lt=end)


class Event(models.Model):
    """One 政务舆情: what was said, where it was found and when, and whose it is to answer."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="opinion_events",
    )
    title = models.CharField("舆情标题", max_length=200)
    summary = models.TextField("舆情概要", blank=True)
    source = models.CharField("发现渠道", max_length=200)
    url = models.URLField("原文链接", max_length=1000, blank=True)
    detected_at = models.DateTimeField("发现时间")
    level = models.CharField("舆情级别", max_length=16, choices=Level.choices)
    #: Other places the event was reported or discussed, one URL a line.
    links = models.TextField("相关链接", blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=EventState.choices, default=EventState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.TextField("办结说明", blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "政务舆情"
        verbose_name_plural = "政务舆情"
        ordering = ["-detected_at", "-pk"]
        indexes = [models.Index(fields=["unit", "detected_at"], name="opinion_unit_detected")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinion:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == EventState.OPEN

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class StageQuerySet(models.QuerySet["Stage"]):
    def required(self) -> StageQuerySet:
        """The stages the event's present level requires."""
        return self.filter(required=True)

    def alert_due(self, now: dt.datetime) -> StageQuerySet:
        """Stages of open events, not met, owing the half-time or the deadline alert."""
        owed = Q(half_at__lte=now, half_alerted_at__isnull=True) | Q(
            deadline__lte=now, due_alerted_at__isnull=True
        )
        return self.required().filter(owed, met_at__isnull=True, event__state=EventState.OPEN)


class Stage(models.Model):
    """One response the event's level requires, with its clock."""

    event = models.ForeignKey(
        Event, verbose_name="舆情", on_delete=models.CASCADE, related_name="stages"
    )
    kind = models.CharField("环节", max_length=16, choices=StageKind.choices)
    #: False once a change of level no longer requires the stage (kept for its history).
    required = models.BooleanField("本级别要求", default=True)
    half_at = models.DateTimeField("半程时间")
    deadline = models.DateTimeField("回应时限")
    #: The time of the first response meeting the stage (None: not met yet).
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    half_alerted_at = models.DateTimeField("半程提醒时间", null=True, blank=True)
    due_alerted_at = models.DateTimeField("到期提醒时间", null=True, blank=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = "回应环节"
        verbose_name_plural = "回应环节"
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="opinion_stage_event_kind")
        ]
        indexes = [
            models.Index(fields=["met_at", "half_at"], name="opinion_stage_half"),
            models.Index(fields=["met_at", "deadline"], name="opinion_stage_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.event}：{self.get_kind_display()}"

    @property
    def hours(self) -> int:
        return STAGE_HOURS[StageKind(self.kind)]

    @property
    def label(self) -> str:
        return f"{self.hours}小时内{self.get_kind_display()}"

    @property
    def unit_id(self) -> int:
        """For the audit trail: a stage belongs to its event's unit."""
        return self.event.unit_id

    def is_late(self, now: dt.datetime) -> bool:
        """Met after the deadline, or not met and the deadline has passed."""
        return (self.met_at or now) > self.deadline

    def left(self, now: dt.datetime) -> dt.timedelta:
        return self.deadline - now


class Response(models.Model):
    """Something the unit published or held in answer to the event."""

    event = models.ForeignKey(
        Event, verbose_name="舆情", on_delete=models.CASCADE, related_name="responses"
    )
    kind = models.CharField("回应方式", max_length=16, choices=ResponseKind.choices)
    at = models.DateTimeField("回应时间")
    channel = models.CharField("发布渠道", max_length=200)
    url = models.URLField("链接", max_length=1000, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "回应"
        verbose_name_plural = "回应"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.event}：{self.get_kind_display()}"

    @property
    def unit_id(self) -> int:
        """For the audit trail: a response belongs to its event's unit."""
        return self.event.unit_id
