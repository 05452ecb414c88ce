"""互动交流 in the daily reminder digests: a digest source of gongkai.work.reminders.

A unit with reminder settings (NotifySettings) hears about each open question routed to it once
when the reply is due within its lead time, once on the due day, once when it is overdue
(stamps reminded_soon_on, reminded_overdue_on), and once when the question passes the 60-day
alarm (alarm60_unit_on).

The office hears too. It is a unit like the others — the unit its staff (role 公开办) belong
to — so its own NotifySettings carry its digest, which adds: every overdue question of every
unit, the unrouted ones included (overdue_alerted_on), every question past the 60-day alarm
(alarm60_office_on), and the unrouted questions due soon or today (theirs to route). If the
office's staff sit in several units each gets the office's part, and the first digest made
stamps it. Without reminder settings for the office's unit nothing is sent; the staff list's
"逾期/告警" tab, which the office sees first, shows the same questions.

The digest leaves the system by e-mail and chat robots, so an item carries the number, the
unit, the state and the dates only: never the asker, the contact or what was asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Case, Q, Value, When
from django.urls import reverse

from gongkai.interact import clock
from gongkai.interact.models import OPEN_STATES, Question, QuestionState
from gongkai.work.notify import DigestBlock
from gongkai.work.reminders import DigestPart, DigestSource, office_unit_ids

SOON = "questions_soon"
TODAY = "questions_today"
OVERDUE = "questions_overdue"
ALARM = "questions_alarm"
OFFICE_OVERDUE = "questions_office_overdue"
OFFICE_ALARM = "questions_office_alarm"
_FIELDS = (
    "id",
    "tracking_no",
    "state",
    "due_on",
    "received_on",
    "unit_id",
    "reminded_soon_on",
    "reminded_overdue_on",
    "overdue_alerted_on",
    "alarm60_sent_at",
    "alarm60_unit_on",
    "alarm60_office_on",
)


def _reminder_owed(today: dt.date, limit: dt.date) -> Q:
    """Due soon, due today or overdue, not yet told (the unit's reminders)."""
    soon_or_today = Q(due_on=today) & (
        Q(reminded_soon_on__isnull=True) | Q(reminded_soon_on__lt=today)
    ) | Q(due_on__gt=today, due_on__lt=limit, reminded_soon_on__isnull=True)
    return soon_or_today | Q(due_on__lt=today, reminded_overdue_on__isnull=True)


def _unit_owed(today: dt.date, limit: dt.date) -> Q:
    """Owed to its unit, among open questions (the caller filters the state, at the top of the
    WHERE, where the database can use the state indexes)."""
    alarm = Q(alarm60_sent_at__isnull=False, alarm60_unit_on__isnull=True)
    return Q(unit__isnull=False) & (_reminder_owed(today, limit) | alarm)


def _office_owed(today: dt.date, limit: dt.date) -> Q:
    """Owed to the office, among open questions."""
    overdue = Q(due_on__lt=today, overdue_alerted_on__isnull=True)
    alarm = Q(alarm60_sent_at__isnull=False, alarm60_office_on__isnull=True)
    unrouted = Q(unit__isnull=True) & _reminder_owed(today, limit) & Q(due_on__gte=today)
    return overdue | alarm | unrouted


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    """The units among `unit_ids` owed a notice: one query for the units' and the office's
    part together (two more only when the office is owed something, to find its units)."""
    clock.raise_alarms()  # the alarm is stamped once, before anyone is told of it
    unit_owed, office_owed = _unit_owed(today, limit), _office_owed(today, limit)
    rows = (
        # The units are checked below, not in SQL: an IN list of every unit would steer the
        # planner onto the unit index and through every question ever asked.
        Question.objects.open()
        .filter(unit_owed | office_owed)
        .annotate(
            for_unit=Case(When(unit_owed, then=Value(True)), default=Value(False)),
            for_office=Case(When(office_owed, then=Value(True)), default=Value(False)),
        )
        .order_by()
        .values_list("unit_id", "for_unit", "for_office")
    )  # no DISTINCT either: it would have the planner walk the unit index; few rows owe
    wanted = set(unit_ids)
    found: set[int] = set()
    office = False
    for unit_id, for_unit, for_office in rows:
        if for_unit and unit_id in wanted:
            found.add(unit_id)
        office = office or bool(for_office)
    if office:
        found |= office_unit_ids() & wanted
    return found


def _section(q: Question, today: dt.date, limit: dt.date) -> str | None:
    """Which of the unit's reminders the question owes today, if any."""
    due = q.due_on
    if due is None:
        return None
    if due < today:
        return OVERDUE if q.reminded_overdue_on is None else None
    if due == today:
        return TODAY if q.reminded_soon_on is None or q.reminded_soon_on < today else None
    if due < limit and q.reminded_soon_on is None:
        return SOON
    return None


def _item(q: Question, key: str) -> dict[str, Any]:
    item = {
        "id": q.pk,
        "tracking_no": q.tracking_no,
        "state": QuestionState(q.state).label,
        "unit": q.unit.name if q.unit is not None else "待分办",
        "received": q.received_on.isoformat(),
        "due": q.due_on.isoformat() if q.due_on else "",
    }
    if key in (ALARM, OFFICE_ALARM):
        item["veto"] = clock.veto_date(q.received_on).isoformat()
    return item


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's questions owing a notice (and, for the office's unit, the office's part),
    locked until the digest's transaction ends."""
    mine = Q(unit_id=unit_id) & _unit_owed(today, limit)
    is_office = unit_id in office_unit_ids()
    wanted = mine | _office_owed(today, limit) if is_office else mine
    found = list(
        Question.objects.select_for_update(of=("self",))
        .filter(state__in=OPEN_STATES)
        .filter(wanted)
        .select_related("unit")
        .only(*_FIELDS, "unit__name")
        .order_by("due_on", "pk")
    )
    sections: dict[str, list[Question]] = {
        k: [] for k in (ALARM, OVERDUE, TODAY, SOON, OFFICE_ALARM, OFFICE_OVERDUE)
    }
    stamps: dict[str, list[int]] = {k: [] for k in sections}
    for q in found:
        listed = False
        if q.unit_id == unit_id or (is_office and q.unit_id is None):
            key = _section(q, today, limit)
            if key is not None and (q.unit_id is not None or key != OVERDUE):
                sections[key].append(q)
                stamps[key].append(q.pk)
                listed = True
            if q.unit_id == unit_id and q.alarm60_sent_at and q.alarm60_unit_on is None:
                sections[ALARM].append(q)
                stamps[ALARM].append(q.pk)
        if not is_office:
            continue
        if q.due_on is not None and q.due_on < today and q.overdue_alerted_on is None:
            stamps[OFFICE_OVERDUE].append(q.pk)
            if not (listed and q.unit_id == unit_id):  # told once in this digest is enough
                sections[OFFICE_OVERDUE].append(q)
        if q.alarm60_sent_at and q.alarm60_office_on is None:
            stamps[OFFICE_ALARM].append(q.pk)
            if q.unit_id != unit_id:
                sections[OFFICE_ALARM].append(q)

    def mark() -> None:
        if ids := stamps[SOON] + stamps[TODAY]:
            Question.objects.filter(pk__in=ids).update(reminded_soon_on=today)
        fields = {
            OVERDUE: "reminded_overdue_on",
            ALARM: "alarm60_unit_on",
            OFFICE_OVERDUE: "overdue_alerted_on",
            OFFICE_ALARM: "alarm60_office_on",
        }
        for key, field in fields.items():
            if ids := stamps[key]:
                Question.objects.filter(pk__in=ids, **{f"{field}__isnull": True}).update(
                    **{field: today}
                )

    payload = {key: [_item(q, key) for q in items] for key, items in sections.items() if items}
    return DigestPart(payload, mark)


def question_link(item: Mapping[str, Any]) -> str:
    """The question's staff page: absolute under GONGKAI_BASE_URL, else a path."""
    return settings.BASE_URL + reverse("interact:detail", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    """One line: number, unit, state, dates; an alarm item also says by when to reply."""
    due = item.get("due") or "暂无法计算"
    text = (
        f"{item.get('tracking_no', '')}（{item.get('unit', '')}，{item.get('state', '')}，"
        f"受理 {item.get('received', '')}，答复期限 {due}"
    )
    if item.get("veto"):
        text += f"，超过 {item['veto']} 仍未答复即构成单项否决"
    return text + "）"


BLOCK = DigestBlock(
    heading="互动交流",
    sections=(
        (ALARM, "留言长期未答复告警", "受理已满告警天数仍未答复，须在 3 个月内答复"),
        (OVERDUE, "留言逾期", "答复已逾期"),
        (TODAY, "留言今日到期", "今日到期"),
        (SOON, "留言临期", "即将到期"),
        (OFFICE_ALARM, "各单位留言告警", "各单位受理已满告警天数仍未答复的留言"),
        (OFFICE_OVERDUE, "各单位留言逾期", "各单位答复已逾期的留言"),
    ),
    describe=describe,
    link=question_link,
)

SOURCE = DigestSource("interact.questions", owing=owing, collect=collect, block=BLOCK)
