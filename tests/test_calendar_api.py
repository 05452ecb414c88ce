"""/api/calendar over HTTP: arithmetic, local adjustments, and errors as 400 {"detail": 中文}."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.holidays.actions import add_adjustment
from gongkai.holidays.models import AdjustmentKind, LocalAdjustment
from gongkai.jobs.models import Job, JobKind, JobStatus
from tests.conftest import Cast, client_for, csrf_post

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
API = "/api/calendar"


def get(client: Client, path: str, **params: str) -> Any:
    return client.get(API + path, params)


@pytest.mark.parametrize(
    ("params", "answer"),
    [
        (
            {"date": "2025-09-26", "n": "20"},
            {"date": "2025-09-26", "n": 20, "result": "2025-10-30"},
        ),
        ({"date": "2025-10-04", "n": "7"}, {"date": "2025-10-04", "n": 7, "result": "2025-10-16"}),
        ({"date": "2026-02-13", "n": "0"}, {"date": "2026-02-13", "n": 0, "result": "2026-02-13"}),
    ],
)
def test_add_returns_the_nth_working_day_after_the_date(
    cast: Cast, params: dict[str, str], answer: dict[str, Any]
) -> None:
    response = get(client_for(cast.evaluator), "/add", **params)
    assert response.status_code == 200
    assert response.json() == answer


def test_between_counts_working_days_after_a_up_to_b(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert get(client, "/between", a="2025-09-26", b="2025-10-30").json() == {"workdays": 20}
    assert get(client, "/between", a="2025-10-30", b="2025-09-26").json() == {"workdays": -20}


@pytest.mark.parametrize(
    ("day", "workday"), [("2026-02-14", True), ("2026-02-23", False), ("2025-10-11", True)]
)
def test_is_tells_whether_a_date_is_a_working_day(cast: Cast, day: str, workday: bool) -> None:
    response = get(client_for(cast.justice_liaison), "/is", date=day)
    assert response.status_code == 200
    assert response.json() == {"date": day, "workday": workday}


@pytest.mark.parametrize(
    ("path", "params", "complaint"),
    [
        ("/add", {"date": "2025-9-26", "n": "20"}, "格式不正确"),
        ("/add", {"date": "2025-09-26", "n": "-1"}, "不能为负数"),
        ("/add", {"date": "2025-09-26", "n": "1.5"}, "整数"),
        ("/add", {"date": "2025-09-26"}, "请填写天数 n"),
        ("/add", {"date": "2026-12-15", "n": "20"}, "缺少 2027 年的全国放假安排"),
        ("/add", {"date": "9999-12-31", "n": "1"}, "超出可计算的范围"),
        ("/between", {"a": "2025-09-26", "b": "2027-01-10"}, "2027"),
        ("/between", {"a": "2025-09-26"}, "请填写截止日期 b"),
        ("/is", {"date": "2025-02-29"}, "不存在"),
        ("/is", {}, "请填写日期 date"),
        ("/is", {"date": "2027-01-01"}, "2027"),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_detail(
    cast: Cast, path: str, params: dict[str, str], complaint: str
) -> None:
    response = get(client_for(cast.evaluator), path, **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail"}
    assert complaint in body["detail"]


def test_the_arithmetic_honours_local_adjustments(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_adjustment(cast.office, dt.date(2025, 10, 9), AdjustmentKind.HOLIDAY, "本地放假")
    client = client_for(cast.evaluator)
    assert get(client, "/is", date="2025-10-09").json()["workday"] is False
    assert get(client, "/add", date="2025-09-26", n="20").json()["result"] == "2025-10-31"


def test_the_api_needs_a_signed_in_user(anon: Client, cast: Cast) -> None:
    assert anon.get(API + "/is", {"date": "2025-10-09"}).status_code == 401
    assert anon.get(API + "/adjustments").status_code == 401


def test_adjustments_are_listed_with_reason_and_author(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = add_adjustment(
            cast.office, dt.date(2025, 10, 18), AdjustmentKind.WORKDAY, "集中办理"
        )
    [row] = get(client_for(cast.justice_liaison), "/adjustments").json()
    assert row["id"] == adjustment.pk
    assert (row["date"], row["kind"], row["kind_label"]) == (
        "2025-10-18",
        "workday",
        "上班（工作日）",
    )
    assert (row["reason"], row["created_by"]) == ("集中办理", "office")


def test_the_office_posts_an_adjustment_audited_as_api_and_recomputed(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(
            client_for(cast.office),
            API + "/adjustments",
            {"date": "2025-10-09", "kind": "holiday", "reason": "区政府通知放假"},
            content_type="application/json",
        )
    assert response.status_code == 201
    assert response.json()["date"] == "2025-10-09"
    adjustment = LocalAdjustment.objects.get()
    assert response.json()["id"] == adjustment.pk
    [event] = AuditEvent.objects.for_object(adjustment)
    assert (event.action, event.channel, event.comment) == (
        AuditAction.CREATE,
        Channel.API,
        "区政府通知放假",
    )
    job = Job.objects.get()
    assert (job.kind, job.status) == (JobKind.CALENDAR_RECOMPUTE, JobStatus.SUCCEEDED)


@pytest.mark.parametrize("who", ["justice_liaison", "justice_leader", "evaluator"])
def test_only_the_office_may_post_an_adjustment(cast: Cast, who: str) -> None:
    response = csrf_post(
        client_for(getattr(cast, who)),
        API + "/adjustments",
        {"date": "2025-10-09", "kind": "holiday", "reason": "放假"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "公开办" in response.json()["detail"]
    assert not LocalAdjustment.objects.exists()


def test_a_session_post_without_the_csrf_token_is_refused(cast: Cast) -> None:
    response = client_for(cast.office).post(
        API + "/adjustments",
        {"date": "2025-10-09", "kind": "holiday", "reason": "放假"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not LocalAdjustment.objects.exists()


def test_a_bearer_token_posts_without_csrf(
    cast: Cast, django_capture_on_commit_callbacks: Capture
) -> None:
    _, raw = ApiToken.issue(cast.office, "脚本")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(enforce_csrf_checks=True).post(
            API + "/adjustments",
            {"date": "2025-10-09", "kind": "holiday", "reason": "放假"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code == 201
    assert LocalAdjustment.objects.get().created_by == cast.office


@pytest.mark.parametrize(
    ("payload", "complaint"),
    [
        ({"date": "2027-01-04", "kind": "holiday", "reason": "放假"}, "2027 年的全国放假安排"),
        ({"date": "20251009", "kind": "holiday", "reason": "放假"}, "格式不正确"),
        ({"date": "2025-10-09", "kind": "day-off", "reason": "放假"}, "调整类型"),
        ({"date": "2025-10-09", "kind": "holiday", "reason": " "}, "请填写调整原因"),
        ({"date": "2025-10-11", "kind": "workday", "reason": "加班"}, "本来就是工作日"),
        ({"kind": "holiday", "reason": "放假"}, "请填写日期 date"),
    ],
)
def test_a_refused_adjustment_is_a_400_with_a_chinese_detail(
    cast: Cast, payload: dict[str, str], complaint: str
) -> None:
    response = csrf_post(
        client_for(cast.office), API + "/adjustments", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert complaint in response.json()["detail"]
    assert not LocalAdjustment.objects.exists()
    assert not Job.objects.exists()
