"""The indexes search() walks, one set per database (backends.py uses them by name).

search_entry_newest: date order, newest first and undated last, then the filter columns, so a
walk in date order tests the filters from the index alone. SQLite sorts NULL lowest, so DESC
already puts undated entries last; PostgreSQL needs NULLS LAST (which SQLite refuses in an
index), hence one statement per database. It replaces the model's plain date index.

search_entry_by_id (SQLite only): entry id → date and filter columns. A full-text match
(rowid = entry id) reads its filters and date here instead of from its whole row, which
holds the text. PostgreSQL reads them from the row it visits for the match anyway.

Plain CREATE INDEX: this migration never remakes the table, so the FTS5 triggers of 0002 stay.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "search_searchentry"
FILTERS = "doc_kind, year, unit_id, validity, source"

SQLITE = [
    f"CREATE INDEX search_entry_newest ON {TABLE} (published_on DESC, id DESC, {FILTERS});",
    f"CREATE INDEX search_entry_by_id ON {TABLE} (id, published_on, {FILTERS});",
]
SQLITE_DROP = ["DROP INDEX search_entry_by_id;", "DROP INDEX search_entry_newest;"]

POSTGRES = [
    f"CREATE INDEX search_entry_newest ON {TABLE} "
    f"(published_on DESC NULLS LAST, id DESC, {FILTERS});",
]
POSTGRES_DROP = ["DROP INDEX search_entry_newest;"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_date"),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
