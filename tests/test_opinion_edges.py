"""Edges of 政务舆情 found in review: two workers claiming one alert at the same moment on
PostgreSQL, a level changed and changed back after its alerts went out, and detection times
too far in the past for the clocks or the database."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse

from gongkai.opinion import actions, alerts
from gongkai.opinion.actions import EventInput
from gongkai.opinion.models import Event, Level, Stage, StageKind
from gongkai.work.models import DeliveryState, NotifySettings, Reminder
from tests.conftest import Cast, client_for, csrf_post

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def moment(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=ZONE)


def register(cast: Cast, level: Level, detected: dt.datetime) -> Event:
    data = EventInput(
        unit=cast.justice, title="测试舆情", source="微博", detected_at=detected, level=level
    )
    return actions.register_event(cast.office, data, now=detected)


def run(when: dt.datetime) -> list[Any]:
    before = len(mail.outbox)
    with time_machine.travel(when, tick=False):
        alerts.send_alerts()
    return mail.outbox[before:]


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_alert_at_the_same_moment_win_once(cast: Cast) -> None:
    stage = Stage.objects.get(
        event=register(cast, Level.SERIOUS, moment(10, 10)), kind=StageKind.AUTHORITATIVE
    )
    now = moment(10, 12, 31)
    won: dict[str, bool] = {}
    first_claimed = threading.Event()
    first_may_commit = threading.Event()

    def claim(name: str) -> None:
        with transaction.atomic():
            won[name] = alerts._claim(stage.pk, alerts.HALF, now)
            if name == "first":
                first_claimed.set()
                first_may_commit.wait(timeout=5)

    if connection.vendor == "postgresql":
        # The second claim waits on the first's row lock and sees the row once it commits.
        def run_claim(name: str) -> None:
            try:
                if name == "second":
                    first_claimed.wait(timeout=5)
                    threading.Timer(0.3, first_may_commit.set).start()
                claim(name)
            finally:
                connection.close()

        threads = [threading.Thread(target=run_claim, args=(n,)) for n in ("first", "second")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=15)
    else:  # SQLite serialises writers: the claims run one after the other.
        first_may_commit.set()
        claim("first")
        claim("second")
    assert won == {"first": True, "second": False}


@pytest.mark.django_db
def test_a_level_changed_and_changed_back_sends_no_alert_twice_and_keeps_its_history(
    cast: Cast,
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sfj@example.cn")
    event = register(cast, Level.SERIOUS, moment(10, 10))
    assert len(run(moment(10, 12, 31))) == 1  # the 5-hour stage's half-time
    assert len(run(moment(10, 15, 1))) == 1  # and its deadline
    office = client_for(cast.office)
    url = reverse("opinion:level", args=[event.pk])
    with time_machine.travel(moment(10, 16), tick=False):
        assert (
            csrf_post(office, url, {"level": "other", "reason": "经研判为一般舆情"}).status_code
            == 302
        )
    with time_machine.travel(moment(10, 17), tick=False):
        assert csrf_post(office, url, {"level": "serious", "reason": "事态升级"}).status_code == 302
    # The 5-hour stage's alerts went out before the changes: not again.
    assert run(moment(10, 17, 1)) == []
    assert [m.subject for m in run(moment(10, 22, 1))] == [
        "【政务公开】区司法局 任务提醒（2026-03-10）：舆情回应过半1件"
    ]
    stages = Stage.objects.filter(event=event)
    assert sorted(stages.filter(required=True).values_list("kind", flat=True)) == [
        StageKind.AUTHORITATIVE,
        StageKind.PRESS,
    ]
    with time_machine.travel(moment(10, 22, 2), tick=False):
        page = office.get(reverse("opinion:detail", args=[event.pk])).content.decode()
    # The history still shows the alerts sent before the level changed.
    assert "5小时内发布权威信息半程提醒" in page and "5小时内发布权威信息到期提醒" in page
    # Next morning only the press conference's deadline; the 48-hour stage, set aside, is silent.
    assert ["舆情回应到期1件" in m.subject for m in run(moment(11, 10, 1))] == [True]
    assert run(moment(11, 16, 1)) == [] and run(moment(12, 16, 1)) == []
    assert stages.get(kind=StageKind.RESPONSE).half_alerted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("detected", ["0001-01-01T00:00", "1990-05-01T08:00", "2024-12-31T23:59"])
def test_an_event_detected_before_last_year_is_refused_with_the_reason(
    cast: Cast, detected: str
) -> None:
    with time_machine.travel(moment(10, 12), tick=False):
        response = csrf_post(
            client_for(cast.office),
            reverse("opinion:new"),
            {
                "unit": cast.justice.pk,
                "title": "旧舆情",
                "level": "other",
                "detected_at": detected,
                "source": "微博",
            },
        )
    assert response.status_code == 400
    assert "发现时间不能早于2025年1月1日" in response.content.decode()
    assert not Event.objects.exists() and not Stage.objects.exists()


@pytest.mark.django_db
def test_last_years_event_may_still_be_entered(cast: Cast) -> None:
    with time_machine.travel(moment(10, 12), tick=False):
        response = csrf_post(
            client_for(cast.office),
            reverse("opinion:new"),
            {
                "unit": cast.justice.pk,
                "title": "去年的舆情",
                "level": "other",
                "detected_at": "2025-01-01T00:00",
                "source": "微博",
            },
        )
    assert response.status_code == 302
    assert Event.objects.get().detected_at == dt.datetime(2025, 1, 1, tzinfo=ZONE)


@pytest.mark.django_db
def test_a_failed_alert_is_retried_by_the_alert_worker_a_minute_later(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sfj@example.cn")
    register(cast, Level.SERIOUS, moment(10, 10))

    def refuse(self: Any, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        assert run(moment(10, 12, 31)) == []
    assert run(moment(10, 12, 31, 30)) == []  # its backoff has not passed
    # The next 30-second run after the minute's backoff sends it, not the 5-minute queue.
    [again] = run(moment(10, 12, 32, 10))
    assert "舆情回应过半1件" in again.subject
    assert Reminder.objects.get().state == DeliveryState.SENT
    assert run(moment(10, 12, 33)) == []
