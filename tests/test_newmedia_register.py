"""The register beyond the story: bad input refused with the reason, who may do what, the
hand-entered date against the fetched one, fetch problems recorded, the stale-days setting's
bounds, the accounts an inspection is given, and the demo."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inspect.checks.network import NewMediaStale
from gongkai.inspect.config import InspectConfig, NewMediaAccount
from gongkai.inspection.actions import build_config
from gongkai.inspection.models import InspectedSite
from gongkai.newmedia import fetching
from gongkai.newmedia.actions import AccountInput, register_account
from gongkai.newmedia.demo import load_demo
from gongkai.newmedia.models import Account, AccountStatus, Platform
from gongkai.units.models import Unit, UnitKind
from tests.conftest import Cast, client_for, csrf_post
from tests.test_inspect_crawl import FakeProbe, make_site
from tests.test_net_fetch import PageServer

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> Any:
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def form(cast: Cast, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": cast.justice.pk,
        "platform": "weibo",
        "name": "司法微博",
        "url": "",
        "filed_on": "",
        "status": "open",
        "closed_on": "",
        "interactive": "on",
        "notes": "",
    }
    data.update(changes)
    return data


def made(cast: Cast, unit: Unit | None = None, **kwargs: Any) -> Account:
    data = {"platform": Platform.WECHAT, "name": "司法公众号", "unit": unit or cast.justice}
    return register_account(cast.office, AccountInput(**{**data, **kwargs}))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "请填写账号名称"),
        ({"platform": "myspace"}, "请选择列出的平台"),
        ({"url": "javascript:alert(1)"}, "请填写以 http:// 或 https:// 开头的完整网址"),
        ({"filed_on": "2026-13-01"}, "备案日期格式应为 年-月-日"),
        ({"filed_on": "2026-03-03"}, "备案日期不能晚于今天"),
        ({"status": "closed"}, "已关停的账号须填写关停日期"),
        ({"status": "closed", "closed_on": "2026-03-05"}, "关停日期不能晚于今天"),
        (
            {"status": "closed", "closed_on": "2025-01-01", "filed_on": "2025-06-01"},
            "关停日期不能早于备案日期",
        ),
        ({"closed_on": "2026-01-01"}, "开设中的账号不填写关停日期"),
    ],
)
def test_bad_input_is_refused_with_the_reason(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    with at("2026-03-02"):
        response = csrf_post(
            client_for(cast.justice_liaison), reverse("newmedia:new"), form(cast, **changes)
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Account.objects.exists()


def test_the_same_account_cannot_be_registered_twice(cast: Cast) -> None:
    made(cast, platform=Platform.WEIBO, name="司法微博")
    response = csrf_post(client_for(cast.justice_liaison), reverse("newmedia:new"), form(cast))
    assert response.status_code == 400
    assert "本单位已登记过同一平台的账号「司法微博」" in response.content.decode()


def test_a_liaison_registers_only_for_their_own_unit(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    response = csrf_post(liaison, reverse("newmedia:new"), form(cast, unit=str(cast.finance.pk)))
    assert response.status_code == 400
    assert "请选择主办单位" in response.content.decode()
    leader = client_for(cast.justice_leader)
    assert leader.get(reverse("newmedia:new")).status_code == 403


def test_another_units_account_is_not_found_and_leaders_only_read(cast: Cast) -> None:
    account = made(cast)
    outsider = client_for(cast.finance_liaison)
    assert outsider.get(reverse("newmedia:detail", args=[account.pk])).status_code == 404
    edit = csrf_post(outsider, reverse("newmedia:edit", args=[account.pk]), form(cast))
    assert edit.status_code == 404
    assert account.name not in outsider.get(reverse("newmedia:index")).content.decode()
    leader = client_for(cast.justice_leader)
    assert leader.get(reverse("newmedia:detail", args=[account.pk])).status_code == 200
    post = csrf_post(leader, reverse("newmedia:post", args=[account.pk]), {"last_post_on": ""})
    assert post.status_code == 403


def test_closing_an_account_is_audited_and_takes_it_off_the_portal(
    cast: Cast, anon: Client
) -> None:
    with at("2026-03-02"):
        account = made(cast)
        liaison = client_for(cast.justice_liaison)
        assert account.name in anon.get(reverse("xmt:index")).content.decode()
        changes = {"platform": "wechat", "name": "司法公众号", "status": "closed"}
        response = csrf_post(
            liaison,
            reverse("newmedia:edit", args=[account.pk]),
            form(cast, **changes, closed_on="2026-03-01"),
        )
        assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED and account.closed_on == dt.date(2026, 3, 1)
    event = AuditEvent.objects.filter(object_id=str(account.pk), action="change").get()
    assert event.comment == "关停账号" and event.changes["status"] == ["open", "closed"]
    assert account.name not in anon.get(reverse("xmt:index")).content.decode()


def test_a_later_hand_entered_date_wins_over_an_older_fetched_one(cast: Cast) -> None:
    with at("2026-03-10"):
        account = made(cast, url="https://weixin.example.cn/sifa")
        Account.objects.filter(pk=account.pk).update(fetched_post_on=dt.date(2026, 3, 1))
        liaison = client_for(cast.justice_liaison)
        url = reverse("newmedia:post", args=[account.pk])
        assert csrf_post(liaison, url, {"last_post_on": "2026-03-08"}).status_code == 302
        account.refresh_from_db()
        assert account.last_post_on == dt.date(2026, 3, 8) and account.post_source == "手工登记"
        future = csrf_post(liaison, url, {"last_post_on": "2026-03-11"})
        assert future.status_code == 400
        assert "最近发布日期不能晚于今天" in future.content.decode()
        # An older hand-entered date does not hide a newer fetched one.
        Account.objects.filter(pk=account.pk).update(fetched_post_on=dt.date(2026, 3, 9))
        assert csrf_post(liaison, url, {"last_post_on": "2026-03-05"}).status_code == 302
        account.refresh_from_db()
        assert account.last_post_on == dt.date(2026, 3, 9) and account.post_source == "自动读取"
        assert (
            AuditEvent.objects.filter(object_id=str(account.pk), comment="登记最近发布日期").count()
            == 2
        )


@pytest.fixture
def server(settings: Any) -> Iterator[PageServer]:
    settings.FETCH_ALLOW_PRIVATE = True
    s = PageServer()
    yield s
    s.close()


def test_fetch_problems_are_recorded_and_keep_the_last_good_date(
    cast: Cast, server: PageServer, settings: Any
) -> None:
    server.page("/page", "<ul><li>2026年3月5日 发布</li><li>2099-01-01 预告</li></ul>")
    with at("2026-03-10"):
        account = made(cast, url=server.base + "/page")
        liaison = client_for(cast.justice_liaison)
        assert csrf_post(liaison, reverse("newmedia:fetch", args=[account.pk])).status_code == 302
        account.refresh_from_db()
        assert account.fetched_post_on == dt.date(2026, 3, 5)  # not the future date
    for body, status, problem in (
        ("<p>没有日期</p>", 200, "页面上找不到发布日期"),
        ("<title>Not Found</title>", 404, "网页返回 HTTP 404"),
    ):
        server.page("/page", body, status=status)
        with at("2026-03-11"):
            fetching.fetch_account(account.pk)
        account.refresh_from_db()
        assert (account.fetch_error, account.fetched_post_on) == (problem, dt.date(2026, 3, 5))
    settings.FETCH_ALLOW_PRIVATE = False
    with at("2026-03-12"):
        response = csrf_post(liaison, reverse("newmedia:fetch", args=[account.pk]), follow=True)
    account.refresh_from_db()
    assert account.fetch_error.startswith("地址不允许访问")
    assert "读取未取得发布日期" in response.content.decode()
    changes = AuditEvent.objects.filter(object_id=str(account.pk), action="change", actor=None)
    assert changes.count() == 4  # each changed outcome once; the times are not lines


def test_stale_days_above_fourteen_stop_start_up() -> None:
    env = dict(os.environ, GONGKAI_NEWMEDIA_STALE_DAYS="15", DJANGO_SETTINGS_MODULE="")
    result = subprocess.run(
        [sys.executable, "-c", "import gongkai.config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "GONGKAI_NEWMEDIA_STALE_DAYS='15'" in result.stderr
    assert "must be at most 14" in result.stderr


def test_a_stricter_local_rule_makes_accounts_stale_sooner(cast: Cast, settings: Any) -> None:
    with at("2026-03-10"):
        account = made(cast)
        client = client_for(cast.justice_liaison)
        csrf_post(
            client, reverse("newmedia:post", args=[account.pk]), {"last_post_on": "2026-03-01"}
        )
    settings.NEWMEDIA_STALE_DAYS = 10
    with at("2026-03-11"):
        assert not Account.objects.stale(dt.date(2026, 3, 11)).exists()
    with at("2026-03-12"):
        assert list(Account.objects.stale(dt.date(2026, 3, 12))) == [account]
        page = client.get(reverse("newmedia:detail", args=[account.pk])).content.decode()
        assert "已 11 天未更新，超过 10 天的要求" in page


def test_an_account_with_no_post_known_counts_from_its_registration(cast: Cast) -> None:
    with at("2026-03-02"):
        account = made(cast)
    assert not Account.objects.stale(dt.date(2026, 3, 16)).exists()
    assert list(Account.objects.stale(dt.date(2026, 3, 17))) == [account]


def test_an_inspection_gets_the_open_accounts_of_its_unit_and_below_once(cast: Cast) -> None:
    with at("2026-03-10"):
        made(cast, name="司法公众号", url="https://mp.example.cn/sifa")
        douyin_row = made(cast, platform=Platform.DOUYIN, name="司法抖音")
        made(cast, cast.finance, name="财政关停", status="closed", closed_on=dt.date(2026, 3, 1))
        other = Unit.objects.create(name="某县政府", kind=UnitKind.COUNTY)
        made(cast, other, name="外县公众号")
    site = InspectedSite.objects.create(
        name="区政府网站",
        base_url="https://www.zd.gov.cn/",
        unit=cast.gov,
        new_media=[{"name": "站内登记", "url": "https://mp.example.cn/sifa", "platform": "微信"}],
    )
    config = build_config(site)
    assert [a.name for a in config.new_media] == ["站内登记", "司法抖音"]
    douyin = config.new_media[1]
    assert douyin.url == "" and douyin.page.endswith(
        f"{reverse('xmt:index')}#account-{douyin_row.pk}"
    )
    assert InspectConfig.from_json(config.to_json()) == config
    only_justice = InspectedSite.objects.create(
        name="司法局网站", base_url="https://sf.zd.gov.cn/", unit=cast.justice
    )
    assert [a.name for a in build_config(only_justice).new_media] == ["司法抖音", "司法公众号"]


def test_the_check_judges_an_account_without_a_url_by_its_recorded_date() -> None:
    page = "https://www.zd.gov.cn/portal/xmt/#account-"
    accounts = [
        NewMediaAccount("近期", "", "抖音", last_post="2026-03-10", page=page + "1"),
        NewMediaAccount("超期", "", "微博", last_post="2026-03-01", page=page + "2"),
        NewMediaAccount("未登记", "", "快手", page=page + "3"),
        # A page showing an old date, but the unit recorded a later post by hand.
        NewMediaAccount("手工较新", "https://f/old", "微信", last_post="2026-03-15"),
    ]
    probe = FakeProbe({"https://f/old": (200, "<p>2026-02-01</p>")}, {})
    site = make_site({"www.zd.gov.cn"}, probe, new_media=accounts)
    found = {f.url: f.detail for f in NewMediaStale().on_finish(site)}
    assert set(found) == {page + "2", page + "3"}
    assert "最近一次发布在 2026-03-01，已 19 天未更新" in found[page + "2"]
    assert "没有登记最近发布日期" in found[page + "3"]
    assert probe.asked == ["https://f/old"]  # accounts without a URL are not fetched


def test_the_demo_loads_three_accounts_one_stale(db: None) -> None:
    from gongkai.demo.data import UNITS

    for unit in UNITS:
        if unit.name.startswith("张店区"):
            Unit.objects.get_or_create(name=unit.name, defaults={"kind": UnitKind.DEPARTMENT})
    today = dt.date(2026, 3, 10)
    load_demo(today)
    load_demo(today)  # loaded once
    assert Account.objects.count() == 3
    assert [a.name for a in Account.objects.stale(today)] == ["张店财政"]
