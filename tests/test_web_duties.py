"""专项工作: one staff page leads to each register of the task lists' other duties."""

from __future__ import annotations

from django.test import Client

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
