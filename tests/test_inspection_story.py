"""网站检查 through its pages: the office registers a site with owner rules, runs inspections
(the crawler replaced by canned results in the `gongkai inspect` contract), sees the score and
what each finding cost, and the tickets open, stay open, close on re-check and reopen.

The helpers at the top (the site form, canned results, the stand-in crawler) are shared by the
other test_inspection_* files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from gongkai.inspect.config import InspectConfig
from gongkai.inspection.types import known_types, type_name

HOME = "http://www.example.gov.cn/"


def site_form(unit_id: int, **overrides: Any) -> dict[str, Any]:
    """The site form with every check ticked; `off=[types]` unticks some."""
    off = set(overrides.pop("off", ()))
    data: dict[str, Any] = {
        "name": "区政府门户网站",
        "base_url": HOME,
        "unit": unit_id,
        "extra_hosts": "",
        "external_services": "on",
        "max_pages": 100,
        "schedule": "none",
        "next_run": "",
        "rubric": "national-2019",
        "bonus": "0",
        "new_media": "",
        "terms": "",
        "domain_exempt": "",
        "check_params": "",
        "active": "on",
    }
    for t in known_types():
        if t not in off:
            data[f"check_{t}"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def finding(
    type_: str,
    url: str,
    *,
    severity: str = "minor",
    sources: list[str] | None = None,
    detail: str = "",
    evidence: str | None = None,
) -> dict[str, Any]:
    return {
        "type": type_,
        "severity": severity,
        "url": url,
        "source_urls": sources or [],
        "detail": detail or f"{type_} 问题",
        "evidence": evidence,
    }


#: The pages of the canned site below that a normal crawl opens (status < 400).
SITE_PAGES = [
    HOME,
    HOME + "sfj/list.html",
    HOME + "czj/a.html",
    HOME + "tzgg/",
    HOME + "sfj/gk/doc1.html",
    HOME + "sfj/p.html",
    HOME + "news/1.html",
]


def result(
    findings: list[dict[str, Any]],
    *,
    pages: int = 40,
    links: int = 120,
    ok: list[str] | None = None,
    **stats: Any,
) -> dict[str, Any]:
    """A crawler result with realistic stats: every check ran without error, the home page
    answered 200, the crawl opened `ok` (default: every page of the canned site) and did not
    hit the page cap. Keyword arguments override or add stats keys."""
    now = timezone.now()
    fetched = list(SITE_PAGES if ok is None else ok)
    failed = [f["url"] for f in findings if f["type"] == "broken_link"]
    base: dict[str, Any] = {
        "checks": known_types(),
        "check_errors": [],
        "home_status": 200,
        "fetched_ok": fetched,
        "checked": list(dict.fromkeys([*fetched, *failed])),
        "hit_page_cap": False,
        "finish_reason": "finished",
    }
    return {
        "site": HOME,
        "started": (now - dt.timedelta(seconds=30)).isoformat(),
        "finished": now.isoformat(),
        "pages_crawled": pages,
        "links_checked": links,
        "findings": findings,
        # The crawler's own score with default options; the app re-scores with the site's.
        "score": {
            "veto": False,
            "veto_reasons": [],
            "deductions": 0,
            "base": 100,
            "result": 100,
            "grade": "合格",
        },
        "stats": {**base, **stats},
    }


class FakeCrawler:
    """Stands in for gongkai.inspection.job_handlers.run_crawler: returns the queued results in
    order, reporting progress as the real one does, and keeps the configs it was given."""

    def __init__(self) -> None:
        self.queue: list[dict[str, Any] | Exception] = []
        self.configs: list[InspectConfig] = []

    def __call__(self, config: InspectConfig, progress: Callable[..., None]) -> dict[str, Any]:
        self.configs.append(config)
        progress(10, config.max_pages, "已检查 10 个页面")
        progress(config.max_pages, config.max_pages, "")
        item = self.queue.pop(0)
        if isinstance(item, Exception):
            raise item
        stats = item.get("stats") or {}
        if isinstance(stats.get("checks"), list):
            # As the real crawler: only the checks enabled in its configuration run.
            stats["checks"] = [t for t in stats["checks"] if config.enabled(t)]
        return item


@pytest.fixture
def crawler(monkeypatch: pytest.MonkeyPatch) -> FakeCrawler:
    from gongkai.inspection import job_handlers

    fake = FakeCrawler()
    monkeypatch.setattr(job_handlers, "run_crawler", fake)
    return fake


# -- the story ----------------------------------------------------------------------------------

SFJ = HOME + "sfj/"
CZJ = HOME + "czj/"


def _register(office: Any, cast: Any, **overrides: Any) -> int:
    from gongkai.inspection.models import InspectedSite
    from tests.conftest import csrf_post

    made = csrf_post(office, "/inspection/sites/new/", site_form(cast.gov.pk, **overrides))
    assert made.status_code == 302, made.content.decode()[:2000]
    site = InspectedSite.objects.latest("pk")
    assert made["Location"] == f"/inspection/sites/{site.pk}/"
    return int(site.pk)


def _rule(office: Any, site: int, kind: str, pattern: str, unit: int) -> None:
    from tests.conftest import csrf_post

    added = csrf_post(
        office, f"/inspection/sites/{site}/rules/", {"kind": kind, "pattern": pattern, "unit": unit}
    )
    assert added.status_code == 302, added.content.decode()[:2000]


def _run(office: Any, site: int, capture: Any) -> Any:
    from gongkai.inspection.models import Inspection
    from gongkai.jobs.models import Job
    from tests.conftest import csrf_post

    with capture(execute=True):
        started = csrf_post(office, f"/inspection/sites/{site}/run/")
    assert started.status_code == 302
    job = Job.objects.latest("pk")
    assert started["Location"] == f"/jobs/{job.pk}/"
    inspection = Inspection.objects.get(job=job)
    return inspection, job


FIRST = [
    finding(
        "broken_link", SFJ + "missing.html", sources=[SFJ + "list.html"], detail="链接无法打开"
    ),
    finding(
        "broken_link",
        "http://elsewhere.example.com/x",
        sources=[CZJ + "a.html"],
        detail="外部链接超时",
    ),
    finding("stale_column", HOME + "tzgg/", detail="栏目「通知公告」超过 6 个月未更新"),
    finding("missing_metadata", SFJ + "gk/doc1.html", detail="缺少 成文日期、有效性"),
    finding(
        "privacy_leak",
        SFJ + "p.html",
        severity="major",
        detail="页面含手机号码",
        evidence="138****5678",
    ),
    finding("no_ipv6", HOME, detail="域名没有 AAAA 记录"),
]


def test_office_registers_runs_and_rechecks_a_site(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.audit.models import AuditAction, AuditEvent
    from gongkai.holidays.calendar import office_calendar
    from gongkai.inspection.models import Inspection, InspectionFinding, Ticket, TicketStatus
    from gongkai.jobs.models import JobStatus
    from gongkai.work.models import Checkpoint
    from tests.conftest import client_for
    from tests.work_factories import TaskSpec, make_plan, year_end

    today = timezone.localdate()
    plan = make_plan(
        [
            TaskSpec(
                "加强网站信息维护，及时处理断错链", [cast.justice], rules=[year_end(today.year)]
            ),
            TaskSpec("做好依申请公开工作", [cast.justice], rules=[year_end(today.year)]),
        ],
        year=today.year,
    )
    link_task_checkpoint = Checkpoint.objects.get(plan=plan, task__requirement__contains="断错链")

    office = client_for(cast.office)
    site = _register(office, cast)
    _rule(office, site, "prefix", "/sfj/", cast.justice.pk)
    _rule(office, site, "prefix", "/czj/", cast.finance.pk)
    _rule(office, site, "prefix", "/sfj/gk/", cast.finance.pk)  # longer: wins over /sfj/

    # -- first inspection ---------------------------------------------------------------------
    crawler.queue.append(result(FIRST))
    first, job = _run(office, site, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    first.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100, job.error
    assert (
        job.result["inspection"] == first.pk
        and job.result["page"] == f"/inspection/runs/{first.pk}/"
    )
    assert crawler.configs[0].start_urls == [HOME] and crawler.configs[0].max_pages == 100
    assert crawler.configs[0].robots is False  # the office's own site: robots off by default
    # 0.5 + 0.5 (links) + 5 (column) + 1 (metadata) + 5 (privacy) + 3 (IPv6) = 15
    assert first.status == "finished" and first.deductions == 15 and first.result == 85
    assert first.grade == "合格" and not first.veto and first.complete
    costs = dict(InspectionFinding.objects.filter(inspection=first).values_list("url", "cost"))
    assert costs[SFJ + "missing.html"] == 0.5 and costs[HOME + "tzgg/"] == 5

    page = office.get(f"/inspection/runs/{first.pk}/").content.decode()
    assert "85" in page and "合格" in page and "国办秘函〔2019〕19号" in page
    assert all(type_name(t) in page for t in ("broken_link", "stale_column", "privacy_leak"))
    assert "138****5678" in page and "这是该网站第一次完成的检查" in page

    tickets = {t.url: t for t in Ticket.objects.filter(site_id=site)}
    assert len(tickets) == 6
    owner = {url: t.unit_id for url, t in tickets.items()}
    assert owner[SFJ + "missing.html"] == cast.justice.pk  # the page holding the link
    assert owner["http://elsewhere.example.com/x"] == cast.finance.pk
    assert owner[SFJ + "gk/doc1.html"] == cast.finance.pk  # longest prefix
    assert owner[SFJ + "p.html"] == cast.justice.pk
    assert owner[HOME + "tzgg/"] == owner[HOME] == cast.gov.pk  # no rule: the site's unit
    due = office_calendar().add_workdays(today, 5)
    assert all(t.status == TicketStatus.OPEN and t.due_on == due for t in tickets.values())
    assert tickets[SFJ + "missing.html"].checkpoint_id == link_task_checkpoint.pk
    assert tickets[SFJ + "p.html"].checkpoint_id is None  # no task about personal data

    # -- the office turns the privacy check off; the second inspection ------------------------
    edited = csrf_post_site(office, site, cast, off=["privacy_leak"])
    assert edited.status_code == 302
    second_findings = [
        FIRST[0],  # still broken
        FIRST[3],  # metadata still missing
        finding(
            "typo_or_wrong_term", HOME + "news/1.html", detail="“国务院办公厅”误作“国务院办工厅”"
        ),
    ]  # the external link, the column, IPv6 fixed; privacy not checked this time
    crawler.queue.append(result(second_findings))
    second, _ = _run(office, site, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert crawler.configs[1].checks["privacy_leak"] == {"enabled": False}
    assert "privacy_leak" not in second.checked_types
    assert second.counts == {
        "new": 1, "still_open": 2, "reopened": 0, "fixed": 3, "dismissed_seen": 0, "findings": 3
    }  # fmt: skip
    status = dict(Ticket.objects.filter(site_id=site).values_list("url", "status"))
    assert status[SFJ + "missing.html"] == "open" and status[SFJ + "gk/doc1.html"] == "open"
    assert status["http://elsewhere.example.com/x"] == "fixed"
    assert status[HOME + "tzgg/"] == "fixed" and status[HOME] == "fixed"
    assert status[SFJ + "p.html"] == "open"  # its check was off: not closed
    page = office.get(f"/inspection/runs/{second.pk}/").content.decode()
    assert "新发现 1" in page and "已整改 3" in page and "仍未整改 2" in page
    assert "本次未复查 1" in page and type_name("typo_or_wrong_term") in page

    # -- third inspection: the column is stale again (a regression) ---------------------------
    crawler.queue.append(result([FIRST[0], FIRST[2], FIRST[3], second_findings[2]]))
    third, _ = _run(office, site, django_capture_on_commit_callbacks)
    third.refresh_from_db()
    column = Ticket.objects.get(site_id=site, url=HOME + "tzgg/")
    assert column.status == TicketStatus.REOPENED and column.reopened_count == 1
    assert column.fixed_at is None and column.due_on == due and column.last_seen_id == third.pk
    assert third.counts["reopened"] == 1
    page = office.get(f"/inspection/runs/{third.pk}/").content.decode()
    assert "复发" in page
    ticket_page = office.get(f"/inspection/tickets/{column.pk}/").content.decode()
    assert "复查发现复发，重新派单" in ticket_page and "复查通过，销号" in ticket_page

    # -- the site page: the trend and the run history ------------------------------------------
    site_page = office.get(f"/inspection/sites/{site}/").content.decode()
    assert 'id="trend-data"' in site_page and "vendor/echarts/echarts.min.js" in site_page
    assert site_page.count("/inspection/runs/") >= 3
    listing = office.get("/inspection/").content.decode()
    assert "区政府门户网站" in listing

    # -- the audit trail -------------------------------------------------------------------------
    def events(model: type, action: str) -> int:
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(model)
        return AuditEvent.objects.filter(content_type=ct, action=action).count()

    assert events(Ticket, AuditAction.CREATE) == Ticket.objects.filter(site_id=site).count() == 7
    # fixed ×3, reopened ×1
    assert events(Ticket, AuditAction.TRANSITION) == 4
    # three inspections: created, running, finished
    assert events(Inspection, AuditAction.CREATE) == 3
    assert events(Inspection, AuditAction.TRANSITION) == 6
    from gongkai.inspection.models import InspectedSite, OwnerRule

    assert events(InspectedSite, AuditAction.CREATE) == 1
    assert events(InspectedSite, AuditAction.CHANGE) == 1
    assert events(OwnerRule, AuditAction.CREATE) == 3


def csrf_post_site(office: Any, site: int, cast: Any, **overrides: Any) -> Any:
    from tests.conftest import csrf_post

    return csrf_post(office, f"/inspection/sites/{site}/edit/", site_form(cast.gov.pk, **overrides))


def test_a_crawl_cut_short_closes_only_what_it_reached(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.inspection.models import Ticket
    from tests.conftest import client_for

    office = client_for(cast.office)
    site = _register(office, cast)
    crawler.queue.append(result([FIRST[0], FIRST[3], FIRST[5]]))
    _run(office, site, django_capture_on_commit_callbacks)
    # The page cap stopped the crawl after the home page and the metadata page: the page
    # holding the broken link was not read again, so its ticket stays open.
    reached = [HOME, SFJ + "gk/doc1.html"]
    crawler.queue.append(result([], pages=100, ok=reached, hit_page_cap=True))
    cut, _ = _run(office, site, django_capture_on_commit_callbacks)
    cut.refresh_from_db()
    assert not cut.complete and {"no_ipv6", "broken_link"} <= set(cut.closable_types)
    status = dict(Ticket.objects.filter(site_id=site).values_list("type", "status"))
    assert status == {"broken_link": "open", "missing_metadata": "fixed", "no_ipv6": "fixed"}
    page = client_for(cast.office).get(f"/inspection/runs/{cut.pk}/").content.decode()
    assert "没有覆盖全站" in page and "本次未复查 1" in page
    # The next cut crawl reaches the page that held the link: the link is gone, so fixed.
    crawler.queue.append(result([], pages=100, ok=[HOME, SFJ + "list.html"], hit_page_cap=True))
    _run(office, site, django_capture_on_commit_callbacks)
    assert Ticket.objects.get(site_id=site, type="broken_link").status == "fixed"


def test_a_failed_crawl_fails_the_job_and_leaves_tickets_alone(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.inspect.errors import InspectRefused
    from gongkai.inspection.models import Ticket
    from gongkai.jobs.models import JobStatus
    from tests.conftest import client_for

    office = client_for(cast.office)
    site = _register(office, cast)
    crawler.queue.append(result([FIRST[0]]))
    _run(office, site, django_capture_on_commit_callbacks)
    crawler.queue.append(InspectRefused("目标地址解析到内网地址，已拒绝检查"))
    failed, job = _run(office, site, django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "已拒绝检查" in job.error
    assert failed.status == "failed" and "已拒绝检查" in failed.error
    assert list(Ticket.objects.filter(site_id=site).values_list("status", flat=True)) == ["open"]
    # The failure does not block the next run.
    crawler.queue.append(result([]))
    again, job = _run(office, site, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    assert again.status == "finished"
    assert list(Ticket.objects.filter(site_id=site).values_list("status", flat=True)) == ["fixed"]


def test_an_abnormal_finish_closes_nothing(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.inspection.models import Ticket
    from tests.conftest import client_for

    office = client_for(cast.office)
    site = _register(office, cast)
    crawler.queue.append(result([FIRST[0], FIRST[5]]))
    _run(office, site, django_capture_on_commit_callbacks)
    crawler.queue.append(result([], finish_reason="shutdown"))
    stopped, _ = _run(office, site, django_capture_on_commit_callbacks)
    stopped.refresh_from_db()
    assert stopped.closable_types == []
    assert set(Ticket.objects.filter(site_id=site).values_list("status", flat=True)) == {"open"}


def test_portal_bonus_veto_and_no_service_scaling(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.conftest import client_for

    office = client_for(cast.office)
    portal = _register(office, cast, is_portal="on", bonus="12")
    crawler.queue.append(result([FIRST[0]]))  # 99.5 + 12
    run, _ = _run(office, portal, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.result == 111.5 and run.score["bonus"] == 12

    dept = _register(office, cast, name="区司法局网站", external_services=None, bonus="12")
    crawler.queue.append(result([FIRST[5]]))  # (75 - 3) × 4/3, no bonus for a department
    run, _ = _run(office, dept, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.result == 96 and run.score["bonus"] is None

    crawler.queue.append(result([finding("homepage_not_updated", HOME, detail="首页 14 天无更新")]))
    run, _ = _run(office, dept, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.veto and run.result is None and run.grade == "不合格"
    page = office.get(f"/inspection/runs/{run.pk}/").content.decode()
    assert "单项否决" in page and "首页不更新" in page


def test_the_checkpoint_shows_the_units_tickets_and_score(
    cast: Any, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.work.models import Checkpoint
    from tests.conftest import client_for
    from tests.work_factories import TaskSpec, make_plan, year_end

    today = timezone.localdate()
    plan = make_plan(
        [
            TaskSpec(
                "加强网站信息维护，及时处理断错链", [cast.justice], rules=[year_end(today.year)]
            )
        ],
        year=today.year,
    )
    checkpoint = Checkpoint.objects.get(plan=plan)
    office = client_for(cast.office)
    site = _register(office, cast, name="区司法局网站", unit=cast.justice.pk)
    crawler.queue.append(result([FIRST[0], FIRST[4]]))
    _run(office, site, django_capture_on_commit_callbacks)
    page = client_for(cast.justice_liaison).get(f"/work/checkpoints/{checkpoint.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "网站检查" in html
    assert "待整改「断链」工单 1 件" in html and "区司法局网站" in html
    assert "94.5 分，合格" in html  # 100 - 0.5 - 5
