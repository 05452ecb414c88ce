"""A ticket's due date: GONGKAI_INSPECTION_TICKET_WORKDAYS (5) working days after the day it
was opened or reopened, that day not counted, by the office calendar. A year without a
published holiday schedule leaves the date empty with the reason: never guessed."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.inspection.models import OPEN_STATUSES, EventKind, Ticket, TicketEvent
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

log = logging.getLogger(__name__)


def workdays_allowed() -> int:
    return max(1, int(getattr(settings, "INSPECTION_TICKET_WORKDAYS", 5)))


def due_date(opened_on: dt.date, calendar: WorkdayCalendar) -> tuple[dt.date | None, str]:
    """(the due date, "") or (None, why it cannot be computed)."""
    try:
        return calendar.add_workdays(opened_on, workdays_allowed()), ""
    except CalendarUnavailable as exc:
        return None, str(exc)[:300]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "（无法计算）"


def recompute(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
    """A calendar change (gongkai.holidays.hooks): recompute the open tickets whose due date
    may depend on the changed dates; each moved one gets a history line and an audit event.

    Each batch of tickets is locked and re-read before its dates are recomputed, so a ticket
    reopened meanwhile (a new opened_on, its due date computed under the same lock) is judged
    from its current opened_on and never overwritten with a date computed from the old one."""
    if not changed:
        return 0
    first, last = min(changed), max(changed)
    candidates = (
        Q(status__in=OPEN_STATUSES),
        Q(opened_on__lte=last),
        (Q(due_on__gte=first) | Q(due_on=None)),
    )
    pks = list(Ticket.objects.filter(*candidates).order_by("pk").values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(pks), CHUNK):
        moved += _recompute_batch(calendar, pks[start : start + CHUNK], candidates)
    if moved:
        log.info("calendar change moved %s inspection ticket due dates", moved)
    return moved


CHUNK = 500


def _recompute_batch(calendar: WorkdayCalendar, pks: list[int], candidates: tuple[Q, ...]) -> int:
    now = timezone.now()
    moved = 0
    with transaction.atomic():
        locked = (
            Ticket.objects.select_for_update(of=("self",))
            .filter(*candidates, pk__in=pks)
            .order_by("pk")
        )
        for ticket in locked:
            before = ticket.due_on
            due, problem = due_date(ticket.opened_on, calendar)
            if due == before and problem == ticket.due_problem:
                continue
            Ticket.objects.filter(pk=ticket.pk).update(
                due_on=due, due_problem=problem, updated_at=now
            )
            if due == before:
                continue
            ticket.due_on = due
            moved += 1
            note = f"工作日历调整，整改期限由 {_iso(before)} 调整为 {_iso(due)}"
            TicketEvent.objects.create(ticket=ticket, kind=EventKind.DUE_CHANGED, at=now, note=note)
            record(
                None,
                AuditAction.CHANGE,
                ticket,
                changes={"due_on": [_iso(before), _iso(due)]},
                comment=note,
            )
    return moved
