"""The 政务舆情 alert worker: each alert claimed once, at its time, to the unit and the office;
met stages, closed events and units without settings; retries through the reminder queue."""

from __future__ import annotations

import datetime as dt
import smtplib
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from gongkai.audit.models import AuditEvent
from gongkai.opinion import actions
from gongkai.opinion.actions import EventInput, ResponseInput
from gongkai.opinion.alerts import (
    DUE,
    HALF,
    next_due_alert,
    process_one_due_alert,
    send_alert,
    send_alerts,
)
from gongkai.opinion.models import Event, Level, ResponseKind, Stage, StageKind
from gongkai.work.models import Checkpoint, DeliveryState, NotifySettings, Reminder
from gongkai.work.reminders import build_digests, send_due
from tests.conftest import Cast
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def moment(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=ZONE)


def register(cast: Cast, level: Level, detected: dt.datetime, now: dt.datetime) -> Event:
    data = EventInput(
        unit=cast.justice, title="测试舆情", source="微博", detected_at=detected, level=level
    )
    return actions.register_event(cast.office, data, now=now)


def respond(cast: Cast, event: Event, kind: ResponseKind, at: dt.datetime) -> None:
    data = ResponseInput(kind=kind, at=at, channel="门户网站")
    actions.record_response(cast.justice_liaison, event, data, now=at)


def run(when: dt.datetime) -> list[Any]:
    before = len(mail.outbox)
    with time_machine.travel(when, tick=False):
        send_alerts()
    return mail.outbox[before:]


@pytest.fixture
def notified(cast: Cast) -> Cast:
    NotifySettings.objects.create(unit=cast.justice, emails="sfj@example.cn")
    NotifySettings.objects.create(unit=cast.gov, emails="gkb@example.cn")
    return cast


def test_two_workers_claiming_the_same_alert_send_it_once(notified: Cast) -> None:
    event = register(notified, Level.SERIOUS, moment(10, 10), moment(10, 10))
    stage = Stage.objects.get(event=event, kind=StageKind.AUTHORITATIVE)
    now = moment(10, 12, 31)
    # Both workers found the same alert due before either claimed it.
    assert next_due_alert(now) == (stage.pk, HALF)
    assert next_due_alert(now) == (stage.pk, HALF)
    assert send_alert(stage.pk, HALF, now) is True
    assert send_alert(stage.pk, HALF, now) is False
    assert sorted(m.to[0] for m in mail.outbox) == ["gkb@example.cn", "sfj@example.cn"]
    assert Reminder.objects.filter(topic=f"opinion:{stage.pk}:half").count() == 2
    assert process_one_due_alert(now) is None  # nothing left to claim
    stamped = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Stage), object_id=str(stage.pk)
    )
    assert "半程提醒" in stamped.comment and "区司法局" in stamped.comment


def test_the_beat_runs_the_alert_task_at_least_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["opinion-alerts"]
    assert entry["task"] == "gongkai.opinion.send_alerts"
    assert float(entry["schedule"]) <= 60


def test_an_other_event_has_one_48_hour_stage_met_by_any_response(notified: Cast) -> None:
    event = register(notified, Level.OTHER, moment(10, 9), moment(10, 9, 5))
    (stage,) = event.stages.all()
    assert stage.kind == StageKind.RESPONSE
    assert (stage.half_at, stage.deadline) == (moment(11, 9), moment(12, 9))
    assert run(moment(11, 8, 59)) == []
    half = run(moment(11, 9, 0))
    assert len(half) == 2 and all("48小时内予以回应" in m.body for m in half)
    respond(notified, event, ResponseKind.AUTHORITATIVE, moment(11, 15))
    stage.refresh_from_db()
    assert stage.met_at == moment(11, 15) and not stage.is_late(moment(12, 10))
    assert run(moment(12, 9, 1)) == []


