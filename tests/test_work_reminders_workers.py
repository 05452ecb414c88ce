"""Two workers at once: each digest is made once and sent once.

Two real processes run `run_reminders` against the same database at the same moment: both
build today's digests and both send. Every webhook request reaches a receiver on loopback and
every e-mail lands in the file outbox, so "sent once" is counted where it arrives.

The processes need a database they can share. On PostgreSQL that is the test database itself
(a transactional test, so the rows are committed and the database is emptied afterwards); with
SQLite, whose test database is in memory, it is a fresh file database in the data directory,
set up the way a deployment sets it up (WAL, IMMEDIATE transactions; see
test_database_setup.py), migrated first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_string
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from tests.test_work_notify import HookServer, running_hook_server

pytestmark = pytest.mark.django_db(transaction=True)

UNITS = 12
MARK = "RESULT:"

SEED = """
import datetime as dt, json, os
from gongkai.units.models import Unit
from gongkai.work.models import Checkpoint, NotifySettings
from tests.work_factories import TaskSpec, make_plan, year_end
spec = json.loads(os.environ["SEED"])
units = [Unit.objects.create(name=f"并发测试单位{i:02d}") for i in range(spec["units"])]
for u in units:
    NotifySettings.objects.create(unit=u, emails=f"unit{u.pk}@example.cn",
                                  webhook_url=spec["hook"], webhook_format="generic")
plan = make_plan([TaskSpec("今日到期的任务", units=units, rules=[year_end()]),
                  TaskSpec("已逾期的任务", units=units, rules=[year_end()])], name="并发测试清单")
Checkpoint.objects.filter(task__requirement="今日到期的任务").update(due=dt.date(2026, 10, 12))
Checkpoint.objects.filter(task__requirement="已逾期的任务").update(due=dt.date(2026, 10, 9))
print("RESULT:" + json.dumps({"units": {u.pk: u.name for u in units}}))
"""

WORKER = """
import datetime as dt, json, os, time, zoneinfo
from pathlib import Path
from gongkai.work import reminders
from gongkai.work.models import Reminder
Reminder.objects.exists()  # connect before the start line, not after it
here = Path(os.environ["GONGKAI_DATA_DIR"])
(here / f"ready-{os.getpid()}").touch()
while not (here / "go").exists():
    time.sleep(0.002)
now = dt.datetime(2026, 10, 12, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
made = reminders.build_digests(now.date(), now)
tried = lost = 0
while (outcome := reminders.process_one_due_reminder(now)) is not None:
    tried += outcome
    lost += not outcome
print("RESULT:" + json.dumps({"pid": os.getpid(), "made": made, "tried": tried, "lost": lost}))
"""

PROBE = """
import json
from gongkai.work.models import Checkpoint, Reminder
rows = [{"unit": r.unit_id, "channel": r.channel, "state": r.state, "attempts": r.attempts,
         "claimed_by": r.claimed_by} for r in Reminder.objects.all()]
stamps = list(Checkpoint.objects.values_list("reminded_today_on", "reminded_overdue_on"))
print("RESULT:" + json.dumps({"rows": rows, "stamps": [[str(a), str(b)] for a, b in stamps]}))
"""


@pytest.fixture
def hook_server(settings: Any) -> Iterator[HookServer]:
    with running_hook_server(settings) as hooks:
        yield hooks


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GONGKAI_DATA_DIR=str(data_dir), GONGKAI_FETCH_ALLOW_PRIVATE="1")
    if connection.vendor == "postgresql":
        db = connection.settings_dict  # the test database, not the one DATABASE_URL names
        auth = quote(db["USER"], safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{auth}@{host}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir / 'workers.sqlite3'}"
        _run(["migrate", "--no-input", "-v", "0"], env)
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _result(stdout: str) -> Any:
    [line] = [ln for ln in stdout.splitlines() if ln.startswith(MARK)]
    return json.loads(line.removeprefix(MARK))


def _shell(code: str, env: dict[str, str]) -> Any:
    return _result(_run(["shell", "-c", code], env))


def _outbox(data_dir: Path) -> list[str]:
    """The recipients of every message the file e-mail backend wrote."""
    recipients = []
    for path in sorted((data_dir / "outbox").glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                recipients.append(str(message_from_string(chunk.strip())["To"]))
    return recipients


def test_two_workers_make_and_send_each_digest_exactly_once(
    tmp_path: Path, hook_server: HookServer
) -> None:
    hook_server.delay = 0.05  # a slow receiver keeps both workers busy at once
    env = _environment(tmp_path)
    seeded = _shell(SEED, {**env, "SEED": json.dumps({"units": UNITS, "hook": hook_server.url()})})
    names = set(seeded["units"].values())

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "gongkai", "shell", "-c", WORKER],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2:
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outcomes = []
    for w in workers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err[-3000:]
        outcomes.append(_result(out))

    # Made once: one row per unit and channel, between them.
    assert sum(o["made"] for o in outcomes) == UNITS * 2
    # Sent once, counted where the messages arrived.
    assert sorted(r.json["unit"] for r in hook_server.received) == sorted(names)
    assert sorted(_outbox(tmp_path)) == sorted(f"unit{pk}@example.cn" for pk in seeded["units"])
    assert sum(o["tried"] for o in outcomes) == UNITS * 2
    assert all(o["tried"] > 0 for o in outcomes), outcomes  # both workers really sent

    probe = _shell(PROBE, env)
    assert len(probe["rows"]) == UNITS * 2
    assert {(r["state"], r["attempts"]) for r in probe["rows"]} == {("sent", 1)}
    pids = {str(o["pid"]) for o in outcomes}
    assert {r["claimed_by"].split("-")[-2] for r in probe["rows"]} <= pids
    assert sorted(set(map(tuple, probe["stamps"]))) == [
        ("2026-10-12", "None"),  # due today: reminded today, once
        ("None", "2026-10-12"),  # overdue: reminded overdue, once
    ]
