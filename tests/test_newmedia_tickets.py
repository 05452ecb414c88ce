"""A stale 政务新媒体 account found by an inspection of the portal is the ticket of the unit
that runs the account, not of the portal's unit."""

from __future__ import annotations

from gongkai.inspection.models import InspectedSite, Ticket
from gongkai.newmedia.inspecting import portal_anchor
from gongkai.newmedia.models import Account, AccountStatus, Platform
from tests.conftest import Cast
from tests.test_inspection_evidence import _record
from tests.test_inspection_story import HOME, finding, result
from tests.test_interact import at


def test_a_stale_account_is_ticketed_to_the_unit_that_runs_it(cast: Cast) -> None:
    portal = InspectedSite.objects.create(
        name="区政府门户网站", base_url=HOME, unit=cast.gov, max_pages=100
    )
    with_url = Account.objects.create(
        platform=Platform.WEIBO,
        name="司法局微博",
        unit=cast.justice,
        url="https://weibo.example.cn/sfj",
    )
    without_url = Account.objects.create(
        platform=Platform.WECHAT, name="财政局公众号", unit=cast.finance
    )
    closed = Account.objects.create(
        platform=Platform.DOUYIN,
        name="已关停的抖音号",
        unit=cast.justice,
        url="https://douyin.example.cn/sfj",
        status=AccountStatus.CLOSED,
    )
    stale = [
        finding("new_media_stale", with_url.url, severity="major"),
        finding("new_media_stale", portal_anchor(without_url), severity="major"),
        finding("new_media_stale", closed.url, severity="major"),  # no longer in the register
    ]
    with at("2026-03-02", 10):
        _record(portal, result(stale))
    units = dict(Ticket.objects.values_list("url", "unit_id"))
    assert units[with_url.url] == cast.justice.pk
    assert units[portal_anchor(without_url)] == cast.finance.pk
    assert units[closed.url] == cast.gov.pk  # the site's unit, as any other finding
