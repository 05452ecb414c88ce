"""The single, test-only way past the audit table's append-only triggers.

Production code never sets ALLOWED. The test suite sets it so that pytest-django can empty
the test database between transactional tests; the trigger tests switch it off again.
On SQLite the triggers call gongkai_audit_purge_allowed(), registered here on every
connection (a connection without it, such as the sqlite3 shell, fails closed). On PostgreSQL
the trigger reads the session setting gongkai.audit_purge.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

ALLOWED = False


def _allowed() -> int:
    return 1 if ALLOWED else 0


@receiver(connection_created)
def _prepare(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("gongkai_audit_purge_allowed", 0, _allowed)
    elif connection.vendor == "postgresql" and ALLOWED:
        with connection.cursor() as cursor:
            cursor.execute("SET gongkai.audit_purge = 'on'")
