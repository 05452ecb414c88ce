"""网站检查 tickets in the daily reminder digests: a digest source of gongkai.work.reminders.

A unit hears once of each ticket an inspection opened (or reopened, or moved) for it, and once
more when the ticket is past its due date and still open; the office hears once of every
overdue ticket of every unit. Each is stamped on the ticket (notified_on, reminded_overdue_on,
office_alerted_on); recording an inspection clears the stamps when it reopens or moves a ticket,
so a new episode is told afresh. A ticket both new and overdue by the first digest is told once,
as overdue. Items carry the site, the problem type, the address and the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from gongkai.inspection.models import OPEN_STATUSES, Ticket
from gongkai.inspection.types import type_name
from gongkai.work.notify import DigestBlock, shorten
from gongkai.work.reminders import DigestPart, DigestSource, office_unit_ids

NEW = "inspection_tickets_new"
OVERDUE = "inspection_tickets_overdue"
OFFICE_OVERDUE = "inspection_tickets_office_overdue"
_URL_CHARS = 120


def _unit_owed(today: dt.date) -> Q:
    overdue = Q(due_on__lt=today, reminded_overdue_on__isnull=True)
    return Q(notified_on__isnull=True) | overdue


def _office_owed(today: dt.date) -> Q:
    return Q(due_on__lt=today, office_alerted_on__isnull=True)


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    """The units among `unit_ids` owed a notice (the office's units when any ticket is)."""
    wanted = set(unit_ids)
    rows = Ticket.objects.filter(status__in=OPEN_STATUSES)
    found = {u for u in rows.filter(_unit_owed(today)).values_list("unit_id", flat=True)}
    found &= wanted
    if rows.filter(_office_owed(today)).exists():
        found |= office_unit_ids() & wanted
    return found


def _item(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "site": ticket.site.name,
        "type": type_name(ticket.type),
        "url": shorten(ticket.url, _URL_CHARS),
        "unit": ticket.unit.name,
        "due": ticket.due_on.isoformat() if ticket.due_on else "",
    }


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's tickets owing a notice (and, for the office's unit, every unit's overdue
    ones), locked until the digest's transaction ends."""
    is_office = unit_id in office_unit_ids()
    wanted = Q(unit_id=unit_id) & _unit_owed(today)
    if is_office:
        wanted |= _office_owed(today)
    found = list(
        Ticket.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_STATUSES)
        .filter(wanted)
        .select_related("site", "unit")
        .order_by("due_on", "pk")
    )
    sections: dict[str, list[Ticket]] = {NEW: [], OVERDUE: [], OFFICE_OVERDUE: []}
    told_new: list[int] = []
    told_overdue: list[int] = []
    office_told: list[int] = []
    for ticket in found:
        overdue = ticket.due_on is not None and ticket.due_on < today
        listed = False
        if ticket.unit_id == unit_id:
            if overdue and ticket.reminded_overdue_on is None:
                sections[OVERDUE].append(ticket)
                told_overdue.append(ticket.pk)
                listed = True
            if ticket.notified_on is None:
                if not listed:
                    sections[NEW].append(ticket)
                told_new.append(ticket.pk)
                listed = True
        if is_office and overdue and ticket.office_alerted_on is None:
            office_told.append(ticket.pk)
            if not listed:
                sections[OFFICE_OVERDUE].append(ticket)

    def mark() -> None:
        for ids, field in (
            (told_new, "notified_on"),
            (told_overdue, "reminded_overdue_on"),
            (office_told, "office_alerted_on"),
        ):
            if ids:
                Ticket.objects.filter(pk__in=ids, **{f"{field}__isnull": True}).update(
                    **{field: today}
                )

    payload = {key: [_item(t) for t in items] for key, items in sections.items() if items}
    return DigestPart(payload, mark)


def ticket_link(item: Mapping[str, Any]) -> str:
    return settings.BASE_URL + reverse("inspection:ticket", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    due = item.get("due") or "暂无法计算"
    return (
        f"{item.get('site', '')}：{item.get('type', '')}（{item.get('unit', '')}，"
        f"整改期限 {due}）{item.get('url', '')}"
    )


BLOCK = DigestBlock(
    heading="网站检查整改",
    sections=(
        (OVERDUE, "整改逾期", "整改工单已逾期，请尽快整改，复查通过后自动销号"),
        (NEW, "新派整改工单", "网站检查新发现的问题，请在整改期限内整改"),
        (OFFICE_OVERDUE, "各单位整改逾期", "各单位已逾期的整改工单"),
    ),
    describe=describe,
    link=ticket_link,
)

SOURCE = DigestSource("inspection.tickets", owing=owing, collect=collect, block=BLOCK)
