"""The reply clock of a question, its 60-day alarm and the 3-month veto date.

Convention: the reply is due on the N-th working day strictly after the day of receipt (受理
日期), by the office calendar (national schedule, 调休 and local adjustments); the day of
receipt is not counted, as for every period in this system (民法典 Art. 201, domain-rules §8).
N is GONGKAI_QUESTION_WORKDAYS (5), or GONGKAI_QUESTION_SIMPLE_WORKDAYS (3) once the office
marks the question 简单. Transfers between units and returned drafts do not restart the clock:
the asker has waited since the day of receipt.

A year without a published schedule leaves `due_on` empty and says why in `clock_problem`:
never guessed. The alarm (GONGKAI_QUESTION_ALARM_DAYS, default 60) and the veto date (3
months, domain-rules D4) count calendar days, so they need no calendar.

`refresh` is the only writer of due_on, clock_problem, reply_workdays, reply_days and on_time.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.holidays.calendar import office_calendar
from gongkai.interact import stats
from gongkai.interact.models import (
    OPEN_STATES,
    REPLIED_STATES,
    EventKind,
    Question,
    QuestionEvent,
)
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

log = logging.getLogger(__name__)

_REFRESHED = ["due_on", "clock_problem", "reply_workdays", "reply_days", "on_time"]


def workdays_allowed(simple: bool) -> int:
    return int(settings.QUESTION_SIMPLE_WORKDAYS if simple else settings.QUESTION_WORKDAYS)


def alarm_days() -> int:
    return int(settings.QUESTION_ALARM_DAYS)


def alarm_date(received_on: dt.date) -> dt.date:
    """The day the alarm goes off if the question is still unanswered."""
    return received_on + dt.timedelta(days=alarm_days())


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day `n` months later, or the month's last day when it has no such day."""
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, months.monthrange(year, month)[1]))


def veto_date(received_on: dt.date) -> dt.date:
    """The last day a reply avoids the single veto: unanswered after it is "more than 3
    months" (domain-rules §3.2, D4)."""
    return add_months(received_on, 3)


def due_date(
    received_on: dt.date, simple: bool, calendar: WorkdayCalendar
) -> tuple[dt.date | None, str]:
    """(the reply deadline, "") or (None, why it cannot be computed)."""
    try:
        return calendar.add_workdays(received_on, workdays_allowed(simple)), ""
    except CalendarUnavailable as exc:
        return None, str(exc)[:300]


def refresh(question: Question, calendar: WorkdayCalendar | None = None) -> bool:
    """Recompute the question's cached clock fields and save them; whether due_on changed."""
    calendar = calendar or office_calendar()
    before = question.due_on
    question.due_on, question.clock_problem = due_date(
        question.received_on, question.simple, calendar
    )
    question.reply_workdays = question.reply_days = question.on_time = None
    if question.replied_on is not None and question.state in REPLIED_STATES:
        question.reply_days = (question.replied_on - question.received_on).days
        try:
            question.reply_workdays = calendar.workdays_between(
                question.received_on, question.replied_on
            )
        except CalendarUnavailable:
            question.reply_workdays = None
        if question.due_on is not None:
            question.on_time = question.replied_on <= question.due_on
    question.save(update_fields=[*_REFRESHED, "updated_at"])
    if before is not None and question.due_on is not None and question.due_on > before:
        # A later deadline may be reminded again (reminders.py).
        Question.objects.filter(pk=question.pk).update(
            reminded_soon_on=None, reminded_overdue_on=None, overdue_alerted_on=None
        )
        question.reminded_soon_on = question.reminded_overdue_on = None
        question.overdue_alerted_on = None
    return question.due_on != before


def recompute(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
    """A calendar change (gongkai.holidays.hooks): recompute the questions whose clock may
    depend on the changed dates — the open ones, and replied ones whose period spans them
    (their on-time flag and working days feed the published statistics). Audited per question
    whose deadline moved; returns how many moved."""
    if not changed:
        return 0
    first, last = min(changed), max(changed)
    spans = Q(received_on__lte=last) & (
        Q(due_on__gte=first) | Q(replied_on__gte=first) | Q(due_on__isnull=True)
    )
    todo = Question.objects.filter(Q(state__in=OPEN_STATES) | (Q(state__in=REPLIED_STATES) & spans))
    moved = 0
    now = timezone.now()
    for question in todo.iterator(chunk_size=500):
        before = question.due_on
        with transaction.atomic():
            if not refresh(question, calendar):
                continue
            moved += 1
            note = f"工作日历调整，答复期限由 {_iso(before)} 调整为 {_iso(question.due_on)}"
            QuestionEvent.objects.create(
                question=question,
                kind=EventKind.DUE_CHANGED,
                at=now,
                to_unit_id=question.unit_id,
                note=note,
            )
            record(
                None,
                AuditAction.CHANGE,
                question,
                changes={"due_on": [_iso(before), _iso(question.due_on)]},
                comment=note,
            )
    if moved:
        log.info("calendar change moved %s question deadlines", moved)
    stats.invalidate()  # replied questions may count differently now
    return moved


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "（无法计算）"


def raise_alarms(now: dt.datetime | None = None) -> int:
    """Stamp the alarm on every open question unanswered for GONGKAI_QUESTION_ALARM_DAYS
    calendar days; each is raised once (a conditional UPDATE, so two workers cannot both raise
    it), written to its history and audited. Returns how many were raised now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = today - dt.timedelta(days=alarm_days())
    due = Question.objects.open().filter(alarm60_sent_at__isnull=True, received_on__lte=cutoff)
    raised = 0
    for pk in list(due.order_by().values_list("pk", flat=True)):
        with transaction.atomic():
            won = Question.objects.filter(
                pk=pk, alarm60_sent_at__isnull=True, state__in=OPEN_STATES
            ).update(alarm60_sent_at=now)
            if not won:
                continue
            question = Question.objects.get(pk=pk)
            veto = veto_date(question.received_on).isoformat()
            note = (
                f"受理已满 {alarm_days()} 日仍未答复；{veto} 之后仍未答复即超过 3 个月，"
                "构成政府网站“互动回应差”单项否决"
            )
            QuestionEvent.objects.create(
                question=question,
                kind=EventKind.ALARM,
                at=now,
                to_unit_id=question.unit_id,
                note=note,
            )
            changes = {"alarm60_sent_at": [None, now.isoformat()]}
            record(None, AuditAction.CHANGE, question, changes=changes, comment=note)
            raised += 1
    if raised:
        log.warning("%s questions unanswered for %s days: alarm raised", raised, alarm_days())
    return raised
