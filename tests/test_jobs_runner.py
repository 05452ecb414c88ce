"""Running jobs: the self-test, failures recorded, a job delivered twice runs once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gongkai.jobs import runner
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.jobs.runner import run_job, start_job
from tests.conftest import Cast

FAST = {"steps": 4, "delay": 0}


def test_a_self_test_job_runs_to_success_with_full_progress(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = start_job(JobKind.SELF_TEST, user=cast.office, params=FAST)
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # queued until commit
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.result["steps"] == 4
    assert job.error == ""
    assert job.started_at is not None and job.finished_at is not None
    assert job.started_at <= job.finished_at
    assert job.created_by == cast.office


def test_a_failing_handler_fails_the_job_and_records_the_error(db: None) -> None:
    job = Job.objects.create(kind=JobKind.SELF_TEST, params={**FAST, "fail": True})
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "RuntimeError" in job.error and "自检按要求在第 4 步失败" in job.error
    assert job.finished_at is not None
    assert job.progress == 75  # the steps before the failure were reported


def test_a_job_delivered_twice_runs_once(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counting(job: Job, progress: runner.Progress) -> dict[str, Any]:
        calls.append(job.pk)
        return {}

    monkeypatch.setitem(runner._HANDLERS, JobKind.SELF_TEST.value, counting)
    job = Job.objects.create(kind=JobKind.SELF_TEST)
    assert run_job(job.pk) is True
    assert run_job(job.pk) is False
    assert calls == [job.pk]
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_a_job_already_claimed_by_another_worker_is_left_alone(db: None) -> None:
    job = Job.objects.create(kind=JobKind.SELF_TEST, status=JobStatus.RUNNING, params=FAST)
    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.progress == 0


def test_a_job_that_is_gone_is_ignored(db: None) -> None:
    assert run_job(987654) is False


def test_a_job_of_an_unknown_kind_fails_with_a_clear_error(db: None) -> None:
    job = Job.objects.create(kind="no_such_kind")
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "没有登记处理函数：no_such_kind" in job.error


def test_a_result_that_cannot_be_stored_fails_the_job_instead_of_leaving_it_running(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(runner._HANDLERS, JobKind.SELF_TEST.value, lambda job, p: {"x": object()})
    job = Job.objects.create(kind=JobKind.SELF_TEST)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "JSON" in job.error


@pytest.mark.parametrize(
    ("params", "steps", "delay"),
    [
        ({}, 5, 0.5),
        ({"steps": 10_000, "delay": 0}, 50, 0.0),
        ({"steps": -3, "delay": -1}, 1, 0.0),
        ({"steps": "many", "delay": "slow"}, 5, 0.5),
        ({"steps": 2, "delay": 9999}, 2, 2.0),
        ({"steps": 1, "delay": "nan"}, 1, 0.5),
    ],
)
def test_the_self_test_keeps_its_parameters_within_bounds(
    db: None, monkeypatch: pytest.MonkeyPatch, params: dict[str, Any], steps: int, delay: float
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("gongkai.jobs.job_handlers.time.sleep", slept.append)
    job = Job.objects.create(kind=JobKind.SELF_TEST, params=params)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.result["steps"], job.result["delay"]) == (steps, delay)
    assert slept == [delay] * steps
