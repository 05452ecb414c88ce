"""Acceptance stories of the request register, through HTTP, with the clock standing still on the
days things happen. Every deadline is one of domain-rules §8 A's examples (or `gongkai workdays
add` of it): received in person on Friday 26 September 2025, across the National Day holiday, a
request is due on 30 October; a correction restarts the count; a consultation pauses it; an
extension adds to it; a late reply is flagged."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from gongkai.disclosure.models import ReplyReview, Request, RequestState
from tests.conftest import Cast, client_for, csrf_post

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def register(
    client: Client, unit: Any, arrived: str, channel: str = "in_person", **extra: Any
) -> Request:
    """Register through the form; the new request."""
    data = {
        "unit": unit.pk,
        "applicant_type": "person",
        "applicant_name": "张三",
        "contact_phone": "13800000000",
        "description": "2025年本区法律援助经费使用情况",
        "form_wanted": "paper",
        "delivery_wanted": "post",
        "channel": channel,
        "arrived_on": arrived,
    } | extra
    response = csrf_post(client, "/disclosure/new/", data)
    assert response.status_code == 302, text_of(response)[:2000]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return Request.objects.get(pk=pk)


def step(client: Client, request: Request, slug: str, **fields: Any) -> Any:
    """Post one act from the request's page (the page's forms carry the act as prefix)."""
    data = {f"{slug}-{k}": v for k, v in fields.items()}
    return csrf_post(client, f"/disclosure/{request.pk}/{slug}/", data)


def ok(response: Any) -> None:
    assert response.status_code == 302, text_of(response)[:3000]


def reply_approved(cast: Cast, request: Request, day: str) -> None:
    """The unit files its draft and the office approves it, on `day`."""
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at(day, 9):
        ok(step(liaison, request, "submit", outcome="granted", draft="予以公开，见附件。"))
    review = ReplyReview.objects.get(request=request)
    with at(day, 15):
        ok(csrf_post(office, f"/disclosure/reviews/{review.pk}/decide/", {"decision": "approve"}))


def deadline_of(request: Request) -> dt.date | None:
    request.refresh_from_db()
    return request.deadline


def test_national_day_request_is_answered_approved_and_posted_in_time(cast: Cast) -> None:
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)
    with at("2025-09-26"):
        response = csrf_post(
            office,
            "/disclosure/new/",
            {
                "unit": cast.justice.pk,
                "applicant_type": "person",
                "applicant_name": "张三",
                "contact_phone": "13800000000",
                "description": "2025年本区法律援助经费使用情况",
                "form_wanted": "paper",
                "delivery_wanted": "post",
                "channel": "in_person",
                "arrived_on": "2025-09-26",
            },
            follow=True,
        )
        page = text_of(response)
        request = Request.objects.get()
        assert f"申请编号 {request.tracking_no}，查询码" in page
        assert request.deadline == D("2025-10-30")
        again = text_of(office.get(f"/disclosure/{request.pk}/"))
        assert "查询码" not in again  # the secret is shown once
        assert (
            "2025-09-26 收到申请（当面提交）：答复期限为收到次日起20个工作日，即 2025-10-30"
            in again
        )
        assert "剩 20 个工作日" in again

    with at("2025-10-27", 9):
        ok(step(liaison, request, "submit", outcome="granted", draft="予以公开，见附件。"))
    request.refresh_from_db()
    assert request.state == RequestState.REVIEW
    review = ReplyReview.objects.get(request=request)
    assert review.due_on == D("2025-10-27")
    with at("2025-10-27", 11):
        queue = text_of(office.get("/disclosure/reviews/"))
        assert request.tracking_no in queue and "2025-10-27" in queue
        ok(csrf_post(office, f"/disclosure/reviews/{review.pk}/decide/", {"decision": "approve"}))
    with at("2025-10-29"):
        ok(step(liaison, request, "answer", date="2025-10-29"))
    with at("2025-10-30"):
        ok(step(liaison, request, "deliver", date="2025-10-30", method="china_post"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    request.refresh_from_db()
    assert request.state == RequestState.DELIVERED
    assert request.on_time is True and request.outcome == "granted"
    assert "在答复期限 2025-10-30 内送达，按期" in page
    with at("2025-10-31"):
        ok(step(liaison, request, "close", comment="归档"))
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED


def test_correction_notice_stops_the_clock_and_the_corrected_application_restarts_it(
    cast: Cast,
) -> None:
    liaison = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-09"):
        ok(step(liaison, request, "correction", date="2025-10-09", correct_by="2025-10-20"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    assert deadline_of(request) is None
    assert "停止计算，收到补正后重新起算" in page
    assert "问题" not in page  # sent within 7 working days (due by 13 October)
    with at("2025-10-15"):
        ok(step(liaison, request, "corrected", date="2025-10-15"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    assert deadline_of(request) == D("2025-11-12")
    assert "2025-10-15 收到补正：答复期限自收到补正次日起重新计算20个工作日，即 2025-11-12" in page


def test_correction_notice_after_13_october_is_flagged_as_late(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-14"):
        ok(step(liaison, request, "correction", date="2025-10-14", correct_by="2025-10-24"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    assert "晚于收到申请后7个工作日（应于 2025-10-13 前发出）" in page


def test_consultation_pauses_three_working_days_and_the_extension_adds_twenty(
    cast: Cast,
) -> None:
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-09"):
        ok(
            step(
                liaison,
                request,
                "consult",
                date="2025-10-09",
                party="third_party",
                name="某律师事务所",
                letter_received="2025-10-09",
            )
        )
    with at("2025-10-10"):
        listing = text_of(liaison.get("/disclosure/"))
        assert "期限暂停" in listing
    with at("2025-10-13"):
        ok(step(liaison, request, "consult-end", date="2025-10-13", result="answered"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    # 10, 11 (the 调休 Saturday) and 13 October are not counted
    assert deadline_of(request) == D("2025-11-04")
    assert "2025-10-09 至 2025-10-13 暂停 3 个工作日不计入，答复期限延至 2025-11-04" in page

    with at("2025-10-20"):
        refused = step(
            liaison,
            request,
            "extend",
            date="2025-10-20",
            approver="李主任",
            notified="2025-10-20",
            workdays=20,
        )
        assert refused.status_code == 403  # the head of the office approves extensions
        ok(
            step(
                office,
                request,
                "extend",
                date="2025-10-20",
                approver="李主任",
                notified="2025-10-20",
                workdays=20,
            )
        )
        page = text_of(office.get(f"/disclosure/{request.pk}/"))
    assert deadline_of(request) == D("2025-12-02")
    assert "经李主任批准，2025-10-20 告知申请人，延期 20 个工作日，期限延至 2025-12-02" in page


def test_plain_extension_before_the_deadline_moves_it_to_27_november(cast: Cast) -> None:
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-30"):
        ok(
            step(
                office,
                request,
                "extend",
                date="2025-10-30",
                approver="李主任",
                notified="2025-10-30",
                workdays=20,
            )
        )
    # `gongkai workdays add 2025-09-26 40`
    assert deadline_of(request) == D("2025-11-27")
    request.refresh_from_db()
    assert request.state == RequestState.EXTENDED


def test_an_extension_after_the_deadline_is_refused_and_nothing_changes(cast: Cast) -> None:
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-31"):
        response = step(
            office,
            request,
            "extend",
            date="2025-10-31",
            approver="李主任",
            notified="2025-10-31",
            workdays=20,
        )
    assert response.status_code == 400
    assert "延期须在答复期限 2025-10-30 届满前批准并告知申请人" in text_of(response)
    assert deadline_of(request) == D("2025-10-30")
    assert not request.events.filter(kind="extended").exists()


def test_a_late_reply_is_flagged_overdue_on_the_list_and_not_on_time(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26")
    with at("2025-10-31"):
        listing = liaison.get("/disclosure/?tab=overdue")
        rows = text_of(listing)
        assert request.tracking_no in rows and "逾期 -1 个工作日" in rows
        assert 'class="is-overdue"' in listing.content.decode()
        assert request.tracking_no in text_of(liaison.get("/disclosure/?tab=open"))
    reply_approved(cast, request, "2025-11-03")
    with at("2025-11-04"):
        ok(step(liaison, request, "answer", date="2025-11-04"))
        ok(step(liaison, request, "deliver", date="2025-11-04", method="signed"))
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
    request.refresh_from_db()
    assert request.on_time is False
    assert "超过答复期限 2025-10-30，逾期 3 个工作日" in page
    with at("2025-11-05"):
        assert request.tracking_no not in text_of(liaison.get("/disclosure/?tab=overdue"))
        assert request.tracking_no in text_of(liaison.get("/disclosure/?tab=all"))


def test_the_2024_and_2026_examples(cast: Cast) -> None:
    office = client_for(cast.office)
    for received, due in (("2024-09-20", "2024-10-23"), ("2026-02-02", "2026-03-06")):
        with at(received):
            request = register(office, cast.justice, received)
            page = text_of(office.get(f"/disclosure/{request.pk}/"))
        assert request.deadline == D(due)
        assert f"{received} 收到申请（当面提交）：答复期限为收到次日起20个工作日，即 {due}" in page


def test_an_ordinary_letter_runs_from_the_confirmation_day(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        request = register(liaison, cast.justice, "2025-09-26", channel="letter")
        assert request.state == RequestState.RECEIVED and request.deadline is None
        assert request.tracking_no in text_of(liaison.get("/disclosure/?tab=unconfirmed"))
        ok(step(liaison, request, "confirm", confirmed_on="2025-09-26"))
    assert deadline_of(request) == D("2025-10-30")
