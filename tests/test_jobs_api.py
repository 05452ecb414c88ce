"""The jobs API: the caller's jobs, newest first, and one job's state; others' jobs are 404."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import ApiToken
from gongkai.jobs.models import Job, JobKind, JobStatus
from tests.conftest import Cast, client_for


def test_the_list_is_scoped_to_the_callers_jobs_newest_first(cast: Cast) -> None:
    old = Job.objects.create(
        kind=JobKind.SELF_TEST, unit=cast.justice, created_at=timezone.now() - timedelta(days=1)
    )
    new = Job.objects.create(kind=JobKind.SELF_TEST, created_by=cast.justice_liaison)
    Job.objects.create(kind=JobKind.SELF_TEST, unit=cast.finance)
    response = client_for(cast.justice_liaison).get("/api/jobs")
    assert response.status_code == 200
    assert [j["id"] for j in response.json()] == [new.pk, old.pk]


def test_the_list_holds_at_most_the_newest_fifty(cast: Cast) -> None:
    start = timezone.now() - timedelta(days=1)
    jobs = Job.objects.bulk_create(
        Job(kind=JobKind.SELF_TEST, created_at=start + timedelta(minutes=i)) for i in range(55)
    )
    body = client_for(cast.office).get("/api/jobs").json()
    assert len(body) == 50
    assert body[0]["id"] == jobs[-1].pk


def test_one_job_reports_its_state_result_and_timestamps(cast: Cast) -> None:
    now = timezone.now()
    job = Job.objects.create(
        kind=JobKind.SELF_TEST,
        created_by=cast.office,
        status=JobStatus.SUCCEEDED,
        progress=100,
        message="已完成",
        result={"steps": 5},
        started_at=now,
        finished_at=now,
    )
    body = client_for(cast.evaluator).get(f"/api/jobs/{job.pk}").json()
    assert body["id"] == job.pk
    assert body["kind"] == "self_test" and body["status"] == "succeeded"
    assert body["progress"] == 100 and body["message"] == "已完成"
    assert body["result"] == {"steps": 5} and body["error"] == ""
    assert body["created_at"] and body["started_at"] and body["finished_at"]


def test_a_liaison_gets_404_for_another_units_job(cast: Cast) -> None:
    other = Job.objects.create(kind=JobKind.SELF_TEST, unit=cast.finance)
    assert client_for(cast.justice_liaison).get(f"/api/jobs/{other.pk}").status_code == 404
    assert client_for(cast.finance_liaison).get(f"/api/jobs/{other.pk}").status_code == 200
    assert client_for(cast.office).get("/api/jobs/999999").status_code == 404


def test_a_bearer_token_sees_what_its_user_sees(cast: Cast, anon: Client) -> None:
    mine = Job.objects.create(kind=JobKind.SELF_TEST, unit=cast.justice)
    other = Job.objects.create(kind=JobKind.SELF_TEST, unit=cast.finance)
    _, raw = ApiToken.issue(cast.justice_liaison, "脚本")
    bearer = f"Bearer {raw}"
    assert [j["id"] for j in anon.get("/api/jobs", HTTP_AUTHORIZATION=bearer).json()] == [mine.pk]
    assert anon.get(f"/api/jobs/{other.pk}", HTTP_AUTHORIZATION=bearer).status_code == 404


def test_the_api_needs_authentication(anon: Client, cast: Cast) -> None:
    job = Job.objects.create(kind=JobKind.SELF_TEST)
    assert anon.get("/api/jobs").status_code == 401
    assert anon.get(f"/api/jobs/{job.pk}").status_code == 401
