"""Every change to 政务舆情 goes through these functions: each checks who may do it and what is
allowed, writes in one transaction, and leaves an audit event.

The stages an event's level requires are kept by _sync_stages: made when the event is
registered, and when the level changes a stage no longer required is set aside (kept with its
alert stamps, for the history and in case the level comes back) and a new one starts from the
detection time, so it may be due, or overdue, at once. Each stage's `met_at` is the time of the
first response that meets it, recomputed whenever a response is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, record_transition, snapshot
from gongkai.opinion.access import can_work, is_office, may_register, require_office
from gongkai.opinion.models import (
    MEETS,
    STAGES_OF_LEVEL,
    Event,
    EventState,
    Level,
    Response,
    ResponseKind,
    Stage,
    StageKind,
    deadline_of,
    half_time_of,
)
from gongkai.units.models import Unit


class OpinionRejected(Exception):
    """The act is not allowed now; the message says why, in Chinese."""


@dataclass(frozen=True)
class EventInput:
    unit: Unit
    title: str
    source: str
    detected_at: dt.datetime
    level: Level
    summary: str = ""
    url: str = ""
    links: str = ""


@dataclass(frozen=True)
class ResponseInput:
    kind: ResponseKind
    at: dt.datetime
    channel: str
    url: str = ""
    note: str = ""


def earliest_detection(now: dt.datetime) -> dt.datetime:
    """The earliest detection time an event may be registered with: the start of last year,
    so last year's events can still be entered for that year's figures."""
    year = timezone.localtime(now).year - 1
    return dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("unit").get(pk=event.pk)


def _sync_stages(event: Event) -> list[Stage]:
    """Make the event's stages match its level and responses; the stages as they end."""
    wanted = STAGES_OF_LEVEL[Level(event.level)]
    event.stages.exclude(kind__in=wanted).update(required=False)
    have = {s.kind: s for s in event.stages.all()}
    responses = list(event.responses.values_list("kind", "at"))
    stages = []
    for kind in wanted:
        stage = have.get(kind) or Stage(event=event, kind=kind)
        stage.required = True
        stage.deadline = deadline_of(event.detected_at, kind)
        stage.half_at = half_time_of(event.detected_at, kind)
        meeting = [at for k, at in responses if k in MEETS[StageKind(kind)]]
        stage.met_at = min(meeting, default=None)
        stage.save()
        stages.append(stage)
    return stages


def _clock_text(stages: list[Stage]) -> str:
    return "；".join(f"{s.label}，时限 {_local(s.deadline)}" for s in stages)


def register_event(user: Any, data: EventInput, now: dt.datetime | None = None) -> Event:
    """Register an event for a unit (a liaison: one of their own) and start its clocks."""
    now = now or timezone.now()
    if not may_register(user):
        raise PermissionDenied("只有公开办和单位联络员可以登记舆情")
    if not is_office(user) and data.unit.pk not in user.unit_ids():
        raise PermissionDenied("联络员只能为本单位登记舆情")
    if data.detected_at > now:
        raise OpinionRejected("发现时间不能晚于当前时间")
    earliest = earliest_detection(now)
    if data.detected_at < earliest:
        # Its clocks ran out long ago: it would only alert at once. (A date such as year 1
        # would not even fit the database's time range.)
        raise OpinionRejected(f"发现时间不能早于{earliest.year}年1月1日（去年年初）")
    with transaction.atomic():
        event = Event.objects.create(
            unit=data.unit,
            title=data.title.strip(),
            summary=data.summary.strip(),
            source=data.source.strip(),
            url=data.url.strip(),
            links=data.links.strip(),
            detected_at=data.detected_at,
            level=data.level,
            created_by=user,
            created_at=now,
        )
        stages = _sync_stages(event)
        record_create(user, event, comment=f"开始计时：{_clock_text(stages)}")
    return event


