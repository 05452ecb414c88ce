"""Searching the index: the words of a query, ANDed, with filters, in relevance or date order.

A search reads a bounded part of the index, so a query of very common words costs about what
a query of rarer ones does (docs/search.md, "Bounds", has the figures):
- READ_LIMIT: of the entries holding all the words, only the READ_LIMIT most recently indexed
  (highest entry id; a register indexes a record when it publishes it) are read; the filters
  apply to those. A filtered search for very common words can therefore miss older matches.
- MAX_MATCHES: a search counts, ranks and pages through at most MAX_MATCHES results.
- `total` is exact when the words match at most READ_LIMIT entries and at most MAX_MATCHES
  pass the filters. Otherwise `total_capped` is set and `total` is a lower bound (the portal
  shows "1,000+"); it is then MAX_MATCHES, or, for a filtered search over more than
  READ_LIMIT entries, how many of the entries read pass the filters.
- Relevance ranks exactly the results counted: every match when there are few, otherwise the
  MAX_MATCHES most recently indexed of them, so a better match indexed earlier is left out.
- Date order is exact: the newest of all matches first (not only of those read), undated
  last; paging stops at `total`. When the words match at most READ_LIMIT entries they are
  sorted; otherwise the date index is walked newest first, testing each entry against the
  query, which stops after a page: on average page size × entries / matches steps (at most
  2,000 for 20 results with 10,000 matches in 1,000,000 entries) when the matches are spread
  over time; words found only in old entries make the walk longer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.safestring import SafeString

from gongkai.search.backends import AMONG_CHUNK, Match, current
from gongkai.search.models import SearchEntry
from gongkai.search.segment import query_terms
from gongkai.search.snippet import highlight, snippet

Order = Literal["relevance", "date"]
#: A query of more words than this keeps the first ones: each word is one more index lookup.
MAX_TERMS = 12
MAX_LIMIT = 100
#: The most matches one search counts, ranks or pages through (see the module docstring).
MAX_MATCHES = 1000
#: The most full-text matches of the words one search reads, newest indexed first.
READ_LIMIT = 10_000
#: Date order's walk tests at most this many entries per result before sorting instead.
WALK_STEPS = 200


@dataclass(frozen=True)
class SearchResult:
    entry: SearchEntry
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchPage:
    #: The number of matches; with `total_capped` a lower bound (the portal shows "1,000+").
    total: int
    results: list[SearchResult] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    total_capped: bool = False


def _newest_first(match: Match) -> tuple[bool, int, int]:
    """Sort key: dated before undated, later dates first, then the higher id."""
    day = match.published_on
    return (day is None, -(day or dt.date.min).toordinal(), -match.id)


def search(
    query: str,
    *,
    doc_kind: str | None = None,
    unit_id: int | None = None,
    year: int | None = None,
    validity: str | None = None,
    source: str | None = None,
    order: Order = "relevance",
    offset: int = 0,
    limit: int = 20,
) -> SearchPage:
    """One page of the entries that contain every word of `query`.

    An empty or punctuation-only query is an empty page. Relevance puts title matches first
    (bm25 on SQLite, ts_rank on PostgreSQL), then newer first; date order is newest first,
    undated entries last. Bounds: see the module docstring.
    """
    terms = query_terms(query)[:MAX_TERMS]
    if not terms:
        return SearchPage(total=0)
    backend = current()
    filters: dict[str, Any] = {
        "doc_kind": doc_kind,
        "unit_id": unit_id,
        "year": year,
        "validity": validity,
        "source": source,
    }
    # Past READ_LIMIT matches of the words, only the newest READ_LIMIT are read (the filters
    # apply to those), and date order walks the date index instead of sorting them all.
    # Without filters relevance needs neither: it reads MAX_MATCHES + 1 <= READ_LIMIT matches.
    filtered = any(value is not None for value in filters.values())
    many = (filtered or order == "date") and (
        backend.count(terms, {}, None, READ_LIMIT + 1) > READ_LIMIT
    )
    within = READ_LIMIT if many and filtered else None
    offset, limit = max(0, offset), max(0, min(limit, MAX_LIMIT))
    ids: list[int]
    if order == "relevance":
        matches = backend.recent_matches(terms, filters, MAX_MATCHES + 1, within)
        found = len(matches)
        del matches[MAX_MATCHES:]
        matches.sort(key=lambda match: (match.score, *_newest_first(match)))
        ids = [match.id for match in matches[offset : offset + limit]]
    elif not many:
        ids, found = backend.by_date(terms, filters, offset, limit)
    else:
        found = backend.count(terms, filters, within, MAX_MATCHES + 1) if filtered else READ_LIMIT
        limit = min(limit, min(found, MAX_MATCHES) - offset)
        ids = []
        if limit > 0:
            end = backend.walk_end(filters, WALK_STEPS * (offset + limit))
            ids = backend.newest(terms, filters, offset, limit, end)
            if len(ids) < limit:  # the matches are mostly old: the walk gave up, sort them all
                ids, _ = backend.by_date(terms, filters, offset, limit)
    total = min(found, MAX_MATCHES)
    del ids[max(0, total - offset) :]
    entries = SearchEntry.objects.select_related("unit").in_bulk(ids)
    results = [
        SearchResult(entry, highlight(entry.title, terms), snippet(entry.body, terms))
        for entry in (entries.get(pk) for pk in ids)
        if entry is not None
    ]
    capped = many or found > MAX_MATCHES
    return SearchPage(total=total, results=results, terms=terms, total_capped=capped)


def matching_ids(
    query: str, *, source: str, among: Collection[str] | None = None, limit: int = READ_LIMIT
) -> list[str]:
    """The object ids of `source`'s entries that contain every word of `query`, for a register
    that lists its own records its own way (order, grouping, paging) and needs only which of
    them match: the most recently indexed first, at most `limit` (READ_LIMIT by default).

    With `among` (object ids), only those are tested, each batch of them through the full-text
    index; all of them that match are returned, in no particular order, and `limit` is not
    applied. An empty or punctuation-only query matches nothing.
    """
    terms = query_terms(query)[:MAX_TERMS]
    if not terms:
        return []
    backend = current()
    if among is None:
        return backend.object_ids(terms, source, None, max(0, min(limit, READ_LIMIT)))
    wanted = sorted(set(among))
    found: list[str] = []
    for start in range(0, len(wanted), AMONG_CHUNK):
        chunk = wanted[start : start + AMONG_CHUNK]
        found += backend.object_ids(terms, source, chunk, len(chunk))
    return found
