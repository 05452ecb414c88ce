"""The work JSON API (gongkai/work/api.py): checkpoints with the list's filters and paging, one
checkpoint with its reports, a report as a multipart form (files included), the review, and
its 409 when someone else reviewed first. Browser session with CSRF, or a bearer token."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.work.models import Checkpoint, Evidence, EvidenceKind, Progress, Report, Review
from tests.conftest import Cast, client_for, csrf_post
from tests.test_work_pages import (
    BUDGET,
    NOW,
    PAGE,
    POLICY,
    READING,
    TODAY,
    Work,
    accepted,
    build_work,
    report,
    second_office_user,
)

PDF = (Path(__file__).parent / "fixtures" / "tasklist" / "000.pdf").read_bytes()


@pytest.fixture
def work(cast: Cast) -> Iterator[Work]:
    with time_machine.travel(NOW, tick=False):
        yield build_work(cast)


def items(response: Any) -> list[int]:
    assert response.status_code == 200, response.content.decode()[:1000]
    return [c["id"] for c in response.json()["items"]]


def post_json(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return csrf_post(client, url, body, content_type="application/json", **extra)


# -- reading ----------------------------------------------------------------------------------


def test_the_list_holds_the_callers_checkpoints_in_due_order(work: Work) -> None:
    client = client_for(work.cast.justice_liaison)
    response = client.get("/api/work/checkpoints")
    body = response.json()
    assert body["count"] == 5 and body["offset"] == 0
    first = body["items"][0]
    c = work.justice("q2026-1")
    assert first["id"] == c.pk
    assert (first["unit"], first["unit_id"], first["category"]) == (
        "区司法局",
        work.cast.justice.pk,
        "主动公开",
    )
    assert (first["label"], first["kind"], first["standing"]) == ("第一季度", "recurring", False)
    assert (first["due"], first["nominal"], first["status"], first["review"]) == (
        "2026-03-31",
        "2026-03-31",
        Progress.NOT_STARTED,
        Review.NONE,
    )
    assert first["overdue"] is True and first["cancelled"] is False
    dues = [c["due"] for c in body["items"]]
    assert dues == sorted(dues)
    assert BUDGET not in response.content.decode()


def test_the_list_takes_the_pages_filters(work: Work) -> None:
    cast = work.cast
    client = client_for(cast.justice_liaison)
    q1, q2, q3, q4 = (work.justice(f"q2026-{q}") for q in range(1, 5))
    reading = work.justice("d2026-12-31", READING)
    accepted(cast, q1)
    report(cast.justice_liaison, q4, Progress.IN_PROGRESS, "正在整理")

    url = "/api/work/checkpoints"
    assert items(client.get(url, {"category": "解读回应"})) == [reading.pk]
    assert items(client.get(url, {"status": Progress.IN_PROGRESS})) == [q4.pk]
    assert items(client.get(url, {"state": "overdue"})) == [q2.pk, q3.pk]
    assert items(client.get(url, {"state": "all"})) == [q1.pk, q2.pk, q3.pk, q4.pk, reading.pk]
    assert items(client.get(url, {"year": "2026", "quarter": "4"})) == [q4.pk, reading.pk]
    assert items(client.get(url, {"due_from": "2026-06-01", "due_to": "2026-09-30"})) == [
        q2.pk,
        q3.pk,
    ]
    office = client_for(cast.office)
    assert items(office.get(url, {"unit": str(cast.finance.pk)})) == [
        work.finance(f"q2026-{q}").pk for q in range(1, 5)
    ]


def test_a_filter_that_does_not_parse_is_a_400_in_chinese(work: Work) -> None:
    response = client_for(work.cast.office).get("/api/work/checkpoints", {"due_from": "昨天"})
    assert response.status_code == 400
    assert "日期“昨天”格式应为 YYYY-MM-DD" in response.json()["detail"]


def test_the_list_pages_with_offset_and_limit(work: Work) -> None:
    client = client_for(work.cast.office)
    everything = items(client.get("/api/work/checkpoints", {"limit": 100}))
    assert len(everything) == 9
    page = client.get("/api/work/checkpoints", {"offset": 2, "limit": 3}).json()
    assert page["count"] == 9 and page["offset"] == 2
    assert [c["id"] for c in page["items"]] == everything[2:5]
    tail = client.get("/api/work/checkpoints", {"offset": 8, "limit": 500}).json()
    assert [c["id"] for c in tail["items"]] == everything[8:]
    assert items(client.get("/api/work/checkpoints", {"offset": 50})) == []


def test_the_detail_has_the_requirement_and_the_reports_with_their_evidence(work: Work) -> None:
    cast = work.cast
    c = work.justice("q2026-2")
    client = client_for(cast.justice_liaison)
    csrf_post(
        client,
        f"/api/work/checkpoints/{c.pk}/reports",
        {"status": Progress.DONE, "text": "已在专栏公开", "urls": PAGE},
    )
    body = client.get(f"/api/work/checkpoints/{c.pk}").json()
    assert body["id"] == c.pk and body["requirement"] == POLICY
    assert body["review"] == Review.PENDING and body["finished_on"] == TODAY.isoformat()
    (r,) = body["reports"]
    assert (r["status"], r["text"], r["author"], r["review"]) == (
        Progress.DONE,
        "已在专栏公开",
        "justice",
        Review.PENDING,
    )
    (e,) = r["evidence"]
    assert (e["kind"], e["url"]) == (EvidenceKind.URL, PAGE)


# -- writing ----------------------------------------------------------------------------------


def test_a_report_is_posted_as_a_multipart_form_with_a_file(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    upload = SimpleUploadedFile("规范性文件公开情况.pdf", PDF, content_type="application/pdf")
    response = csrf_post(
        client,
        f"/api/work/checkpoints/{c.pk}/reports",
        {"status": Progress.DONE, "text": "已公开", "urls": f"{PAGE}\n", "files": [upload]},
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["checkpoint_id"] == c.pk and body["review"] == Review.PENDING
    kinds = {e["kind"]: e for e in body["evidence"]}
    assert kinds[EvidenceKind.URL]["url"] == PAGE
    assert kinds[EvidenceKind.FILE]["filename"].endswith(".pdf")
    assert kinds[EvidenceKind.FILE]["size"] == len(PDF)
    assert kinds[EvidenceKind.FILE]["sha256"] == hashlib.sha256(PDF).hexdigest()
    r = Report.objects.get()
    assert r.evidence.count() == 2
    event = AuditEvent.objects.for_object(r).get()
    assert event.action == AuditAction.CREATE and event.channel == Channel.API


def test_a_refused_report_is_a_400_and_writes_nothing(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    url = f"/api/work/checkpoints/{c.pk}/reports"
    na = csrf_post(client, url, {"status": Progress.NOT_APPLICABLE})
    assert na.status_code == 400 and na.json()["detail"] == "选择“不适用”时须说明理由"
    bad_url = csrf_post(client, url, {"status": Progress.DONE, "urls": "ftp://example.org/x"})
    assert bad_url.status_code == 400 and "链接格式不正确" in bad_url.json()["detail"]
    for data in ({"status": "finished"}, {"text": "没有选状态"}):
        bad_status = csrf_post(client, url, data)
        assert bad_status.status_code == 400 and bad_status.json()["detail"] == "请选择进展状态"
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf at all")
    not_pdf = csrf_post(client, url, {"status": Progress.DONE, "files": [fake]})
    assert not_pdf.status_code == 400 and "报告.pdf" in not_pdf.json()["detail"]
    assert not Report.objects.exists() and not Evidence.objects.exists()


def test_the_office_reviews_over_json(work: Work) -> None:
    cast = work.cast
    r = report(cast.justice_liaison, work.justice("q2026-2"))
    office = client_for(cast.office)
    url = f"/api/work/reports/{r.pk}/review"

    empty_return = post_json(office, url, {"accept": False, "comment": " "})
    assert empty_return.status_code == 400
    assert "退回时请填写意见" in empty_return.json()["detail"]

    returned = post_json(office, url, {"accept": False, "comment": "请补充链接"})
    assert returned.status_code == 200, returned.content.decode()
    body = returned.json()
    assert (body["review"], body["reviewer"], body["review_comment"]) == (
        Review.RETURNED,
        "office",
        "请补充链接",
    )
    assert dt.datetime.fromisoformat(body["reviewed_at"]) == NOW
    c = Checkpoint.objects.get(pk=r.checkpoint_id)
    assert (c.review, c.finished_on) == (Review.RETURNED, None)

    again = report(cast.justice_liaison, c, text="已补充")
    accept = post_json(office, f"/api/work/reports/{again.pk}/review", {"accept": True})
    assert accept.json()["review"] == Review.ACCEPTED
    c.refresh_from_db()
    assert c.review == Review.ACCEPTED


def test_a_second_review_is_a_409_naming_the_first_reviewer(work: Work) -> None:
    cast = work.cast
    r = report(cast.justice_liaison, work.justice("q2026-2"))
    url = f"/api/work/reports/{r.pk}/review"
    first = post_json(client_for(cast.office), url, {"accept": True})
    assert first.status_code == 200
    second = post_json(
        client_for(second_office_user(cast)), url, {"accept": False, "comment": "请补充"}
    )
    assert second.status_code == 409
    assert "该报送已由 office 于" in second.json()["detail"]
    assert "您的审核未保存" in second.json()["detail"]
    r.refresh_from_db()
    assert (r.review, r.reviewer, r.review_comment) == (Review.ACCEPTED, cast.office, "")


def test_a_review_sent_as_a_form_is_a_client_error_not_a_crash(work: Work) -> None:
    r = report(work.cast.justice_liaison, work.justice("q2026-2"))
    response = csrf_post(client_for(work.cast.office), f"/api/work/reports/{r.pk}/review", {})
    assert 400 <= response.status_code < 500
    r.refresh_from_db()
    assert r.review == Review.PENDING


def test_reviewing_a_progress_note_is_refused(work: Work) -> None:
    r = report(work.cast.justice_liaison, work.justice("q2026-4"), Progress.IN_PROGRESS, "推进中")
    response = post_json(
        client_for(work.cast.office), f"/api/work/reports/{r.pk}/review", {"accept": True}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "这是一份进展说明，不需要审核"


# -- tokens -----------------------------------------------------------------------------------


def test_a_bearer_token_reads_and_reports_without_a_session(work: Work) -> None:
    token, raw = ApiToken.issue(work.cast.justice_liaison, "对接系统")
    assert token.user == work.cast.justice_liaison and raw
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie
    bearer = f"Bearer {raw}"

    listed = client.get("/api/work/checkpoints", HTTP_AUTHORIZATION=bearer)
    assert listed.status_code == 200 and listed.json()["count"] == 5
    c = work.justice("q2026-4")
    posted = client.post(
        f"/api/work/checkpoints/{c.pk}/reports",
        {"status": Progress.IN_PROGRESS, "text": "接口报送"},
        HTTP_AUTHORIZATION=bearer,
    )
    assert posted.status_code == 201, posted.content.decode()
    assert posted.json()["author"] == "justice"

    assert client.get("/api/work/checkpoints").status_code == 401
    assert (
        client.get("/api/work/checkpoints", HTTP_AUTHORIZATION="Bearer gk_made_up").status_code
        == 401
    )


def test_an_office_token_reviews(work: Work) -> None:
    r = report(work.cast.justice_liaison, work.justice("q2026-2"))
    _, raw = ApiToken.issue(work.cast.office, "审核")
    response = Client(enforce_csrf_checks=True).post(
        f"/api/work/reports/{r.pk}/review",
        {"accept": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200 and response.json()["review"] == Review.ACCEPTED


def test_a_session_post_without_csrf_is_refused(work: Work) -> None:
    c = work.justice("q2026-4")
    client = client_for(work.cast.justice_liaison)
    response = client.post(f"/api/work/checkpoints/{c.pk}/reports", {"status": "in_progress"})
    assert response.status_code in (401, 403)
    assert not Report.objects.exists()
