"""The web shell: login, the home page per role, errors in Chinese."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import Cast, client_for

SHANGHAI_NOON_ON_A_MAKEUP_SATURDAY = "2026-02-14T12:00:00+08:00"


def test_the_home_page_sends_anonymous_visitors_to_login(anon: Client) -> None:
    response = anon.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_is_chinese(anon: Client) -> None:
    page = anon.get("/login/").content.decode()
    assert "登录" in page and 'lang="zh-Hans"' in page


@time_machine.travel(SHANGHAI_NOON_ON_A_MAKEUP_SATURDAY, tick=False)
def test_the_home_page_knows_a_makeup_saturday_is_a_workday(cast: Cast) -> None:
    page = client_for(cast.justice_liaison).get("/").content.decode()
    assert "2026年2月14日" in page
    assert "工作日。" in page and "非工作日" not in page


@time_machine.travel("2027-03-01T09:00:00+08:00", tick=False)
def test_the_home_page_says_when_the_calendar_has_no_data_for_this_year(cast: Cast) -> None:
    page = client_for(cast.office).get("/").content.decode()
    assert "工作日历尚无本年度数据" in page


@pytest.mark.parametrize(
    ("who", "expected", "absent"),
    [
        ("office", "核对单位名录", "只读查看"),
        ("evaluator", "只读查看", "核对单位名录"),
        ("justice_liaison", "区司法局", "区财政局"),
    ],
)
def test_the_home_page_says_what_to_do_next_for_each_role(
    cast: Cast, who: str, expected: str, absent: str
) -> None:
    page = client_for(getattr(cast, who)).get("/").content.decode()
    assert expected in page
    assert absent not in page


def test_the_audit_log_link_is_only_offered_to_those_who_see_all_units(cast: Cast) -> None:
    assert "/audit/" in client_for(cast.office).get("/").content.decode()
    assert "/audit/" not in client_for(cast.justice_liaison).get("/").content.decode()


def test_a_missing_page_answers_in_chinese(cast: Cast) -> None:
    response = client_for(cast.office).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@time_machine.travel("2025-11-20T10:00:00+08:00", tick=False)
def test_the_home_page_counts_each_users_requests(cast: Cast) -> None:
    import datetime as dt

    from gongkai.disclosure.actions import RequestInput, register_request

    for unit in (cast.justice, cast.justice, cast.finance):
        data = RequestInput(
            "person", "张三", "某文件", "in_person", dt.date(2025, 9, 26), unit, contact_phone="1"
        )
        register_request(cast.office, data)  # due 2025-10-30: overdue on 20 November
    office = client_for(cast.office).get("/").content.decode()
    assert "办理中 <strong>3</strong> 件，逾期 <strong>3</strong> 件" in office
    liaison = client_for(cast.justice_liaison).get("/").content.decode()
    assert "本单位办理中的申请 <strong>2</strong> 件，其中逾期 <strong>2</strong> 件" in liaison
