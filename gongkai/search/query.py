"""Searching the index: the words of a query, ANDed, with filters, in relevance or date order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import connection
from django.utils.safestring import SafeString

from gongkai.search.backends import current
from gongkai.search.models import SearchEntry
from gongkai.search.segment import query_terms
from gongkai.search.snippet import highlight, snippet

Order = Literal["relevance", "date"]
#: A query of more words than this keeps the first ones: each word is one more index lookup.
MAX_TERMS = 12
MAX_LIMIT = 100


@dataclass(frozen=True)
class SearchResult:
    entry: SearchEntry
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchPage:
    total: int
    results: list[SearchResult] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


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
    (bm25 on SQLite, ts_rank on PostgreSQL), then newer first; date order is newest first.
    """
    terms = query_terms(query)[:MAX_TERMS]
    if not terms:
        return SearchPage(total=0)
    backend = current()
    expression = backend.build(terms)
    where, params = [backend.match], list[str | int]([expression])
    for column, value in (
        ("doc_kind", doc_kind),
        ("unit_id", unit_id),
        ("year", year),
        ("validity", validity),
        ("source", source),
    ):
        if value is not None:
            where.append(f"e.{column} = %s")
            params.append(value)
    condition = " AND ".join(where)
    newest = "e.published_on DESC, e.id DESC"
    if order == "date":
        # NULLs (no publication date) last on both databases.
        ordering, order_params = f"e.published_on IS NULL, {newest}", list[str | int]()
    else:
        ordering = f"{backend.rank}, {newest}"
        order_params = [expression] if backend.rank_takes_query else []
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {backend.source} WHERE {condition}", params)  # noqa: S608  # fixed SQL; values are parameters
        total = int(cursor.fetchone()[0])
        ids: list[Any] = []
        if total > offset and limit:
            cursor.execute(
                f"SELECT e.id FROM {backend.source} WHERE {condition} "  # noqa: S608  # as above
                f"ORDER BY {ordering} LIMIT %s OFFSET %s",
                [*params, *order_params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
    found = SearchEntry.objects.select_related("unit").in_bulk(ids)
    results = [
        SearchResult(found[pk], highlight(found[pk].title, terms), snippet(found[pk].body, terms))
        for pk in ids
        if pk in found
    ]
    return SearchPage(total=total, results=results, terms=terms)
