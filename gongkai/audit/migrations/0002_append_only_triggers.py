"""Refuse UPDATE and DELETE on the audit table in the database itself.

The model and queryset already refuse; the triggers also stop raw SQL, the shell and any
future code path that forgets. Written for both supported databases. The only way past them is
gongkai.audit.purge, which the test suite uses so that it can empty its own test database.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "audit_auditevent"

SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT gongkai_audit_purge_allowed() BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT gongkai_audit_purge_allowed() BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]
SQLITE_DROP = [f"DROP TRIGGER {TABLE}_no_update;", f"DROP TRIGGER {TABLE}_no_delete;"]

POSTGRES = [
    """CREATE FUNCTION gongkai_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF current_setting('gongkai.audit_purge', true) = 'on' THEN
           IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit trail is append-only';
       END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION gongkai_audit_append_only();""",
    f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION gongkai_audit_append_only();""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE};",
    f"DROP TRIGGER {TABLE}_append_only ON {TABLE};",
    "DROP FUNCTION gongkai_audit_append_only();",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
