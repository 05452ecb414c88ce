"""Scheduled inspections, ticket due dates by the office calendar, owner rules and checkpoint
matching in isolation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from gongkai.inspect.findings import Finding, Severity
from gongkai.inspection.models import InspectedSite, Inspection, OwnerRule, Schedule, Ticket
from gongkai.inspection.schedule import advance, next_after, start_due
from tests import test_inspection_story as story
from tests.conftest import Cast
from tests.test_inspection_story import (
    FIRST,
    HOME,
    FakeCrawler,
    result,
)

crawler = story.crawler  # the stand-in crawler (a fixture)


def _site(cast: Cast, **extra: Any) -> InspectedSite:
    return InspectedSite.objects.create(
        name="区政府门户网站", base_url=HOME, unit=cast.gov, max_pages=100, **extra
    )


def test_beat_starts_a_due_inspection_once_and_moves_the_next_run(
    cast: Cast, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    due_at = now - dt.timedelta(hours=1)
    site = _site(cast, schedule=Schedule.WEEKLY, next_run=due_at)
    idle = _site(cast, schedule=Schedule.DAILY, next_run=now + dt.timedelta(hours=3))
    off = _site(cast, schedule=Schedule.WEEKLY, next_run=due_at, active=False)
    crawler.queue.append(result(FIRST[:1]))
    with django_capture_on_commit_callbacks(execute=True):
        assert start_due(now) == 1
        assert start_due(now) == 0  # delivered twice: nothing more
    run = Inspection.objects.get()
    assert run.site_id == site.pk and run.trigger == "scheduled" and run.status == "finished"
    site.refresh_from_db()
    assert site.next_run == advance(due_at, Schedule.WEEKLY) > now
    assert not idle.inspections.exists() and not off.inspections.exists()
    assert Ticket.objects.filter(site=site).count() == 1


def test_a_due_site_still_being_inspected_is_not_started_again(
    cast: Cast, crawler: FakeCrawler
) -> None:
    now = timezone.now()
    site = _site(cast, schedule=Schedule.DAILY, next_run=now - dt.timedelta(minutes=5))
    assert start_due(now) == 1  # queued; the job has not run (no commit in this test)
    later = now + dt.timedelta(days=1, minutes=1)
    assert start_due(later) == 0
    assert Inspection.objects.filter(site=site).count() == 1
    site.refresh_from_db()
    assert site.next_run is not None and site.next_run > later


def test_monthly_runs_keep_to_the_anchor_day() -> None:
    zone = timezone.get_current_timezone()
    moment = dt.datetime(2026, 1, 31, 2, 0, tzinfo=zone)
    days = []
    for _ in range(4):
        moment = advance(moment, Schedule.MONTHLY, 31)
        local = timezone.localtime(moment)
        days.append((local.date(), local.hour))
    assert days == [
        (dt.date(2026, 2, 28), 2),
        (dt.date(2026, 3, 31), 2),
        (dt.date(2026, 4, 30), 2),
        (dt.date(2026, 5, 31), 2),
    ]
    # Skipping missed runs keeps the anchor too.
    start = dt.datetime(2026, 1, 31, 2, 0, tzinfo=zone)
    now = dt.datetime(2026, 3, 5, tzinfo=zone)
    following = next_after(start, Schedule.MONTHLY, now, 31)
    assert timezone.localtime(following).date() == dt.date(2026, 3, 31)


def test_the_site_form_sets_the_anchor_day_and_the_beat_keeps_it(
    cast: Cast, crawler: FakeCrawler
) -> None:
    from gongkai.inspection.actions import create_site

    zone = timezone.get_current_timezone()
    first = dt.datetime(2026, 1, 31, 3, 0, tzinfo=zone)
    site = create_site(
        cast.office,
        {
            "name": "月检网站",
            "base_url": HOME,
            "unit": cast.gov,
            "schedule": Schedule.MONTHLY,
            "next_run": first,
        },
    )
    assert site.anchor_day == 31
    # The beat on 31 January: the next run is 28 February; on 28 February: 31 March.
    assert start_due(first + dt.timedelta(minutes=1)) == 1
    site.refresh_from_db()
    assert site.next_run is not None
    assert timezone.localtime(site.next_run).date() == dt.date(2026, 2, 28)
    Inspection.objects.update(status="failed")  # let the next one start
    assert start_due(site.next_run + dt.timedelta(minutes=1)) == 1
    site.refresh_from_db()
    assert site.next_run is not None
    assert timezone.localtime(site.next_run).date() == dt.date(2026, 3, 31)


def test_periods_keep_the_local_hour_and_skip_missed_runs() -> None:
    start = dt.datetime(2026, 1, 31, 2, 0, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(advance(start, Schedule.MONTHLY)).date() == dt.date(2026, 2, 28)
    assert timezone.localtime(advance(start, Schedule.DAILY)).hour == 2
    now = start + dt.timedelta(days=20)
    following = next_after(start, Schedule.WEEKLY, now)
    assert following > now and following - now <= dt.timedelta(days=7)


def test_the_beat_entry_is_wired() -> None:
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "gongkai.inspection.start_due" in entries


def test_a_year_without_a_holiday_schedule_leaves_the_due_date_empty(db: None) -> None:
    from gongkai.holidays.calendar import office_calendar
    from gongkai.inspection.clock import due_date

    due, why = due_date(dt.date(2099, 12, 28), office_calendar())
    assert due is None
    assert "2099" in why or "2100" in why


def test_ticket_due_dates_follow_a_calendar_change(
    cast: Cast, crawler: FakeCrawler, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.holidays.calendar import office_calendar
    from gongkai.inspection.actions import start_inspection
    from gongkai.inspection.clock import recompute
    from gongkai.workdays import DayKind

    site = _site(cast)
    crawler.queue.append(result(FIRST[:1]))
    with django_capture_on_commit_callbacks(execute=True):
        start_inspection(cast.office, site)
    ticket = Ticket.objects.get()
    assert ticket.due_on is not None
    # The office declares the due day a local holiday: the due date moves one working day on.
    holiday = ticket.due_on
    calendar = office_calendar().with_overrides({holiday: DayKind.HOLIDAY})
    assert recompute(calendar, [holiday]) == 1
    ticket.refresh_from_db()
    assert ticket.due_on == calendar.add_workdays(ticket.opened_on, 5) > holiday
    assert ticket.events.filter(kind="due_changed").count() == 1


def test_owner_rules(cast: Cast) -> None:
    from gongkai.inspection.owners import Owners

    site = _site(cast, extra_hosts=["xxgk.example.gov.cn"])
    OwnerRule.objects.create(site=site, kind="prefix", pattern="/sfj/", unit=cast.justice)
    OwnerRule.objects.create(site=site, kind="prefix", pattern="/sfj/cw/", unit=cast.finance)
    OwnerRule.objects.create(
        site=site, kind="prefix", pattern="http://xxgk.example.gov.cn/czj/", unit=cast.finance
    )
    OwnerRule.objects.create(site=site, kind="column", pattern="财政预决算", unit=cast.finance)
    owners = Owners(site)

    def owner(type_: str, url: str, sources: tuple[str, ...] = (), detail: str = "") -> int:
        return owners.unit_for(Finding(type_, Severity.MINOR, url, detail, list(sources)))

    assert owner("missing_metadata", HOME + "sfj/a.html") == cast.justice.pk
    assert owner("missing_metadata", HOME + "sfj/cw/a.html") == cast.finance.pk
    assert owner("missing_metadata", "http://xxgk.example.gov.cn/sfj/a.html") == cast.justice.pk
    assert owner("missing_metadata", "http://xxgk.example.gov.cn/czj/1.html") == cast.finance.pk
    # A path on someone else's host is not this site's page.
    assert owner("privacy_leak", "http://other.example.com/sfj/a.html") == cast.gov.pk
    # A broken link belongs to the page that holds it, never to its target (which may be on
    # another site): a source page no rule matches gives the site's unit.
    assert owner("broken_link", HOME + "sfj/gone.html", (HOME + "news/1.html",)) == cast.gov.pk
    assert owner("wrong_link", HOME + "sfj/gone.html") == cast.gov.pk
    assert owner("broken_link", "http://x.example.com/", (HOME + "sfj/1.html",)) == cast.justice.pk
    assert (
        owner("broken_link", HOME + "news/x.html", (HOME + "news/1.html", HOME + "sfj/cw/2.html"))
        == cast.finance.pk
    )  # the first source page a rule matches
    # Full-URL prefixes compare scheme and host exactly (case-insensitive), then the path.
    assert owner("missing_metadata", "HTTP://XXGK.Example.gov.cn/czj/2.html") == cast.finance.pk
    for lookalike in (
        "http://xxgk.example.gov.cn.evil.com/czj/1.html",
        "http://xxgk.example.gov.cn@evil.com/czj/1.html",
        "https://xxgk.example.gov.cn/czj/1.html",
        "http://xxgk.example.gov.cn:8080/czj/1.html",
        "http://evil.com/http://xxgk.example.gov.cn/czj/1.html",
    ):
        assert owner("privacy_leak", lookalike) == cast.gov.pk, lookalike
    assert owner("stale_column", HOME + "col/7/", detail="栏目「财政预决算」超过 6 个月未更新") == (
        cast.finance.pk
    )
    assert owner("stale_column", HOME + "col/8/") == cast.gov.pk
    # Percent-encoded Chinese paths match a rule written in Chinese.
    OwnerRule.objects.create(site=site, kind="prefix", pattern="/政务公开/", unit=cast.justice)
    assert (
        Owners(site).unit_for(
            Finding(
                "empty_column", Severity.MINOR, HOME + "%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80/x/", ""
            )
        )
        == cast.justice.pk
    )
    # A rule naming only a scheme and host covers that host, not hosts that start like it.
    OwnerRule.objects.create(
        site=site, kind="prefix", pattern="http://www.example.gov.cn", unit=cast.finance
    )
    hostonly = Owners(site)
    lookalike_host = Finding(
        "privacy_leak", Severity.MINOR, "http://www.example.gov.cn.evil.com/", ""
    )
    assert hostonly.unit_for(lookalike_host) == cast.gov.pk
    same_host = Finding("privacy_leak", Severity.MINOR, "http://www.example.gov.cn:80/a.html", "")
    assert hostonly.unit_for(same_host) == cast.finance.pk


def test_checkpoint_matching_prefers_the_task_with_most_words(cast: Cast) -> None:
    from gongkai.inspection.linking import CheckpointFinder
    from tests.work_factories import TaskSpec, make_plan, year_end

    today = timezone.localdate()
    plan = make_plan(
        [
            TaskSpec("做好网站建设工作", [cast.justice], rules=[year_end(today.year)]),
            TaskSpec(
                "做好网站信息维护，及时整改断错链", [cast.justice], rules=[year_end(today.year)]
            ),
            TaskSpec(
                "加强政府网站标识管理和 IPv6 改造", [cast.justice], rules=[year_end(today.year)]
            ),
            TaskSpec("保护个人信息", [cast.finance], rules=[year_end(today.year)]),
        ],
        year=today.year,
    )
    finder = CheckpointFinder(today)
    link = finder.find(cast.justice.pk, "broken_link")
    assert link is not None and "断错链" in link.task.requirement and link.plan_id == plan.pk
    ipv6 = finder.find(cast.justice.pk, "no_ipv6")
    assert ipv6 is not None and "IPv6" in ipv6.task.requirement
    assert finder.find(cast.justice.pk, "privacy_leak") is None  # that task is 财政局's
    assert finder.find(cast.finance.pk, "privacy_leak") is not None
    assert (
        CheckpointFinder(today.replace(year=today.year + 1)).find(cast.justice.pk, "broken_link")
        is None
    )  # another year's plan does not count
