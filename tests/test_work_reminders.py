"""Daily reminder digests: each reminder once, on working days, from the reminder hour;
failures retried with backoff until given up; the office's page and the settings page."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEvent
from gongkai.units.models import Unit
from gongkai.work.models import (
    Channel,
    Checkpoint,
    DeliveryState,
    NotifySettings,
    Reminder,
    WebhookFormat,
)
from gongkai.work.reminders import build_digests, digest_sources, run_reminders
from tests.conftest import Cast, client_for, csrf_post
from tests.test_work_notify import HookServer, running_hook_server
from tests.work_factories import TaskSpec, make_plan, year_end

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
SETTINGS_URL = "/work/reminders/units/{}/"
_plans = itertools.count(1)


@pytest.fixture
def hook_server(settings: Any) -> Iterator[HookServer]:
    with running_hook_server(settings) as hooks:
        yield hooks


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def run_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        run_reminders()


def checkpoints(unit: Unit, *requirements: str, due: dt.date) -> list[Checkpoint]:
    """One plan with a task per requirement given to `unit`, every checkpoint due on `due`."""
    plan = make_plan(
        [TaskSpec(r, units=[unit], rules=[year_end()]) for r in requirements],
        name=f"任务清单{next(_plans)}",
    )
    Checkpoint.objects.filter(plan=plan).update(due=due, nominal=due)
    return list(Checkpoint.objects.filter(plan=plan).order_by("pk"))


def notify(unit: Unit, **fields: Any) -> NotifySettings:
    fields.setdefault("emails", "justice@example.cn")
    return NotifySettings.objects.create(unit=unit, **fields)


def subjects() -> list[str]:
    return [str(m.subject) for m in mail.outbox]


def events_of(reminder: Reminder) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Reminder), object_id=str(reminder.pk)
        ).order_by("pk")
    )


# -- each reminder once -----------------------------------------------------------------------

# 2026: 1–7 October are the National Day holidays; Saturday 10 October is a make-up working day.
DUE = dt.date(2026, 10, 12)  # a Monday


def test_each_reminder_goes_out_once_across_the_national_day_holidays(cast: Cast) -> None:
    [cp] = checkpoints(cast.justice, "主动公开行政规范性文件", due=DUE)
    finished, cancelled = checkpoints(cast.justice, "已办结的任务", "已取消的任务", due=DUE)
    Checkpoint.objects.filter(pk=finished.pk).update(finished_on=dt.date(2026, 9, 1))
    Checkpoint.objects.filter(pk=cancelled.pk).update(cancelled=True)
    checkpoints(cast.finance, "财政局的任务", due=DUE)  # finance has no settings: nothing
    notify(cast.justice, days_before=3)

    sent: dict[dt.date, list[str]] = {}
    day = dt.date(2026, 9, 28)
    while day <= dt.date(2026, 10, 16):
        for hour in (9, 15):  # beat runs all day; the digest is made once
            run_at(at(day, hour))
        sent[day] = subjects()
        mail.outbox.clear()
        day += dt.timedelta(days=1)

    assert {d: s for d, s in sent.items() if s} == {
        # 3 working days before: 9 Oct, Saturday 10 Oct (make-up day), 12 Oct; not 30 Sep.
        dt.date(2026, 10, 8): ["【政务公开】区司法局 任务提醒（2026-10-08）：临期1项"],
        dt.date(2026, 10, 12): ["【政务公开】区司法局 任务提醒（2026-10-12）：今日到期1项"],
        dt.date(2026, 10, 13): ["【政务公开】区司法局 任务提醒（2026-10-13）：逾期1项"],
    }
    cp.refresh_from_db()
    assert (cp.reminded_soon_on, cp.reminded_today_on, cp.reminded_overdue_on) == (
        dt.date(2026, 10, 8),
        DUE,
        dt.date(2026, 10, 13),
    )
    assert Reminder.objects.filter(unit=cast.finance).count() == 0
    rows = Reminder.objects.filter(unit=cast.justice).order_by("day")
    assert [(r.day, r.state, r.attempts) for r in rows] == [
        (dt.date(2026, 10, 8), DeliveryState.SENT, 1),
        (DUE, DeliveryState.SENT, 1),
        (dt.date(2026, 10, 13), DeliveryState.SENT, 1),
    ]
    assert rows[0].payload["soon"] == [
        {
            "id": cp.pk,
            "requirement": "主动公开行政规范性文件",
            "label": cp.label,
            "due": "2026-10-12",
            "category": "公开重点",
        }
    ]


def test_no_digest_is_made_on_a_day_off(cast: Cast) -> None:
    checkpoints(cast.justice, "任务", due=dt.date(2026, 10, 9))
    notify(cast.justice)
    run_at(at(dt.date(2026, 10, 11), 10))  # Sunday: the overdue reminder waits for Monday
    assert subjects() == []
    run_at(at(dt.date(2026, 10, 12), 10))
    assert subjects() == ["【政务公开】区司法局 任务提醒（2026-10-12）：逾期1项"]


def test_one_digest_collects_every_section(cast: Cast) -> None:
    today = dt.date(2026, 11, 23)  # a Monday
    checkpoints(cast.justice, "逾期任务甲", "逾期任务乙", due=dt.date(2026, 11, 20))
    checkpoints(cast.justice, "今日任务", due=today)
    checkpoints(cast.justice, "临期任务", due=dt.date(2026, 11, 26))
    checkpoints(cast.justice, "较远任务", due=dt.date(2026, 11, 27))  # 4 working days
    notify(cast.justice)
    run_at(at(today))
    [message] = mail.outbox
    assert (
        message.subject
        == "【政务公开】区司法局 任务提醒（2026-11-23）：临期1项、今日到期1项、逾期2项"
    )
    assert message.to == ["justice@example.cn"]
    body = message.body
    assert body.index("逾期任务甲") < body.index("今日任务") < body.index("临期任务")
    assert "较远任务" not in body
    assert "/work/checkpoints/" in body


def test_the_unit_lead_time_decides_what_is_soon(cast: Cast) -> None:
    today = dt.date(2026, 11, 23)
    checkpoints(cast.justice, "五个工作日后", due=dt.date(2026, 11, 30))
    notify(cast.justice, days_before=5)
    checkpoints(cast.finance, "五个工作日后", due=dt.date(2026, 11, 30))
    notify(cast.finance, emails="finance@example.cn", days_before=0)  # 0: no "soon" reminder
    run_at(at(today))
    assert subjects() == ["【政务公开】区司法局 任务提醒（2026-11-23）：临期1项"]


def test_nothing_is_made_before_the_reminder_hour(cast: Cast, settings: Any) -> None:
    checkpoints(cast.justice, "任务", due=DUE)
    notify(cast.justice)
    run_at(at(DUE, 7, 59))
    assert Reminder.objects.count() == 0
    run_at(at(DUE, 8, 0))
    assert len(subjects()) == 1

    settings.REMINDER_HOUR = 10
    mail.outbox.clear()
    checkpoints(cast.finance, "任务", due=dt.date(2026, 10, 13))
    notify(cast.finance, emails="finance@example.cn")
    run_at(at(dt.date(2026, 10, 13), 9, 59))
    assert subjects() == []
    run_at(at(dt.date(2026, 10, 13), 10, 0))
    assert len(subjects()) == 2  # justice's overdue, finance's due today


def test_units_that_turned_reminders_off_or_have_no_address_get_nothing(cast: Cast) -> None:
    checkpoints(cast.justice, "任务", due=DUE)
    checkpoints(cast.finance, "任务", due=DUE)
    notify(cast.justice, enabled=False)
    notify(cast.finance, emails="")
    run_at(at(DUE))
    assert Reminder.objects.count() == 0
    assert Checkpoint.objects.filter(reminded_today_on__isnull=False).count() == 0


def test_a_unit_with_nothing_due_gets_no_row(cast: Cast) -> None:
    checkpoints(cast.justice, "很久以后", due=dt.date(2026, 12, 31))
    notify(cast.justice)
    run_at(at(DUE))
    assert Reminder.objects.count() == 0


def test_email_and_webhook_each_get_a_row(cast: Cast, hook_server: HookServer) -> None:
    checkpoints(cast.justice, "任务", due=DUE)
    notify(cast.justice, webhook_url=hook_server.url(), webhook_format=WebhookFormat.WECOM)
    run_at(at(DUE))
    run_at(at(DUE, 16))
    rows = Reminder.objects.order_by("channel")
    assert [(r.channel, r.state) for r in rows] == [
        (Channel.EMAIL, DeliveryState.SENT),
        (Channel.WEBHOOK, DeliveryState.SENT),
    ]
    assert len(mail.outbox) == 1 and len(hook_server.received) == 1
    assert (
        hook_server.received[0]
        .json["markdown"]["content"]
        .startswith("### 区司法局 任务提醒（2026-10-12）：今日到期1项")
    )
    [event] = events_of(rows[1])
    assert event.actor is None and event.actor_name == "系统"
    assert event.changes == {"state": ["pending", "sent"]}
    assert event.comment.startswith("第1次发送成功：Webhook至")
    assert event.unit_id == cast.justice.pk


def test_building_takes_the_same_queries_for_one_checkpoint_or_many(cast: Cast) -> None:
    notify(cast.justice, webhook_url="https://example.cn/hook")
    counts = []
    for n, day in ((1, dt.date(2026, 11, 23)), (25, dt.date(2026, 11, 24))):
        Checkpoint.objects.update(finished_on=day)  # yesterday's would be overdue today
        checkpoints(cast.justice, *[f"任务{day.day}-{i}" for i in range(n)], due=day)
        with CaptureQueriesContext(connection) as queries:
            assert build_digests(day, at(day)) == 2  # e-mail and webhook
        counts.append(len(queries))
    # A fixed number per build: a few of its own and one or two for each register that adds
    # to the digests (requests, documents, questions, consultations), none per checkpoint.
    assert counts[0] == counts[1] <= 8 + 2 * len(digest_sources())


def test_building_for_more_units_adds_a_few_queries_each(cast: Cast) -> None:
    today = dt.date(2026, 11, 23)
    for i in range(6):
        unit = Unit.objects.create(name=f"测试单位{i}")
        checkpoints(unit, "任务", due=today)
        notify(unit)
    with CaptureQueriesContext(connection) as queries:
        assert build_digests(today, at(today)) == 6
    # +1: the request register brings its paused clocks up to date first (one query when none).
    assert len(queries) <= 6 + 6 * 5 + 2 * (len(digest_sources()) - 2)
    with CaptureQueriesContext(connection) as again:
        assert build_digests(today, at(today)) == 0
    assert len(again) <= 5  # made already: nothing per unit


# -- failures and retries ---------------------------------------------------------------------


@pytest.fixture
def failing_hook(cast: Cast, hook_server: HookServer) -> Iterator[HookServer]:
    checkpoints(cast.justice, "任务", due=DUE)
    notify(cast.justice, emails="", webhook_url=hook_server.url(), webhook_format="dingtalk")
    hook_server.reply = (500, b"server error")
    yield hook_server


def test_a_failed_send_is_retried_with_backoff_until_it_gives_up(failing_hook: HookServer) -> None:
    start = at(DUE)
    run_at(start)
    row = Reminder.objects.get()
    assert (row.state, row.attempts) == (DeliveryState.FAILED, 1)
    assert row.last_error == "Webhook 返回 HTTP 500：server error"
    assert row.next_attempt_at == start + dt.timedelta(minutes=1)

    run_at(start + dt.timedelta(seconds=59))  # not yet
    assert len(failing_hook.received) == 1
    minutes = 0
    for attempt, wait in enumerate((1, 5, 30, 120, 360), start=2):
        minutes += wait
        run_at(start + dt.timedelta(minutes=minutes))
        row.refresh_from_db()
        assert (len(failing_hook.received), row.attempts) == (attempt, attempt)
    assert row.state == DeliveryState.GAVE_UP
    run_at(at(DUE, 23, 59))  # nothing more today
    assert len(failing_hook.received) == 6

    comments = [e.comment for e in events_of(row)]
    assert len(comments) == 6
    assert comments[0] == (
        "第1次发送失败，将于 2026-10-12 09:01 重试：Webhook 返回 HTTP 500：server error"
    )
    assert comments[-1].startswith("第6次发送失败，已放弃")


def test_a_robot_errcode_is_a_failure_shown_to_the_office(
    cast: Cast, failing_hook: HookServer
) -> None:
    failing_hook.reply = (200, b'{"errcode": 310000, "errmsg": "keywords not in content"}')
    run_at(at(DUE))
    row = Reminder.objects.get()
    assert row.state == DeliveryState.FAILED
    assert row.last_error == "机器人拒收（errcode 310000）：keywords not in content"
    with time_machine.travel(at(DUE, 10), tick=False):
        page = client_for(cast.office).get("/work/reminders/")
    assert "机器人拒收（errcode 310000）：keywords not in content" in page.content.decode()


def test_the_office_retries_a_digest_that_gave_up(cast: Cast, failing_hook: HookServer) -> None:
    run_at(at(DUE))
    Reminder.objects.update(state=DeliveryState.GAVE_UP, attempts=6)
    failing_hook.reply = (200, b'{"errcode": 0, "errmsg": "ok"}')
    row = Reminder.objects.get()
    url = f"/work/reminders/{row.pk}/retry/"
    assert csrf_post(client_for(cast.finance_liaison), url).status_code == 404
    assert csrf_post(client_for(cast.justice_liaison), url).status_code == 403
    assert csrf_post(client_for(cast.evaluator), url).status_code == 403
    assert csrf_post(client_for(cast.office), "/work/reminders/999999/retry/").status_code == 404

    with time_machine.travel(at(DUE, 11), tick=False):
        response = csrf_post(client_for(cast.office), url)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 7)
    assert len(failing_hook.received) == 2
    last_two = events_of(row)[-2:]
    assert last_two[0].actor == cast.office and last_two[0].comment == "公开办要求立即重新发送"
    assert last_two[1].changes == {"state": ["pending", "sent"]}
    again = csrf_post(client_for(cast.office), url, follow=True)
    assert "该提醒已发送成功，无需重发" in again.content.decode()


def test_a_digest_left_sending_by_a_dead_worker_is_sent_after_fifteen_minutes(
    cast: Cast, hook_server: HookServer
) -> None:
    checkpoints(cast.justice, "任务", due=DUE)
    notify(cast.justice, emails="", webhook_url=hook_server.url())
    with time_machine.travel(at(DUE), tick=False):
        build_digests(DUE)
    Reminder.objects.update(state=DeliveryState.SENDING, claimed_by="dead", claimed_at=at(DUE))
    run_at(at(DUE, 9, 14))
    assert hook_server.received == []
    run_at(at(DUE, 9, 16))
    row = Reminder.objects.get()
    assert row.state == DeliveryState.SENT and len(hook_server.received) == 1
    assert row.claimed_by != "dead"


def test_a_unit_that_turned_reminders_off_is_not_sent_its_digest(
    cast: Cast, hook_server: HookServer
) -> None:
    checkpoints(cast.justice, "任务", due=DUE)
    notify(cast.justice, emails="", webhook_url=hook_server.url())
    with time_machine.travel(at(DUE), tick=False):
        build_digests(DUE)
    NotifySettings.objects.update(enabled=False)
    run_at(at(DUE))
    row = Reminder.objects.get()
    assert (row.state, row.last_error) == (DeliveryState.GAVE_UP, "该单位已关闭提醒，不再发送")
    assert hook_server.received == []


# -- the office's page ------------------------------------------------------------------------


def _digests(units: list[Unit], state: DeliveryState) -> None:
    for unit in units:
        Reminder.objects.create(
            unit=unit,
            day=dt.date(2026, 11, 20),
            channel=Channel.EMAIL,
            state=state,
            payload={"soon": [], "today": [{"id": 1}], "overdue": []},
            last_error="邮件发送失败：连接被拒绝" if state != DeliveryState.SENT else "",
        )


def test_the_reminders_page_lists_failures_first_in_few_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    units = [Unit.objects.create(name=f"单位{i:02d}") for i in range(30)]
    _digests(units[:20], DeliveryState.SENT)
    _digests(units[20:], DeliveryState.FAILED)
    for unit in units[:10]:
        notify(unit)
    client = client_for(cast.office)
    with (
        time_machine.travel(at(dt.date(2026, 11, 21)), tick=False),
        django_assert_max_num_queries(12),
    ):
        page = client.get("/work/reminders/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "有 10 份提醒发送失败" in html
    assert html.index("发送失败（将重试）") < html.index("已发送")
    assert html.count("立即重发") == 10  # only the unsent rows have it
    assert html.count('class="reminder state-') == 30


def test_a_liaison_sees_only_its_units_digests_and_no_retry(cast: Cast) -> None:
    _digests([cast.justice], DeliveryState.FAILED)
    _digests([cast.finance], DeliveryState.FAILED)
    with time_machine.travel(at(dt.date(2026, 11, 21)), tick=False):
        html = client_for(cast.finance_liaison).get("/work/reminders/").content.decode()
    assert "区财政局" in html and "区司法局" not in html
    assert "立即重发" not in html


def test_the_unit_picker_leads_to_the_settings_page(cast: Cast) -> None:
    response = client_for(cast.office).get(f"/work/reminders/?unit={cast.finance.pk}")
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL.format(cast.finance.pk)


def test_anonymous_visitors_are_sent_to_log_in(anon: Any, cast: Cast) -> None:
    for url in ("/work/reminders/", SETTINGS_URL.format(cast.justice.pk)):
        response = anon.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


# -- settings ---------------------------------------------------------------------------------

GOOD = {
    "enabled": "on",
    "emails": "a@justice.example.cn；b@justice.example.cn",
    "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=tok123",
    "webhook_format": "dingtalk",
    "webhook_secret": "SECsecret",
    "days_before": "4",
}


def test_the_office_sets_any_units_reminders_audited_without_secrets(cast: Cast) -> None:
    url = SETTINGS_URL.format(cast.finance.pk)
    response = csrf_post(client_for(cast.office), url, GOOD)
    assert response.status_code == 302
    n = NotifySettings.objects.get(unit=cast.finance)
    assert n.emails == "a@justice.example.cn\nb@justice.example.cn"
    assert (n.webhook_format, n.webhook_secret, n.days_before) == ("dingtalk", "SECsecret", 4)
    [created] = AuditEvent.objects.filter(object_id=str(n.pk), action="create")
    text = str(created.changes)
    assert "tok123" not in text and "SECsecret" not in text
    assert created.changes["webhook_secret"] == [None, "（已设置）"]
    assert created.actor == cast.office and created.unit_id == cast.finance.pk

    # A blank secret keeps the stored one; the change is audited.
    csrf_post(client_for(cast.office), url, {**GOOD, "webhook_secret": "", "days_before": "2"})
    n.refresh_from_db()
    assert (n.webhook_secret, n.days_before) == ("SECsecret", 2)
    [changed] = AuditEvent.objects.filter(object_id=str(n.pk), action="change")
    assert changed.changes == {"days_before": [4, 2]}

    csrf_post(client_for(cast.office), url, {**GOOD, "webhook_secret": "", "clear_secret": "on"})
    n.refresh_from_db()
    assert n.webhook_secret == ""


def test_a_liaison_edits_its_own_unit_only(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    own, other = SETTINGS_URL.format(cast.justice.pk), SETTINGS_URL.format(cast.finance.pk)
    assert client.get(own).status_code == 200
    assert csrf_post(client, own, GOOD).status_code == 302
    assert NotifySettings.objects.filter(unit=cast.justice).exists()
    assert client.get(other).status_code == 404
    assert csrf_post(client, other, GOOD).status_code == 404
    assert not NotifySettings.objects.filter(unit=cast.finance).exists()


def test_evaluators_and_leaders_read_but_do_not_change_settings(cast: Cast) -> None:
    notify(
        cast.justice,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robotkey-0042",
    )
    url = SETTINGS_URL.format(cast.justice.pk)
    for user in (cast.evaluator, cast.justice_leader):
        client = client_for(user)
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "justice@example.cn" in html and "robotkey-0042" not in html
        assert f'action="{url}"' not in html
        assert csrf_post(client, url, GOOD).status_code == 403
        test_url = url + "test/"
        assert csrf_post(client, test_url).status_code == 403
    assert NotifySettings.objects.get(unit=cast.justice).days_before == 3


def test_bad_addresses_are_refused_with_chinese_messages(cast: Cast) -> None:
    client = client_for(cast.office)
    url = SETTINGS_URL.format(cast.justice.pk)
    response = csrf_post(client, url, {**GOOD, "emails": "ok@example.cn, 不是邮箱"})
    assert response.status_code == 400
    assert "电子邮箱格式不正确：不是邮箱" in response.content.decode()
    response = csrf_post(client, url, {**GOOD, "webhook_url": "ftp://example.cn/hook"})
    assert "Webhook 地址须以 http:// 或 https:// 开头" in response.content.decode()
    response = csrf_post(client, url, {**GOOD, "days_before": "31"})
    assert "提前提醒最多 30 个工作日" in response.content.decode()
    assert not NotifySettings.objects.exists()


def test_a_test_message_goes_to_each_channel(cast: Cast, hook_server: HookServer) -> None:
    test_url = SETTINGS_URL.format(cast.justice.pk) + "test/"
    response = csrf_post(client_for(cast.office), test_url, follow=True)
    assert "请先填写并保存电子邮箱或 Webhook 地址" in response.content.decode()

    notify(cast.justice, webhook_url=hook_server.url(), webhook_format=WebhookFormat.WECOM)
    assert csrf_post(client_for(cast.finance_liaison), test_url).status_code == 404
    response = csrf_post(client_for(cast.justice_liaison), test_url, follow=True)
    html = response.content.decode()
    assert "电子邮件测试消息已发送至 justice@example.cn" in html
    assert subjects()[0].startswith("【政务公开】区司法局 提醒测试")
    assert "测试消息" in hook_server.received[0].json["markdown"]["content"]
    n = NotifySettings.objects.get(unit=cast.justice)
    [event] = AuditEvent.objects.filter(object_id=str(n.pk))
    assert event.comment == "发送测试消息：电子邮件成功；Webhook成功"
