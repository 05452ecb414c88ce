"""The register's JSON API (gongkai/disclosure/api.py, mounted at /api/disclosure): the list with
the page's filters, one request with its clock and log, registering, events checked by the
page's forms, and the review decision with its 409. Browser session with CSRF, or a token."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gongkai.accounts.models import ApiToken, Role, User
from gongkai.disclosure.models import ReplyReview, Request, RequestState, ReviewDecision
from tests.conftest import Cast, client_for, csrf_post
from tests.test_disclosure_pages import in_review, made
from tests.test_disclosure_story import D, at


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return csrf_post(client, url, body, content_type="application/json")


def event(client: Client, request: Request, body: dict[str, Any]) -> Any:
    return post_json(client, f"/api/disclosure/requests/{request.pk}/events", body)


NEW = {
    "applicant_type": "person",
    "applicant_name": "张三",
    "description": "2025年本区法律援助经费使用情况",
    "channel": "in_person",
    "arrived_on": "2025-09-26",
    "contact_phone": "13800000000",
}


def test_registering_returns_the_number_the_secret_and_the_clock(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        response = post_json(client, "/api/disclosure/requests", NEW | {"unit_id": cast.justice.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    request = Request.objects.get()
    assert body["tracking_no"] == request.tracking_no and len(body["secret"]) >= 12
    assert body["deadline"] == "2025-10-30" and body["days_left"] == 20
    assert body["clock"]["state"] == "running"
    assert body["clock"]["explanation"] == [
        "2025-09-26 收到申请（当面提交）：答复期限为收到次日起20个工作日，即 2025-10-30"
    ]
    assert [e["kind"] for e in body["events"]] == ["received"]


def test_registering_for_another_unit_or_in_the_future_is_refused(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        other = post_json(client, "/api/disclosure/requests", NEW | {"unit_id": cast.finance.pk})
        future = post_json(
            client,
            "/api/disclosure/requests",
            NEW | {"unit_id": cast.justice.pk, "arrived_on": "2025-09-27"},
        )
    assert other.status_code == 400 and "请选择办理单位" in other.json()["detail"]
    assert future.status_code == 400 and "到达日期不能晚于今天" in future.json()["detail"]
    assert not Request.objects.exists()


def test_the_list_filters_and_scopes_like_the_page(cast: Cast) -> None:
    justice = made(cast, cast.justice, "2025-09-26")
    finance = made(cast, cast.finance, "2025-10-09")
    with at("2025-10-28"):
        mine = client_for(cast.justice_liaison).get("/api/disclosure/requests").json()
        office = client_for(cast.office)
        soon = office.get("/api/disclosure/requests?tab=soon").json()
        everything = office.get("/api/disclosure/requests?tab=all").json()
        bad = office.get("/api/disclosure/requests?unit=x")
    assert [r["id"] for r in mine["items"]] == [justice.pk] and mine["count"] == 1
    assert [r["id"] for r in soon["items"]] == [justice.pk]
    assert [r["tracking_no"] for r in everything["items"]] == [
        justice.tracking_no,
        finance.tracking_no,
    ]
    assert everything["items"][0]["days_left"] == 2
    assert bad.status_code == 400


def test_events_follow_the_pages_rules_and_move_the_deadline(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        response = event(
            liaison,
            request,
            {"kind": "consult", "date": "2025-10-09", "party": "third_party", "name": "某公司"},
        )
        assert response.status_code == 200, response.content
        assert response.json()["clock"]["state"] == "paused"
    with at("2025-10-13"):
        done = event(
            liaison, request, {"kind": "consult-end", "date": "2025-10-13", "result": "answered"}
        )
    assert done.status_code == 200
    body = done.json()
    assert body["deadline"] == "2025-11-04" and body["state"] == RequestState.IN_PROGRESS
    assert body["clock"]["explanation"][-1] == (
        "2025-10-13 收到征求意见的答复：2025-10-09 至 2025-10-13 暂停 3 个工作日不计入，"
        "答复期限延至 2025-11-04"
    )


def test_a_refused_event_is_400_in_chinese_and_changes_nothing(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        unknown = event(liaison, request, {"kind": "teleport", "date": "2025-10-09"})
        missing = event(liaison, request, {"kind": "correction", "date": "2025-10-09"})
        future = event(liaison, request, {"kind": "corrected", "date": "2025-10-10"})
        state = event(
            liaison, request, {"kind": "deliver", "date": "2025-10-09", "method": "signed"}
        )
        office_only = event(
            liaison,
            request,
            {
                "kind": "extend",
                "date": "2025-10-09",
                "approver": "李",
                "notified": "2025-10-09",
                "workdays": 5,
            },
        )
        not_json = csrf_post(
            liaison,
            f"/api/disclosure/requests/{request.pk}/events",
            [1],  # type: ignore[arg-type]  # a JSON list where an object belongs
            content_type="application/json",
        )
    assert unknown.status_code == 400 and "未知的办理事项" in unknown.json()["detail"]
    assert missing.status_code == 400 and "请填写补正期限" in missing.json()["detail"]
    assert future.status_code == 400 and "收到补正日期不能晚于今天" in future.json()["detail"]
    assert state.status_code == 400 and "不能登记送达" in state.json()["detail"]
    assert office_only.status_code == 403
    assert not_json.status_code == 400
    assert request.events.count() == 1


def test_another_units_request_is_404_whatever_is_posted(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    review = in_review(cast, request)
    outsider = client_for(cast.finance_liaison)
    with at("2025-10-21"):
        assert outsider.get(f"/api/disclosure/requests/{request.pk}").status_code == 404
        assert event(outsider, request, {"kind": "answer", "date": "2025-10-21"}).status_code == 404
        assert (
            csrf_post(outsider, f"/api/disclosure/requests/{request.pk}/events", {}).status_code
            == 404
        )
        decision = post_json(
            outsider, f"/api/disclosure/reviews/{review.pk}/decision", {"approve": True}
        )
        assert decision.status_code == 404
        reader = client_for(cast.evaluator)
        assert reader.get(f"/api/disclosure/requests/{request.pk}").status_code == 200
        assert event(reader, request, {"kind": "answer", "date": "2025-10-21"}).status_code == 403


def test_the_review_decision_and_its_409(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    review = in_review(cast, request)
    other = User.objects.create_user(username="office2", password="x", role=Role.OFFICE)
    url = f"/api/disclosure/reviews/{review.pk}/decision"
    with at("2025-10-21"):
        liaison = post_json(client_for(cast.justice_liaison), url, {"approve": True})
        unclear = post_json(client_for(cast.office), url, {"approve": "maybe"})
        first = post_json(client_for(cast.office), url, {"approve": True, "comment": "同意"})
        second = post_json(client_for(other), url, {"approve": False, "comment": "再改改"})
    assert liaison.status_code == 403 and unclear.status_code == 400
    assert first.status_code == 200 and first.json()["decision"] == ReviewDecision.APPROVED
    assert second.status_code == 409 and "以其审核结果为准" in second.json()["detail"]
    review = ReplyReview.objects.get(pk=review.pk)
    assert review.comment == "同意"


def test_a_token_answers_and_delivers(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    review = in_review(cast, request)
    _, raw = ApiToken.issue(cast.justice_liaison, "脚本")
    script = Client()  # no session, no CSRF: the bearer token
    auth = {"Authorization": f"Bearer {raw}"}
    with at("2025-10-21"):
        from gongkai.disclosure import actions

        actions.decide_review(cast.office, review, approve=True)
        answered = script.post(
            f"/api/disclosure/requests/{request.pk}/events",
            {"kind": "answer", "date": "2025-10-21"},
            content_type="application/json",
            headers=auth,
        )
        served = script.post(
            f"/api/disclosure/requests/{request.pk}/events",
            {"kind": "deliver", "date": "2025-10-21", "method": "china_post"},
            content_type="application/json",
            headers=auth,
        )
    assert answered.status_code == 200, answered.content
    assert served.status_code == 200 and served.json()["on_time"] is True
    request.refresh_from_db()
    assert request.delivered_on == D("2025-10-21") and request.state == RequestState.DELIVERED
