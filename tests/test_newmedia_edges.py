"""Edges of 政务新媒体 found in review: the digest tells once per stale episode even when a
newer but still stale post is entered; an inspection of a site allowed to reach private
addresses does not read the register's account addresses with that allowance; the register's
stale-days rule reaches the inspection."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from gongkai.inspect.checks.network import NewMediaStale
from gongkai.inspection.actions import build_config
from gongkai.inspection.models import InspectedSite
from gongkai.newmedia import fetching
from gongkai.newmedia.actions import AccountInput, register_account
from gongkai.newmedia.models import Account, Platform
from gongkai.work.models import NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for, csrf_post
from tests.test_inspect_crawl import FakeProbe, make_site
from tests.test_net_fetch import PageServer

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> Any:
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def digest_mentions(day: str, name: str) -> bool:
    before = len(mail.outbox)
    with at(day, 9):
        run_reminders()
    return any(name in m.body for m in mail.outbox[before:])


def test_a_newer_post_still_too_old_does_not_start_a_new_stale_episode(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=1)
    with at("2026-03-02"):
        account = register_account(
            cast.office,
            AccountInput(platform=Platform.WEIBO, name="司法微博", unit=cast.justice),
        )
    liaison = client_for(cast.justice_liaison)
    post = reverse("newmedia:post", args=[account.pk])

    def enter(day: str, last_post: str) -> None:
        with at(day, 8):
            assert csrf_post(liaison, post, {"last_post_on": last_post}).status_code == 302

    enter("2026-03-16", "2026-03-01")
    assert digest_mentions("2026-03-17", "司法微博")  # 16 days: stale, told
    # The unit finds an older post it had missed: newer than the one known, still too old.
    enter("2026-03-18", "2026-03-03")
    assert not digest_mentions("2026-03-18", "司法微博")
    assert not digest_mentions("2026-03-19", "司法微博")
    # A post within the 14 days ends the episode; going quiet again is a new one.
    enter("2026-03-20", "2026-03-19")
    assert Account.objects.get(pk=account.pk).stale_alerted_on is None
    assert not digest_mentions("2026-04-02", "司法微博")
    assert digest_mentions("2026-04-03", "司法微博")  # 15 days after 19 March


def test_an_intranet_sites_inspection_does_not_read_the_registers_addresses_privately(
    cast: Cast, settings: Any
) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    with at("2026-03-10"):
        account = register_account(
            cast.justice_liaison,
            AccountInput(
                platform=Platform.WECHAT,
                name="司法公众号",
                unit=cast.justice,
                url="http://169.254.169.254/latest/meta-data/",
            ),
        )
    Account.objects.filter(pk=account.pk).update(last_post_on=dt.date(2026, 3, 9))
    site = InspectedSite.objects.create(
        name="内网门户",
        base_url="http://10.0.0.5/",
        unit=cast.gov,
        allow_private=True,
        new_media=[{"name": "站内登记", "url": "http://10.0.0.5/feed.xml", "platform": "微信"}],
    )
    config = build_config(site)
    assert config.allow_private
    # The office's own entry is read as the office set it up; the liaison's address is not.
    assert [(a.name, a.url) for a in config.new_media] == [
        ("站内登记", "http://10.0.0.5/feed.xml"),
        ("司法公众号", ""),
    ]
    assert config.new_media[1].last_post == "2026-03-09"
    probe = FakeProbe({"http://10.0.0.5/feed.xml": (200, "<p>2026-03-08</p>")}, {})
    checked = make_site({"10.0.0.5"}, probe, new_media=config.new_media)
    assert list(NewMediaStale().on_finish(checked)) == []
    assert probe.asked == ["http://10.0.0.5/feed.xml"]
    # A public site's inspection reads the account's address as the register's fetch would.
    public = InspectedSite.objects.create(
        name="区政府网站", base_url="https://www.zd.gov.cn/", unit=cast.gov
    )
    assert [a.url for a in build_config(public).new_media] == [
        "http://169.254.169.254/latest/meta-data/"
    ]


def test_a_stricter_stale_days_setting_reaches_the_inspection(cast: Cast, settings: Any) -> None:
    settings.NEWMEDIA_STALE_DAYS = 10
    site = InspectedSite.objects.create(
        name="区政府网站", base_url="https://www.zd.gov.cn/", unit=cast.gov
    )
    assert build_config(site).checks["new_media_stale"] == {"days": 10}
    site.check_options = {"new_media_stale": {"days": 7, "enabled": True}}
    assert build_config(site).checks["new_media_stale"] == {"days": 7, "enabled": True}
    site.check_options = {"new_media_stale": {"days": 12}}
    assert build_config(site).checks["new_media_stale"] == {"days": 10}
    with at("2026-03-20"):
        register_account(
            cast.office,
            AccountInput(platform=Platform.WEIBO, name="区政府微博", unit=cast.gov),
        )
        Account.objects.update(last_post_on=dt.date(2026, 3, 9))
        config = build_config(site)
    checked = make_site({"www.zd.gov.cn"}, FakeProbe({}, {}), new_media=config.new_media)
    check = NewMediaStale(config.checks["new_media_stale"])
    [finding] = check.on_finish(checked)
    # 11 days: within the national 14, beyond the local 10.
    assert "已 11 天未更新（要求 10 天内）" in finding.detail


def test_reading_an_account_now_cannot_be_repeated_at_will(cast: Cast, settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = True
    server = PageServer()
    try:
        server.page("/feed", "<p>2026年3月9日</p>")
        with at("2026-03-10"):
            account = register_account(
                cast.justice_liaison,
                AccountInput(
                    platform=Platform.WECHAT,
                    name="司法公众号",
                    unit=cast.justice,
                    url=server.base + "/feed",
                ),
            )
        liaison = client_for(cast.justice_liaison)
        url = reverse("newmedia:fetch", args=[account.pk])
        with at("2026-03-10", 11):
            assert csrf_post(liaison, url).status_code == 302
            again = csrf_post(liaison, url)
        assert again.status_code == 400
        assert "该账号刚读取过（或正在自动读取），请 10 分钟后再试" in again.content.decode()
        assert len(server.requests) == 1
        # Nor does the hourly run read it again that day.
        with at("2026-03-10", 12):
            assert fetching.fetch_due() == 0
        moment = dt.datetime(2026, 3, 10, 11, 10, tzinfo=SHANGHAI)
        with time_machine.travel(moment, tick=False):
            assert csrf_post(liaison, url).status_code == 302
        assert len(server.requests) == 2
        assert Account.objects.get(pk=account.pk).fetched_post_on == dt.date(2026, 3, 9)
    finally:
        server.close()


@pytest.mark.parametrize(
    ("feed", "day"),
    [
        ("<rss><item><pubDate>Sun, 01 Mar 2026 20:00:00 +0000</pubDate></item></rss>", 2),
        ("<feed><entry><updated>2026-03-01T17:30:00Z</updated></entry></feed>", 2),
        ("<rss><item><pubDate>Mon, 02 Mar 2026 07:00:00 +0800</pubDate></item></rss>", 2),
        ("<feed><entry><updated>2026-03-01T15:59:00Z</updated></entry></feed>", 1),
    ],
)
def test_a_feeds_timestamp_counts_on_its_day_in_china(feed: str, day: int) -> None:
    from gongkai.inspect.checks.network import newest_date

    assert newest_date(feed, dt.date(2026, 3, 20)) == dt.date(2026, 3, day)
