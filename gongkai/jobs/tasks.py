"""Celery tasks: thin wrappers that take ids and call domain functions.

Also the worker's own bookkeeping: a heartbeat when it is ready, and, when `gongkai serve`
started it, an exit when serve is gone (so a killed serve leaves no orphan worker behind).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready

from gongkai.jobs.heartbeat import record_heartbeat
from gongkai.jobs.runner import run_job
from gongkai.jobs.sweep import DEFAULT_STUCK_HOURS, fail_stuck_jobs

log = logging.getLogger(__name__)

#: Set by `gongkai serve` in its worker child's environment: the pid of serve itself.
PARENT_PID_ENV = "GONGKAI_WORKER_PARENT_PID"


@shared_task(name="gongkai.jobs.run_job")
def run_job_task(job_id: int) -> bool:
    return run_job(job_id)


@shared_task(name="gongkai.jobs.heartbeat", bind=True)
def heartbeat_task(self: Task[[], None]) -> None:
    record_heartbeat(self.request.hostname or socket.gethostname())


@shared_task(name="gongkai.jobs.fail_stuck_jobs")
def fail_stuck_jobs_task(hours: int = DEFAULT_STUCK_HOURS) -> int:
    return fail_stuck_jobs(hours=hours)


@worker_ready.connect
def _on_worker_ready(sender: Any = None, **kwargs: Any) -> None:
    # Beat's first heartbeat comes a minute after start; the page should not cry wolf until then.
    record_heartbeat(getattr(sender, "hostname", None) or socket.gethostname())
    parent = os.environ.get(PARENT_PID_ENV, "")
    if parent.isdigit():
        threading.Thread(
            target=_stop_when_parent_exits, args=(int(parent),), name="parent-watch", daemon=True
        ).start()


def _stop_when_parent_exits(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(2)
    log.warning("gongkai serve (pid %s) is gone; stopping this worker", parent_pid)
    os.kill(os.getpid(), signal.SIGTERM)
