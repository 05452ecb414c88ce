"""The 政务新媒体 register's story through HTTP: a liaison registers an account with a feed on
a loopback server; the hourly fetch reads its newest date (once a day); two weeks pass without a
post and the account goes stale — red on the office's list, told to its unit once in the daily
digest; the inspection of the unit's site includes it and reports it; the portal lists it; the
task-tracking checkpoint shows it; a new post ends the episode and the next quiet spell is told
again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inspect.checks.network import NewMediaStale
from gongkai.inspect.crawl.probe import NetProbe
from gongkai.inspect.site import Site
from gongkai.inspection.actions import build_config
from gongkai.inspection.models import InspectedSite
from gongkai.newmedia.models import Account
from gongkai.newmedia.tasks import fetch_due_task
from gongkai.work.models import Checkpoint, NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for, csrf_post
from tests.test_net_fetch import PageServer
from tests.work_factories import TaskSpec, make_plan, year_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Seed 002's task line for the update rule.
SEED_LINE = "检查政务新媒体的更新频率和功能可用性,确保至少2周内更新一次信息,功能覆盖有效互动功能"


def at(day: str, hour: int = 10) -> Any:
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def feed(*days: str) -> str:
    items = "".join(f"<item><title>发布</title><pubDate>{d}</pubDate></item>" for d in days)
    return f'<?xml version="1.0"?><rss><channel><title>张店司法</title>{items}</channel></rss>'


@pytest.fixture
def server(settings: Any) -> Iterator[PageServer]:
    settings.FETCH_ALLOW_PRIVATE = True  # the account's feed is on this loopback server
    s = PageServer()
    yield s
    s.close()


def fetches(server: PageServer) -> int:
    return sum(1 for r in server.requests if r["path"] == "/feed.xml")


def test_an_account_is_fetched_goes_stale_alerts_once_and_is_inspected(
    cast: Cast, server: PageServer, anon: Client
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=1)
    server.page("/feed.xml", feed("Sun, 01 Mar 2026 09:30:00 +0800"))
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)

    # Monday 2 March: the liaison registers the account with its feed.
    with at("2026-03-02"):
        response = csrf_post(
            liaison,
            reverse("newmedia:new"),
            {
                "unit": cast.justice.pk,
                "platform": "wechat",
                "name": "张店司法",
                "url": server.base + "/feed.xml",
                "filed_on": "2025-06-01",
                "status": "open",
                "interactive": "on",
            },
        )
        assert response.status_code == 302
        account = Account.objects.get(name="张店司法")
        assert response["Location"] == reverse("newmedia:detail", args=[account.pk])
        assert AuditEvent.objects.filter(object_id=str(account.pk), action="create").exists()

        # The hourly beat reads it; a second run the same day does not read it again.
        assert fetch_due_task.delay().get() == 1
        assert fetch_due_task.delay().get() == 0
        assert fetches(server) == 1
        account.refresh_from_db()
        assert account.fetched_post_on == account.last_post_on == dt.date(2026, 3, 1)
        assert account.fetch_error == ""
        page = liaison.get(reverse("newmedia:detail", args=[account.pk])).content.decode()
        assert "2026-03-01" in page and "自动读取" in page

    # Every day's run reads it once; the feed still ends on 1 March.
    for day in ("2026-03-09", "2026-03-15"):
        with at(day, 11):
            fetch_due_task.delay().get()
    assert fetches(server) == 3

    # Monday 16 March, 15 days after the last post: stale. Its unit hears once.
    with at("2026-03-16", 8):
        fetch_due_task.delay().get()
        run_reminders()
    [message] = mail.outbox
    assert "政务新媒体未更新1件" in str(message.subject)
    assert "张店司法（微信公众号，区司法局，最近发布 2026-03-01，已 15 天未更新" in message.body
    assert reverse("newmedia:detail", args=[account.pk]) in message.body
    mail.outbox.clear()
    with at("2026-03-17", 9):
        run_reminders()
    assert mail.outbox == []

    with at("2026-03-17", 10):
        listing = office.get(reverse("newmedia:index")).content.decode()
        assert '<tr class="stale">' in listing and "16 天未更新" in listing

        # The inspection of the government's site (司法局 is under it) includes the account.
        site = InspectedSite.objects.create(
            name="区政府网站", base_url="https://www.zd.gov.cn/", unit=cast.gov
        )
        config = build_config(site, dt.date(2026, 3, 17))
        [included] = config.new_media
        assert (included.name, included.url, included.last_post) == (
            "张店司法",
            server.base + "/feed.xml",
            "2026-03-01",
        )
        inspected = Site(
            config=config,
            today=dt.date(2026, 3, 17),
            home_url=site.base_url,
            hosts={"www.zd.gov.cn"},
            probe=NetProbe(config),
        )
        [finding] = NewMediaStale().on_finish(inspected)
        assert finding.url == server.base + "/feed.xml"
        assert "已 16 天未更新（要求 14 天内）" in finding.detail

        # The portal lists it, with its anchor, under its unit.
        public = anon.get(reverse("xmt:index"))
        assert public.status_code == 200
        assert "script-src 'none'" in public["Content-Security-Policy"]
        html = public.content.decode()
        assert f'id="account-{account.pk}"' in html and "区司法局" in html
        assert "张店司法" in html and "提供留言互动" in html

        # The checkpoint of the update task shows the register's figures, the stale one marked.
        plan = make_plan([TaskSpec(SEED_LINE, [cast.justice], rules=[year_end()])])
        checkpoint = Checkpoint.objects.get(plan=plan)
        evidence = office.get(reverse("work:checkpoint", args=[checkpoint.pk])).content.decode()
        assert "平台登记的佐证" in evidence
        assert "开设中的政务新媒体账号 1 个，超过 14 天未更新 1 个" in evidence
        assert "「张店司法」（微信公众号）最近发布 2026-03-01，已 16 天未更新" in evidence

    # A new post ends the episode; going quiet again is told again.
    server.page("/feed.xml", feed("Wed, 18 Mar 2026 08:00:00 +0800"))
    with at("2026-03-18", 11):
        fetch_due_task.delay().get()
    account.refresh_from_db()
    assert account.last_post_on == dt.date(2026, 3, 18) and account.stale_alerted_on is None
    with at("2026-04-02", 9):  # 15 days later
        run_reminders()
    [again] = mail.outbox
    assert "最近发布 2026-03-18，已 15 天未更新" in again.body
