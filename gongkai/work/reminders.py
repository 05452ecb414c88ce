"""Daily reminder digests: made once per unit, day and channel; each sent once; retried.

Beat calls run_reminders() every five minutes. From settings.REMINDER_HOUR (local time) on a
working day it makes today's digests, then it sends whatever is due.

Making: for each unit whose NotifySettings are enabled and name a channel, the checkpoints
that are due within `days_before` working days, due today, or overdue, and have not yet had
that reminder. In one transaction per unit the checkpoints are locked, one Reminder row per
channel is inserted (unique per unit, day and channel) and each checkpoint's reminded_*_on is
stamped, so a builder running again, or on another machine at the same moment, finds nothing
left to remind (PostgreSQL: the row locks and the re-checked WHERE; SQLite: the IMMEDIATE
transaction) and the unique constraint backs that up. A unit with nothing to report gets no
row; a unit without settings gets nothing (the office sees it in the in-app lists).

What a digest lists comes from digest sources (register_digest_source): the checkpoints are
the built-in one, registered here like any other; 依申请公开 registers its requests from
gongkai.disclosure.hooks. Each source says which units owe a reminder (one query), then, inside
the unit's transaction, locks and collects its rows and stamps them once the digest rows are in.

Sending: a worker claims one due row with a conditional UPDATE (pending or failed and due, or
left "sending" by a worker that died more than STALE_CLAIM ago) and only the worker whose
UPDATE changed the row sends it. A failure is retried after BACKOFF; after MAX_ATTEMPTS tries,
or when retrying cannot help (the address is refused), the row gives up and waits for the
office. Each try is one audit event. A worker that dies after sending and before recording it
leaves a row that is sent again after STALE_CLAIM: at least once, never twice otherwise.

Not sent on days off (by the office calendar): an item due before a weekend is reminded as
overdue on the next working day. Where the calendar has no schedule for a year nothing is
guessed: the "soon" window stops at the last day with a schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditAction
from gongkai.audit.record import Snapshot, diff, record, record_transition, snapshot
from gongkai.holidays.calendar import office_calendar
from gongkai.units.models import Unit
from gongkai.work.access import require_office
from gongkai.work.models import (
    Channel,
    Checkpoint,
    DeliveryState,
    NotifySettings,
    Reminder,
    WebhookFormat,
)
from gongkai.work.notify import (
    DeliveryError,
    DigestBlock,
    Message,
    channels_of,
    deliver,
    mask_url,
    parse_emails,
    register_block,
    shorten,
)
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

log = logging.getLogger(__name__)

#: Minutes to wait after the 1st, 2nd… failed try; MAX_ATTEMPTS tries in all.
BACKOFF = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF) + 1
#: A row "sending" for longer than this belongs to a worker that died; it may be claimed again.
STALE_CLAIM = dt.timedelta(minutes=15)
#: Claims one run makes at most (a guard, far above a day's digests).
SEND_LIMIT = 10_000
RETRYABLE = (DeliveryState.PENDING, DeliveryState.FAILED)
#: Digest section → the checkpoint field stamped with the day it was reminded in it.
STAMPS = {
    "soon": "reminded_soon_on",
    "today": "reminded_today_on",
    "overdue": "reminded_overdue_on",
}
_DAY = dt.timedelta(days=1)
_WORKER = f"{socket.gethostname()}-{os.getpid()}"


def run_reminders(now: dt.datetime | None = None) -> int:
    """Make today's digests once the reminder hour has come; send what is due. Returns the
    number of rows tried."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour >= settings.REMINDER_HOUR:
        build_digests(local.date(), now)
    return send_due(now)


# -- digest sources ---------------------------------------------------------------------------


