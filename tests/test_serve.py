"""`gongkai serve` and `gongkai worker`: the web server with its background worker, for real.

The end-to-end test runs serve as a subprocess on its own data directory (its own SQLite
database and file-system queue), not on pytest-django's test database, with tasks not eager.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from gongkai.jobs.management.commands import serve as serve_command
from gongkai.jobs.management.commands import worker as worker_command
from gongkai.jobs.worker_child import WorkerChild

CELERY_MAIN = "gongkai.jobs.management.commands.worker.celery_cli.main"
WORKER_STARTED = re.compile(r"后台进程已启动（pid (\d+)）")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTEST_"))}
    for name in ("BROKER_URL", "DATABASE_URL"):  # the embedded mode: SQLite + file-system queue
        env.pop(name, None)
    env.update(
        GONGKAI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _gongkai(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _processes_using(data_dir: Path) -> list[int]:
    """Pids of processes whose environment names this data directory (Linux /proc)."""
    needle = f"GONGKAI_DATA_DIR={data_dir}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _wait_for(predicate: Any, timeout: float, what: str, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; serve said:\n{log.read_text()}")


def _login_page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "login/", timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


def _job_row(db: Path, job_id: int) -> tuple[str, int, str] | None:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        row = conn.execute(
            "SELECT status, progress, result FROM jobs_job WHERE id = ?", (job_id,)
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


@dataclass
class Served:
    """`gongkai serve` running as a subprocess on its own migrated data directory."""

    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    log: Path

    def wait_until_up(self) -> None:
        _wait_for(lambda: _login_page_answers(self.url), 30, "the login page", self.log)

    def shell(self, code: str) -> str:
        """Run Python in `gongkai shell` on the same data directory; its last line printed."""
        return _gongkai(_env(self.data_dir), "shell", "-c", code).split("\n")[-2]


@contextmanager
def running_serve(tmp_path: Path) -> Iterator[Served]:
    """Migrate a fresh data directory, start serve on a free port; kill what is left at the end."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _env(data_dir)
    _gongkai(env, "migrate", "--noinput", "-v0")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Served(process, f"http://127.0.0.1:{port}/", data_dir, log)
    finally:
        for pid in [process.pid, *_processes_using(data_dir)]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with running_serve(tmp_path) as running:
        yield running


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "Ctrl-C"])
def test_serve_runs_the_web_and_a_worker_that_processes_jobs_and_stops_both(
    served: Served, stop: signal.Signals
) -> None:
    served.wait_until_up()
    log = served.log
    assert served.url in log.read_text()  # the address people click
    worker_pid = int(_wait_for(lambda: WORKER_STARTED.search(log.read_text()), 5, "pid", log)[1])
    assert _alive(worker_pid)

    job_id = int(
        served.shell(
            "from gongkai.jobs.models import JobKind; from gongkai.jobs.runner import start_job; "
            "print(start_job(JobKind.SELF_TEST, params={'steps': 3, 'delay': 0.2}).pk)"
        )
    )
    db = served.data_dir / "gongkai.sqlite3"
    status, progress, result = _wait_for(
        lambda: (row := _job_row(db, job_id)) and row[0] in ("succeeded", "failed") and row,
        30,
        "the worker to finish the job",
        log,
    )
    assert (status, progress) == ("succeeded", 100), result
    assert json.loads(result)["pid"] == worker_pid  # run by serve's worker, not inline
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        workers = [row[0] for row in conn.execute("SELECT worker FROM jobs_workerheartbeat")]
    assert len(workers) == 1 and workers[0].startswith("serve@")

    served.process.send_signal(stop)
    assert served.process.wait(30) == 0, log.read_text()
    assert not _alive(worker_pid)
    assert _processes_using(served.data_dir) == []  # nor beat, nor anything else it started
    assert "后台进程已停止" in log.read_text()
    assert "意外退出" not in log.read_text()


def test_the_worker_stops_by_itself_when_serve_is_killed(served: Served) -> None:
    log = served.log
    match = _wait_for(lambda: WORKER_STARTED.search(log.read_text()), 30, "the worker", log)
    served.process.kill()  # SIGKILL: no chance to stop its child
    served.process.wait(10)
    _wait_for(lambda: not _alive(int(match[1])), 15, "the orphaned worker to exit", log)
    _wait_for(lambda: not _processes_using(served.data_dir), 10, "every child to exit", log)


def test_a_worker_that_dies_is_reported_and_one_that_is_stopped_is_not() -> None:
    deaths: list[int] = []
    dying = WorkerChild([sys.executable, "-c", "raise SystemExit(3)"], on_death=deaths.append)
    dying.start()
    assert dying.process is not None
    dying.process.wait(10)
    deadline = time.monotonic() + 5
    while not deaths and time.monotonic() < deadline:
        time.sleep(0.05)
    assert deaths == [3]

    sleeping = WorkerChild(
        [sys.executable, "-c", "import time; time.sleep(60)"], on_death=deaths.append
    )
    sleeping.start()
    assert sleeping.stop(timeout=10) == -signal.SIGTERM
    time.sleep(0.2)
    assert deaths == [3]


def test_serve_says_loudly_that_the_worker_died() -> None:
    command = serve_command.Command(stdout=StringIO(), stderr=StringIO())
    command._worker_died(1)
    said = command.stderr._out.getvalue()  # type: ignore[attr-defined]  # OutputWrapper's stream
    assert "后台进程意外退出（退出码 1）" in said and "后台任务不会被处理" in said


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),  # noqa: S104 - the address printed, not bound
        ("::1", "http://[::1]:8000/"),
    ],
)
def test_serve_prints_an_address_people_can_open(host: str, url: str) -> None:
    assert serve_command._display_url(host, 8000) == url


def test_the_worker_command_passes_its_options_to_celery(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(CELERY_MAIN, lambda args, prog_name: calls.append(args))
    call_command("worker", "--beat", "--concurrency=3", "--queues=imports,reports", verbosity=0)
    [argv] = calls
    assert argv[:3] == ["-A", "gongkai.config", "--quiet"]
    assert argv[3] == "worker"
    assert {"--beat", "--concurrency=3", "--queues=imports,reports", "--pool=threads"} <= set(argv)


def test_the_worker_command_runs_beat_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(CELERY_MAIN, lambda args, prog_name: calls.append(args))
    call_command("worker")
    assert "--beat" not in calls[0] and "--quiet" not in calls[0]
    assert "beat" in worker_command.Command.help and "只在其中一台" in worker_command.Command.help


def test_serve_prints_the_demo_logins_of_a_demo_database(db: None) -> None:
    from gongkai.accounts.models import User
    from gongkai.demo.logins import DEMO_LOGINS

    username, password, role = DEMO_LOGINS[0]
    User.objects.create_user(username=username, password=password)
    command = serve_command.Command(stdout=StringIO(), stderr=StringIO())
    command._print_demo_logins()
    said = command.stdout._out.getvalue()  # type: ignore[attr-defined]  # OutputWrapper's stream
    assert f"  {username} / {password} / {role}" in said
    assert all(f"  {other} / " not in said for other, _, _ in DEMO_LOGINS[1:])  # not users here


def test_serve_advertises_no_demo_passwords_on_a_real_database(db: None) -> None:
    command = serve_command.Command(stdout=StringIO(), stderr=StringIO())
    command._print_demo_logins()
    assert command.stdout._out.getvalue() == ""  # type: ignore[attr-defined]  # as above
