"""Periodic work: the worker heartbeat and the sweep that fails jobs stuck in RUNNING."""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from gongkai.config.celery import app as celery_app
from gongkai.jobs import tasks
from gongkai.jobs.heartbeat import STALE_AFTER, record_heartbeat, worker_status
from gongkai.jobs.models import Job, JobKind, JobStatus, WorkerHeartbeat
from gongkai.jobs.sweep import fail_one_stuck_job, fail_stuck_jobs


def test_a_heartbeat_updates_the_workers_row_instead_of_adding_rows(db: None) -> None:
    earlier = timezone.now() - timedelta(minutes=3)
    record_heartbeat("serve@pc", now=earlier)
    record_heartbeat("serve@pc")
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get().last_seen_at > earlier


def test_the_worker_counts_as_alive_for_five_minutes_after_its_newest_heartbeat(
    db: None,
) -> None:
    assert worker_status().alive is False and worker_status().last_seen_at is None
    seen = timezone.now()
    record_heartbeat("old@pc", now=seen - timedelta(hours=1))
    record_heartbeat("serve@pc", now=seen)
    assert worker_status(now=seen + STALE_AFTER).alive is True
    assert worker_status(now=seen + STALE_AFTER).worker == "serve@pc"
    assert worker_status(now=seen + STALE_AFTER + timedelta(seconds=1)).alive is False


def test_the_heartbeat_task_records_the_worker_that_ran_it(db: None) -> None:
    tasks.heartbeat_task.delay()
    assert worker_status().alive is True


def test_a_worker_records_a_heartbeat_as_soon_as_it_is_ready(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(tasks.PARENT_PID_ENV, raising=False)
    tasks._on_worker_ready(sender=SimpleNamespace(hostname="worker1@gov-pc"))
    assert WorkerHeartbeat.objects.get().worker == "worker1@gov-pc"


def test_a_worker_started_by_serve_stops_itself_when_serve_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parents = iter([100, 100, 1])  # serve is killed; the worker is re-parented to init
    killed: list[tuple[int, int]] = []
    monkeypatch.setattr("gongkai.jobs.tasks.os.getppid", lambda: next(parents))
    monkeypatch.setattr("gongkai.jobs.tasks.os.kill", lambda pid, sig: killed.append((pid, sig)))
    monkeypatch.setattr("gongkai.jobs.tasks.time.sleep", lambda seconds: None)
    tasks._stop_when_parent_exits(100)
    assert killed == [(os.getpid(), signal.SIGTERM)]


def _running(hours_ago: float) -> Job:
    return Job.objects.create(
        kind=JobKind.SELF_TEST,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=hours_ago),
        progress=40,
    )


def test_the_sweep_fails_a_job_running_longer_than_the_limit_with_a_clear_message(
    db: None,
) -> None:
    stuck = _running(7)
    assert fail_one_stuck_job(hours=6) is True
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED
    assert stuck.finished_at is not None
    assert "超过 6 小时仍未结束" in stuck.error and "重新提交" in stuck.error
    assert stuck.progress == 40  # how far it got stays visible
    assert fail_one_stuck_job(hours=6) is False


def test_the_sweep_leaves_young_queued_and_finished_jobs_alone(db: None) -> None:
    young = _running(5)
    old_queued = Job.objects.create(
        kind=JobKind.SELF_TEST, created_at=timezone.now() - timedelta(days=3)
    )
    old_done = Job.objects.create(
        kind=JobKind.SELF_TEST,
        status=JobStatus.SUCCEEDED,
        started_at=timezone.now() - timedelta(days=3),
    )
    assert fail_stuck_jobs(hours=6) == 0
    for job, status in ((young, "running"), (old_queued, "queued"), (old_done, "succeeded")):
        job.refresh_from_db()
        assert job.status == status


def test_the_sweep_task_fails_every_stuck_job_one_at_a_time(db: None) -> None:
    stuck = [_running(30), _running(8)]
    _running(1)
    assert tasks.fail_stuck_jobs_task.delay(hours=6).get() == 2
    assert set(Job.objects.filter(status=JobStatus.FAILED).values_list("pk", flat=True)) == {
        j.pk for j in stuck
    }


def test_beat_schedules_only_tasks_the_worker_knows() -> None:
    celery_app.loader.import_default_modules()  # what a worker does at start: find every task
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {"gongkai.jobs.heartbeat", "gongkai.jobs.fail_stuck_jobs"} <= {
        entry["task"] for entry in schedule.values()
    }
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks
    heartbeat = next(e for e in schedule.values() if e["task"] == "gongkai.jobs.heartbeat")
    assert heartbeat["schedule"] <= 60  # the page allows five missed beats, not fewer
