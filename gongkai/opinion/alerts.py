"""Alerts on the 政务舆情 clocks: at half-time and at the deadline of each stage still unmet,
to the owning unit and to the office, each once.

Beat runs send_alerts() every 30 seconds (settings.CELERY_BEAT_SCHEDULE "opinion-alerts"), so
an alert leaves within a minute of its time. A worker claims one due alert at a time with a
conditional UPDATE on the stage (`half_alerted_at` or `due_alerted_at` set only where it is
still empty and the stage still unmet): only the worker whose UPDATE changed the row goes on.
In the same transaction it inserts one Reminder row per unit and channel, topic
"opinion:<stage>:<half|due>" (unique per unit, day, channel and topic), then sends each at once
through the reminder machinery (gongkai.work.reminders.send_reminder); a failed send is
retried with its backoff by this worker (retry_due), and each try is audited there.

When the deadline has passed before the half-time alert went out (the event was registered
late, or its level changed), only the deadline alert is sent: the half-time one would say less.
Units without reminder settings are told nothing by mail; the list page shows every open
event's next deadline and the time left, overdue in red.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.opinion.models import Event, EventState, Stage
from gongkai.units.models import Unit
from gongkai.work.models import NotifySettings, Reminder
from gongkai.work.notify import DigestBlock, channels_of, shorten
from gongkai.work.reminders import RETRYABLE, office_unit_ids, send_reminder, target_of

log = logging.getLogger(__name__)

HALF = "half"
DUE = "due"
#: Payload keys of the two alerts (one block, two sections).
KEYS = {HALF: "opinion_half", DUE: "opinion_due"}
#: Claims one run makes at most (a guard: far above the alerts of a day).
ALERT_LIMIT = 1000


def send_alerts(now: dt.datetime | None = None) -> int:
    """Send every alert that is due, and retry the failed sends whose backoff has passed; the
    number of alerts this worker claimed."""
    sent = 0
    for _ in range(ALERT_LIMIT):
        outcome = process_one_due_alert(now or timezone.now())
        if outcome is None:
            break
        sent += outcome
    retry_due(now or timezone.now())
    return sent


def retry_due(now: dt.datetime) -> int:
    """Try again the alert messages whose send failed and whose backoff (1 minute after the
    first failure) has passed. The daily reminders' queue would too, but it runs every five
    minutes and minutes matter here; send_reminder claims each row, so the two never both
    send one. The number tried."""
    due = Reminder.objects.filter(
        topic__startswith="opinion:", state__in=RETRYABLE, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    return sum(
        send_reminder(pk, now) for pk in list(due.values_list("pk", flat=True)[:ALERT_LIMIT])
    )


def next_due_alert(now: dt.datetime) -> tuple[int, str] | None:
    """The most overdue alert owed now, as (stage id, HALF or DUE), or None."""
    row = (
        Stage.objects.alert_due(now)
        .annotate(
            due_now=Case(
                When(deadline__lte=now, due_alerted_at__isnull=True, then=Value(True)),
                default=Value(False),
            )
        )
        .order_by("half_at", "pk")
        .values_list("pk", "due_now")
        .first()
    )
    if row is None:
        return None
    return row[0], DUE if row[1] else HALF


def process_one_due_alert(now: dt.datetime | None = None) -> bool | None:
    """Claim and send the next due alert. True: this worker sent it; False: another worker
    claimed it first (or the stage was met meanwhile); None: nothing is due."""
    now = now or timezone.now()
    found = next_due_alert(now)
    if found is None:
        return None
    return send_alert(found[0], found[1], now)


def _claim(stage_id: int, which: str, now: dt.datetime) -> bool:
    """The conditional UPDATE that makes this worker the one sending the alert.

    Its WHERE names the stage's own columns only: a filter through the event (a join) makes
    Django write "id IN (SELECT …)", and PostgreSQL, after waiting for another worker's claim
    of the same row, re-checks only the outer row, not the subquery, so both claims would win.
    The event's state is checked by the caller, under the event's row lock."""
    owed = Stage.objects.filter(pk=stage_id, required=True, met_at__isnull=True)
    if which == DUE:
        # The deadline alert also settles the half-time one, which would come after it.
        return bool(
            owed.filter(deadline__lte=now, due_alerted_at__isnull=True).update(
                due_alerted_at=now, half_alerted_at=Coalesce(F("half_alerted_at"), Value(now))
            )
        )
    return bool(
        owed.filter(half_at__lte=now, deadline__gt=now, half_alerted_at__isnull=True).update(
            half_alerted_at=now
        )
    )


def _event_open(stage_id: int) -> bool:
    """Whether the stage's event is open, its row locked until the transaction ends, so an
    event being closed now is closed either before the claim or after it."""
    return (
        Event.objects.select_for_update(of=("self",))
        .filter(stages=stage_id, state=EventState.OPEN)
        .values_list("pk", flat=True)
        .first()
        is not None
    )


def send_alert(stage_id: int, which: str, now: dt.datetime | None = None) -> bool:
    """Claim one alert of stage `stage_id` (HALF or DUE) and send it to the unit and the office.
    False, and nothing sent, when it is not owed now or another worker claimed it."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _event_open(stage_id) or not _claim(stage_id, which, now):
            return False
        stage = Stage.objects.select_related("event", "event__unit").get(pk=stage_id)
        units = [stage.event.unit_id, *sorted(office_unit_ids() - {stage.event.unit_id})]
        rows = _reminder_rows(stage, which, units, now)
        names = "、".join(Unit.objects.filter(pk__in=units).values_list("name", flat=True))
        field = "due_alerted_at" if which == DUE else "half_alerted_at"
        label = "到期提醒" if which == DUE else "半程提醒"
        record(
            None,
            AuditAction.CHANGE,
            stage,
            changes={field: [None, now.isoformat()]},
            comment=f"{stage.label}{label}：发送 {len(rows)} 条（{names}）",
        )
    for pk in rows:
        send_reminder(pk, now)
    return True


