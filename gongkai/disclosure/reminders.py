"""依申请公开 in the units' daily reminder digests: a digest source of gongkai.work.reminders.

A unit with reminder settings hears about each of its open requests (OPEN_STATES) once when
the reply is due within its lead time (NotifySettings.days_before working days), once on the
deadline day, and once when it is overdue; `reminded_soon_on` records the first two (the
deadline day is a later reminder than "soon", so a stamp older than today owes it) and
`reminded_overdue_on` the third. A request whose deadline a calendar change moved
(`deadline_moved_from`, set by clock.note_deadline_moved) is listed with its old and new
deadline in the next digest, then the mark is cleared.

The digest leaves the system by e-mail and chat robots, so an item carries the tracking number,
the state and the dates only: never the applicant, their ID or the description of what they
asked for (it often names them). The link opens the request for staff who are signed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from gongkai.disclosure.clock import refresh_clocks
from gongkai.disclosure.models import OPEN_STATES, Request, RequestState
from gongkai.work.notify import DigestBlock
from gongkai.work.reminders import DigestPart, DigestSource

SOON = "requests_soon"
TODAY = "requests_today"
OVERDUE = "requests_overdue"
MOVED = "requests_moved"
_FIELDS = ("id", "tracking_no", "state", "deadline", "deadline_moved_from", "unit_id")


def _owed(today: dt.date, limit: dt.date) -> Q:
    """Open requests owing one of today's reminders, or a notice that their deadline moved."""
    reminders = (
        Q(deadline__lt=today, reminded_overdue_on__isnull=True)
        | (Q(deadline=today) & (Q(reminded_soon_on__isnull=True) | Q(reminded_soon_on__lt=today)))
        | Q(deadline__gt=today, deadline__lt=limit, reminded_soon_on__isnull=True)
    )
    return Q(state__in=OPEN_STATES) & (reminders | Q(deadline_moved_from__isnull=False))


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    refresh_clocks(today)  # paused deadlines move day by day; the digest needs today's
    return (
        Request.objects.filter(_owed(today, limit), unit_id__in=unit_ids)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )


def _section(request: Request, today: dt.date, limit: dt.date) -> str | None:
    """Which reminder the request owes today (None: only, perhaps, the moved notice)."""
    due = request.deadline
    if due is None:
        return None
    if due < today:
        return OVERDUE if request.reminded_overdue_on is None else None
    if due == today:
        stamp = request.reminded_soon_on
        return TODAY if stamp is None or stamp < today else None
    if due < limit and request.reminded_soon_on is None:
        return SOON
    return None


def _item(request: Request) -> dict[str, Any]:
    return {
        "id": request.pk,
        "tracking_no": request.tracking_no,
        "state": RequestState(request.state).label,
        "due": request.deadline.isoformat() if request.deadline else "",
    }


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's requests owing a reminder, locked until the digest's transaction ends."""
    found = list(
        Request.objects.select_for_update()
        .filter(_owed(today, limit), unit_id=unit_id)
        .only(*_FIELDS, "reminded_soon_on", "reminded_overdue_on")
        .order_by("deadline", "pk")
    )
    sections: dict[str, list[Request]] = {SOON: [], TODAY: [], OVERDUE: []}
    moved: list[dict[str, Any]] = []
    for request in found:
        if (key := _section(request, today, limit)) is not None:
            sections[key].append(request)
        before = request.deadline_moved_from
        if before is not None and before != request.deadline:  # moved back: nothing to tell
            moved.append({**_item(request), "from": before.isoformat()})

    def mark() -> None:
        if ids := [r.pk for r in sections[SOON] + sections[TODAY]]:
            Request.objects.filter(pk__in=ids).update(reminded_soon_on=today)
        if ids := [r.pk for r in sections[OVERDUE]]:
            Request.objects.filter(pk__in=ids, reminded_overdue_on__isnull=True).update(
                reminded_overdue_on=today
            )
        if ids := [r.pk for r in found if r.deadline_moved_from is not None]:
            Request.objects.filter(pk__in=ids).update(deadline_moved_from=None)

    payload = {key: [_item(r) for r in items] for key, items in sections.items() if items}
    if moved:
        payload[MOVED] = moved
    return DigestPart(payload, mark)


def request_link(item: Mapping[str, Any]) -> str:
    """The request's page for signed-in staff: absolute under GONGKAI_BASE_URL, else a path."""
    return settings.BASE_URL + reverse("disclosure:detail", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    number, due = item.get("tracking_no", ""), item.get("due") or "暂无法计算"
    if "from" in item:
        return f"{number}：因工作日历调整，答复期限由 {item['from']} 调整为 {due}"
    return f"{number}（{item.get('state', '')}，答复期限 {due}）"


BLOCK = DigestBlock(
    heading="依申请公开",
    sections=(
        (OVERDUE, "申请逾期", "答复已逾期"),
        (TODAY, "申请今日到期", "今日到期"),
        (SOON, "申请临期", "即将到期"),
        (MOVED, "申请期限调整", "答复期限调整"),
    ),
    describe=describe,
    link=request_link,
)

SOURCE = DigestSource("disclosure.requests", owing=owing, collect=collect, block=BLOCK)
