"""Who sees and does what in 网站检查: a liaison sees its own units' tickets and sites, another
unit's are a 404 (as missing ones); evaluators and leaders read only; the office manages."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.inspection.models import Ticket
from tests import test_inspection_story as story
from tests.conftest import Cast, client_for, csrf_post
from tests.test_inspection_story import (
    FIRST,
    SFJ,
    FakeCrawler,
    result,
    site_form,
)

crawler = story.crawler  # the stand-in crawler (a fixture)


@pytest.fixture
def inspected(
    cast: Cast, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> dict[str, int]:
    """A site of 司法局 with 财政局's pages under /czj/, inspected once."""
    from gongkai.inspection.models import InspectedSite

    office = client_for(cast.office)
    csrf_post(office, "/inspection/sites/new/", site_form(cast.justice.pk, name="司法局网站"))
    site = InspectedSite.objects.get()
    csrf_post(
        office,
        f"/inspection/sites/{site.pk}/rules/",
        {"kind": "prefix", "pattern": "/czj/", "unit": cast.finance.pk},
    )
    crawler.queue.append(result(FIRST[:2]))
    with django_capture_on_commit_callbacks(execute=True):
        csrf_post(office, f"/inspection/sites/{site.pk}/run/")
    justice_ticket = Ticket.objects.get(url=SFJ + "missing.html")
    finance_ticket = Ticket.objects.get(unit=cast.finance)
    return {
        "site": site.pk,
        "run": site.inspections.get().pk,
        "rule": site.rules.get().pk,
        "justice_ticket": justice_ticket.pk,
        "finance_ticket": finance_ticket.pk,
    }


def test_a_liaison_sees_only_its_units_tickets(cast: Cast, inspected: dict[str, int]) -> None:
    finance = client_for(cast.finance_liaison)
    justice = client_for(cast.justice_liaison)
    mine = finance.get("/inspection/tickets/").content.decode()
    assert f"/inspection/tickets/{inspected['finance_ticket']}/" in mine
    assert f"/inspection/tickets/{inspected['justice_ticket']}/" not in mine
    assert SFJ + "missing.html" not in mine
    assert finance.get(f"/inspection/tickets/{inspected['justice_ticket']}/").status_code == 404
    assert finance.get("/inspection/tickets/999999/").status_code == 404
    assert finance.get(f"/inspection/tickets/{inspected['finance_ticket']}/").status_code == 200
    # Filtering by another unit shows nothing of it.
    other = finance.get(f"/inspection/tickets/?unit={cast.justice.pk}&status=all").content.decode()
    assert "共 0 件工单" in other
    # The site is 司法局's: 财政局 sees its ticket but not the site or the inspection.
    assert finance.get(f"/inspection/sites/{inspected['site']}/").status_code == 404
    assert finance.get(f"/inspection/runs/{inspected['run']}/").status_code == 404
    assert justice.get(f"/inspection/sites/{inspected['site']}/").status_code == 200
    assert justice.get(f"/inspection/runs/{inspected['run']}/").status_code == 200
    listing = finance.get("/inspection/").content.decode()
    assert "司法局网站" not in listing


