"""How each database matches and ranks: the only SQL that differs between them.

Both take the same query words and answer through the same SQL shape (query.py); adding a
database means adding one Backend here and its index in a migration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection


def _fts5_query(terms: list[str]) -> str:
    """Each word quoted, so FTS5 syntax in user input (AND, *, ", parentheses) is only text."""
    quoted = [
        '"' + term.replace('"', '""') + '"' + ("*" if len(term) == 1 else "") for term in terms
    ]
    return " AND ".join(quoted)


def _tsquery(terms: list[str]) -> str:
    quoted = [
        "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if len(term) == 1 else "")
        for term in terms
    ]
    return " & ".join(quoted)


@dataclass(frozen=True)
class Backend:
    #: FROM clause; the entry table is always aliased `e`.
    source: str
    #: WHERE condition, one parameter: the query built by `build`.
    match: str
    #: ORDER BY expression, best first; takes the same one parameter as `match` or none.
    rank: str
    rank_takes_query: bool
    #: The query parameter from the query words.
    build: Callable[[list[str]], str]


SQLITE = Backend(
    source="search_fts f JOIN search_searchentry e ON e.id = f.rowid",
    match="search_fts MATCH %s",
    # bm25 is lower for better matches; a title word counts as ten body words.
    rank="bm25(search_fts, 10.0, 1.0)",
    rank_takes_query=False,
    build=_fts5_query,
)

POSTGRES = Backend(
    source="search_searchentry e",
    match="e.search_vector @@ %s::tsquery",
    # Title words carry weight A (1.0), body words D (0.1).
    rank="ts_rank(e.search_vector, %s::tsquery) DESC",
    rank_takes_query=True,
    build=_tsquery,
)


def current() -> Backend:
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLITE
    if vendor == "postgresql":
        return POSTGRES
    raise NotImplementedError(f"no full-text search for the {vendor} database")
