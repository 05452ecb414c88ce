"""Failing jobs that have been running for too long: their worker most likely died mid-job.

A job whose worker is killed stays RUNNING: the redelivered message cannot claim it again
(run_job only claims QUEUED rows). The periodic sweep fails such jobs one at a time, each
with a conditional UPDATE, so two sweeps never fail the same job twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gongkai.jobs.models import Job, JobStatus

#: How long a job may run before the sweep calls it dead. Imports finish in minutes.
DEFAULT_STUCK_HOURS = 6


def stuck_error(hours: int) -> str:
    return (
        f"任务运行超过 {hours} 小时仍未结束，已判定失败：处理它的后台进程可能已中途退出。"
        "如仍需要结果，请重新提交。"
    )


def fail_one_stuck_job(*, hours: int = DEFAULT_STUCK_HOURS, now: datetime | None = None) -> bool:
    """Fail the oldest job running longer than `hours`. False when there is none left."""
    now = now or timezone.now()
    stuck = Job.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=now - timedelta(hours=hours)
    )
    while True:
        job_id = stuck.order_by("started_at", "pk").values_list("pk", flat=True).first()
        if job_id is None:
            return False
        claimed = stuck.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=now,
            message="运行超时，已判定失败",
            error=stuck_error(hours),
        )
        if claimed:
            return True
        # Another sweep (or the job itself) got there first; that row no longer matches.


def fail_stuck_jobs(*, hours: int = DEFAULT_STUCK_HOURS, now: datetime | None = None) -> int:
    count = 0
    while fail_one_stuck_job(hours=hours, now=now):
        count += 1
    return count
