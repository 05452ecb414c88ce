"""Celery tasks: thin wrappers that take ids and call domain functions."""

from __future__ import annotations

from celery import shared_task

from gongkai.jobs.runner import run_job


@shared_task(name="gongkai.jobs.run_job")
def run_job_task(job_id: int) -> bool:
    return run_job(job_id)
