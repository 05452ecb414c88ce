"""Tracking numbers stay unique when registrations race: on PostgreSQL with threads on the test
database, on SQLite with processes sharing one database file (the embedded default)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from gongkai.disclosure.models import TrackingCounter
from gongkai.disclosure.tracking import new_secret, next_tracking_no, secret_matches

ROUNDS = 15
WORKERS = 4

_WORKER = f"""
from django.db import transaction
from gongkai.disclosure.tracking import next_tracking_no
for _ in range({ROUNDS}):
    with transaction.atomic():
        print(next_tracking_no(2025))
"""


def _numbers_from_processes(tmp_path: Path) -> list[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "GONGKAI_DATA_DIR": str(tmp_path / "data"),
    }
    run = [sys.executable, "-m", "gongkai"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, timeout=120)
    workers = [
        subprocess.Popen([*run, "shell", "-c", _WORKER], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(WORKERS)
    ]
    out = []
    for w in workers:
        stdout, _ = w.communicate(timeout=120)
        assert w.returncode == 0
        out += [line for line in stdout.split() if line.startswith("YSQ-")]
    return out


def _numbers_from_threads() -> list[str]:
    out: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            for _ in range(ROUNDS):
                with transaction.atomic():
                    number = next_tracking_no(2025)
                with lock:
                    out.append(number)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.django_db(transaction=True)
def test_racing_registrations_never_share_a_number(tmp_path: Path) -> None:
    if connection.vendor == "postgresql":
        numbers = _numbers_from_threads()
        assert TrackingCounter.objects.get(year=2025).last == ROUNDS * WORKERS
    else:
        numbers = _numbers_from_processes(tmp_path)
    assert len(numbers) == ROUNDS * WORKERS
    assert len(set(numbers)) == len(numbers)
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, ROUNDS * WORKERS + 1))
    assert all(n.startswith("YSQ-2025-") for n in numbers)


def test_secret_is_checked_against_its_digest(settings: Any) -> None:
    secret, digest = new_secret()
    assert secret_matches(secret, digest)
    assert secret_matches(f" {secret} ", digest)
    assert not secret_matches(secret + "x", digest)
    assert not secret_matches(secret, "")
    assert len(secret) == 12