def test_recording_the_authoritative_information_stops_only_that_stage(notified: Cast) -> None:
    event = register(notified, Level.SERIOUS, moment(10, 10), moment(10, 10))
    respond(notified, event, ResponseKind.AUTHORITATIVE, moment(10, 12))
    assert run(moment(10, 12, 31)) == []
    assert run(moment(10, 15, 1)) == []
    press = run(moment(10, 22, 1))
    assert len(press) == 2 and all("举行新闻发布会" in m.body for m in press)
    # A plain 回应 does not count as the press conference.
    respond(notified, event, ResponseKind.RESPONSE, moment(10, 23))
    assert len(run(moment(11, 10, 1))) == 2


def test_an_event_registered_after_its_deadline_gets_the_deadline_alert_only(
    notified: Cast,
) -> None:
    register(notified, Level.SERIOUS, moment(10, 8), moment(10, 14))
    sent = run(moment(10, 14, 0))
    assert len(sent) == 2 and all("舆情回应到期1件" in m.subject for m in sent)
    assert not any("过半" in m.subject for m in sent)
    authoritative = Stage.objects.get(kind=StageKind.AUTHORITATIVE)
    assert authoritative.half_alerted_at == authoritative.due_alerted_at == moment(10, 14)
    assert run(moment(10, 19, 59)) == []
    assert len(run(moment(10, 20, 1))) == 2  # the 24-hour stage's half-time


def test_a_closed_event_and_a_unit_without_settings_get_no_mail(cast: Cast) -> None:
    closed = register(cast, Level.OTHER, moment(10, 9), moment(10, 9))
    actions.close_event(cast.office, closed, "经核实为不实信息，已由网信部门处置", moment(10, 10))
    quiet = register(cast, Level.OTHER, moment(10, 9), moment(10, 9))
    assert run(moment(11, 9, 1)) == []
    stage = Stage.objects.get(event=quiet)
    # Claimed and stamped all the same: the in-app list is where this unit sees it.
    assert stage.half_alerted_at == moment(11, 9, 1)
    assert Stage.objects.get(event=closed).half_alerted_at is None
    assert not Reminder.objects.exists()


def test_a_failed_send_is_retried_by_the_reminder_queue(
    notified: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(notified, Level.SERIOUS, moment(10, 10), moment(10, 10))

    def refuse(self: Any, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        assert run(moment(10, 12, 31)) == []
    rows = Reminder.objects.filter(topic__endswith=":half")
    assert {r.state for r in rows} == {DeliveryState.FAILED}
    assert all(r.next_attempt_at == moment(10, 12, 32) for r in rows)
    with time_machine.travel(moment(10, 12, 33), tick=False):
        assert send_due() == 2
    assert {r.state for r in rows.all()} == {DeliveryState.SENT}
    assert len(mail.outbox) == 2 and all("过半" in m.subject for m in mail.outbox)
    assert run(moment(10, 12, 40)) == []  # the alert itself is not made again


def test_an_alert_does_not_stand_for_the_units_daily_digest(notified: Cast) -> None:
    plan = make_plan([TaskSpec("按时报送信息公开工作进展", [notified.justice], rules=[year_end()])])
    today = dt.date(2026, 3, 10)
    Checkpoint.objects.filter(plan=plan).update(due=today, nominal=today)
    register(notified, Level.SERIOUS, moment(10, 6), moment(10, 6))
    assert len(run(moment(10, 8, 31))) == 2  # half-time alert before the digest hour
    with time_machine.travel(moment(10, 9), tick=False):
        assert build_digests(today) == 1
    digest = Reminder.objects.get(topic="")
    assert digest.unit == notified.justice and digest.payload["today"]


def test_changing_the_level_recomputes_the_clocks(notified: Cast) -> None:
    event = register(notified, Level.OTHER, moment(10, 9), moment(10, 9))
    actions.change_level(notified.office, event, Level.SERIOUS, "涉及重大突发事件", moment(10, 16))
    kinds = sorted(Stage.objects.filter(event=event, required=True).values_list("kind", "deadline"))
    assert kinds == [
        (StageKind.AUTHORITATIVE, moment(10, 14)),
        (StageKind.PRESS, moment(11, 9)),
    ]
    # The new 5-hour stage is already past its deadline: its alert goes at once.
    found = next_due_alert(moment(10, 16, 0))
    assert found is not None and found[1] == DUE
