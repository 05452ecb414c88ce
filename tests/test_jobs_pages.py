"""The jobs pages over HTTP: who sees which job, the live progress partial, the self-test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.jobs.models import Job, JobKind, JobStatus, WorkerHeartbeat
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post

POLLING = 'hx-trigger="every 1s"'


def _job(by: User | None, unit: Unit | None, **fields: Any) -> Job:
    return Job.objects.create(kind=JobKind.SELF_TEST, created_by=by, unit=unit, **fields)


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.jobs.job_handlers.time.sleep", lambda seconds: None)


def test_the_list_shows_a_liaison_only_their_units_and_their_own_jobs(cast: Cast) -> None:
    own_unit = _job(None, cast.justice, message="司法局的导入")
    own_user = _job(cast.justice_liaison, None, message="本人提交的任务")
    other = _job(cast.finance_liaison, cast.finance, message="财政局的导入")
    page = client_for(cast.justice_liaison).get("/jobs/").content.decode()
    assert f"/jobs/{own_unit.pk}/" in page and "司法局的导入" in page
    assert f"/jobs/{own_user.pk}/" in page and "本人提交的任务" in page
    assert f"/jobs/{other.pk}/" not in page and "财政局的导入" not in page


@pytest.mark.parametrize("who", ["office", "evaluator"])
def test_the_office_and_evaluators_see_every_job_newest_first(cast: Cast, who: str) -> None:
    older = _job(cast.finance_liaison, cast.finance, created_at=timezone.now() - timedelta(hours=1))
    newer = _job(cast.justice_liaison, cast.justice)
    page = client_for(getattr(cast, who)).get("/jobs/").content.decode()
    assert page.index(f"/jobs/{newer.pk}/") < page.index(f"/jobs/{older.pk}/")


def test_the_list_shows_status_and_progress(cast: Cast) -> None:
    _job(cast.office, None, status=JobStatus.RUNNING, progress=40, message="自检第 2/5 步")
    page = client_for(cast.office).get("/jobs/").content.decode()
    assert "进行中" in page and "width: 40%" in page and "自检第 2/5 步" in page


@pytest.mark.parametrize("path", ["/jobs/{pk}/", "/jobs/{pk}/progress/"])
def test_a_liaison_cannot_open_another_units_job(cast: Cast, path: str) -> None:
    other = _job(cast.finance_liaison, cast.finance)
    url = path.format(pk=other.pk)
    assert client_for(cast.justice_liaison).get(url).status_code == 404
    assert client_for(cast.finance_liaison).get(url).status_code == 200


def test_a_liaison_cannot_open_another_users_job_without_a_unit(cast: Cast) -> None:
    theirs = _job(cast.finance_liaison, None)
    assert client_for(cast.justice_liaison).get(f"/jobs/{theirs.pk}/").status_code == 404
    assert client_for(cast.finance_liaison).get(f"/jobs/{theirs.pk}/").status_code == 200


def test_a_missing_job_is_the_same_404(cast: Cast) -> None:
    assert client_for(cast.office).get("/jobs/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(anon: Client, cast: Cast) -> None:
    job = _job(cast.office, None)
    for url in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/"):
        response = anon.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_detail_page_shows_kind_status_message_result_and_timings(cast: Cast) -> None:
    now = timezone.now()
    job = _job(
        cast.office,
        None,
        status=JobStatus.SUCCEEDED,
        progress=100,
        message="已完成",
        result={"导入": 12, "跳过": 0},
        started_at=now - timedelta(seconds=42),
        finished_at=now,
    )
    page = client_for(cast.office).get(f"/jobs/{job.pk}/").content.decode()
    assert "后台任务自检" in page and "已完成" in page and "width: 100%" in page
    assert "&quot;导入&quot;: 12" in page  # pretty JSON, Chinese kept readable
    assert "42.0 秒" in page
    assert POLLING not in page


def test_the_detail_page_shows_the_error_of_a_failed_job(cast: Cast) -> None:
    job = _job(
        cast.office, None, status=JobStatus.FAILED, error="RuntimeError: 表格第 3 行缺少单位"
    )
    page = client_for(cast.office).get(f"/jobs/{job.pk}/").content.decode()
    assert "失败" in page and "RuntimeError: 表格第 3 行缺少单位" in page


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_the_progress_partial_keeps_polling_while_the_job_is_unfinished(
    cast: Cast, status: JobStatus
) -> None:
    job = _job(cast.office, None, status=status, progress=30)
    client = client_for(cast.office)
    partial = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert POLLING in partial
    assert f'hx-get="/jobs/{job.pk}/progress/"' in partial
    assert 'hx-swap="outerHTML"' in partial and "width: 30%" in partial
    assert "<html" not in partial  # a fragment, not a page
    assert POLLING in client.get(f"/jobs/{job.pk}/").content.decode()


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.FAILED])
def test_the_progress_partial_stops_polling_once_the_job_has_finished(
    cast: Cast, status: JobStatus
) -> None:
    job = _job(cast.office, None, status=status, progress=100)
    partial = client_for(cast.office).get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'id="job-live"' in partial
    assert "hx-trigger" not in partial and "hx-get" not in partial


def test_the_office_starts_a_self_test_and_lands_on_its_page(
    cast: Cast, no_sleep: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(client, "/jobs/self-test/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.SELF_TEST and job.created_by == cast.office
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert "已完成" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["evaluator", "justice_liaison", "justice_leader"])
def test_only_the_office_may_start_a_self_test(cast: Cast, who: str) -> None:
    client = client_for(getattr(cast, who))
    assert client.get("/jobs/").status_code == 200  # may look
    assert "运行后台任务自检" not in client.get("/jobs/").content.decode()
    assert csrf_post(client, "/jobs/self-test/").status_code == 403
    assert not Job.objects.exists()


def test_the_self_test_needs_a_post_with_a_csrf_token(cast: Cast) -> None:
    client = client_for(cast.office)
    assert client.get("/jobs/self-test/").status_code == 405
    assert client.post("/jobs/self-test/").status_code == 403  # no CSRF token
    assert not Job.objects.exists()


def test_the_jobs_page_warns_when_no_worker_has_ever_reported(cast: Cast) -> None:
    page = client_for(cast.office).get("/jobs/").content.decode()
    assert "最近 5 分钟没有收到后台进程的心跳" in page and "尚未收到过心跳" in page


def test_the_jobs_page_shows_a_recent_heartbeat(cast: Cast) -> None:
    WorkerHeartbeat.objects.create(worker="serve@gov-pc", last_seen_at=timezone.now())
    page = client_for(cast.justice_liaison).get("/jobs/").content.decode()
    assert "后台进程最近一次心跳：" in page and "serve@gov-pc" in page
    assert "没有收到后台进程的心跳" not in page


def test_the_jobs_page_warns_when_the_last_heartbeat_is_old(cast: Cast) -> None:
    seen = timezone.now() - timedelta(minutes=6)
    WorkerHeartbeat.objects.create(worker="serve@gov-pc", last_seen_at=seen)
    page = client_for(cast.office).get("/jobs/").content.decode()
    assert "最近 5 分钟没有收到后台进程的心跳" in page
    assert timezone.localtime(seen).strftime("%Y-%m-%d %H:%M:%S") in page


def test_a_waiting_job_warns_when_no_worker_is_alive(cast: Cast) -> None:
    job = _job(cast.office, None)
    assert (
        "没有收到后台进程的心跳" in client_for(cast.office).get(f"/jobs/{job.pk}/").content.decode()
    )
