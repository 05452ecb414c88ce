"""How each database matches, ranks and walks by date: the only SQL that differs between them.

Both answer the same questions for query.py (the Backend protocol): a capped count; up to n
matches, most recently indexed (highest entry id) first, with relevance score and date; one
page of all matches sorted by date, for few matches; and one page by a bounded walk of the
date index testing each entry against the query, for many. The costs per match differ (see
each class and docs/search.md); the answers do not, and tests/test_search.py runs on both.
Adding a database means one Backend here and its indexes in a migration (0002, 0003).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

#: Filter name → column of the entry table (aliased `e`); values are compared for equality.
FILTER_COLUMNS = ("doc_kind", "unit_id", "year", "validity", "source")


@dataclass(frozen=True)
class Match:
    id: int
    #: Lower is more relevant (bm25's sign; ts_rank is negated).
    score: float
    published_on: dt.date | None


@dataclass(frozen=True)
class WalkEnd:
    """The last entry a walk of the date index may reach: (date DESC NULLS LAST, id DESC)."""

    published_on: dt.date | None
    id: int

    def condition(self) -> tuple[str, list[Any]]:
        """Entries up to this one, as a range of the date index and a condition."""
        if self.published_on is None:
            return " AND (e.published_on IS NOT NULL OR e.id >= %s)", [self.id]
        day = self.published_on
        return (
            " AND e.published_on >= %s AND (e.published_on > %s OR e.id >= %s)",
            [day, day, self.id],
        )


def _where(
    filters: dict[str, Any], after: int | None = None, id_column: str = "e.id"
) -> tuple[str, list[Any]]:
    """` AND e.column = %s …` for the filters given (and an id bound), and their values."""
    sql, params = "", []
    for column in FILTER_COLUMNS:
        if filters.get(column) is not None:
            sql += f" AND e.{column} = %s"
            params.append(filters[column])
    if after is not None:
        sql += f" AND {id_column} > %s"
        params.append(after)
    return sql, params


def _date(value: Any) -> dt.date | None:
    """A date column read through a raw cursor (SQLite hands back ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class Backend(Protocol):
    def count(self, terms: list[str], filters: dict[str, Any], within: int | None, cap: int) -> int:
        """How many matches there are, counting no further than `cap`; with `within`, only
        among the `within` most recently indexed entries holding the words."""

    def recent_matches(
        self, terms: list[str], filters: dict[str, Any], n: int, within: int | None
    ) -> list[Match]:
        """Up to `n` matches, highest id first, with score and date; `within` as for count."""

    def by_date(
        self, terms: list[str], filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[int], int]:
        """One page of all matches sorted by date (newest first, undated last, ties by the
        higher id), and how many match; for a query with few matches."""

    def walk_end(self, filters: dict[str, Any], steps: int) -> WalkEnd | None:
        """Where a walk of the date index ends after `steps` entries passing the filters, or
        None when fewer pass them (read from the index alone)."""

    def newest(
        self,
        terms: list[str],
        filters: dict[str, Any],
        offset: int,
        limit: int,
        end: WalkEnd | None,
    ) -> list[int]:
        """The same page by walking the date index newest first, no further than `end`,
        testing each entry against the query; for a query with many matches. Fewer than
        `limit` ids when the walk reached `end` first."""

    def object_ids(
        self, terms: list[str], source: str, among: list[str] | None, limit: int
    ) -> list[str]:
        """The object ids of one source's entries holding the words, most recently indexed
        first, at most `limit`; with `among`, only those of these object ids (a register
        narrowing the search to its own records: at most 500 of them)."""


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


#: Object ids one object_ids call may restrict to (bound parameters per statement).
AMONG_CHUNK = 500


def _among(among: list[str] | None) -> tuple[str, list[Any]]:
    if among is None:
        return "", []
    if not among or len(among) > AMONG_CHUNK:
        raise ValueError(f"among takes 1 to {AMONG_CHUNK} object ids, not {len(among)}")
    return f" AND e.object_id IN ({', '.join(['%s'] * len(among))})", list(among)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _page(rows: list[tuple[Any, ...]]) -> tuple[list[int], int | None]:
    """Ids and the window count of a by_date page; no count when the page is past the end."""
    return [row[0] for row in rows], (int(rows[0][1]) if rows else None)


class SQLite:
    """FTS5 (search_fts, rowid = entry id). Filters and dates are read from the narrow index
    search_entry_by_id, so a match costs an index probe rather than a read of its whole row."""

    #: The full-text matches joined to their filters and dates.
    MATCHES = (
        "FROM search_fts f JOIN search_searchentry e INDEXED BY search_entry_by_id "
        "ON e.id = f.rowid WHERE search_fts MATCH %s"
    )

    def _after(self, terms: list[str], within: int | None) -> int | None:
        """The id below the `within` most recently indexed entries holding the words, if any:
        from the full-text index alone, read backwards."""
        if within is None:
            return None
        rows = _rows(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT 1 OFFSET %s",
            [_fts5_query(terms), within],
        )
        return int(rows[0][0]) if rows else None

    def count(self, terms: list[str], filters: dict[str, Any], within: int | None, cap: int) -> int:
        where, params = _where(filters, self._after(terms, within), "f.rowid")
        # Without filters the full-text index alone answers.
        source = self.MATCHES if where else "FROM search_fts f WHERE search_fts MATCH %s"
        rows = _rows(
            f"SELECT count(*) FROM (SELECT 1 {source}{where} LIMIT %s)",  # noqa: S608  # fixed SQL; values are parameters
            [_fts5_query(terms), *params, cap],
        )
        return int(rows[0][0])

    def recent_matches(
        self, terms: list[str], filters: dict[str, Any], n: int, within: int | None
    ) -> list[Match]:
        where, params = _where(filters, self._after(terms, within), "f.rowid")
        # bm25 is lower for better matches; a title word counts as ten body words.
        rows = _rows(
            f"SELECT f.rowid, bm25(search_fts, 10.0, 1.0), e.published_on {self.MATCHES}{where} "
            "ORDER BY f.rowid DESC LIMIT %s",
            [_fts5_query(terms), *params, n],
        )
        return [Match(row[0], row[1], _date(row[2])) for row in rows]

    def by_date(
        self, terms: list[str], filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[int], int]:
        where, params = _where(filters)
        # SQLite sorts NULL lowest, so DESC puts undated entries last.
        ids, total = _page(
            _rows(
                f"SELECT f.rowid, count(*) OVER () {self.MATCHES}{where} "
                "ORDER BY e.published_on DESC, e.id DESC LIMIT %s OFFSET %s",
                [_fts5_query(terms), *params, limit, offset],
            )
        )
        return ids, self.count(terms, filters, None, 2**62) if total is None else total

    def walk_end(self, filters: dict[str, Any], steps: int) -> WalkEnd | None:
        where, params = _where(filters)
        rows = _rows(
            "SELECT e.published_on, e.id FROM search_searchentry e "  # noqa: S608  # fixed SQL; values are parameters
            f"INDEXED BY search_entry_newest WHERE 1{where} "
            "ORDER BY e.published_on DESC, e.id DESC LIMIT 1 OFFSET %s",
            [*params, steps - 1],
        )
        return WalkEnd(_date(rows[0][0]), rows[0][1]) if rows else None

    def newest(
        self,
        terms: list[str],
        filters: dict[str, Any],
        offset: int,
        limit: int,
        end: WalkEnd | None,
    ) -> list[int]:
        where, params = _where(filters)
        if end is not None:
            bound, values = end.condition()
            # Dates as ISO text: what the column holds (sqlite3's date adapter is deprecated).
            values = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
            where, params = where + bound, [*params, *values]
        # The filters are read from the index; an entry passing them costs a probe of the
        # full-text index for that one entry.
        rows = _rows(
            "SELECT e.id FROM search_searchentry e INDEXED BY search_entry_newest "  # noqa: S608  # fixed SQL; values are parameters
            f"WHERE 1{where} AND EXISTS (SELECT 1 FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid = e.id) "
            "ORDER BY e.published_on DESC, e.id DESC LIMIT %s OFFSET %s",
            [*params, _fts5_query(terms), limit, offset],
        )
        return [row[0] for row in rows]

    def object_ids(
        self, terms: list[str], source: str, among: list[str] | None, limit: int
    ) -> list[str]:
        restrict, values = _among(among)
        rows = _rows(
            "SELECT e.object_id FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid "  # noqa: S608  # fixed SQL; values are parameters
            f"WHERE search_fts MATCH %s AND e.source = %s{restrict} "
            "ORDER BY f.rowid DESC LIMIT %s",
            [_fts5_query(terms), source, *values, limit],
        )
        return [row[0] for row in rows]


class PostgreSQL:
    """The generated tsvector search_vector with its GIN index; the date walk uses the index
    search_entry_newest (published_on DESC NULLS LAST, id DESC, then the filter columns).

    Testing a row against a tsquery costs a read of its (toasted, compressed) tsvector, about
    30 µs, where the GIN index hands over exact matches and a match costs a heap visit (about
    3 µs once cached). So the newest matches by id are found through the GIN index and sorted
    (`ORDER BY e.id + 0`: the planner, which prices the test at a few operator calls, would
    otherwise walk the primary key testing every row, 3 s for a 1 % query at 1,000,000)."""

    MATCHES = "FROM search_searchentry e WHERE e.search_vector @@ %s::tsquery"
    NEWEST = "ORDER BY e.published_on DESC NULLS LAST, e.id DESC LIMIT %s OFFSET %s"
    #: The same order, which the date index cannot give: the matches come from the GIN index
    #: and are sorted (the planner would walk the date index testing each row, and for the
    #: window count walk all of it).
    SORTED = "ORDER BY e.published_on + 0 DESC NULLS LAST, e.id DESC LIMIT %s OFFSET %s"

    def _matches(
        self, terms: list[str], filters: dict[str, Any], within: int | None
    ) -> tuple[str, list[Any]]:
        """FROM … WHERE for the matches (alias e), and its parameters; with `within`, one
        pass over the GIN index's matches keeps the newest `within`, then the filters."""
        where, params = _where(filters)
        if within is None:
            return f"{self.MATCHES}{where}", [_tsquery(terms), *params]
        newest = (
            "SELECT e.id, e.search_vector, e.published_on, "
            f"{', '.join(f'e.{column}' for column in FILTER_COLUMNS)} "
            f"{self.MATCHES} ORDER BY e.id + 0 DESC LIMIT %s"
        )
        return f"FROM ({newest}) e WHERE TRUE{where}", [_tsquery(terms), within, *params]

    def count(self, terms: list[str], filters: dict[str, Any], within: int | None, cap: int) -> int:
        source, params = self._matches(terms, filters, within)
        rows = _rows(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT %s) s", [*params, cap])  # noqa: S608  # fixed SQL; values are parameters
        return int(rows[0][0])

    def recent_matches(
        self, terms: list[str], filters: dict[str, Any], n: int, within: int | None
    ) -> list[Match]:
        source, params = self._matches(terms, filters, within)
        # ts_rank only for the n rows kept (it reads each one's tsvector). Title words carry
        # weight A (1.0), body words D (0.1).
        rows = _rows(
            "SELECT s.id, -ts_rank(s.search_vector, %s::tsquery), s.published_on FROM ("  # noqa: S608  # fixed SQL; values are parameters
            f"SELECT e.id, e.search_vector, e.published_on {source} "
            "ORDER BY e.id + 0 DESC LIMIT %s) s",
            [_tsquery(terms), *params, n],
        )
        return [Match(row[0], row[1], row[2]) for row in rows]

    def by_date(
        self, terms: list[str], filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[int], int]:
        where, params = _where(filters)
        ids, total = _page(
            _rows(
                f"SELECT e.id, count(*) OVER () {self.MATCHES}{where} {self.SORTED}",
                [_tsquery(terms), *params, limit, offset],
            )
        )
        return ids, self.count(terms, filters, None, 2**62) if total is None else total

    def walk_end(self, filters: dict[str, Any], steps: int) -> WalkEnd | None:
        where, params = _where(filters)
        rows = _rows(
            f"SELECT e.published_on, e.id FROM search_searchentry e WHERE TRUE{where} "  # noqa: S608  # fixed SQL; values are parameters
            f"{self.NEWEST}",
            [*params, 1, steps - 1],
        )
        return WalkEnd(rows[0][0], rows[0][1]) if rows else None

    def newest(
        self,
        terms: list[str],
        filters: dict[str, Any],
        offset: int,
        limit: int,
        end: WalkEnd | None,
    ) -> list[int]:
        where, params = _where(filters)
        if end is not None:
            bound, values = end.condition()
            where, params = where + bound, [*params, *values]
        rows = _rows(
            f"SELECT e.id {self.MATCHES}{where} {self.NEWEST}",
            [_tsquery(terms), *params, limit, offset],
        )
        return [row[0] for row in rows]

    def object_ids(
        self, terms: list[str], source: str, among: list[str] | None, limit: int
    ) -> list[str]:
        restrict, values = _among(among)
        rows = _rows(
            f"SELECT e.object_id {self.MATCHES} AND e.source = %s{restrict} "
            "ORDER BY e.id + 0 DESC LIMIT %s",
            [_tsquery(terms), source, *values, limit],
        )
        return [row[0] for row in rows]


def current() -> Backend:
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLite()
    if vendor == "postgresql":
        return PostgreSQL()
    raise NotImplementedError(f"no full-text search for the {vendor} database")
