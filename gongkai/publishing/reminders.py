"""Overdue interpretations (政策解读) in the daily reminder digests: a digest source of
gongkai.work.reminders.

Each published policy document whose interpretation is past due and still unpublished is told
ONCE to its own unit (stamped `interpretation_alerted_at`) and once to the office
(`interpretation_office_alerted_at`). The office is reached through its units: the units that
the active users with the office role (Role.OFFICE) belong to, as the reminder system sends to
units, not to people. An office unit with reminder settings hears of every unit's overdue
interpretations; when the office belongs to no unit with settings, it sees them only in the
register's lists. A unit that is both owner and office hears of its own once.

A due date that a calendar change moves later clears both stamps (clock.refresh_due), so the
document is told again if it falls overdue again.

The digest leaves the system by e-mail and chat robots: an item carries the 索引号, the title
of the (published, public) document, its unit's name and the dates — no person's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.publishing.models import POLICY_KINDS, DocState, Document
from gongkai.work.notify import DigestBlock, shorten
from gongkai.work.reminders import DigestPart, DigestSource, office_unit_ids

OWN = "interpretations_overdue"
OFFICE = "interpretations_overdue_all"


def _overdue(today: dt.date) -> Q:
    return Q(
        state=DocState.PUBLISHED,
        kind__in=POLICY_KINDS,
        needs_interpretation=True,
        interpretation_due__lt=today,
        interpretation_published_on__isnull=True,
    )


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    """One query when nothing is overdue and untold (the usual day); two otherwise."""
    untold = list(
        Document.objects.filter(_overdue(today))
        .filter(
            Q(interpretation_alerted_at__isnull=True)
            | Q(interpretation_office_alerted_at__isnull=True)
        )
        .values_list("unit_id", "interpretation_alerted_at", "interpretation_office_alerted_at")
    )
    if not untold:
        return []
    wanted = set(unit_ids)
    owners = {unit for unit, told, _ in untold if told is None and unit in wanted}
    offices = office_unit_ids() & wanted
    if any(office_told is None and unit not in offices for unit, _, office_told in untold):
        owners |= offices
    return owners


def _item(document: Document, with_unit: bool) -> dict[str, Any]:
    item = {
        "id": document.pk,
        "index_number": document.index_number or "",
        "title": shorten(document.title),
        "published_on": document.published_on.isoformat() if document.published_on else "",
        "due": document.interpretation_due.isoformat() if document.interpretation_due else "",
    }
    if with_unit:
        item["unit"] = document.unit.short_name or document.unit.name
    return item


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's overdue interpretations not yet told, and — for an office unit — every
    other unit's not yet told to the office; locked until the digest's transaction ends."""
    own = list(
        Document.objects.select_for_update(of=("self",))
        .filter(_overdue(today), unit_id=unit_id, interpretation_alerted_at__isnull=True)
        .order_by("interpretation_due", "pk")
    )
    is_office = unit_id in office_unit_ids()
    others: list[Document] = []
    if is_office:
        others = list(
            Document.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(_overdue(today), interpretation_office_alerted_at__isnull=True)
            .exclude(unit_id=unit_id)
            .order_by("interpretation_due", "pk")
        )

    def mark() -> None:
        now = timezone.now()
        if own:
            stamps: dict[str, Any] = {"interpretation_alerted_at": now}
            if is_office:
                stamps["interpretation_office_alerted_at"] = now
            Document.objects.filter(pk__in=[d.pk for d in own]).update(**stamps)
        if others:
            Document.objects.filter(pk__in=[d.pk for d in others]).update(
                interpretation_office_alerted_at=now
            )

    sections: dict[str, list[dict[str, Any]]] = {}
    if own:
        sections[OWN] = [_item(d, with_unit=False) for d in own]
    if others:
        sections[OFFICE] = [_item(d, with_unit=True) for d in others]
    return DigestPart(sections, mark)


def document_link(item: Mapping[str, Any]) -> str:
    try:
        path = reverse("publishing:detail", args=[int(item["id"])])
    except NoReverseMatch:
        return ""
    return settings.BASE_URL + path


def describe(item: Mapping[str, Any]) -> str:
    number = item.get("index_number") or ""
    unit = f"{item['unit']}：" if item.get("unit") else ""
    head = f"{unit}《{item.get('title', '')}》" + (f"（{number}）" if number else "")
    return (
        f"{head}{item.get('published_on', '')} 发布，解读应于 {item.get('due', '')} 前发布，已逾期"
    )


BLOCK = DigestBlock(
    heading="政策解读",
    sections=(
        (OWN, "政策解读逾期", "本单位文件的解读已逾期"),
        (OFFICE, "各单位政策解读逾期", "各单位文件的解读已逾期（公开办）"),
    ),
    describe=describe,
    link=document_link,
)

SOURCE = DigestSource("publishing.interpretations", owing=owing, collect=collect, block=BLOCK)
