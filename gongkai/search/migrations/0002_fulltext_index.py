"""The full-text index over SearchEntry's segmented words, one kind per database.

SQLite: an external-content FTS5 table (rowid = SearchEntry.id, no second copy of the text)
kept in step by triggers, the pattern SQLite's FTS5 documentation gives. PostgreSQL: a stored
generated tsvector column (title words weight A, body words D) with a GIN index. Either way the
database maintains the index, so no code path that writes or deletes entries can leave it stale.

A later migration that makes Django remake this table on SQLite (most AlterField operations)
drops the triggers with the old table: it must create them again (SQLITE[1:]).
The words are already segmented and space-separated, so FTS5's unicode61 tokenizer and
PostgreSQL's 'simple' configuration only split on the spaces and lower-case.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "search_searchentry"

SQLITE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        title_words, body_words, content='{TABLE}', content_rowid='id',
        tokenize='unicode61', detail='full');""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words); END;""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words); END;""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE OF title_words, body_words ON {TABLE} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words)
        VALUES ('delete', old.id, old.title_words, old.body_words);
        INSERT INTO search_fts(rowid, title_words, body_words)
        VALUES (new.id, new.title_words, new.body_words); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER search_fts_update;",
    "DROP TRIGGER search_fts_delete;",
    "DROP TRIGGER search_fts_insert;",
    "DROP TABLE search_fts;",
]

POSTGRES = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_words), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_words), 'D')) STORED;""",
    f"CREATE INDEX search_entry_vector ON {TABLE} USING gin (search_vector);",
]
POSTGRES_DROP = [
    "DROP INDEX search_entry_vector;",
    f"ALTER TABLE {TABLE} DROP COLUMN search_vector;",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