def _reminder_rows(stage: Stage, which: str, unit_ids: list[int], now: dt.datetime) -> list[int]:
    """One Reminder per unit with reminder settings and channel; their ids."""
    item = _item(stage, which)
    day = timezone.localdate(now)
    topic = f"opinion:{stage.pk}:{which}"
    made = []
    notify_of = {n.unit_id: n for n in NotifySettings.objects.filter(unit_id__in=unit_ids)}
    for unit_id in unit_ids:
        notify = notify_of.get(unit_id)
        if notify is None or not notify.enabled:
            continue
        for channel in channels_of(notify):
            reminder, _ = Reminder.objects.get_or_create(
                unit_id=unit_id,
                day=day,
                channel=channel,
                topic=topic,
                defaults={
                    "target": target_of(channel, notify),
                    "payload": {KEYS[which]: [item]},
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            made.append(reminder.pk)
    return made


def _item(stage: Stage, which: str) -> dict[str, Any]:
    event = stage.event
    return {
        "id": event.pk,
        "title": shorten(event.title),
        "unit": event.unit.name,
        "level": event.get_level_display(),
        "stage": stage.label,
        "detected": f"{timezone.localtime(event.detected_at):%Y-%m-%d %H:%M}",
        "deadline": f"{timezone.localtime(stage.deadline):%Y-%m-%d %H:%M}",
    }


def describe(item: Mapping[str, Any]) -> str:
    return (
        f"{item.get('title', '')}（{item.get('unit', '')}，{item.get('level', '')}，"
        f"发现于 {item.get('detected', '')}；{item.get('stage', '')}，"
        f"时限 {item.get('deadline', '')}）"
    )


def event_link(item: Mapping[str, Any]) -> str:
    return settings.BASE_URL + reverse("opinion:detail", args=[int(item["id"])])


BLOCK = DigestBlock(
    heading="政务舆情",
    sections=(
        (KEYS[DUE], "舆情回应到期", "已到回应时限仍未完成"),
        (KEYS[HALF], "舆情回应过半", "回应时限已过一半仍未完成"),
    ),
    describe=describe,
    link=event_link,
)
