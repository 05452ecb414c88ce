"""Regressions found in review of the work app: each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine

from gongkai.plans.models import Task, TaskStatus
from gongkai.work import actions, scoring
from gongkai.work.models import Assignment, Checkpoint, Rubric
from gongkai.work.schedule import slots_for
from gongkai.work.sync import sync_plan
from gongkai.workdays import national_calendar
from tests.conftest import Cast, client_for, csrf_post
from tests.test_work_pages import NOW, POLICY, Work, build_work, ids, report
from tests.work_factories import TaskSpec, make_plan, quarterly


@pytest.fixture
def work(cast: Cast) -> Iterator[Work]:
    with time_machine.travel(NOW, tick=False):
        yield build_work(cast)


@pytest.mark.parametrize(
    "url",
    [
        "/work/?plan=%C2%B2",
        "/work/?unit=%C2%B2",
        "/api/work/checkpoints?year=%C2%B2",
        "/work/dashboard/?plan=%C2%B2",
        "/api/work/checkpoints?offset=99999999999999999999999",
        "/work/ledger/export/?plan=99999999999999999999999",
    ],
)
def test_odd_numbers_in_a_query_are_not_a_server_error(work: Work, url: str) -> None:
    client = client_for(work.cast.office)
    client.raise_request_exception = False
    assert client.get(url).status_code in (200, 302, 400, 404)


def test_odd_numbers_on_the_quarter_pages_are_not_a_server_error(work: Work) -> None:
    check = scoring.start_check(work.cast.office, work.plan, 2026, 1)
    client = client_for(work.cast.office)
    client.raise_request_exception = False
    for url in (
        f"/work/quarters/{check.pk}/?unit=%C2%B2",
        f"/work/quarters/{check.pk}/?unit=99999999999999999999999",
        f"/work/ledger/export/?plan={work.plan.pk}&unit=%C2%B2",
    ):
        assert client.get(url).status_code in (200, 404), url
    scored = csrf_post(client, f"/work/quarters/{check.pk}/score/", {"checkpoint": "²"})
    assert scored.status_code == 404


def test_a_move_after_scoring_counts_for_the_unit_that_holds_the_checkpoint(work: Work) -> None:
    cast = work.cast
    with time_machine.travel(NOW, tick=False):
        checkpoint = work.justice()
        actions.review_report(cast.office, report(cast.justice_liaison, checkpoint), accept=True)
        check = scoring.start_check(cast.office, work.plan, 2026, 1)
        scoring.prescore(cast.office, check)  # 司法局 完成; 财政局 未完成
        checkpoint.refresh_from_db()
        actions.move_assignment(cast.office, checkpoint.assignment, cast.finance, "调整")
        results = {r.unit: r for r in scoring.unit_results(check)}
    assert set(results) == {"区财政局"}
    assert results["区财政局"].score == 50.0  # one 完成 (100), one 未完成 (0)
    assert results["区财政局"].counts["unscored"] == 0


def test_a_task_removed_and_restored_keeps_the_offices_assignment(work: Work) -> None:
    cast = work.cast
    with time_machine.travel(NOW, tick=False):
        actions.move_assignment(cast.office, work.justice().assignment, cast.finance, "调整")
        task = Task.objects.get(requirement=POLICY)
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.REMOVED)
        sync_plan(work.plan)
        assert not Checkpoint.objects.filter(task=task, cancelled=False).exists()
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.ACTIVE)
        sync_plan(work.plan)
    holders = Assignment.objects.filter(task=task, active=True).values_list("unit", flat=True)
    assert list(holders) == [cast.finance.pk]
    assert Checkpoint.objects.filter(task=task, cancelled=False, unit=cast.finance).exists()


@pytest.mark.parametrize("weight", ["10000", "1e30"])
def test_an_oversized_rubric_weight_is_refused_not_stored(cast: Cast, weight: str) -> None:
    office = client_for(cast.office)
    response = csrf_post(
        office,
        "/work/rubrics/",
        {"name": "x", "done": "100", "partly": "60", "not_done": "0", "default_weight": weight},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Rubric.objects.filter(name="x").exists()
    assert office.get("/work/quarters/").status_code == 200
    with pytest.raises(scoring.ScoreRejected):
        scoring.new_rubric_version(
            cast.office, "y", {"done": 1, "partly": 1, "not_done": 0}, {"主动公开": "1e40"}
        )


def test_the_dashboards_links_keep_all_plans_and_the_uncategorised(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        make_plan([TaskSpec("旧任务", [cast.justice], rules=[quarterly()])], year=2025, name="旧")
        plan = make_plan(
            [
                TaskSpec("无类别任务", [cast.justice], path=(), rules=[quarterly()]),
                TaskSpec("有类别任务", [cast.justice], path=("主动公开",), rules=[quarterly()]),
            ]
        )
        office = client_for(cast.office)
        html = office.get("/work/dashboard/", {"plan": ""}).content.decode()
        total = re.search(r"<strong>(\d+)</strong><span>任务节点", html)
        link = re.search(r'<a href="([^"]+)"><strong>\d+</strong><span>任务节点', html)
        assert total and link
        listing = office.get(link.group(1).replace("&amp;", "&")).content.decode()
        assert int(total.group(1)) == len(ids(listing)) == 12  # three tasks, both plans

        html = office.get("/work/dashboard/", {"plan": plan.pk}).content.decode()
        row = re.search(r'<a href="([^"]+)">（未分类）</a></th><td><a href="[^"]+">(\d+)</a>', html)
        assert row
        listing = office.get(row.group(1).replace("&amp;", "&")).content.decode()
        assert int(row.group(2)) == len(ids(listing)) == 4


def test_a_moved_checkpoint_is_reminded_to_its_new_unit_and_a_cancelled_one_not_reviewed(
    work: Work,
) -> None:
    cast = work.cast
    with time_machine.travel(NOW, tick=False):
        checkpoint = work.justice("q2026-4")
        Checkpoint.objects.filter(pk=checkpoint.pk).update(reminded_soon_on=dt.date(2026, 11, 20))
        actions.move_assignment(cast.office, checkpoint.assignment, cast.finance, "调整")
        checkpoint.refresh_from_db()
        assert checkpoint.unit_id == cast.finance.pk and checkpoint.reminded_soon_on is None

        other = work.finance("q2026-4")
        pending = report(cast.finance_liaison, other)
        actions.remove_assignment(cast.office, other.assignment, "不再承担")
        with pytest.raises(actions.WorkRejected, match="已取消"):
            actions.review_report(cast.office, pending, accept=True)
        pending.refresh_from_db()
        other.refresh_from_db()
    assert pending.review == "pending" and other.review != "accepted"


def test_monthly_and_yearly_rules_fall_on_the_day_they_name() -> None:
    calendar = national_calendar()
    monthly = slots_for(
        [{"kind": "recurring", "text": "每月10日前", "amount": 1, "unit": "month"}], 2026, calendar
    )
    assert [s.nominal.day for s in monthly] == [10] * 12
    assert monthly[0].due == dt.date(2026, 1, 9)  # the 10th is a Saturday
    yearly = slots_for(
        [
            {"kind": "recurring", "text": "每年", "amount": 1, "unit": "year"},
            {"kind": "by_date", "text": "3月底前", "date": "2026-03-31"},
        ],
        2026,
        calendar,
    )
    assert [s.key for s in yearly] == ["d2026-03-31"]


def test_an_evidence_link_too_long_to_store_is_refused(work: Work) -> None:
    with time_machine.travel(NOW, tick=False):
        checkpoint = work.justice()
        with pytest.raises(actions.WorkRejected, match="链接过长"):
            actions.submit_report(
                work.cast.justice_liaison,
                checkpoint,
                actions.ReportInput("in_progress", urls=["https://example.gov.cn/" + "a" * 2000]),
            )
