"""The jobs API: the jobs the caller may see, and one job's state (for scripts that poll)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.jobs.access import get_job_for_user, jobs_for_user
from gongkai.jobs.models import Job

router = Router()

LIST_LIMIT = 50


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    message: str
    result: dict[str, Any]
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("", response=list[JobOut], summary="最近的后台任务（最多 50 条，新的在前）")
def list_jobs(request: HttpRequest) -> list[Job]:
    return list(jobs_for_user(request.user)[:LIST_LIMIT])


@router.get("/{int:job_id}", response=JobOut, summary="一个后台任务的状态、进度和结果")
def get_job(request: HttpRequest, job_id: int) -> Job:
    return get_job_for_user(request.user, job_id)
