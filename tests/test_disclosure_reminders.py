"""Requests in the units' daily reminder digests: due soon, due today and overdue, each once;
a unit with only requests still hears; nothing about the applicant leaves the system."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core import mail

from gongkai.disclosure import actions
from gongkai.disclosure.actions import RequestInput
from gongkai.disclosure.models import ApplicantType, Request
from gongkai.units.models import Unit
from gongkai.work.models import Checkpoint, NotifySettings, Reminder
from gongkai.work.reminders import build_digests, run_reminders
from tests.conftest import Cast
from tests.test_work_reminders import checkpoints

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
APPLICANT = "张小明"
ID_NUMBER = "110101199001011234"
# Received Monday 2 November 2026: 20 working days later is Monday 30 November.
RECEIVED = D("2026-11-02")
DEADLINE = D("2026-11-30")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def register(cast: Cast, unit: Unit, arrived: dt.date = RECEIVED) -> Request:
    data = RequestInput(
        applicant_type=ApplicantType.PERSON,
        applicant_name=APPLICANT,
        id_number=ID_NUMBER,
        description=f"{APPLICANT}本人2025年的最低生活保障审批材料",
        channel="in_person",
        arrived_on=arrived,
        unit=unit,
        contact_phone="13800000000",
    )
    with time_machine.travel(at(arrived), tick=False):
        request, _ = actions.register_request(cast.office, data)
    return request


def notify(unit: Unit, **fields: Any) -> NotifySettings:
    fields.setdefault("emails", "liaison@example.cn")
    return NotifySettings.objects.create(unit=unit, **fields)


def run_days(first: dt.date, last: dt.date) -> dict[dt.date, list[Any]]:
    """Beat runs twice a day from `first` to `last`; the mails sent, by day."""
    sent: dict[dt.date, list[Any]] = {}
    day = first
    while day <= last:
        for hour in (9, 16):
            with time_machine.travel(at(day, hour), tick=False):
                run_reminders()
        if mail.outbox:
            sent[day] = list(mail.outbox)
        mail.outbox.clear()
        day += dt.timedelta(days=1)
    return sent


def test_a_request_is_reminded_soon_today_and_overdue_once_each(cast: Cast) -> None:
    request = register(cast, cast.justice)
    assert request.deadline == DEADLINE
    register(cast, cast.finance)  # finance has no reminder settings: it hears nothing
    notify(cast.justice, days_before=2)

    sent = run_days(D("2026-11-20"), D("2026-12-04"))

    subjects = {day: [m.subject for m in mails] for day, mails in sent.items()}
    assert subjects == {
        # Two working days before Monday the 30th: Thursday the 26th (27th and 30th left).
        D("2026-11-26"): ["【政务公开】区司法局 任务提醒（2026-11-26）：申请临期1件"],
        DEADLINE: ["【政务公开】区司法局 任务提醒（2026-11-30）：申请今日到期1件"],
        D("2026-12-01"): ["【政务公开】区司法局 任务提醒（2026-12-01）：申请逾期1件"],
    }
    request.refresh_from_db()
    assert (request.reminded_soon_on, request.reminded_overdue_on) == (DEADLINE, D("2026-12-01"))
    overdue = sent[D("2026-12-01")][0].body
    assert "【依申请公开】" in overdue and "答复已逾期（1件）" in overdue
    assert f"1. {request.tracking_no}（办理中，答复期限 2026-11-30）" in overdue
    assert f"/disclosure/{request.pk}/" in overdue
    assert Reminder.objects.filter(unit=cast.finance).count() == 0


def test_a_unit_with_only_requests_gets_a_digest_with_links(cast: Cast, settings: Any) -> None:
    settings.BASE_URL = "https://gongkai.example.gov.cn"
    request = register(cast, cast.justice)
    notify(cast.justice, days_before=3)
    assert not Checkpoint.objects.filter(unit=cast.justice).exists()

    made = build_digests(DEADLINE, at(DEADLINE))

    assert made == 1
    reminder = Reminder.objects.get(unit=cast.justice)
    assert [item["tracking_no"] for item in reminder.payload["requests_today"]] == [
        request.tracking_no
    ]
    with time_machine.travel(at(DEADLINE), tick=False):
        run_reminders()
    [message] = mail.outbox
    assert message.body.startswith("区司法局：以下事项请及时办理。")
    assert f"https://gongkai.example.gov.cn/disclosure/{request.pk}/" in message.body
    assert build_digests(DEADLINE, at(DEADLINE, 15)) == 0  # once a day, made already


def test_checkpoints_and_requests_share_one_digest(cast: Cast) -> None:
    checkpoints(cast.justice, "主动公开行政规范性文件", due=D("2026-11-27"))
    request = register(cast, cast.justice)
    notify(cast.justice, days_before=2)

    with time_machine.travel(at(D("2026-11-26")), tick=False):
        run_reminders()

    [message] = mail.outbox
    assert message.subject == ("【政务公开】区司法局 任务提醒（2026-11-26）：临期1项、申请临期1件")
    body = message.body
    assert body.index("主动公开行政规范性文件") < body.index("【依申请公开】")
    assert body.index("【依申请公开】") < body.index(request.tracking_no)


def test_nothing_about_the_applicant_leaves_the_system(cast: Cast, settings: Any) -> None:
    request = register(cast, cast.justice)
    notify(cast.justice, webhook_url="https://hooks.example.cn/gongkai")
    sent_bodies: list[bytes] = []

    def fake_fetch(url: str, **kwargs: Any) -> Any:
        sent_bodies.append(kwargs["data"])

        class Result:
            status = 200
            text = "ok"
            body = b"ok"

        return Result()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gongkai.work.notify.fetch", fake_fetch)
        with time_machine.travel(at(D("2026-12-01")), tick=False):
            run_reminders()

    [message] = mail.outbox
    [webhook] = sent_bodies
    webhook_text = json.dumps(json.loads(webhook), ensure_ascii=False)
    payload = json.dumps(Reminder.objects.filter(unit=cast.justice).first().payload)  # type: ignore[union-attr]  # made above
    for leaving in (message.subject, message.body, webhook_text, payload):
        assert APPLICANT not in leaving
        assert ID_NUMBER not in leaving
        assert "最低生活保障" not in leaving
    assert request.tracking_no in message.body and request.tracking_no in webhook_text


def test_a_closed_or_paused_request_is_not_reminded(cast: Cast) -> None:
    paused = register(cast, cast.justice)
    with time_machine.travel(at(D("2026-11-04")), tick=False):
        actions.request_correction(
            cast.justice_liaison, paused, D("2026-11-04"), correct_by=D("2026-11-20")
        )
    closed = register(cast, cast.justice)
    with time_machine.travel(at(RECEIVED), tick=False):
        actions.answer_on_the_spot(cast.justice_liaison, closed, outcome="granted")
    notify(cast.justice)

    assert run_days(D("2026-11-23"), D("2026-12-02")) == {}
