"""The dashboard (统计看板): its numbers, filters, drill-down links, scoping and query count."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.plans.models import Plan
from gongkai.units.models import Unit, UnitKind
from gongkai.work.actions import ReportInput, submit_report
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for
from tests.work_factories import TaskSpec, make_plan, quarterly, year_end

TODAY = dt.datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/work/dashboard/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Test databases reuse ids, so a figure cached by one test could match another's key.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(cast: Cast, clock: None) -> Plan:
    """司法局 and 财政局 report each quarter on one task; 司法局 also owes one by year end.

    On 21 November: three quarters are past, so six quarterly checkpoints are overdue."""
    return make_plan(
        [
            TaskSpec(
                "按季度公开财政预决算执行情况", [cast.justice, cast.finance], rules=[quarterly()]
            ),
            TaskSpec(
                "做好行政规范性文件解读",
                [cast.justice],
                path=("政策解读",),
                rules=[year_end()],
            ),
        ]
    )


def _q1(plan: Plan, unit: Unit) -> Checkpoint:
    return Checkpoint.objects.get(plan=plan, unit=unit, due__month=3)


def _page(user: Any, query: str = "") -> Any:
    response = client_for(user).get(URL + query)
    assert response.status_code == 200
    return response


def _params(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert parts.path == reverse("work:list")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_dashboard_counts_the_plan(cast: Cast, plan: Plan) -> None:
    submit_report(cast.justice_liaison, _q1(plan, cast.justice), ReportInput("done", text="已公开"))
    page = _page(cast.office)
    head = page.context["head"]
    assert (head.total, head.finished, head.overdue, head.pending) == (9, 1, 5, 1)
    assert head.rate == 11.1
    rows = {name: c for _, name, c, _ in page.context["unit_rows"]}
    assert (rows["区司法局"].total, rows["区司法局"].overdue, rows["区司法局"].finished) == (
        5,
        2,
        1,
    )
    assert (rows["区财政局"].total, rows["区财政局"].overdue) == (4, 3)
    # Most overdue first.
    assert [name for _, name, _, _ in page.context["unit_rows"]] == ["区财政局", "区司法局"]
    cats = {name: c for name, c, _ in page.context["category_rows"]}
    assert (cats["公开重点"].total, cats["公开重点"].overdue) == (8, 5)
    assert (cats["政策解读"].total, cats["政策解读"].overdue) == (1, 0)
    heat = dict(page.context["heat_rows"])
    assert [n for n, _ in heat["区财政局"]] == [1, 1, 1]  # March, June, September
    assert [n for n, _ in heat["区司法局"]] == [0, 1, 1]
    weeks = page.context["fig"].weeks
    assert sum(w.due for w in weeks) == 9
    assert sum(w.finished for w in weeks) == 1
    assert weeks[-1].rate == 11.1


def test_dashboard_shows_a_submitted_report_at_once(cast: Cast, plan: Plan) -> None:
    assert _page(cast.office).context["head"].overdue == 6  # now cached
    submit_report(cast.justice_liaison, _q1(plan, cast.justice), ReportInput("done", text="已公开"))
    head = _page(cast.office).context["head"]
    assert (head.finished, head.overdue, head.pending) == (1, 5, 1)


def test_dashboard_filters_by_quarter_unit_and_category(cast: Cast, plan: Plan) -> None:
    assert _page(cast.office, "?quarter=1").context["head"].total == 2
    assert _page(cast.office, "?year=2026&quarter=4").context["head"].total == 3
    assert _page(cast.office, "?year=2025").context["head"].total == 0
    only_finance = _page(cast.office, f"?unit={cast.finance.pk}").context["head"]
    assert (only_finance.total, only_finance.overdue) == (4, 3)
    cat = _page(cast.office, "?category=政策解读").context["head"]
    assert (cat.total, cat.overdue) == (1, 0)
    assert _page(cast.office, f"?plan={plan.pk}&category=政策解读").context["categories"] == [
        "公开重点",
        "政策解读",
    ]


def test_bad_filter_values_are_ignored_with_a_message(cast: Cast, plan: Plan) -> None:
    page = _page(cast.office, "?quarter=9")
    assert page.context["head"].total == 9
    assert "已忽略" in page.content.decode()


def test_drill_down_links_carry_the_filters(cast: Cast, plan: Plan) -> None:
    page = _page(cast.office, "?quarter=3")
    links = page.context["head_links"]
    assert _params(links["overdue"]) == {
        "plan": str(plan.pk),
        "year": "2026",  # the plan's year, so the list reads a date range
        "quarter": "3",
        "state": "overdue",
    }
    assert _params(links["finished"])["state"] == "finished"
    assert _params(links["pending"]) == {
        "plan": str(plan.pk),
        "year": "2026",
        "quarter": "3",
        "state": "finished",
        "review": "pending",
    }
    _, _, _, unit_links = next(r for r in page.context["unit_rows"] if r[0] == cast.finance.pk)
    assert _params(unit_links["overdue"])["unit"] == str(cast.finance.pk)
    _, _, cat_links = page.context["category_rows"][0]
    assert _params(cat_links["total"])["category"] == "公开重点"
    _, cells = page.context["heat_rows"][0]
    assert _params(cells[0][1]) | {"unit": "-"} == {
        "plan": str(plan.pk),
        "year": "2026",
        "quarter": "3",
        "unit": "-",
        "state": "overdue",
        "due_from": "2026-09-01",
        "due_to": "2026-09-30",
    }
    week, week_link = page.context["week_rows"][0]
    assert _params(week_link)["due_from"] == week.monday.isoformat()
    assert _params(week_link)["due_to"] == week.sunday.isoformat()


def test_chart_data_carries_the_same_links(cast: Cast, plan: Plan) -> None:
    page = _page(cast.office)
    html = page.content.decode()
    start = html.index('<script id="dashboard-data" type="application/json">')
    raw = html[html.index(">", start) + 1 : html.index("</script>", start)]
    charts = json.loads(raw)
    # Tied on overdue: the one with more still to come first.
    assert charts["units"]["names"] == ["区司法局", "区财政局"]
    assert charts["units"]["overdue"] == [3, 3]
    assert charts["units"]["not_due"] == [2, 1]
    assert _params(charts["units"]["links"]["overdue"][0])["unit"] == str(cast.justice.pk)
    assert len(charts["trend"]["links"]) == len(charts["trend"]["labels"])
    assert charts["heat"]["months"] == ["2026年3月", "2026年6月", "2026年9月"]


def test_the_overdue_link_opens_the_same_checkpoints(cast: Cast, plan: Plan) -> None:
    page = _page(cast.office)
    _, _, counts, links = next(r for r in page.context["unit_rows"] if r[0] == cast.finance.pk)
    listed = client_for(cast.office).get(links["overdue"])
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == counts.overdue == 3


def test_liaison_sees_only_its_own_units_numbers(cast: Cast, plan: Plan) -> None:
    page = _page(cast.finance_liaison)
    head = page.context["head"]
    assert (head.total, head.overdue) == (4, 3)
    html = page.content.decode()
    assert "区司法局" not in html
    assert "政策解读" not in [name for name, _, _ in page.context["category_rows"]]
    # Asking for another unit's figures shows nothing rather than them.
    assert _page(cast.finance_liaison, f"?unit={cast.justice.pk}").context["head"].total == 0


def test_evaluator_sees_every_unit(cast: Cast, plan: Plan) -> None:
    assert _page(cast.evaluator).context["head"].total == 9


def test_page_works_without_scripts_and_loads_echarts_locally(cast: Cast, plan: Plan) -> None:
    html = _page(cast.office).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "/static/work/dashboard.js" in html
    assert '<script src="http' not in html and "cdn" not in html.lower()
    assert "<caption>各单位节点数（按逾期数排列）</caption>" in html
    assert "<caption>逾期节点数（单位 × 截止月份）</caption>" in html


def test_top_units_and_show_all(cast: Cast, clock: None) -> None:
    units = [
        Unit.objects.create(name=f"区第{i:02d}局", kind=UnitKind.DEPARTMENT) for i in range(25)
    ]
    make_plan([TaskSpec("按季度公开", units, rules=[quarterly()])])
    page = _page(cast.office)
    assert len(page.context["unit_rows"]) == 20
    assert "显示全部单位" in page.content.decode()
    assert len(_page(cast.office, "?all_units=1").context["unit_rows"]) == 25


def test_anonymous_is_sent_to_login(anon: Any) -> None:
    response = anon.get(URL)
    assert response.status_code == 302


def test_empty_dashboard_without_plans(cast: Cast) -> None:
    page = _page(cast.office)
    assert page.context["head"].total == 0
    assert "没有符合条件的任务节点" in page.content.decode()


def _queries(user: Any) -> int:
    cache.clear()
    client = client_for(user)
    client.get(reverse("home"))  # settle the session first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_units(
    cast: Cast, clock: None, count: int, django_assert_max_num_queries: Any
) -> None:
    units = [
        Unit.objects.create(name=f"区测试{i:02d}局", kind=UnitKind.DEPARTMENT) for i in range(count)
    ]
    make_plan(
        [
            TaskSpec("按季度公开", units, rules=[quarterly()]),
            TaskSpec("年底前完成", units[::2], path=("政策解读",), rules=[year_end()]),
        ]
    )
    client = client_for(cast.office)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(6):  # from the cache
        assert client.get(URL).status_code == 200
    assert _queries(cast.office) == _queries(cast.evaluator) == 10
    assert _queries(cast.justice_liaison) == 10


def test_after_a_change_the_old_figures_are_shown_marked_until_a_worker_recomputes(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.work import dashboard, tasks

    plan = make_plan([TaskSpec("定期公开", [cast.justice], rules=[quarterly()])])
    f = dashboard.dashboard_filter({"plan": str(plan.pk)})
    today = dt.date(2026, 11, 21)
    first = dashboard.figures(None, f, today)
    assert not first.stale and first.headline.finished == 0

    # No worker picks the refresh up yet: the page asks for one and shows what it has.
    asked: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.refresh_dashboard_task, "delay", lambda *a: asked.append(a))
    checkpoint = Checkpoint.objects.filter(unit=cast.justice).order_by("due").first()
    assert checkpoint is not None
    submit_report(cast.justice_liaison, checkpoint, ReportInput("done", text="已公开"))
    stale = dashboard.figures(None, f, today)
    assert stale.stale and stale.headline.finished == 0
    assert dashboard.figures(None, f, today).stale
    assert len(asked) == 1  # one refresh, however many pages are opened meanwhile

    # The worker computes; the next page is fresh.
    tasks.refresh_dashboard_task(*asked[0])
    fresh = dashboard.figures(None, f, today)
    assert not fresh.stale and fresh.headline.finished == 1


def test_a_new_day_serves_yesterdays_figures_marked_while_they_are_recounted(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.work import dashboard, tasks

    plan = make_plan([TaskSpec("定期公开", [cast.justice], rules=[quarterly()])])
    f = dashboard.dashboard_filter({"plan": str(plan.pk)})
    friday = dashboard.figures(None, f, dt.date(2026, 9, 30))
    assert friday.headline.overdue == 2  # Q1 and Q2
    asked: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.refresh_dashboard_task, "delay", lambda *a: asked.append(a))
    next_day = dashboard.figures(None, f, dt.date(2026, 10, 1))
    assert next_day.stale and next_day.headline.overdue == 2 and len(asked) == 1
    tasks.refresh_dashboard_task(*asked[0])
    recounted = dashboard.figures(None, f, dt.date(2026, 10, 1))
    assert not recounted.stale and recounted.headline.overdue == 3  # Q3 is now past due
