"""专项工作: one staff page leads to each register of the task lists' other duties."""

from __future__ import annotations

from django.test import Client

from gongkai.newmedia.models import Account, AccountStatus, Platform
from gongkai.web.duties import DUTIES
from tests.conftest import Cast, client_for


def test_every_duty_has_a_staff_page_and_its_portal_page_where_it_has_one() -> None:
    for duty in DUTIES:
        assert duty.url is not None, duty.url_name
        if duty.public_url_name:
            assert duty.public_url is not None, duty.public_url_name


def test_a_liaison_finds_every_register_from_the_navigation(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    home = client.get("/").content.decode()
    assert 'href="/duties/"' in home
    page = client.get("/duties/")
    assert page.status_code == 200
    html = page.content.decode()
    for duty in DUTIES:
        assert duty.title in html
        assert f'href="{duty.url}"' in html


def test_the_navigation_marks_duties_current_on_a_registers_page(cast: Cast) -> None:
    client = client_for(cast.office)
    html = client.get(DUTIES[0].url or "/duties/").content.decode()
    assert 'href="/duties/" aria-current="page"' in html
    assert 'href="/inspection/" aria-current' not in html


def test_the_duties_page_needs_a_login(anon: Client) -> None:
    assert anon.get("/duties/").status_code == 302


def test_the_portal_leads_to_every_public_page_of_the_registers(db: None, anon: Client) -> None:
    home = anon.get("/portal/").content.decode()
    column = anon.get("/portal/zwgk/").content.decode()
    for duty in DUTIES:
        if duty.public_url_name:
            assert f'href="{duty.public_url}"' in home, duty.public_url_name
            assert f'href="{duty.public_url}"' in column, duty.public_url_name


def test_the_portal_home_shows_the_open_new_media_accounts(cast: Cast, anon: Client) -> None:
    shown = Account.objects.create(
        platform=Platform.WECHAT, name="司法局微信公众号", unit=cast.justice
    )
    Account.objects.create(
        platform=Platform.WEIBO, name="已关停的微博", unit=cast.justice, status=AccountStatus.CLOSED
    )
    html = anon.get("/portal/").content.decode()
    assert f'href="/portal/xmt/#account-{shown.pk}"' in html
    assert "司法局微信公众号" in html
    assert "已关停的微博" not in html


def test_the_home_page_has_a_card_for_the_duties_for_the_office_and_a_liaison(cast: Cast) -> None:
    for user in (cast.office, cast.justice_liaison):
        html = client_for(user).get("/").content.decode()
        assert "<h3>专项工作</h3>" in html
