"""The background worker `gongkai serve` runs beside the web server, as a child process.

The child is `python -m gongkai worker --beat …` with the same environment, in its own
process group so a Ctrl-C in the terminal reaches serve only and serve decides the order of
shutdown. If serve is killed outright the child notices (see tasks.PARENT_PID_ENV) and exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from gongkai.jobs.tasks import PARENT_PID_ENV


def worker_command(*, concurrency: int, loglevel: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gongkai",
        "worker",
        "--verbosity=0",
        "--beat",
        "--pool=threads",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        "--hostname=serve@%h",
    ]


class WorkerChild:
    """Start, watch and stop one worker process."""

    def __init__(self, command: list[str], on_death: Callable[[int], None]) -> None:
        self.command = command
        self.on_death = on_death
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> None:
        env = {**os.environ, PARENT_PID_ENV: str(os.getpid())}
        env.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
        extra: dict[str, Any]
        if sys.platform == "win32":
            extra = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        else:
            extra = {"start_new_session": True}
        self.process = subprocess.Popen(self.command, env=env, **extra)  # noqa: S603 - our own argv
        threading.Thread(target=self._watch, name="worker-watch", daemon=True).start()

    def _watch(self) -> None:
        assert self.process is not None
        code = self.process.wait()
        if not self._stopping.is_set():
            self.on_death(code)

    def kill(self) -> None:
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def stop(self, timeout: float = 20.0) -> int | None:
        """Ask the worker to finish its current task and exit; kill it if it takes too long."""
        self._stopping.set()
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.terminate()  # SIGTERM: Celery's warm shutdown
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