@pytest.mark.parametrize("who", ["evaluator", "justice_liaison", "justice_leader"])
def test_only_the_office_changes_anything(cast: Cast, inspected: dict[str, int], who: str) -> None:
    from gongkai.inspection.models import InspectedSite, Inspection, OwnerRule

    user = getattr(cast, who)
    client = client_for(user)
    site, ticket = inspected["site"], inspected["justice_ticket"]
    assert client.get(f"/inspection/sites/{site}/").status_code == 200
    assert client.get(f"/inspection/tickets/{ticket}/").status_code == 200
    page = client.get(f"/inspection/sites/{site}/").content.decode()
    assert "立即检查" not in page and "添加规则" not in page
    assert "排除工单" not in client.get(f"/inspection/tickets/{ticket}/").content.decode()
    refused = [
        client.get("/inspection/sites/new/"),
        csrf_post(client, "/inspection/sites/new/", site_form(cast.justice.pk)),
        client.get(f"/inspection/sites/{site}/edit/"),
        csrf_post(client, f"/inspection/sites/{site}/edit/", site_form(cast.justice.pk)),
        csrf_post(client, f"/inspection/sites/{site}/run/"),
        csrf_post(
            client,
            f"/inspection/sites/{site}/rules/",
            {"kind": "prefix", "pattern": "/x/", "unit": cast.justice.pk},
        ),
        csrf_post(client, f"/inspection/rules/{inspected['rule']}/delete/"),
        csrf_post(client, f"/inspection/tickets/{ticket}/dismiss/", {"reason": "误报"}),
        csrf_post(client, f"/inspection/tickets/{ticket}/restore/"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert InspectedSite.objects.count() == 1 and Inspection.objects.count() == 1
    assert OwnerRule.objects.count() == 1
    assert Ticket.objects.get(pk=ticket).status == "open"


def test_the_evaluator_reads_every_units_tickets(cast: Cast, inspected: dict[str, int]) -> None:
    page = client_for(cast.evaluator).get("/inspection/tickets/").content.decode()
    assert f"/inspection/tickets/{inspected['finance_ticket']}/" in page
    assert f"/inspection/tickets/{inspected['justice_ticket']}/" in page


def test_the_office_dismisses_and_restores_a_ticket(
    cast: Cast,
    inspected: dict[str, int],
    crawler: FakeCrawler,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from gongkai.audit.models import AuditAction, AuditEvent

    office = client_for(cast.office)
    pk = inspected["finance_ticket"]
    empty = csrf_post(office, f"/inspection/tickets/{pk}/dismiss/", {"reason": ""})
    assert empty.status_code == 400
    done = csrf_post(
        office, f"/inspection/tickets/{pk}/dismiss/", {"reason": "外部网站，非本单位可控"}
    )
    assert done.status_code == 302
    ticket = Ticket.objects.get(pk=pk)
    assert ticket.status == "dismissed" and ticket.dismissed_reason == "外部网站，非本单位可控"
    # Found again: stays dismissed; not found: stays dismissed too (nothing is owed).
    crawler.queue.append(result(FIRST[:2]))
    with django_capture_on_commit_callbacks(execute=True):
        csrf_post(office, f"/inspection/sites/{inspected['site']}/run/")
    assert Ticket.objects.get(pk=pk).status == "dismissed"
    assert csrf_post(office, f"/inspection/tickets/{pk}/restore/").status_code == 302
    assert Ticket.objects.get(pk=pk).status == "open"
    trail = AuditEvent.objects.for_object(Ticket.objects.get(pk=pk))
    assert trail.filter(action=AuditAction.TRANSITION).count() == 2


def test_bad_site_forms_are_refused(cast: Cast) -> None:
    from gongkai.inspection.models import InspectedSite

    office = client_for(cast.office)
    bad = [
        site_form(cast.gov.pk, base_url="ftp://www.example.gov.cn/"),
        site_form(cast.gov.pk, check_params="{not json"),
        site_form(cast.gov.pk, check_params='{"no_such_check": {}}'),
        # Options are checked against the check registry: names and types.
        site_form(cast.gov.pk, check_params='{"stale_column": {"news_days": 7}}'),
        site_form(cast.gov.pk, check_params='{"stale_column": {"news": "两周"}}'),
        site_form(cast.gov.pk, check_params='{"stale_column": {"news": 7.5}}'),
        site_form(cast.gov.pk, check_params='{"stale_column": {"news": true}}'),
        site_form(cast.gov.pk, check_params='{"stale_column": {"news": -1}}'),
        site_form(cast.gov.pk, check_params='{"privacy_leak": {"attachments": "false"}}'),
        site_form(cast.gov.pk, check_params='{"no_ipv6": {"enabled": "false"}}'),
        site_form(cast.gov.pk, check_params='{"missing_metadata": {"required": "publisher"}}'),
        site_form(cast.gov.pk, check_params='{"missing_metadata": {"required": [1]}}'),
        site_form(cast.gov.pk, terms="只有一边"),
        site_form(cast.gov.pk, extra_hosts="http://a.example.gov.cn/x"),
    ]
    for data in bad:
        assert csrf_post(office, "/inspection/sites/new/", data).status_code == 400, data
    assert InspectedSite.objects.count() == 0
    refused = csrf_post(
        office,
        "/inspection/sites/new/",
        site_form(cast.gov.pk, check_params='{"stale_column": {"news_days": 7}}'),
    ).content.decode()
    assert "没有参数「news_days」" in refused and "news" in refused
    form = office.get("/inspection/sites/new/").content.decode()
    assert "{&quot;stale_column&quot;: {&quot;news&quot;: 14}}" in form  # a real key
    good = site_form(
        cast.gov.pk,
        check_params=(
            '{"stale_column": {"news": 7, "other": null}, "wrong_link": {"max_similarity": 1},'
            ' "missing_metadata": {"required": ["publisher"]}}'
        ),
        terms="国务院办工厅|国务院办公厅",
        new_media="区政府微信|http://127.0.0.1:9/feed|微信",
        off=["no_ipv6"],
    )
    assert csrf_post(office, "/inspection/sites/new/", good).status_code == 302
    site = InspectedSite.objects.get()
    assert site.check_options == {
        "stale_column": {"news": 7, "other": None},
        "wrong_link": {"max_similarity": 1},
        "missing_metadata": {"required": ["publisher"]},
        "no_ipv6": {"enabled": False},
    }
    assert site.terms == [["国务院办工厅", "国务院办公厅"]]
    assert site.new_media == [
        {"name": "区政府微信", "url": "http://127.0.0.1:9/feed", "platform": "微信"}
    ]
    edit = client_for(cast.office).get(f"/inspection/sites/{site.pk}/edit/").content.decode()
    assert "国务院办工厅|国务院办公厅" in edit and "&quot;news&quot;: 7" in edit
