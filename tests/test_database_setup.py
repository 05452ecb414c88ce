"""The embedded database is set up as documented: SQLite in WAL mode, with a busy timeout
and IMMEDIATE transactions, in the data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json
from django.db import connection
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    mode = c.fetchone()[0]
    c.execute("PRAGMA busy_timeout")
    busy = c.fetchone()[0]
print(json.dumps({"mode": mode, "busy": busy, "name": str(connection.settings_dict["NAME"]),
                  "tx": connection.settings_dict["OPTIONS"]["transaction_mode"]}))
"""


def test_the_embedded_database_is_sqlite_in_wal_mode_in_the_data_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_SQLITE_BUSY_TIMEOUT="7")
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "shell", "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "mode": "wal",
        "busy": 7000,
        "name": str(tmp_path / "gongkai.sqlite3"),
        "tx": "IMMEDIATE",
    }
