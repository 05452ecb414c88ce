"""Tickets close on evidence, not on luck: a re-check closes a ticket only when the check ran
without error and the inspection reached the ticket's page; the settings an inspection was
started with are the ones it is scored and judged by; dismissed findings cost nothing; lost
queued inspections and the office's 取消检查 unblock the site; and the pages and the recording
take a bounded number of queries however many rows there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from gongkai.inspection.models import InspectedSite, Inspection, Ticket
from gongkai.inspection.recording import record_result
from gongkai.inspection.types import known_types
from tests import test_inspection_story as story
from tests.conftest import Cast, client_for, csrf_post
from tests.test_inspection_story import (
    CZJ,
    HOME,
    SFJ,
    FakeCrawler,
    finding,
    result,
)

crawler = story.crawler  # the stand-in crawler (a fixture)

LEAK = finding("privacy_leak", SFJ + "p.html", severity="major", detail="页面含手机号码")
LINK = finding("broken_link", SFJ + "gone.html", sources=[SFJ + "list.html"])
IPV6 = finding("no_ipv6", HOME, detail="域名没有 AAAA 记录")
HOMEPAGE = finding("homepage_not_updated", HOME, severity="veto", detail="首页 14 天无更新")


def _site(cast: Cast, **extra: Any) -> InspectedSite:
    fields: dict[str, Any] = {
        "name": "区政府门户网站",
        "base_url": HOME,
        "unit": cast.gov,
        "max_pages": 100,
        **extra,
    }
    return InspectedSite.objects.create(**fields)


def _record(site: InspectedSite, data: dict[str, Any], **start: Any) -> Inspection:
    start.setdefault("checked_types", known_types())
    inspection = Inspection.objects.create(site=site, rubric="national-2019", **start)
    return record_result(inspection.pk, data)


def _status(site: InspectedSite) -> dict[str, str]:
    return dict(Ticket.objects.filter(site=site).values_list("type", "status"))


# -- closing on evidence ----------------------------------------------------------------------


def test_a_check_that_failed_closes_none_of_its_tickets(cast: Cast) -> None:
    site = _site(cast)
    _record(site, result([HOMEPAGE, LEAK]))
    errors = ["homepage_not_updated: ValueError: invalid literal for int()"]
    run = _record(site, result([], check_errors=errors))
    assert _status(site) == {"homepage_not_updated": "open", "privacy_leak": "fixed"}
    assert "homepage_not_updated" not in run.closable_types


def test_a_check_not_reported_as_run_closes_nothing(cast: Cast) -> None:
    site = _site(cast)
    _record(site, result([IPV6, LEAK]))
    ran = [t for t in known_types() if t != "privacy_leak"]
    _record(site, result([], checks=ran))
    assert _status(site) == {"no_ipv6": "fixed", "privacy_leak": "open"}


@pytest.mark.parametrize("home", [404, 500, None, "200", True])
def test_a_home_page_that_did_not_answer_closes_nothing(cast: Cast, home: Any) -> None:
    site = _site(cast)
    _record(site, result([IPV6, LEAK, LINK]))
    run = _record(site, result([], home_status=home))
    assert set(_status(site).values()) == {"open"}
    assert run.closable_types == [] and not run.complete
    page = client_for(cast.office).get(f"/inspection/runs/{run.pk}/").content.decode()
    assert "首页未正常打开" in page


@pytest.mark.parametrize("missing", ["checks", "check_errors", "home_status", "fetched_ok"])
def test_a_missing_stats_key_closes_what_depends_on_it(cast: Cast, missing: str) -> None:
    site = _site(cast)
    _record(site, result([IPV6, LEAK]))
    data = result([])
    del data["stats"][missing]
    _record(site, data)
    expected = {"no_ipv6": "fixed", "privacy_leak": "open"}  # fetched_ok: page-level only
    if missing != "fetched_ok":
        expected = {"no_ipv6": "open", "privacy_leak": "open"}
    assert _status(site) == expected


def test_a_page_level_ticket_closes_only_when_its_page_was_read(cast: Cast) -> None:
    site = _site(cast)
    _record(site, result([LEAK, IPV6]))
    # Reached the page cap before the leak page: the IPv6 ticket (site-wide) closes.
    _record(site, result([], ok=[HOME, SFJ + "list.html"], hit_page_cap=True))
    assert _status(site) == {"privacy_leak": "open", "no_ipv6": "fixed"}
    # The leak page answered 404: not read, still open.
    _record(site, result([], ok=[HOME], checked=[HOME, SFJ + "p.html"]))
    assert _status(site)["privacy_leak"] == "open"
    # Read and clean: fixed.
    _record(site, result([], ok=[HOME, SFJ + "p.html"]))
    assert _status(site)["privacy_leak"] == "fixed"


def test_a_link_ticket_closes_when_its_target_or_a_page_holding_it_was_read(cast: Cast) -> None:
    site = _site(cast)
    other = finding("broken_link", "http://other.example.com/x", sources=[CZJ + "a.html"])
    _record(site, result([LINK, other]))
    # Neither the targets nor the pages holding the links were read.
    _record(site, result([], ok=[HOME]))
    assert set(_status(site).values()) == {"open"}
    # The target now answers (the other site fixed it).
    _record(site, result([], ok=[HOME, "http://other.example.com/x"]))
    statuses = dict(Ticket.objects.filter(site=site).values_list("url", "status"))
    assert statuses == {SFJ + "gone.html": "open", "http://other.example.com/x": "fixed"}
    # The page that held the dead link was read and no longer reports it: removed, fixed.
    _record(site, result([], ok=[HOME, SFJ + "list.html"]))
    assert Ticket.objects.get(url=SFJ + "gone.html").status == "fixed"


def test_the_ticket_keeps_the_pages_it_was_last_seen_on(cast: Cast) -> None:
    site = _site(cast)
    _record(site, result([LINK]))
    moved = finding("broken_link", SFJ + "gone.html", sources=[CZJ + "b.html"])
    twice = finding("broken_link", SFJ + "gone.html", sources=[CZJ + "c.html"])
    _record(site, result([moved, twice]))
    ticket = Ticket.objects.get()
    assert ticket.source_urls == [CZJ + "b.html", CZJ + "c.html"]
    # The old page being read proves nothing now; the new ones do.
    _record(site, result([], ok=[HOME, SFJ + "list.html"]))
    assert Ticket.objects.get().status == "open"
    _record(site, result([], ok=[HOME, CZJ + "c.html"]))
    assert Ticket.objects.get().status == "fixed"


def test_the_page_cap_raised_during_a_crawl_changes_nothing(cast: Cast) -> None:
    site = _site(cast)
    _record(site, result([LEAK]))
    running = Inspection.objects.create(
        site=site, rubric="national-2019", checked_types=known_types(), max_pages=100
    )
    InspectedSite.objects.filter(pk=site.pk).update(max_pages=5000)
    done = record_result(running.pk, result([], pages=100, ok=[HOME], hit_page_cap=True))
    assert not done.complete and _status(site) == {"privacy_leak": "open"}


# -- the settings an inspection started with ----------------------------------------------------


def test_recording_uses_the_settings_the_inspection_started_with(
    cast: Cast, crawler: FakeCrawler
) -> None:
    from gongkai.inspection.actions import start_inspection

    site = _site(cast, is_portal=True, bonus=10, check_options={"privacy_leak": {"enabled": False}})
    _record(site, result([LEAK]))  # a ticket from before the check was turned off
    inspection = start_inspection(cast.office, site)
    assert inspection.config["max_pages"] == 100 and inspection.max_pages == 100
    assert inspection.is_portal and inspection.bonus == 10 and inspection.external_services
    assert "privacy_leak" not in inspection.checked_types
    # While it crawls the office changes the site: none of that applies to this inspection.
    InspectedSite.objects.filter(pk=site.pk).update(
        is_portal=False, bonus=0, external_services=False, check_options={}
    )
    done = record_result(inspection.pk, result([IPV6]))
    assert done.result == 100 - 3 + 10 and done.score["bonus"] == 10
    assert _status(site)["privacy_leak"] == "open"  # its check was off when it started


# -- dismissed tickets ----------------------------------------------------------------------


def test_dismissed_findings_are_recorded_but_cost_nothing_and_do_not_veto(cast: Cast) -> None:
    from gongkai.inspection.actions import dismiss_ticket
    from gongkai.inspection.models import InspectionFinding

    site = _site(cast)
    first = _record(site, result([HOMEPAGE, LEAK]))
    assert first.veto and first.result is None
    dismiss_ticket(cast.office, Ticket.objects.get(type="homepage_not_updated"), "首页为静态导航页")
    second = _record(site, result([HOMEPAGE, LEAK]))
    assert not second.veto and second.result == 95 and second.grade == "合格"
    rows = {f.type: f for f in InspectionFinding.objects.filter(inspection=second)}
    assert rows["homepage_not_updated"].dismissed and rows["homepage_not_updated"].cost == 0
    assert not rows["privacy_leak"].dismissed and rows["privacy_leak"].cost == 5
    assert second.score["dismissed"] == 1 and second.counts["dismissed_seen"] == 1
    assert _status(site)["homepage_not_updated"] == "dismissed"
    page = client_for(cast.office).get(f"/inspection/runs/{second.pk}/").content.decode()
    assert "已排除" in page and "不构成单项否决" in page and "单项否决</h3>" not in page


# -- lost and cancelled inspections ------------------------------------------------------------


def test_a_queued_inspection_that_never_started_stops_blocking_the_site(
    cast: Cast, crawler: FakeCrawler, settings: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from gongkai.inspection.actions import InspectionRejected, start_inspection
    from gongkai.jobs.models import Job, JobStatus

    settings.INSPECTION_QUEUED_STALE_MINUTES = 120
    site = _site(cast)
    lost = start_inspection(cast.office, site)  # never committed: its job never runs
    with pytest.raises(InspectionRejected):
        start_inspection(cast.office, site)
    assert lost.job_id is not None
    Job.objects.filter(pk=lost.job_id).update(created_at=timezone.now() - dt.timedelta(minutes=121))
    again = start_inspection(cast.office, site)
    lost.refresh_from_db()
    assert lost.status == "failed" and "排队超过 120 分钟" in lost.error
    assert Job.objects.get(pk=lost.job_id).status == JobStatus.FAILED
    assert again.status == "queued"


def test_the_office_cancels_a_queued_inspection(cast: Cast, crawler: FakeCrawler) -> None:
    from gongkai.audit.models import AuditAction, AuditEvent
    from gongkai.inspection.actions import start_inspection
    from gongkai.jobs.models import Job, JobStatus
    from gongkai.jobs.runner import run_job

    site = _site(cast)
    office = client_for(cast.office)
    assert csrf_post(office, f"/inspection/sites/{site.pk}/cancel/").status_code == 400
    queued = start_inspection(cast.office, site)
    page = office.get(f"/inspection/sites/{site.pk}/").content.decode()
    assert "取消检查" in page
    for who in (cast.justice_liaison, cast.evaluator):
        refused = csrf_post(client_for(who), f"/inspection/sites/{site.pk}/cancel/")
        assert refused.status_code in (403, 404)
    done = csrf_post(office, f"/inspection/sites/{site.pk}/cancel/")
    assert done.status_code == 302 and done["Location"] == f"/inspection/sites/{site.pk}/"
    queued.refresh_from_db()
    assert queued.status == "failed" and "取消" in queued.error
    assert queued.job_id is not None
    assert Job.objects.get(pk=queued.job_id).status == JobStatus.FAILED
    event = AuditEvent.objects.for_object(queued).filter(action=AuditAction.TRANSITION).get()
    assert event.actor_id == cast.office.pk and "取消" in event.comment
    assert run_job(queued.job_id) is False  # a worker that gets it later does nothing
    crawler.queue.append(result([]))
    assert start_inspection(cast.office, site).status == "queued"  # not blocked


def test_a_cancelled_running_inspection_does_not_record_its_result(cast: Cast) -> None:
    from gongkai.inspection.actions import cancel_inspection, start_inspection
    from gongkai.inspection.job_handlers import _mark_running

    site = _site(cast)
    inspection = start_inspection(cast.office, site)
    _mark_running(inspection.pk)
    cancel_inspection(cast.office, site)
    done = record_result(inspection.pk, result([LEAK]))
    assert done.status == "failed" and not Ticket.objects.exists()


# -- the calendar recompute and a reopened ticket ---------------------------------------------


def test_the_calendar_recompute_reads_the_current_opened_on(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from gongkai.holidays.calendar import office_calendar
    from gongkai.inspection import clock
    from gongkai.workdays import DayKind

    site = _site(cast)
    _record(site, result([LEAK]))
    ticket = Ticket.objects.get()
    holiday = ticket.due_on
    assert holiday is not None
    calendar = office_calendar().with_overrides({holiday: DayKind.HOLIDAY})
    later = ticket.opened_on + dt.timedelta(days=1)
    original = clock._recompute_batch

    def reopened_meanwhile(*args: Any) -> int:
        # Between listing the tickets and locking them, a recording reopens this one.
        Ticket.objects.filter(pk=ticket.pk).update(
            opened_on=later, due_on=calendar.add_workdays(later, 5)
        )
        return int(original(*args))

    monkeypatch.setattr(clock, "_recompute_batch", reopened_meanwhile)
    clock.recompute(calendar, [holiday])
    ticket.refresh_from_db()
    assert ticket.opened_on == later and ticket.due_on == calendar.add_workdays(later, 5)


# -- query counts ------------------------------------------------------------------------------


def _queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_the_site_list_takes_the_same_queries_for_2_or_12_sites(cast: Cast) -> None:
    office = client_for(cast.office)
    counts = []
    for n in (2, 12):
        while InspectedSite.objects.count() < n:
            site = _site(cast, name=f"网站{InspectedSite.objects.count()}")
            _record(site, result([LEAK]))
            _record(site, result([]))
            Inspection.objects.create(site=site)  # one queued
        counts.append(_queries(lambda: office.get("/inspection/")))
    assert counts[0] == counts[1], counts
    listing = office.get("/inspection/").content.decode()
    assert "网站11" in listing and "检查进行中" in listing and "↑ 5" in listing


def test_the_site_list_is_paged(cast: Cast) -> None:
    from gongkai.inspection.views import SITE_PAGE

    for k in range(SITE_PAGE + 1):
        _site(cast, name=f"网站{k:03d}")
    office = client_for(cast.office)
    first = office.get("/inspection/").content.decode()
    assert "网站000" in first and f"网站{SITE_PAGE:03d}" not in first and "下一页" in first
    second = office.get("/inspection/?page=2").content.decode()
    assert f"网站{SITE_PAGE:03d}" in second and "网站000" not in second


def test_the_result_page_takes_the_same_queries_for_2_or_40_findings(cast: Cast) -> None:
    office = client_for(cast.office)
    site = _site(cast)
    counts = []
    for n in (2, 40):
        _record(site, result([]))
        links = [finding("broken_link", f"{HOME}{n}/{k}.html") for k in range(n)]
        run = _record(site, result(links))
        counts.append(_queries(lambda url=f"/inspection/runs/{run.pk}/": office.get(url)))
        # and once more, so the comparison lists them as fixed
        gone = _record(site, result([], ok=[*[f["url"] for f in links], HOME]))
        counts.append(_queries(lambda url=f"/inspection/runs/{gone.pk}/": office.get(url)))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_ticket_links_follow_the_tickets_current_unit(cast: Cast) -> None:
    from gongkai.inspection.models import OwnerRule

    site = _site(cast, unit=cast.justice)
    run = _record(site, result([LEAK]))
    ticket = Ticket.objects.get()
    justice = client_for(cast.justice_liaison)
    link = f'href="/inspection/tickets/{ticket.pk}/"'
    assert link in justice.get(f"/inspection/runs/{run.pk}/").content.decode()
    # A rule moves the problem to 财政局; the old result page no longer links 司法局 to it.
    OwnerRule.objects.create(site=site, kind="prefix", pattern="/sfj/", unit=cast.finance)
    _record(site, result([LEAK]))
    assert Ticket.objects.get().unit_id == cast.finance.pk
    page = justice.get(f"/inspection/runs/{run.pk}/").content.decode()
    assert link not in page and f"工单 #{ticket.pk}" in page


def _batch_writes(sql: str) -> bool:
    """An INSERT of many rows or a bulk UPDATE (CASE WHEN): the statements whose number is
    rows / batch size."""
    return sql.startswith("INSERT INTO") or (sql.startswith("UPDATE") and "CASE WHEN" in sql)


def test_recording_500_findings_takes_a_bounded_number_of_queries(cast: Cast) -> None:
    from gongkai.audit.models import AuditAction, AuditEvent
    from gongkai.inspection.models import InspectionFinding, TicketEvent

    site = _site(cast)
    types = [
        "broken_link",
        "privacy_leak",
        "missing_metadata",
        "stale_column",
        "typo_or_wrong_term",
    ]

    def findings(n: int) -> list[dict[str, Any]]:
        return [
            finding(types[k % 5], f"{SFJ}{k}.html", sources=[f"{HOME}p{k % 7}.html"])
            for k in range(n)
        ]

    def run(data: dict[str, Any]) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            _record(site, data)
        writes = sum(1 for q in ctx.captured_queries if _batch_writes(q["sql"]))
        return len(ctx) - writes, writes

    # How many rows one statement may carry on this database (SQLite: 999 parameters).
    def per_batch(model: type[Model]) -> int:
        names = [f.name for f in model._meta.concrete_fields]
        return min(500, connection.ops.bulk_batch_size(names, [None] * 500) or 500)

    def batches(n: int, model: type[Model]) -> int:
        return -(-n // per_batch(model))

    counts: dict[str, list[tuple[int, int]]] = {"new": [], "again": [], "fixed": []}
    for n in (50, 500):
        Ticket.objects.all().delete()
        counts["new"].append(run(result(findings(n))))
        counts["again"].append(run(result(findings(n))))
        counts["fixed"].append(run(result([], ok=[HOME, *(f["url"] for f in findings(n))])))
    # Reads and single-row writes: the same for 50 findings as for 500.
    for label, ((small, _), (large, _)) in counts.items():
        assert small == large <= 20, (label, counts)
    # Batched writes: tickets, their history, the audit trail and the findings, in batches.
    rows = batches(500, Ticket) + batches(500, TicketEvent) + batches(500, AuditEvent)
    assert counts["new"][1][1] <= rows + batches(500, InspectionFinding) + 2, counts
    assert counts["fixed"][1][1] <= 2 * rows + 2, counts  # bulk UPDATE: 2 params per row
    assert Ticket.objects.filter(status="fixed").count() == 500
    ticket = Ticket.objects.first()
    assert ticket is not None
    trail = AuditEvent.objects.for_object(ticket)
    assert trail.filter(action=AuditAction.CREATE).count() == 1
    assert trail.filter(action=AuditAction.TRANSITION).count() == 1
    assert ticket.events.count() == 2
