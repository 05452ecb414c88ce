"""Registers feed the index through these: insert or update, remove, and bulk loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from gongkai.search.entries import EntryData
from gongkai.search.models import SearchEntry

_FIELDS = [
    "title",
    "body",
    "url",
    "unit",
    "doc_kind",
    "year",
    "validity",
    "published_on",
    "title_words",
    "body_words",
]


def index_entry(
    source: str,
    object_id: str | int,
    *,
    title: str,
    body: str,
    url: str,
    unit_id: int | None = None,
    doc_kind: str = "",
    year: int | None = None,
    validity: str = "",
    published_on: dt.date | None = None,
) -> SearchEntry:
    """Index one record, replacing what was indexed for it before."""
    data = EntryData(
        source, str(object_id), title, body, url, unit_id, doc_kind, year, validity, published_on
    )
    prepared = data.prepare()
    with transaction.atomic():
        entry, _ = SearchEntry.objects.update_or_create(
            source=source,
            object_id=str(object_id),
            defaults={name: getattr(prepared, name) for name in _FIELDS},
        )
    return entry


def remove_entry(source: str, object_id: str | int) -> bool:
    """Take a record out of the index (withdrawn, deleted); False when it was not there."""
    deleted, _ = SearchEntry.objects.filter(source=source, object_id=str(object_id)).delete()
    return deleted > 0


def store(prepared: list[SearchEntry]) -> int:
    """Write already prepared entries: new ones created, known ones updated, in one transaction."""
    # The last of two entries for one record wins, as if indexed one after the other.
    prepared = list({(e.source, e.object_id): e for e in prepared}.values())
    with transaction.atomic():
        known: dict[tuple[str, str], int] = {}
        by_source: dict[str, list[str]] = {}
        for entry in prepared:
            by_source.setdefault(entry.source, []).append(entry.object_id)
        for source, object_ids in by_source.items():
            for start in range(0, len(object_ids), 500):
                rows = SearchEntry.objects.filter(
                    source=source, object_id__in=object_ids[start : start + 500]
                ).values_list("object_id", "pk")
                known.update({(source, object_id): pk for object_id, pk in rows})
        new, changed = [], []
        for entry in prepared:
            pk = known.get((entry.source, entry.object_id))
            if pk is None:
                new.append(entry)
            else:
                entry.pk = pk
                changed.append(entry)
        SearchEntry.objects.bulk_create(new, batch_size=1000)
        SearchEntry.objects.bulk_update(changed, _FIELDS, batch_size=500)
    return len(new) + len(changed)


def index_many(entries: Iterable[EntryData], *, batch: int = 2000) -> int:
    """Index many records (a register's rebuild, the benchmark); commits every `batch`."""
    done, pending = 0, []
    for data in entries:
        pending.append(data.prepare())
        if len(pending) >= batch:
            done += store(pending)
            pending = []
    if pending:
        done += store(pending)
    return done
