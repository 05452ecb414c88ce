"""Loading jobs for a user.

The office and evaluators see all jobs; others the jobs of their units and those they started.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from gongkai.jobs.models import Job, JobQuerySet


def jobs_for_user(user: Any) -> JobQuerySet:
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if user.sees_all_units:
        return Job.objects.all()
    return Job.objects.filter(Q(created_by=user) | Q(unit__members=user)).distinct()


def get_job_for_user(user: Any, pk: int) -> Job:
    job = jobs_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404("没有找到该任务")
    return job
