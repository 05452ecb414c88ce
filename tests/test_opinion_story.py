"""The story of one serious 政务舆情 event through the pages and the alert worker, on the clock.

The office registers it at 10:00; the 5-hour stage alerts the unit and the office at half-time
(12:30) and at the deadline (15:00), each once, within a minute; the authoritative information,
recorded late, ends that stage; the 24-hour stage alerts at 22:00 and at 10:00 the next day; the
press conference ends it; the list shows the time left, then 逾期 in red; the event is closed;
the task's checkpoint shows the figures.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.opinion.models import Event, EventState, Stage, StageKind
from gongkai.opinion.tasks import send_alerts_task
from gongkai.work.models import Checkpoint, DeliveryState, NotifySettings, Reminder
from tests.conftest import Cast, client_for, csrf_post
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
TITLE = "网传司法所调解室关闭引发关注"
SEED_LINE = (
    "及时回应涉及本地区的政务舆情，对于涉及特别重大、重大突发事件的政务舆情，要在5个小时内"
    "发布权威信息，在24小时内举行新闻发布会，其他舆情要在48小时内予以回应。"
)


def moment(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=ZONE)


def worker_at(when: dt.datetime) -> list[Any]:
    """Run the beat's task at `when`; the mails it sent."""
    before = len(mail.outbox)
    with time_machine.travel(when, tick=False):
        send_alerts_task()
    return mail.outbox[before:]