def record_response(
    user: Any, event: Event, data: ResponseInput, now: dt.datetime | None = None
) -> Response:
    """Record one response; the stages it meets stop their alerts."""
    now = now or timezone.now()
    if not can_work(user, event):
        raise PermissionDenied("只有责任单位的联络员或公开办可以登记回应")
    with transaction.atomic():
        event = _locked(event)
        if not event.is_open:
            raise OpinionRejected("该舆情已办结，不能再登记回应")
        if data.at < event.detected_at:
            raise OpinionRejected(f"回应时间不能早于舆情发现时间（{_local(event.detected_at)}）")
        if data.at > now:
            raise OpinionRejected("回应时间不能晚于当前时间")
        response = Response.objects.create(
            event=event,
            kind=data.kind,
            at=data.at,
            channel=data.channel.strip(),
            url=data.url.strip(),
            note=data.note.strip(),
            recorded_by=user,
            recorded_at=now,
        )
        before = {s.kind: s.met_at for s in event.stages.required()}
        met = [s for s in _sync_stages(event) if s.met_at and before.get(s.kind) != s.met_at]
        outcome = "；".join(f"{s.label}{'（逾期）' if s.is_late(now) else '（按时）'}" for s in met)
        record_create(user, response, comment=f"完成：{outcome}" if outcome else "")
    return response


def change_level(
    user: Any, event: Event, level: Level, reason: str, now: dt.datetime | None = None
) -> Event:
    """Re-grade the event (the office); the clocks follow the new level from the detection
    time."""
    require_office(user, "只有公开办可以调整舆情级别")
    with transaction.atomic():
        event = _locked(event)
        if not event.is_open:
            raise OpinionRejected("该舆情已办结，不能调整级别")
        if event.level == level:
            raise OpinionRejected(f"该舆情已是「{level.label}」")
        old = event.level
        event.level = level
        event.save(update_fields=["level"])
        stages = _sync_stages(event)
        comment = f"{reason.strip()}。重新计时：{_clock_text(stages)}"
        record_transition(user, event, "level", old, level, comment=comment[:1000])
    return event


def assign(user: Any, event: Event, unit: Unit, reason: str) -> Event:
    """Give the event to another unit (the office); the clocks run on."""
    require_office(user, "只有公开办可以调整舆情的责任单位")
    with transaction.atomic():
        event = _locked(event)
        if not event.is_open:
            raise OpinionRejected("该舆情已办结，不能调整责任单位")
        if event.unit_id == unit.pk:
            raise OpinionRejected(f"该舆情的责任单位已是{unit.name}")
        before = snapshot(event)
        event.unit = unit
        event.save(update_fields=["unit"])
        record_change(user, event, before, comment=f"调整责任单位：{reason.strip()}"[:1000])
    return event


def close_event(user: Any, event: Event, note: str, now: dt.datetime | None = None) -> Event:
    """Close the event. With every stage met, the unit or the office may; with a stage unmet,
    only the office, saying why (so closing is never a way to silence the alerts)."""
    now = now or timezone.now()
    if not can_work(user, event):
        raise PermissionDenied("只有责任单位的联络员或公开办可以办结舆情")
    with transaction.atomic():
        event = _locked(event)
        if not event.is_open:
            raise OpinionRejected("该舆情已办结")
        unmet = [s.label for s in event.stages.required() if s.met_at is None]
        if unmet and not is_office(user):
            raise OpinionRejected(f"尚未完成：{'、'.join(unmet)}；完成回应后才能办结")
        if unmet and not note.strip():
            raise OpinionRejected(f"尚未完成：{'、'.join(unmet)}；请填写办结说明")
        event.state = EventState.CLOSED
        event.closed_at = now
        event.close_note = note.strip()
        event.save(update_fields=["state", "closed_at", "close_note"])
        record_transition(
            user, event, "state", EventState.OPEN, EventState.CLOSED, comment=note.strip()[:1000]
        )
    return event
