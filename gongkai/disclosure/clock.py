"""The register's side of the reply clock: the log rows as gongkai.clocks events, and the
cached answer on the request row.

`refresh` is called after every change to a request's log (inside the action's transaction) and
by `recompute_open` after every change to the calendar; it is the only writer of `deadline`,
`clock_status`, `on_time`, `clock_problems` and `review_due`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.clocks import (
    Answered,
    Channel,
    ClockState,
    ClockStatus,
    ConsultationAnswered,
    ConsultationLapsed,
    ConsultationStarted,
    Consulted,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    Delivery,
    Extended,
    Received,
    RequestEvent,
    compute,
)
from gongkai.disclosure.models import EventKind, Request
from gongkai.disclosure.models import RequestEvent as EventRow
from gongkai.holidays.calendar import office_calendar
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

log = logging.getLogger(__name__)

_REFRESHED = ["deadline", "clock_status", "on_time", "clock_problems", "review_due"]


def _day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def as_clock_event(row: EventRow) -> RequestEvent:
    """One log row as the pure clock's event; `data` holds the fields beyond the date."""
    d = row.data or {}
    match row.kind:
        case EventKind.RECEIVED:
            return Received(row.date, Channel(d.get("channel", Channel.OTHER)))
        case EventKind.CORRECTION_REQUESTED:
            return CorrectionRequested(row.date, _day(d.get("correct_by")))
        case EventKind.CORRECTION_RECEIVED:
            return CorrectionReceived(row.date)
        case EventKind.CORRECTION_LAPSED:
            return CorrectionLapsed(row.date)
        case EventKind.CONSULTATION_STARTED:
            return ConsultationStarted(
                row.date,
                Consulted(d.get("party", Consulted.THIRD_PARTY)),
                _day(d.get("letter_received")),
                str(d.get("name", "")),
            )
        case EventKind.CONSULTATION_ANSWERED:
            return ConsultationAnswered(row.date)
        case EventKind.CONSULTATION_LAPSED:
            return ConsultationLapsed(row.date)
        case EventKind.EXTENDED:
            return Extended(
                row.date,
                str(d.get("approver", "")),
                _day(d.get("notified")),
                int(d.get("workdays", 20)),
            )
        case EventKind.ANSWERED:
            return Answered(row.date, bool(d.get("on_the_spot", False)))
        case EventKind.DELIVERED:
            return Delivered(row.date, Delivery(d.get("method", Delivery.SIGNED)))
    raise ValueError(f"unknown event kind {row.kind!r}")


def count_receipt_day() -> bool:
    return bool(settings.REQUEST_COUNT_RECEIPT_DAY)


def review_workdays() -> int:
    return int(settings.REQUEST_REVIEW_WORKDAYS)


def state_of(
    request: Request, calendar: WorkdayCalendar, today: dt.date | None = None
) -> ClockState | None:
    """The clock of `request` today, or None before its receipt day is fixed (no log yet)."""
    rows = list(request.events.all())
    if not rows:
        return None
    events = [as_clock_event(r) for r in rows]
    return compute(
        events,
        calendar,
        today=today or timezone.localdate(),
        count_receipt_day=count_receipt_day(),
    )


def _review_due(deadline: dt.date | None, calendar: WorkdayCalendar) -> dt.date | None:
    """N working days before the deadline (seed 002: the draft reaches the office 3 days before)."""
    if deadline is None:
        return None
    day, left = deadline, review_workdays()
    while left > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day


def refresh(
    request: Request, calendar: WorkdayCalendar | None = None, today: dt.date | None = None
) -> ClockState | None:
    """Recompute the request's cached clock fields and save them; the state, or None.

    A date beyond the calendar's published years leaves the deadline empty and says so in
    `clock_problems`; it is never guessed.
    """
    calendar = calendar or office_calendar()
    try:
        state = state_of(request, calendar, today)
    except CalendarUnavailable as exc:
        request.deadline = None
        request.clock_status = ""
        request.on_time = None
        request.clock_problems = [f"工作日历缺少所需年份，无法计算期限：{exc}"]
        request.review_due = None
        request.save(update_fields=_REFRESHED)
        return None
    if state is None:
        request.deadline = None
        request.clock_status = ""
        request.on_time = None
        request.clock_problems = []
        request.review_due = None
    else:
        request.deadline = state.deadline
        request.clock_status = state.state.value
        request.on_time = state.met
        request.clock_problems = state.problems
        try:
            request.review_due = _review_due(state.deadline, calendar)
        except CalendarUnavailable:
            request.review_due = None
    request.save(update_fields=_REFRESHED)
    return state


def refresh_clocks(today: dt.date | None = None) -> int:
    """Bring the cached clocks that time itself changes up to date; how many were refreshed.

    A paused clock (a consultation is out) moves its deadline one working day later for every
    working day of the pause, and a clock that has just run out turns `on_time` False: neither
    has an event to trigger `refresh`. Run hourly by beat and before the reminder digests; cheap,
    since few requests are paused or newly late at any time.
    """
    from gongkai.disclosure.models import OPEN_STATES

    today = today or timezone.localdate()
    stale = list(
        Request.objects.filter(
            Q(clock_status=ClockStatus.PAUSED) | Q(deadline__lt=today, on_time__isnull=True),
            state__in=OPEN_STATES,
        ).values_list("pk", flat=True)
    )
    if not stale:
        return 0
    calendar = office_calendar()
    for start in range(0, len(stale), 500):
        batch = Request.objects.filter(pk__in=stale[start : start + 500])
        for request in batch.prefetch_related("events"):
            refresh(request, calendar, today)
    return len(stale)


def recompute_open(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
    """A calendar change: recompute every open request; audit and return how many moved.

    Each request whose deadline moved gets an audit event on itself (its unit sees it in its
    history) and a notice in its unit's next reminder digest (disclosure.reminders).
    """
    from gongkai.disclosure.models import OPEN_STATES

    moved = 0
    today = timezone.localdate()
    todo = Request.objects.filter(state__in=OPEN_STATES).prefetch_related("events")
    for request in todo.iterator(chunk_size=500):
        before = request.deadline
        refresh(request, calendar, today)
        if request.deadline != before:
            moved += 1
            record(
                None,
                AuditAction.CHANGE,
                request,
                changes={"deadline": [_iso(before), _iso(request.deadline)]},
                comment="工作日历调整，重新计算答复期限",
            )
            note_deadline_moved(request, before)
    if moved:
        log.info("calendar change moved %s request deadlines", moved)
    return moved


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def note_deadline_moved(request: Request, before: dt.date | None) -> None:
    """Mark the request for its unit's next reminder digest (disclosure.reminders); a deadline
    that moved later may be reminded again.

    The first deadline before the unit was told is kept: moved twice before a digest, the
    notice reads "from the first to the last". Checked in the UPDATE, not on the row read at
    the start of the recompute, since a digest may have told the unit and cleared it since."""
    if before is not None:
        Request.objects.filter(pk=request.pk, deadline_moved_from__isnull=True).update(
            deadline_moved_from=before
        )
    if before is not None and request.deadline is not None and request.deadline > before:
        Request.objects.filter(pk=request.pk).update(
            reminded_soon_on=None, reminded_overdue_on=None
        )
