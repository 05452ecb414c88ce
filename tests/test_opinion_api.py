"""政务舆情 over JSON (gongkai/opinion/api.py, mounted at /api/opinion): a monitoring service
pushing events with a bearer token, the clocks in the answer, the alert worker, the pages' access
rules and refusals, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from gongkai.accounts.models import ApiToken, User
from gongkai.audit.models import AuditEvent
from gongkai.opinion import actions
from gongkai.opinion.actions import EventInput
from gongkai.opinion.alerts import process_one_due_alert
from gongkai.opinion.models import Event, Level, Response, ResponseKind
from gongkai.units.models import Unit
from gongkai.work.models import NotifySettings
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
EVENTS = "/api/opinion/events"


def moment(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=ZONE)


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def bearer(user: User) -> dict[str, str]:
    _, raw = ApiToken.issue(user, "舆情监测")
    return {"Authorization": f"Bearer {raw}"}


def push(headers: dict[str, str], url: str, body: Any) -> Any:
    """POST as a script does: no session, no CSRF, the token in the header."""
    return Client().post(url, body, content_type="application/json", headers=headers)


def fetch(headers: dict[str, str], url: str) -> Any:
    return Client().get(url, headers=headers)


def new_event(unit: Unit, **extra: Any) -> dict[str, Any]:
    return {
        "unit_id": unit.pk,
        "title": "网传某司法所拒绝提供法律援助",
        "level": "serious",
        "detected_at": "2026-03-10T10:00:00+08:00",
        "source": "微博",
        "url": "https://weibo.example.cn/123",
        "summary": "网民发帖称在司法所申请法律援助被拒。",
        "links": ["https://news.example.cn/a", "https://bbs.example.cn/b"],
    } | extra


def registered(cast: Cast, unit: Unit, detected: dt.datetime, level: Level) -> Event:
    data = EventInput(
        unit=unit, title=f"{unit.name}舆情", source="微博", detected_at=detected, level=level
    )
    return actions.register_event(cast.office, data, now=detected)


def written() -> tuple[int, int, int]:
    return Event.objects.count(), Response.objects.count(), AuditEvent.objects.count()


def test_a_pushed_serious_event_runs_its_clocks_and_the_half_time_alert_goes_once(
    cast: Cast,
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sfj@example.cn")
    NotifySettings.objects.create(unit=cast.gov, emails="gkb@example.cn")
    service = bearer(cast.justice_liaison)
    with time_machine.travel(moment(10, 10, 7), tick=False):
        made = push(service, EVENTS, new_event(cast.justice))
    assert made.status_code == 201, made.content
    body = made.json()
    detected = when(body["detected_at"])
    assert detected == moment(10, 10)
    stages = {s["kind"]: s for s in body["stages"]}
    assert set(stages) == {"authoritative", "press"}
    assert when(stages["authoritative"]["deadline"]) == detected + dt.timedelta(hours=5)
    assert when(stages["authoritative"]["half_at"]) == detected + dt.timedelta(hours=2.5)
    assert when(stages["press"]["deadline"]) == detected + dt.timedelta(hours=24)
    assert stages["authoritative"]["deadline"].endswith("+08:00")
    assert stages["authoritative"]["status"] == "还剩4小时53分"
    assert not stages["authoritative"]["late"] and stages["authoritative"]["met_at"] is None
    assert when(body["next_deadline"]) == moment(10, 15) and body["overdue"] is False
    assert body["links"] == ["https://news.example.cn/a", "https://bbs.example.cn/b"]
    assert body["created_by"] == "justice" and body["responses"] == []
    event = Event.objects.get(pk=body["id"])
    audit = AuditEvent.objects.for_object(event).get()
    assert audit.channel == "api" and audit.actor == cast.justice_liaison
    assert "5小时内发布权威信息" in audit.comment

    # The alert worker: nothing before half-time, the half-time alert once, to unit and office.
    with time_machine.travel(moment(10, 12, 29), tick=False):
        assert process_one_due_alert() is None
    with time_machine.travel(moment(10, 12, 31), tick=False):
        assert process_one_due_alert() is True
        assert process_one_due_alert() is None
    assert sorted(m.to[0] for m in mail.outbox) == ["gkb@example.cn", "sfj@example.cn"]
    assert "回应时限已过一半仍未完成" in mail.outbox[0].body
    with time_machine.travel(moment(10, 12, 40), tick=False):
        assert process_one_due_alert() is None
        seen = fetch(service, f"{EVENTS}/{event.pk}").json()
    first = seen["stages"][0]
    assert first["kind"] == "authoritative"
    assert when(first["half_alert_sent_at"]) == moment(10, 12, 31)
    assert first["due_alert_sent_at"] is None and first["status"] == "还剩2小时20分"

    # The unit answers in time: the stage is met, and its deadline alert never comes.
    with time_machine.travel(moment(10, 14, 5), tick=False):
        answered = push(
            service,
            f"{EVENTS}/{event.pk}/responses",
            {
                "kind": "authoritative",
                "at": "2026-03-10T06:00:00Z",
                "channel": "区政府门户网站",
                "url": "https://www.example.gov.cn/news/1",
            },
        )
    assert answered.status_code == 201, answered.content
    done = answered.json()
    first = done["stages"][0]
    assert when(first["met_at"]) == moment(10, 14) and first["late"] is False
    assert first["status"] == "按时完成"
    assert [r["channel"] for r in done["responses"]] == ["区政府门户网站"]
    assert when(done["next_deadline"]) == moment(11, 10)  # the press conference's
    with time_machine.travel(moment(10, 15, 1), tick=False):
        assert process_one_due_alert() is None
    assert len(mail.outbox) == 2
    response = Response.objects.get()
    assert AuditEvent.objects.for_object(response).get().channel == "api"


def test_an_event_pushed_after_its_deadline_shows_only_the_deadline_alert_sent(
    cast: Cast,
) -> None:
    service = bearer(cast.office)
    late = new_event(cast.justice, detected_at="2026-03-10T04:00:00+08:00")
    with time_machine.travel(moment(10, 9, 30), tick=False):
        made = push(service, EVENTS, late)
        assert made.json()["overdue"] is True
        assert made.json()["stages"][0]["status"] == "逾期30分钟"
        assert process_one_due_alert() is True  # 5 h passed: the deadline alert, not half-time
        assert process_one_due_alert() is None
        (first, press) = fetch(service, f"{EVENTS}/{made.json()['id']}").json()["stages"]
    assert first["half_alert_sent_at"] is None
    assert when(first["due_alert_sent_at"]) == moment(10, 9, 30) and first["late"] is True
    assert press["half_alert_sent_at"] is None and press["due_alert_sent_at"] is None


def test_a_session_registers_with_csrf_and_not_without(cast: Cast) -> None:
    office = client_for(cast.office)
    body = new_event(cast.finance, level="other", detected_at="2026-03-10T02:00:00Z")
    with time_machine.travel(moment(10, 11), tick=False):
        forged = office.post(EVENTS, body, content_type="application/json")
        made = csrf_post(office, EVENTS, body, content_type="application/json")
    assert forged.status_code in (401, 403) and not forged.json().get("id")
    assert made.status_code == 201, made.content
    (stage,) = made.json()["stages"]
    assert stage["kind"] == "response" and stage["label"] == "48小时内予以回应"
    assert when(stage["deadline"]) == moment(12, 10)
    assert Event.objects.get().unit == cast.finance


def test_another_units_event_is_404_like_a_missing_one(cast: Cast) -> None:
    theirs = registered(cast, cast.finance, moment(10, 10), Level.OTHER)
    justice = bearer(cast.justice_liaison)
    before = written()
    with time_machine.travel(moment(10, 11), tick=False):
        read = fetch(justice, f"{EVENTS}/{theirs.pk}")
        missing = fetch(justice, f"{EVENTS}/999999")
        answer = push(
            justice,
            f"{EVENTS}/{theirs.pk}/responses",
            {"kind": "response", "at": "2026-03-10T10:30:00+08:00", "channel": "微博"},
        )
        junk = push(justice, f"{EVENTS}/{theirs.pk}/responses", [1])
        listed = fetch(justice, EVENTS).json()
        foreign = push(
            justice, EVENTS, new_event(cast.finance, detected_at="2026-03-10T10:30+08:00")
        )
    assert read.status_code == missing.status_code == 404
    assert read.json() == missing.json() == {"detail": "没有找到该舆情"}
    assert answer.status_code == 404 and junk.status_code == 404
    assert listed == {"count": 0, "offset": 0, "items": []}
    assert foreign.status_code == 403 and foreign.json()["detail"] == "联络员只能为本单位登记舆情"
    assert written() == before


def test_leader_and_evaluator_tokens_read_but_cannot_write(cast: Cast) -> None:
    event = registered(cast, cast.justice, moment(10, 10), Level.SERIOUS)
    before = written()
    for reader in (cast.justice_leader, cast.evaluator):
        token = bearer(reader)
        with time_machine.travel(moment(10, 11), tick=False):
            seen = fetch(token, f"{EVENTS}/{event.pk}")
            made = push(token, EVENTS, new_event(cast.justice))
            answer = push(
                token,
                f"{EVENTS}/{event.pk}/responses",
                {"kind": "authoritative", "at": "2026-03-10T10:30:00+08:00", "channel": "网站"},
            )
        assert seen.status_code == 200 and seen.json()["id"] == event.pk
        assert made.status_code == 403
        assert made.json()["detail"] == "只有公开办和单位联络员可以登记舆情"
        assert answer.status_code == 403 and "联络员或公开办" in answer.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"detected_at": "2026-03-10 10:00"}, "发现时间应为带时区的 ISO 8601 时间"),
        ({"detected_at": "三月十日"}, "发现时间应为带时区的 ISO 8601 时间"),
        ({"detected_at": "2026-03-10T11:01:00+08:00"}, "发现时间不能晚于当前时间"),
        ({"detected_at": "2024-12-31T23:59:00+08:00"}, "发现时间不能早于2025年1月1日（去年年初）"),
        ({"title": None}, "请求数据格式有误：title"),
        ({"title": ""}, "舆情标题：请填写舆情标题"),
        ({"level": "huge"}, "舆情级别：请选择舆情级别"),
        ({"url": "ftp://x"}, "原文链接：原文链接应为以 http:// 或 https:// 开头的网址"),
        ({"links": ["不是网址"]}, "相关链接：「不是网址」不是有效的网址"),
        ({"unit_id": 999999}, "责任单位：请选择责任单位"),
    ],
)
def test_a_bad_event_is_400_in_chinese_and_writes_nothing(
    cast: Cast, change: dict[str, Any], message: str
) -> None:
    body = {k: v for k, v in (new_event(cast.justice) | change).items() if v is not None}
    before = written()
    with time_machine.travel(moment(10, 11), tick=False):
        refused = push(bearer(cast.office), EVENTS, body)
    assert refused.status_code == 400, refused.content
    assert message in refused.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "press", "at": "2026-03-10T10:30:00", "channel": "网站"}, "回应时间应为带时区"),
        (
            {"kind": "press", "at": "2026-03-10T09:59:00+08:00", "channel": "网站"},
            "不能早于舆情发现时间",
        ),
        (
            {"kind": "press", "at": "2026-03-10T11:30:00+08:00", "channel": "网站"},
            "不能晚于当前时间",
        ),
        ({"kind": "tweet", "at": "2026-03-10T10:30:00+08:00", "channel": "网站"}, "请选择回应方式"),
        ({"kind": "press", "at": "2026-03-10T10:30:00+08:00", "channel": ""}, "请填写发布渠道"),
        ({"kind": "press", "at": "2026-03-10T10:30:00+08:00"}, "请求数据格式有误：channel"),
        ([1], "请求体应为 JSON 对象"),
    ],
)
def test_a_bad_response_is_400_in_chinese_and_writes_nothing(
    cast: Cast, body: Any, message: str
) -> None:
    event = registered(cast, cast.justice, moment(10, 10), Level.SERIOUS)
    before = written()
    with time_machine.travel(moment(10, 11), tick=False):
        refused = push(bearer(cast.justice_liaison), f"{EVENTS}/{event.pk}/responses", body)
    assert refused.status_code == 400, refused.content
    assert message in refused.json()["detail"]
    assert written() == before


def test_the_list_filters_and_pages(cast: Cast) -> None:
    old = registered(cast, cast.justice, moment(2, 9), Level.OTHER)
    serious = registered(cast, cast.justice, moment(9, 9), Level.SERIOUS)
    finance = registered(cast, cast.finance, moment(10, 9), Level.OTHER)
    with time_machine.travel(moment(10, 10), tick=False):
        actions.record_response(
            cast.office,
            old,
            actions.ResponseInput(kind=ResponseKind.RESPONSE, at=moment(3, 9), channel="网站"),
        )
        actions.close_event(cast.office, old, "已回应")
        office = bearer(cast.office)

        def ids(query: str) -> list[int]:
            answer = fetch(office, f"{EVENTS}?{query}")
            assert answer.status_code == 200, answer.content
            return [row["id"] for row in answer.json()["items"]]

        assert ids("") == [finance.pk, serious.pk, old.pk]
        assert ids("state=closed") == [old.pk]
        assert ids("state=open&level=serious") == [serious.pk]
        assert ids(f"unit={cast.finance.pk}") == [finance.pk]
        assert ids("since=2026-03-09") == [finance.pk, serious.pk]
        assert ids("since=2026-03-09T01:00:01%2B00:00") == [finance.pk]
        page = fetch(office, f"{EVENTS}?limit=1&offset=1").json()
        bad = fetch(office, f"{EVENTS}?state=late&since=yesterday")
        not_number = fetch(office, f"{EVENTS}?unit=x")
        mine = fetch(bearer(cast.justice_liaison), EVENTS).json()
    assert page["count"] == 3 and page["offset"] == 1
    assert [row["id"] for row in page["items"]] == [serious.pk]
    row = page["items"][0]
    assert row["unit"] == "区司法局" and row["overdue"] is True  # 5 h passed long ago
    assert when(row["next_deadline"]) == moment(9, 14)
    assert bad.status_code == 400
    assert "未知的状态“late”" in bad.json()["detail"] and "since应为带时区" in bad.json()["detail"]
    assert not_number.status_code == 400 and "unit" in not_number.json()["detail"]
    assert [r["id"] for r in mine["items"]] == [serious.pk, old.pk]


def test_the_openapi_schema_lists_the_endpoints(cast: Cast) -> None:
    schema = client_for(cast.office).get("/api/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[EVENTS]) == {"get", "post"}
    assert set(paths[EVENTS + "/{event_id}"]) == {"get"}
    responses = paths[EVENTS + "/{event_id}/responses"]["post"]
    assert set(responses["requestBody"]["content"]["application/json"]["schema"]["required"]) == {
        "kind",
        "at",
        "channel",
    }
    assert "opinion" in paths[EVENTS]["post"]["tags"]
