"""The register's figures for Table 二 of the annual report (第二十条第（一）项: 规章 and
行政规范性文件 made, repealed and in force).

For year Y and the documents of the given units (None: every unit), counting only documents
that are published now (a withdrawn document was taken back, not made):

- made (本年制发件数): 发布日期 in Y;
- repealed (本年废止件数): a validity change to 已废止 or 失效 that took effect in Y (a
  document counts once however often it changed);
- in force (现行有效件数): published on or before 31 December Y and, as of that day, 有效 or
  已修改 — judged from the validity history (the last change effective on or before that day),
  not from today's field, so a document repealed in a later year still counts as in force at
  the end of Y.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Q, QuerySet, Subquery

from gongkai.publishing.models import DocKind, Document, Validity, ValidityChange

#: Table 二's rows this register fills, by their label, with the kinds they count.
ROWS = {"规章": DocKind.RULE, "行政规范性文件": DocKind.NORMATIVE}
ENDED = (Validity.REPEALED, Validity.EXPIRED)
IN_FORCE = (Validity.VALID, Validity.AMENDED)


def _documents(unit_ids: Iterable[int] | None) -> QuerySet[Document]:
    qs = Document.objects.published().filter(kind__in=list(ROWS.values()))
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def validity_on(day: dt.date) -> Subquery:
    """A document's validity as of `day`, from its history (NULL: never changed by then)."""
    return Subquery(
        ValidityChange.objects.filter(document=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on", "-pk")
        .values("new")[:1]
    )


def made(year: int, unit_ids: Iterable[int] | None = None) -> QuerySet[Document]:
    return _documents(unit_ids).filter(published_on__year=year)


def repealed(year: int, unit_ids: Iterable[int] | None = None) -> QuerySet[Document]:
    ended = ValidityChange.objects.filter(new__in=ENDED, effective_on__year=year)
    return _documents(unit_ids).filter(pk__in=ended.values("document_id"))


def in_force(year: int, unit_ids: Iterable[int] | None = None) -> QuerySet[Document]:
    last = dt.date(year, 12, 31)
    return (
        _documents(unit_ids)
        .filter(published_on__lte=last)
        .annotate(validity_then=validity_on(last))
        .filter(Q(validity_then__isnull=True) | Q(validity_then__in=IN_FORCE))
    )


def table2_counts(year: int, unit_ids: Iterable[int] | None = None) -> dict[str, dict[str, int]]:
    """{"规章": {"made": n, "repealed": n, "in_force": n}, "行政规范性文件": {...}}."""
    ids = None if unit_ids is None else list(unit_ids)
    out: dict[str, dict[str, int]] = {}
    for label, kind in ROWS.items():
        out[label] = {
            "made": made(year, ids).filter(kind=kind).count(),
            "repealed": repealed(year, ids).filter(kind=kind).count(),
            "in_force": in_force(year, ids).filter(kind=kind).count(),
        }
    return out
