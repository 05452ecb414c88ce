"""Starting and running background jobs.

An app registers a handler for its JobKind; `start_job` records the row and queues it after
the transaction commits; the Celery task calls `run_job`, which claims the row with a
conditional UPDATE (so a job delivered twice runs once) and records the outcome.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.jobs.models import Job, JobKind, JobStatus

log = logging.getLogger(__name__)


class Progress:
    """Handed to a handler to report how far it is; writes are cheap single-row UPDATEs."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(progress=percent, message=message[:300])
        self.job.progress = percent
        self.job.message = message


Handler = Callable[[Job, Progress], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def register(kind: JobKind) -> Callable[[Handler], Handler]:
    """Decorator: the function that does the work of one kind of job."""

    def decorate(fn: Handler) -> Handler:
        _HANDLERS[kind.value] = fn
        return fn

    return decorate


def start_job(
    kind: JobKind, *, user: Any = None, params: dict[str, Any] | None = None, unit: Any = None
) -> Job:
    """Record a job and queue it once the surrounding transaction commits."""
    from gongkai.jobs.tasks import run_job_task

    job = Job.objects.create(
        kind=kind,
        params=params or {},
        created_by=user if getattr(user, "is_authenticated", False) else None,
        unit=unit,
        message="等待后台处理",
    )
    transaction.on_commit(lambda: run_job_task.delay(job.pk))
    return job


def run_job(job_id: int) -> bool:
    """Run one queued job. False when it is gone or already claimed by another worker."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), message="开始处理"
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"没有登记处理函数：{job.kind}")
        result = handler(job, Progress(job))
        # A result that cannot be stored must fail the job here, not leave it RUNNING forever.
        json.dumps(result)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            message="处理失败",
        )
        return True
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
        progress=100,
        result=result,
        message="已完成",
    )
    return True