def office_unit_ids() -> set[int]:
    """The units the office's active staff belong to: the office hears through their digests."""
    return set(
        Unit.objects.filter(members__role=Role.OFFICE, members__is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class DigestPart:
    """One source's share of a unit's digest: payload sections (key → items), and `mark`,
    which stamps the rows as reminded; it runs in the unit's transaction after the digest rows
    are inserted (or alone, to tidy up, when no source had anything to say)."""

    sections: dict[str, list[dict[str, Any]]]
    mark: Callable[[], None]

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())


@dataclass(frozen=True)
class DigestSource:
    """Something units hear about in their daily digest.

    `owing(today, soon_limit, unit_ids)`: the units among `unit_ids` owing at least one
    reminder today (one query). `collect(unit_id, today, soon_limit)`: called inside the
    unit's transaction; locks the unit's owing rows, re-checking the condition, and returns
    its part. `block`: how notify renders the part (None for the built-in checkpoint sections).
    A due date d is "soon" when today < d < soon_limit (see soon_before).
    """

    name: str
    owing: Callable[[dt.date, dt.date, list[int]], Iterable[int]]
    collect: Callable[[int, dt.date, dt.date], DigestPart]
    block: DigestBlock | None = None


_SOURCES: list[DigestSource] = []


def register_digest_source(source: DigestSource) -> DigestSource:
    """Add `source` to every unit's digest (and its block to the message); a source of the
    same name is replaced, so registering twice is harmless."""
    _SOURCES[:] = [s for s in _SOURCES if s.name != source.name] + [source]
    if source.block is not None:
        register_block(source.block)
    return source


def digest_sources() -> tuple[DigestSource, ...]:
    return tuple(_SOURCES)


# -- making the digests -----------------------------------------------------------------------


def _is_workday(calendar: WorkdayCalendar, day: dt.date) -> bool:
    try:
        return calendar.is_workday(day)
    except CalendarUnavailable:
        # No schedule for this year yet: better a reminder on a day off than none at all.
        log.warning("no working-day schedule for %s; sending reminders on weekdays", day.year)
        return day.weekday() < 5


def soon_before(calendar: WorkdayCalendar, today: dt.date, days: int) -> dt.date:
    """The first due date past the "soon" window: a checkpoint due after today and before
    this day is due within `days` working days (workdays_between(today, due) <= days)."""
    day, left = today, days + 1
    while left:
        day += _DAY
        try:
            if calendar.is_workday(day):
                left -= 1
        except CalendarUnavailable:
            return day  # the window stops where the calendar does: nothing guessed
    return day


def _reminder_filter(today: dt.date, soon_limit: dt.date) -> Q:
    """Unfinished live checkpoints owing one of today's reminders."""
    owed = (
        Q(due__lt=today, reminded_overdue_on__isnull=True)
        | Q(due=today, reminded_today_on__isnull=True)
        | Q(due__gt=today, due__lt=soon_limit, reminded_soon_on__isnull=True)
    )
    return Q(cancelled=False, finished_on__isnull=True) & owed


def build_digests(today: dt.date, now: dt.datetime | None = None) -> int:
    """Make today's digest rows for the units that have something to hear; the number made.

    Queries: three for the whole run plus one per distinct lead time and source, then about
    five per unit that gets a digest and two or three more per other source that has
    something for it; nothing per item.
    """
    now = now or timezone.now()
    calendar = office_calendar()
    if not _is_workday(calendar, today):
        return 0
    wanted = {n.unit_id: n for n in NotifySettings.objects.filter(enabled=True) if channels_of(n)}
    done = set(
        Reminder.objects.filter(day=today, topic="", unit_id__in=wanted).values_list(
            "unit_id", flat=True
        )
    )
    by_days: dict[int, list[int]] = {}
    for unit_id, notify in wanted.items():
        if unit_id not in done:
            by_days.setdefault(notify.days_before, []).append(unit_id)
    made = 0
    for days, unit_ids in sorted(by_days.items()):
        limit = soon_before(calendar, today, days)
        # Each unit asks only the sources that owe it something.
        owing: dict[int, list[DigestSource]] = {}
        for source in digest_sources():
            for unit_id in set(source.owing(today, limit, unit_ids)):
                owing.setdefault(unit_id, []).append(source)
        for unit_id, sources in sorted(owing.items()):
            made += len(_build_unit(wanted[unit_id], today, limit, now, sources))
    return made


def _checkpoints_owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    return (
        Checkpoint.objects.filter(_reminder_filter(today, limit), unit_id__in=unit_ids)
        .values_list("unit_id", flat=True)
        .distinct()
    )


def _checkpoints_part(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    found = list(
        Checkpoint.objects.select_for_update(of=("self",))
        .filter(_reminder_filter(today, limit), unit_id=unit_id)
        .select_related("task")
        .order_by("due", "pk")
    )
    sections: dict[str, list[Checkpoint]] = {key: [] for key in STAMPS}
    for c in found:
        key = "overdue" if c.due < today else "today" if c.due == today else "soon"
        sections[key].append(c)

    def mark() -> None:
        for key, field in STAMPS.items():
            if ids := [c.pk for c in sections[key]]:
                Checkpoint.objects.filter(pk__in=ids, **{f"{field}__isnull": True}).update(
                    **{field: today}
                )

    return DigestPart({key: [_item(c) for c in items] for key, items in sections.items()}, mark)


CHECKPOINTS = register_digest_source(
    DigestSource("checkpoints", owing=_checkpoints_owing, collect=_checkpoints_part)
)


def _item(c: Checkpoint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "requirement": shorten(c.task.requirement),
        "label": c.label,
        "due": c.due.isoformat(),
        "category": c.category,
    }


def _build_unit(
    notify: NotifySettings,
    today: dt.date,
    limit: dt.date,
    now: dt.datetime,
    sources: Iterable[DigestSource],
) -> list[Reminder]:
    """One unit's digests for today from `sources`, or [] when another builder made them
    first."""
    try:
        with transaction.atomic():
            parts = [s.collect(notify.unit_id, today, limit) for s in sources]
            if all(part.empty for part in parts):
                for part in parts:
                    part.mark()  # a source may have bookkeeping to clear that says nothing
                return []
            payload: dict[str, Any] = {}
            for part in parts:
                payload.update(part.sections)
            rows = Reminder.objects.bulk_create(
                Reminder(
                    unit_id=notify.unit_id,
                    day=today,
                    channel=channel,
                    target=target_of(channel, notify),
                    payload=payload,
                    next_attempt_at=now,
                    created_at=now,
                )
                for channel in channels_of(notify)
            )
            for part in parts:
                part.mark()
            return rows
    except IntegrityError:
        log.info("digest of unit %s for %s was made by another worker", notify.unit_id, today)
        return []


def target_of(channel: str, notify: NotifySettings) -> str:
    """Where a message on `channel` goes, as the reminders page shows it (webhooks masked)."""
    if channel == Channel.EMAIL:
        return "、".join(parse_emails(notify.emails))[:1000]
    return mask_url(notify.webhook_url)[:1000]


# -- sending ----------------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    return Q(state__in=RETRYABLE, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def send_due(now: dt.datetime | None = None) -> int:
    """Send every row that is due, one claim at a time. The number of rows tried."""
    now = now or timezone.now()
    tried = 0
    for _ in range(SEND_LIMIT):
        outcome = process_one_due_reminder(now)
        if outcome is None:
            break
        tried += outcome
    return tried


def process_one_due_reminder(now: dt.datetime | None = None) -> bool | None:
    """Claim and send the next due row. True: this worker sent or tried it; False: another
    worker claimed it first; None: nothing is due."""
    now = now or timezone.now()
    pk = (
        Reminder.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return None
    return send_reminder(pk, now)


def send_reminder(pk: int, now: dt.datetime | None = None) -> bool:
    """Claim row `pk` if it is due and send it. False when it is not due or another worker
    holds it."""
    now = now or timezone.now()
    old = Reminder.objects.filter(pk=pk).values_list("state", flat=True).first()
    token = f"{_WORKER}-{uuid.uuid4().hex[:12]}"
    claimed = Reminder.objects.filter(_due(now), pk=pk).update(
        state=DeliveryState.SENDING, claimed_by=token, claimed_at=now
    )
    if not claimed:
        return False
    reminder = Reminder.objects.select_related("unit").get(pk=pk)
    notify = NotifySettings.objects.filter(unit_id=reminder.unit_id).first()
    try:
        if notify is None or not notify.enabled:
            raise DeliveryError("该单位已关闭提醒，不再发送", permanent=True)
        message = Message.from_payload(reminder.unit.name, reminder.day, reminder.payload)
        target = deliver(reminder.channel, message, notify)
    except DeliveryError as exc:
        _failed(reminder, token, old or "", now, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug must not leave the row "sending" or stop the queue
        log.exception("reminder %s: unexpected error while sending", pk)
        _failed(reminder, token, old or "", now, f"内部错误：{type(exc).__name__}: {exc}")
    else:
        _sent(reminder, token, old or "", now, target)
    return True


def _sent(reminder: Reminder, token: str, old: str, now: dt.datetime, target: str) -> None:
    with transaction.atomic():
        done = Reminder.objects.filter(
            pk=reminder.pk, claimed_by=token, state=DeliveryState.SENDING
        ).update(
            state=DeliveryState.SENT,
            sent_at=now,
            attempts=F("attempts") + 1,
            target=target[:1000],
            last_error="",
        )
        if not done:
            log.warning("reminder %s was sent but another worker had reclaimed it", reminder.pk)
            return
        reminder.refresh_from_db()
        record_transition(
            None,
            reminder,
            "state",
            old,
            DeliveryState.SENT,
            comment=f"第{reminder.attempts}次发送成功：{reminder.get_channel_display()}至{target}",
        )


def _failed(
    reminder: Reminder,
    token: str,
    old: str,
    now: dt.datetime,
    reason: str,
    *,
    permanent: bool = False,
) -> None:
    attempts = reminder.attempts + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    next_at = reminder.next_attempt_at
    if not give_up:
        next_at = now + dt.timedelta(minutes=BACKOFF[attempts - 1])
    state = DeliveryState.GAVE_UP if give_up else DeliveryState.FAILED
    with transaction.atomic():
        done = Reminder.objects.filter(
            pk=reminder.pk, claimed_by=token, state=DeliveryState.SENDING
        ).update(state=state, attempts=attempts, last_error=reason, next_attempt_at=next_at)
        if not done:
            log.warning("reminder %s failed but another worker had reclaimed it", reminder.pk)
            return
        reminder.refresh_from_db()
        if give_up:
            outcome = "已放弃，请检查提醒设置后重试"
        else:
            outcome = f"将于 {timezone.localtime(next_at):%Y-%m-%d %H:%M} 重试"
        record_transition(
            None,
            reminder,
            "state",
            old,
            state,
            comment=f"第{attempts}次发送失败，{outcome}：{reason}"[:1000],
        )


# -- the office's actions ---------------------------------------------------------------------


def retry_reminder(user: Any, reminder: Reminder, now: dt.datetime | None = None) -> Reminder:
    """Send a digest again now (failed, given up, or still waiting); the row as it ends."""
    require_office(user)
    now = now or timezone.now()
    with transaction.atomic():
        row = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if row.state == DeliveryState.SENT:
            raise ValidationError("该提醒已发送成功，无需重发")
        if row.state == DeliveryState.SENDING and (
            row.claimed_at is None or row.claimed_at >= now - STALE_CLAIM
        ):
            raise ValidationError("该提醒正在发送中，请稍后刷新查看结果")
        old = row.state
        row.state = DeliveryState.PENDING
        row.next_attempt_at = now
        row.save(update_fields=["state", "next_attempt_at"])
        record_transition(user, row, "state", old, row.state, comment="公开办要求立即重新发送")
    send_reminder(row.pk, now)
    row.refresh_from_db()
    return row


@dataclass(frozen=True)
class TestOutcome:
    channel: str
    target: str
    error: str = ""


def send_test_message(user: Any, unit: Unit) -> list[TestOutcome]:
    """Send a test message on each of the unit's channels now; audited with the outcome."""
    if not can_edit_settings(user, unit):
        raise PermissionDenied("只有公开办或本单位联络员可以发送测试消息")
    notify = NotifySettings.objects.filter(unit=unit).first()
    if notify is None or not channels_of(notify):
        raise ValidationError("请先填写并保存电子邮箱或 Webhook 地址")
    message = Message(unit.name, timezone.localdate(), {}, test=True)
    outcomes = []
    for channel in channels_of(notify):
        try:
            target = deliver(channel, message, notify)
        except DeliveryError as exc:
            outcomes.append(TestOutcome(channel.label, target_of(channel, notify), str(exc)))
        else:
            outcomes.append(TestOutcome(channel.label, target))
    summary = "；".join(f"{o.channel}{'失败：' + o.error if o.error else '成功'}" for o in outcomes)
    record(user, AuditAction.CHANGE, notify, comment=f"发送测试消息：{summary}"[:1000])
    return outcomes


# -- reminder settings ------------------------------------------------------------------------


def can_edit_settings(user: Any, unit: Unit) -> bool:
    """The office may change any unit's reminder settings; a liaison its own unit's."""
    if getattr(user, "is_office", False):
        return True
    return getattr(user, "role", None) == Role.LIAISON and unit.pk in user.unit_ids()


def settings_snapshot(notify: NotifySettings) -> Snapshot:
    """For the audit trail: the robot's credential (in the URL's query, or the signing
    secret) is never written down."""
    data = snapshot(notify)
    data["webhook_url"] = mask_url(notify.webhook_url)
    data["webhook_secret"] = "（已设置）" if notify.webhook_secret else ""
    return data


@dataclass(frozen=True)
class SettingsInput:
    enabled: bool
    emails: list[str]
    webhook_url: str
    webhook_format: WebhookFormat
    days_before: int
    #: None keeps the stored secret; "" clears it.
    webhook_secret: str | None = None


def save_settings(user: Any, unit: Unit, data: SettingsInput) -> NotifySettings:
    """Create or change a unit's reminder settings, audited."""
    if not can_edit_settings(user, unit):
        raise PermissionDenied("只有公开办或本单位联络员可以修改提醒设置")
    try:
        with transaction.atomic():
            notify = NotifySettings.objects.select_for_update().filter(unit=unit).first()
            before = None if notify is None else settings_snapshot(notify)
            notify = notify or NotifySettings(unit=unit)
            notify.enabled = data.enabled
            notify.emails = "\n".join(data.emails)
            notify.webhook_url = data.webhook_url
            notify.webhook_format = data.webhook_format
            notify.days_before = data.days_before
            if data.webhook_secret is not None:
                notify.webhook_secret = data.webhook_secret
            notify.save()
            changes = diff(before, settings_snapshot(notify))
            if before is None:
                record(user, AuditAction.CREATE, notify, changes=changes)
            elif changes:
                record(user, AuditAction.CHANGE, notify, changes=changes)
    except IntegrityError:  # two first saves at once: the other one won
        raise ValidationError("提醒设置刚被他人保存，请刷新页面后再修改") from None
    return notify
