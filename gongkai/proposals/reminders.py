"""建议提案 in the daily reminder digests: a digest source of gongkai.work.reminders.

The lead unit hears once when a reply is due within its lead time (or today) and once when it
is overdue (stamps reminded_soon_on, reminded_overdue_on). The office — the units its staff
belong to, as for 互动交流 — hears once of every overdue proposal of every unit
(overdue_alerted_on). A changed due date clears the stamps (actions.update_registration).

An item carries the number, title, unit and dates only: the digest leaves the system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from gongkai.proposals.models import Proposal
from gongkai.work.notify import DigestBlock
from gongkai.work.reminders import DigestPart, DigestSource, office_unit_ids

SOON = "proposals_soon"
OVERDUE = "proposals_overdue"
OFFICE_OVERDUE = "proposals_office_overdue"


def _unit_owed(today: dt.date, limit: dt.date) -> Q:
    soon = Q(due_on__gte=today, due_on__lt=limit, reminded_soon_on__isnull=True)
    return soon | Q(due_on__lt=today, reminded_overdue_on__isnull=True)


def _office_owed(today: dt.date) -> Q:
    return Q(due_on__lt=today, overdue_alerted_on__isnull=True)


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    rows = (
        Proposal.objects.open()
        .filter(_unit_owed(today, limit) | _office_owed(today))
        .order_by()
        .values_list("unit_id", "due_on", "overdue_alerted_on")
    )
    wanted = set(unit_ids)
    found: set[int] = set()
    office = False
    for unit_id, due, alerted in rows:
        found.add(unit_id)
        office = office or (due < today and alerted is None)
    found &= wanted
    if office:
        found |= office_unit_ids() & wanted
    return found


def _item(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "label": p.label,
        "title": p.title,
        "unit": p.unit.name,
        "due": p.due_on.isoformat(),
    }


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's proposals owing a notice (and the office's part for the office's units),
    locked until the digest's transaction ends."""
    is_office = unit_id in office_unit_ids()
    wanted = Q(unit_id=unit_id) & _unit_owed(today, limit)
    if is_office:
        wanted |= _office_owed(today)
    found = list(
        Proposal.objects.open()
        .select_for_update(of=("self",))
        .filter(wanted)
        .select_related("unit")
        .order_by("due_on", "pk")
    )
    sections: dict[str, list[Proposal]] = {SOON: [], OVERDUE: [], OFFICE_OVERDUE: []}
    office_stamped: list[int] = []
    for p in found:
        mine = p.unit_id == unit_id
        if mine and p.due_on >= today and p.due_on < limit and p.reminded_soon_on is None:
            sections[SOON].append(p)
        if mine and p.due_on < today and p.reminded_overdue_on is None:
            sections[OVERDUE].append(p)
        if is_office and p.due_on < today and p.overdue_alerted_on is None:
            office_stamped.append(p.pk)
            if p not in sections[OVERDUE]:  # told once in this digest is enough
                sections[OFFICE_OVERDUE].append(p)

    def mark() -> None:
        stamps = {
            "reminded_soon_on": [p.pk for p in sections[SOON]],
            "reminded_overdue_on": [p.pk for p in sections[OVERDUE]],
            "overdue_alerted_on": office_stamped,
        }
        for name, ids in stamps.items():
            if ids:
                Proposal.objects.filter(pk__in=ids, **{f"{name}__isnull": True}).update(
                    **{name: today}
                )

    payload = {key: [_item(p) for p in items] for key, items in sections.items() if items}
    return DigestPart(payload, mark)


def link(item: Mapping[str, Any]) -> str:
    return settings.BASE_URL + reverse("proposals:detail", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    return (
        f"{item.get('label', '')}《{item.get('title', '')}》"
        f"（主办：{item.get('unit', '')}，办复期限 {item.get('due', '')}）"
    )


BLOCK = DigestBlock(
    heading="建议提案办理",
    sections=(
        (OVERDUE, "建议提案逾期", "办复已逾期"),
        (SOON, "建议提案临期", "即将到办复期限"),
        (OFFICE_OVERDUE, "各单位建议提案逾期", "各单位办复已逾期的建议提案"),
    ),
    describe=describe,
    link=link,
)

SOURCE = DigestSource("proposals.replies", owing=owing, collect=collect, block=BLOCK)
