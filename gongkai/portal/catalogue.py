"""What the public may read of the document register, and how the lists are cut: the catalogue
tree, the list filters (kind, category with its descendants, unit, year) and page numbers.

Only published documents (DocState.PUBLISHED) exist for the public: drafts, documents in
review and withdrawn ones are a 404 and never in a list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, QueryDict

from gongkai.publishing.models import (
    POLICY_KINDS,
    Category,
    DocKind,
    Document,
    DocumentQuerySet,
)

#: The kind filter's value for every policy document (规章, 行政规范性文件, 其他政策文件).
POLICIES = "policies"
PAGE_SIZE = 20


def public_documents() -> DocumentQuerySet:
    return Document.objects.published()


def get_public_document(pk: int) -> Document:
    """A published document with what its page shows, or 404 (missing and unpublished alike)."""
    found = (
        public_documents()
        .select_related("unit", "category", "validity_changed_by", "interprets")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有找到该信息，或该信息未公开")
    return found


def kinds_of(value: str) -> list[str]:
    """The document kinds a kind filter value stands for ([] = not a valid value)."""
    if value == POLICIES:
        return [str(k) for k in POLICY_KINDS]
    return [value] if value in DocKind.values else []


def kind_choices() -> list[tuple[str, str]]:
    return [(POLICIES, "政策文件（全部）"), *DocKind.choices]


# -- the catalogue tree --------------------------------------------------------------------


@dataclass
class Node:
    category: Category
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Catalogue:
    """Every category, loaded once per request (the tree is small)."""

    categories: dict[int, Category]

    @classmethod
    def load(cls) -> Catalogue:
        return cls({c.pk: c for c in Category.objects.order_by("position", "pk")})

    def tree(self) -> list[Node]:
        """The active categories as a tree (a node under an inactive parent is not shown)."""
        nodes = {pk: Node(c) for pk, c in self.categories.items() if c.active}
        roots: list[Node] = []
        for node in nodes.values():
            parent = node.category.parent_id
            if parent is None:
                roots.append(node)
            elif parent in nodes:
                nodes[parent].children.append(node)
        return roots

    def descendants(self, root: int) -> set[int]:
        """`root` and every category under it, active or not."""
        children: dict[int, list[int]] = {}
        for pk, c in self.categories.items():
            if c.parent_id is not None:
                children.setdefault(c.parent_id, []).append(pk)
        found, todo = set(), [root]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(children.get(pk, []))
        return found

    def path(self, pk: int) -> list[Category]:
        """From the root down to `pk`."""
        out: list[Category] = []
        node = self.categories.get(pk)
        while node is not None and node not in out:
            out.append(node)
            node = self.categories.get(node.parent_id) if node.parent_id else None
        return out[::-1]


# -- filters -------------------------------------------------------------------------------


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw and len(raw) <= 12 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ListFilter:
    kind: str = ""
    category: int | None = None
    unit: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str], catalogue: Catalogue) -> ListFilter:
        """The filters of a GET query; a value that means nothing is dropped, not an error."""
        kind = query.get("kind", "")
        category = _int(query.get("category"))
        year = _int(query.get("year"))
        return cls(
            kind=kind if kinds_of(kind) else "",
            category=category if category in catalogue.categories else None,
            unit=_int(query.get("unit")),
            year=year if year is not None and 1949 <= year <= 9999 else None,
        )

    def apply(self, documents: DocumentQuerySet, catalogue: Catalogue) -> DocumentQuerySet:
        if self.kind:
            kinds = kinds_of(self.kind)
            documents = (
                documents.filter(kind=kinds[0])
                if len(kinds) == 1
                else documents.filter(kind__in=kinds)
            )
        if self.category is not None:
            documents = documents.filter(category_id__in=catalogue.descendants(self.category))
        if self.unit is not None:
            documents = documents.filter(unit_id=self.unit)
        if self.year is not None:
            # A date range, not __year, so the (state, published_on) index serves it.
            documents = documents.filter(
                published_on__gte=dt.date(self.year, 1, 1),
                published_on__lt=dt.date(self.year + 1, 1, 1),
            )
        return documents

    def query(self, **changes: Any) -> str:
        """The query string of these filters with `changes` (None drops a filter)."""
        values = {
            "kind": self.kind,
            "category": self.category,
            "unit": self.unit,
            "year": self.year,
            **changes,
        }
        q = QueryDict(mutable=True)
        for name, value in values.items():
            if value not in (None, ""):
                q[name] = str(value)
        return q.urlencode()

    @property
    def active(self) -> bool:
        return bool(self.kind or self.category or self.unit or self.year)


def published_years() -> list[int]:
    """Years from the newest publication back to the oldest. Two queries, not one with MIN
    and MAX together: SQLite reads a lone MIN or MAX off the (state, published_on) index and
    scans every row for the pair."""
    dated = (
        public_documents().filter(published_on__isnull=False).values_list("published_on", flat=True)
    )
    first, last = dated.order_by("published_on").first(), dated.order_by("-published_on").first()
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))


#: Newest first, as the register orders documents (Document.Meta.ordering).
NEWEST = ("-published_on", "-pk")


def page_of(
    documents: DocumentQuerySet, start: int, size: int, fields: Sequence[str], *, seek: bool = False
) -> list[Document]:
    """One page of `documents`, newest first: the ids are found first, then only those rows
    are read, so a deep page skips index entries instead of whole rows.

    `seek`, for lists filtered on nothing but the state and dates (which the (state,
    published_on) index holds): a deep page is found in three short index reads instead of
    stepping over `start` entries that each need their row for the id — the date of the
    page's first entry, how many are newer, then the page from that date on."""
    if seek and start >= SEEK_FROM:
        dates = documents.order_by("-published_on").values_list("published_on", flat=True)
        boundary = next(iter(dates[start : start + 1]), None)
        if boundary is not None:
            newer = documents.filter(published_on__gt=boundary).count()
            documents = documents.filter(published_on__lte=boundary)
            start -= newer
    ids = list(documents.order_by(*NEWEST).values_list("pk", flat=True)[start : start + size])
    found = Document.objects.only(*fields).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


#: From which offset page_of seeks (below it, stepping over the entries is as quick).
SEEK_FROM = 1000


def latest_by_kind(
    kinds: Sequence[str], count: int, fields: Sequence[str]
) -> dict[str, list[Document]]:
    """The `count` newest published documents of each kind filter value in `kinds`.

    One read of the newest WINDOW documents usually fills every box: the window is the start
    of the one newest-first order, so the first `count` of a kind in it are the first of that
    kind overall. A kind too rare to fill its box there gets its own query."""
    window = list(public_documents().order_by(*NEWEST).only(*fields)[:WINDOW])
    out: dict[str, list[Document]] = {}
    for value in kinds:
        wanted = set(kinds_of(value))
        rows = [d for d in window if d.kind in wanted][:count]
        if len(rows) < count and len(window) == WINDOW:
            rows = list(
                public_documents().filter(kind__in=wanted).order_by(*NEWEST).only(*fields)[:count]
            )
        out[value] = rows
    return out


#: How many of the newest documents latest_by_kind reads at once.
WINDOW = 300


# -- paging --------------------------------------------------------------------------------


def page_number(raw: str | None) -> int:
    number = _int(raw)
    return number if number is not None and number >= 1 else 1


def page_links(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to offer: the first, the last, and `around` either side of the current
    one; None where numbers are left out (shown as …)."""
    wanted = {1, last, *range(current - around, current + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= last)
    out: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out