def recipients(mails: list[Any]) -> list[str]:
    return sorted(address for m in mails for address in m.to)


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_serious_event_alerts_at_half_time_and_deadline_once_until_each_stage_is_met(
    cast: Cast,
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sfj@example.cn")
    NotifySettings.objects.create(unit=cast.gov, emails="gkb@example.cn")
    office = client_for(cast.office)
    liaison = client_for(cast.justice_liaison)

    with time_machine.travel(moment(10, 10, 2), tick=False):
        page = office.get(reverse("opinion:new"))
        assert page.status_code == 200 and "特别重大、重大突发事件" in text_of(page)
        made = csrf_post(
            office,
            reverse("opinion:new"),
            {
                "unit": cast.justice.pk,
                "title": TITLE,
                "level": "serious",
                "detected_at": "2026-03-10T10:00",
                "source": "微博",
                "url": "https://weibo.example.com/1",
                "summary": "有网民称司法所调解室已关闭。",
                "links": "https://news.example.com/a\nhttps://news.example.com/b",
            },
        )
    assert made.status_code == 302
    event = Event.objects.get()
    assert made["Location"] == reverse("opinion:detail", args=[event.pk])
    assert event.unit == cast.justice and event.detected_at == moment(10, 10)
    stages = {s.kind: s for s in event.stages.all()}
    assert stages[StageKind.AUTHORITATIVE].half_at == moment(10, 12, 30)
    assert stages[StageKind.AUTHORITATIVE].deadline == moment(10, 15)
    assert stages[StageKind.PRESS].half_at == moment(10, 22)
    assert stages[StageKind.PRESS].deadline == moment(11, 10)
    created = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk)
    )
    assert "2026-03-10 15:00" in created.comment and created.actor == cast.office

    # Before half-time nothing goes; at 12:31 the half-time alert reaches the unit and the
    # office, once: the next run finds it claimed.
    assert worker_at(moment(10, 12, 29)) == []
    half = worker_at(moment(10, 12, 31))
    assert recipients(half) == ["gkb@example.cn", "sfj@example.cn"]
    assert all(TITLE in m.body and "5小时内发布权威信息" in m.body for m in half)
    assert all("回应时限已过一半仍未完成" in m.body and "2026-03-10 15:00" in m.body for m in half)
    assert all("舆情回应过半1件" in m.subject for m in half)
    assert worker_at(moment(10, 12, 31, 30)) == []
    assert worker_at(moment(10, 13, 30)) == []

    # The unit's list shows the next deadline and the time left.
    with time_machine.travel(moment(10, 14, 0), tick=False):
        listed = text_of(liaison.get(reverse("opinion:index")))
    assert TITLE in listed and "还剩1小时" in listed

    # The deadline alert within a minute of 15:00, once.
    assert worker_at(moment(10, 14, 59, 50)) == []
    due = worker_at(moment(10, 15, 0, 30))
    assert recipients(due) == ["gkb@example.cn", "sfj@example.cn"]
    assert all("已到回应时限仍未完成" in m.body and "舆情回应到期1件" in m.subject for m in due)
    assert worker_at(moment(10, 15, 1)) == []
    with time_machine.travel(moment(10, 15, 10), tick=False):
        html = liaison.get(reverse("opinion:index")).content.decode()
    assert re.search(r'class="late">逾期10分钟<', html)

    # The authoritative information, recorded late, ends the 5-hour stage.
    with time_machine.travel(moment(10, 16, 5), tick=False):
        recorded = csrf_post(
            liaison,
            reverse("opinion:respond", args=[event.pk]),
            {
                "kind": "authoritative",
                "at": "2026-03-10T16:00",
                "channel": "区政府门户网站",
                "url": "https://www.example.gov.cn/sfj/1",
            },
        )
    assert recorded.status_code == 302
    authoritative = Stage.objects.get(event=event, kind=StageKind.AUTHORITATIVE)
    assert authoritative.met_at == moment(10, 16) and authoritative.is_late(moment(10, 16, 5))

    # The 24-hour stage: half-time at 22:00, deadline at 10:00 the next day.
    assert worker_at(moment(10, 21, 59)) == []
    press_half = worker_at(moment(10, 22, 0, 20))
    assert recipients(press_half) == ["gkb@example.cn", "sfj@example.cn"]
    assert all("24小时内举行新闻发布会" in m.body for m in press_half)
    assert all("5小时内发布权威信息" not in m.body for m in press_half)
    assert worker_at(moment(11, 9, 59)) == []
    press_due = worker_at(moment(11, 10, 0, 40))
    assert recipients(press_due) == ["gkb@example.cn", "sfj@example.cn"]
    assert all("已到回应时限仍未完成" in m.body for m in press_due)

    with time_machine.travel(moment(11, 11, 0), tick=False):
        assert (
            csrf_post(
                liaison,
                reverse("opinion:respond", args=[event.pk]),
                {"kind": "press", "at": "2026-03-11T10:45", "channel": "区新闻发布厅"},
            ).status_code
            == 302
        )
    assert worker_at(moment(11, 12, 0)) == []
    # Four alerts, each to two units by e-mail: eight sent rows, each audited on sending.
    sent = Reminder.objects.filter(topic__startswith="opinion:")
    assert sent.count() == 8 and set(sent.values_list("state", flat=True)) == {DeliveryState.SENT}

    # Both stages are done (late): the unit closes the event.
    with time_machine.travel(moment(11, 11, 5), tick=False):
        shown_page = text_of(liaison.get(reverse("opinion:detail", args=[event.pk])))
        assert "逾期完成（晚1小时）" in shown_page and "逾期完成（晚45分钟）" in shown_page
        closed = csrf_post(liaison, reverse("opinion:close", args=[event.pk]), {"note": "已平息"})
    assert closed.status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CLOSED

    # The task's checkpoint shows the register's figures, the late stages as problems.
    plan = make_plan([TaskSpec(SEED_LINE, [cast.justice], rules=[year_end()])])
    checkpoint = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    with time_machine.travel(moment(11, 12, 0), tick=False):
        shown = text_of(liaison.get(reverse("work:checkpoint", args=[checkpoint.pk])))
    assert "平台登记的佐证" in shown and "政务舆情" in shown
    assert "2026年登记政务舆情 1 起（特别重大、重大突发事件 1 起，其他 0 起）" in shown
    assert "5小时内发布权威信息：应完成 1 起，按时 0 起，逾期完成 1 起" in shown
    assert "24小时内举行新闻发布会：应完成 1 起，按时 0 起，逾期完成 1 起" in shown
