"""Pages for background jobs: the list, one job with a live progress bar, and the self-test."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.accounts.models import User
from gongkai.jobs.access import get_job_for_user, jobs_for_user
from gongkai.jobs.heartbeat import worker_status
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import start_job

LIST_LIMIT = 100
#: What the self-test button asks for: ten steps over about five seconds.
SELF_TEST_PARAMS = {"steps": 10, "delay": 0.5}


def _may_start_self_test(user: Any) -> bool:
    return isinstance(user, User) and user.is_office


def _live_context(job: Job) -> dict[str, Any]:
    duration = None
    if job.started_at and job.finished_at:
        duration = (job.finished_at - job.started_at).total_seconds()
    return {
        "job": job,
        "duration": duration,
        "result_pretty": json.dumps(job.result, ensure_ascii=False, indent=2, sort_keys=True),
    }


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = jobs_for_user(request.user).select_related("created_by", "unit")[:LIST_LIMIT]
    context = {
        "jobs": jobs,
        "limit": LIST_LIMIT,
        "worker": worker_status(),
        "can_self_test": _may_start_self_test(request.user),
    }
    return render(request, "jobs/list.html", context)


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    context = {**_live_context(job), "worker": worker_status()}
    return render(request, "jobs/detail.html", context)


@require_GET
@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the detail page; HTMX polls it until the job has finished."""
    job = get_job_for_user(request.user, pk)
    return render(request, "jobs/_live.html", _live_context(job))


@require_POST
@login_required
def self_test(request: HttpRequest) -> HttpResponse:
    if not _may_start_self_test(request.user):
        raise PermissionDenied("只有公开办可以发起后台任务自检")
    job = start_job(JobKind.SELF_TEST, user=request.user, params=dict(SELF_TEST_PARAMS))
    return redirect("jobs:detail", pk=job.pk)
