"""The quarterly check: scope, scoring maths, prescoring, publishing, rubric versions, pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.plans.models import Plan
from gongkai.units.models import Unit, UnitKind
from gongkai.work.actions import ReportInput, review_report, submit_report
from gongkai.work.models import Checkpoint, CheckState, Progress, QuarterCheck, Result, Score
from gongkai.work.scoring import (
    DEFAULT_RUBRIC,
    RubricLocked,
    ScoreRejected,
    UnitResult,
    default_rubric,
    edit_rubric,
    in_scope,
    new_rubric_version,
    prescore,
    publish,
    rank,
    results_of,
    set_score,
    start_check,
    unit_results,
)
from tests.conftest import Cast, client_for, csrf_post
from tests.work_factories import TaskSpec, make_plan, quarterly

pytestmark = pytest.mark.django_db


def _plan(cast: Cast) -> Plan:
    """Task A (主动公开) for 司法局 and 财政局, task B (重点领域) for 财政局 only; quarterly."""
    return make_plan(
        [
            TaskSpec(
                "公开行政规范性文件",
                units=[cast.finance],
                lead=[cast.justice],
                path=("主动公开", "基础信息"),
                rules=[quarterly()],
            ),
            TaskSpec(
                "公开财政预决算信息", units=[cast.finance], path=("重点领域",), rules=[quarterly()]
            ),
        ]
    )


def _q1(check: QuarterCheck, unit: Unit, requirement: str) -> Checkpoint:
    return in_scope(check).get(unit=unit, task__requirement=requirement)


@pytest.fixture
def plan(cast: Cast) -> Plan:
    return _plan(cast)


@pytest.fixture
def check(cast: Cast, plan: Plan) -> QuarterCheck:
    return start_check(cast.office, plan, 2026, 1)


def _score_all(cast: Cast, check: QuarterCheck, result: str = Result.DONE) -> None:
    for cp in in_scope(check):
        set_score(cast.office, check, cp, result)


def test_scope_is_the_plans_checkpoints_due_in_the_quarter(cast: Cast, check: QuarterCheck) -> None:
    dues = sorted({cp.due for cp in in_scope(check)})
    assert dues and all(d.year == 2026 and d.month <= 3 for d in dues)
    assert in_scope(check).count() == 3  # A: 司法局 and 财政局; B: 财政局
    assert check.rubric.name == DEFAULT_RUBRIC and check.rubric.version == 1
    assert check.rubric.points == {"done": 100, "partly": 60, "not_done": 0}


def test_weighted_average_leaves_out_not_applicable(cast: Cast, plan: Plan) -> None:
    rubric = new_rubric_version(
        cast.office,
        "加权标准",
        {"done": 100, "partly": 60, "not_done": 0},
        {"主动公开": 2, "重点领域": 1},
    )
    check = start_check(cast.office, plan, 2026, 1, rubric)
    set_score(cast.office, check, _q1(check, cast.finance, "公开行政规范性文件"), Result.DONE)
    set_score(cast.office, check, _q1(check, cast.finance, "公开财政预决算信息"), Result.PARTLY)
    set_score(
        cast.office, check, _q1(check, cast.justice, "公开行政规范性文件"), Result.NOT_APPLICABLE
    )
    results = {r.unit: r for r in unit_results(check)}
    finance, justice = results["区财政局"], results["区司法局"]
    assert finance.score == 86.7  # (2×100 + 1×60) / 3
    assert finance.rank == 1
    assert finance.counts == {"done": 1, "partly": 1, "not_done": 0, "na": 1 - 1, "unscored": 0}
    assert justice.score is None and justice.rank is None  # all not applicable: no score
    assert justice.counts["na"] == 1


def test_unscored_checkpoints_are_counted_but_not_scored(cast: Cast, check: QuarterCheck) -> None:
    set_score(cast.office, check, _q1(check, cast.finance, "公开财政预决算信息"), Result.NOT_DONE)
    finance = next(r for r in unit_results(check) if r.unit == "区财政局")
    assert finance.score == 0.0 and finance.counts["unscored"] == 1


def test_equal_scores_share_a_rank() -> None:
    ranked = rank(
        [
            UnitResult(1, "甲", 80.0),
            UnitResult(2, "乙", 90.0),
            UnitResult(3, "丙", None),
            UnitResult(4, "丁", 90.0),
            UnitResult(5, "戊", 70.5),
        ]
    )
    assert [(r.unit, r.rank) for r in ranked] == [
        ("丁", 1),
        ("乙", 1),
        ("甲", 3),
        ("戊", 4),
        ("丙", None),
    ]


def test_prescore_fills_only_unscored_rows_from_the_report_state(
    cast: Cast, check: QuarterCheck
) -> None:
    justice_a = _q1(check, cast.justice, "公开行政规范性文件")
    finance_a = _q1(check, cast.finance, "公开行政规范性文件")
    finance_b = _q1(check, cast.finance, "公开财政预决算信息")
    report = submit_report(cast.justice_liaison, justice_a, ReportInput(Progress.DONE, "已公开"))
    review_report(cast.office, report, accept=True)
    submit_report(cast.finance_liaison, finance_a, ReportInput(Progress.IN_PROGRESS, "推进中"))
    set_score(cast.office, check, finance_b, Result.DONE, "人工核对")

    assert prescore(cast.office, check) == 2
    scores = {s.checkpoint_id: s for s in Score.objects.filter(quarter_check=check)}
    assert scores[justice_a.pk].result == Result.DONE
    assert scores[finance_a.pk].result == Result.PARTLY
    assert (scores[finance_b.pk].result, scores[finance_b.pk].comment) == (Result.DONE, "人工核对")
    assert prescore(cast.office, check) == 0
    assert AuditEvent.objects.filter(comment__startswith="按报送状态预评分").count() == 1


def test_publish_needs_every_checkpoint_scored(cast: Cast, check: QuarterCheck) -> None:
    set_score(cast.office, check, _q1(check, cast.finance, "公开财政预决算信息"), Result.DONE)
    with pytest.raises(ScoreRejected, match="还有2个节点未评分"):
        publish(cast.office, check)
    check.refresh_from_db()
    assert check.state == CheckState.DRAFT and check.results == []


def test_published_results_are_frozen(cast: Cast, check: QuarterCheck) -> None:
    _score_all(cast, check, Result.PARTLY)
    publish(cast.office, check)
    check.refresh_from_db()
    frozen = check.results
    assert check.state == CheckState.PUBLISHED and check.published_by == cast.office
    assert {r["unit"]: r["score"] for r in frozen} == {"区司法局": 60.0, "区财政局": 60.0}
    assert [r["rank"] for r in frozen] == [1, 1]

    cp = _q1(check, cast.finance, "公开财政预决算信息")
    with pytest.raises(ScoreRejected, match="已发布"):
        set_score(cast.office, check, cp, Result.DONE)
    report = submit_report(cast.finance_liaison, cp, ReportInput(Progress.DONE, "补充完成"))
    review_report(cast.office, report, accept=True)
    with pytest.raises(ScoreRejected):
        prescore(cast.office, check)
    check.refresh_from_db()
    assert check.results == frozen
    assert [r.to_dict() for r in results_of(check)] == frozen
    assert Score.objects.get(quarter_check=check, checkpoint=cp).result == Result.PARTLY
    assert AuditEvent.objects.filter(comment__startswith="发布2026年第1季度").count() == 1


def test_rubric_versions_and_used_rubrics_are_locked(cast: Cast, plan: Plan) -> None:
    first = default_rubric()
    assert default_rubric() == first
    second = new_rubric_version(
        cast.office, DEFAULT_RUBRIC, {"done": 100, "partly": 50, "not_done": 0}, {"主动公开": 3}
    )
    assert (second.version, second.weights) == (2, {"主动公开": 3.0})
    assert default_rubric() == second

    edit_rubric(cast.office, second, points={"done": 100, "partly": 40, "not_done": 0})
    second.refresh_from_db()
    assert second.points["partly"] == 40

    check = start_check(cast.office, plan, 2026, 1, second)
    _score_all(cast, check)
    publish(cast.office, check)
    with pytest.raises(RubricLocked, match="新版本"):
        edit_rubric(cast.office, second, weights={})
    with pytest.raises(ScoreRejected, match="分值应为"):
        new_rubric_version(cast.office, DEFAULT_RUBRIC, {"done": 120, "partly": 0, "not_done": 0})
    with pytest.raises(Exception, match="只有公开办"):
        new_rubric_version(cast.finance_liaison, "x", {"done": 1, "partly": 1, "not_done": 0})


def test_a_second_check_of_the_same_quarter_is_refused(cast: Cast, check: QuarterCheck) -> None:
    with pytest.raises(ScoreRejected, match="已经创建"):
        start_check(cast.office, check.plan, 2026, 1)


# -- pages ------------------------------------------------------------------------------------


def test_office_starts_a_check_from_the_list(cast: Cast, plan: Plan) -> None:
    client = client_for(cast.office)
    response = csrf_post(
        client, reverse("work:quarters"), {"plan": plan.pk, "year": 2026, "quarter": 2}
    )
    check = QuarterCheck.objects.get(plan=plan, quarter=2)
    assert response.status_code == 302 and response["Location"] == reverse(
        "work:quarter", args=[check.pk]
    )
    assert "2026年第2季度" in client.get(reverse("work:quarters")).content.decode()
    refused = csrf_post(
        client_for(cast.justice_liaison),
        reverse("work:quarters"),
        {"plan": plan.pk, "year": 2026, "quarter": 3},
    )
    assert refused.status_code == 403


def test_office_scores_a_row_over_htmx(cast: Cast, check: QuarterCheck) -> None:
    cp = _q1(check, cast.finance, "公开财政预决算信息")
    client = client_for(cast.office)
    page = client.get(reverse("work:quarter", args=[check.pk])).content.decode()
    assert f'id="score-{cp.pk}"' in page and "按报送状态预评分" in page
    response = csrf_post(
        client,
        reverse("work:quarter_score", args=[check.pk]),
        {"checkpoint": cp.pk, "result": Result.PARTLY, "comment": "缺少佐证"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(f'<tr id="score-{cp.pk}"')
    assert "已保存" in html and 'value="partly" selected' in html
    score = Score.objects.get(quarter_check=check, checkpoint=cp)
    assert (score.result, score.comment, score.unit) == (Result.PARTLY, "缺少佐证", cast.finance)
    assert AuditEvent.objects.filter(object_repr=str(score), unit_id=cast.finance.pk).exists()

    bad = csrf_post(
        client, reverse("work:quarter_score", args=[check.pk]), {"checkpoint": cp.pk, "result": "x"}
    )
    assert "请选择评定结果" in bad.content.decode()


def test_liaison_and_evaluator_cannot_score(cast: Cast, check: QuarterCheck) -> None:
    cp = _q1(check, cast.justice, "公开行政规范性文件")
    url = reverse("work:quarter_score", args=[check.pk])
    for user in (cast.justice_liaison, cast.evaluator, cast.justice_leader):
        response = csrf_post(client_for(user), url, {"checkpoint": cp.pk, "result": "done"})
        assert response.status_code == 403
    for name in ("work:quarter_publish", "work:quarter_prescore"):
        response = csrf_post(client_for(cast.evaluator), reverse(name, args=[check.pk]))
        assert response.status_code == 403
    assert not Score.objects.exists()


def test_evaluator_reads_a_draft_without_controls(cast: Cast, check: QuarterCheck) -> None:
    response = client_for(cast.evaluator).get(reverse("work:quarter", args=[check.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "公开财政预决算信息" in html and '<select name="result"' not in html
    assert "发布检查结果" not in html
    assert (
        client_for(cast.evaluator).get(reverse("work:quarter_print", args=[check.pk])).status_code
        == 200
    )


def test_liaison_sees_only_published_checks_and_own_rows(cast: Cast, check: QuarterCheck) -> None:
    liaison = client_for(cast.justice_liaison)
    for name in ("work:quarter", "work:quarter_print", "work:quarter_export"):
        assert liaison.get(reverse(name, args=[check.pk])).status_code == 404
    assert "还没有发布" in liaison.get(reverse("work:quarters")).content.decode()

    _score_all(cast, check)
    publish(cast.office, check)
    html = liaison.get(reverse("work:quarter", args=[check.pk])).content.decode()
    assert "公开行政规范性文件" in html
    assert "公开财政预决算信息" not in html  # 财政局's own task: hidden
    assert "区财政局" in html  # but the published ranking lists every unit
    other = liaison.get(reverse("work:quarter", args=[check.pk]), {"unit": cast.finance.pk})
    assert "公开行政规范性文件" not in other.content.decode()
    printed = liaison.get(reverse("work:quarter_print", args=[check.pk])).content.decode()
    assert "@media print" in printed and "区财政局" in printed


def test_publish_page_action_reports_missing_scores(cast: Cast, check: QuarterCheck) -> None:
    client = client_for(cast.office)
    response = csrf_post(client, reverse("work:quarter_publish", args=[check.pk]))
    assert response.status_code == 302
    page = client.get(reverse("work:quarter", args=[check.pk])).content.decode()
    assert "还有3个节点未评分" in page
    csrf_post(client, reverse("work:quarter_prescore", args=[check.pk]))
    csrf_post(client, reverse("work:quarter_publish", args=[check.pk]))
    check.refresh_from_db()
    assert check.is_published


def test_result_export_is_a_workbook(cast: Cast, check: QuarterCheck) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    _score_all(cast, check)
    publish(cast.office, check)
    response = client_for(cast.finance_liaison).get(reverse("work:quarter_export", args=[check.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.getvalue())).active
    assert ws is not None
    assert [c.value for c in ws[2]][:3] == ["排名", "单位", "得分"]
    assert {ws.cell(r, 2).value: ws.cell(r, 3).value for r in (3, 4)} == {
        "区司法局": 100.0,
        "区财政局": 100.0,
    }


def _many_units(cast: Cast, n: int) -> QuarterCheck:
    units = [
        Unit.objects.create(name=f"测试单位{i:03d}", kind=UnitKind.DEPARTMENT) for i in range(n)
    ]
    specs = [
        TaskSpec(f"任务{t}", units=units, path=(f"类别{t % 3}",), rules=[quarterly()])
        for t in range(2)
    ]
    plan = make_plan(specs, name=f"清单{n}")
    return start_check(cast.office, plan, 2026, 1)


def test_scoring_page_queries_do_not_grow_with_units(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    check = _many_units(cast, 60)  # 120 checkpoints: more than a page
    for cp in in_scope(check)[:50]:
        set_score(cast.office, check, cp, Result.DONE)
    client = client_for(cast.office)
    url = reverse("work:quarter", args=[check.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="score-') == 100
    with django_assert_max_num_queries(14):
        assert client.get(url, {"page": 2}).status_code == 200


def test_the_office_makes_a_rubric_version_on_the_page_and_starts_a_check_with_it(
    cast: Cast,
) -> None:
    from gongkai.work.models import QuarterCheck, Rubric
    from tests.work_factories import TaskSpec, make_plan, quarterly

    plan = make_plan([TaskSpec("定期公开", [cast.justice], rules=[quarterly()])])
    office = client_for(cast.office)
    page = office.get("/work/rubrics/").content.decode()
    assert "季度检查评分标准（第1版）" in page  # the default, made on first use
    response = csrf_post(
        office,
        "/work/rubrics/",
        {
            "name": "季度检查评分标准",
            "done": "100",
            "partly": "50",
            "not_done": "0",
            "default_weight": "1",
            "weights": "公开重点：2\n平台建设: 0.5",
        },
    )
    assert response.status_code == 302
    second = Rubric.objects.get(version=2)
    assert second.points == {"done": 100.0, "partly": 50.0, "not_done": 0.0}
    assert second.weights == {"公开重点": 2.0, "平台建设": 0.5}

    bad = csrf_post(
        office,
        "/work/rubrics/",
        {
            "name": "x",
            "done": "100",
            "partly": "50",
            "not_done": "0",
            "default_weight": "1",
            "weights": "没有冒号的一行",
        },
    )
    assert bad.status_code == 200 and "类别：权重" in bad.content.decode()
    assert Rubric.objects.count() == 2

    response = csrf_post(
        office,
        "/work/quarters/",
        {"plan": plan.pk, "year": 2026, "quarter": 1, "rubric": second.pk},
    )
    assert response.status_code == 302
    assert QuarterCheck.objects.get().rubric == second

    liaison = client_for(cast.justice_liaison)
    assert liaison.get("/work/rubrics/").status_code == 403
    assert client_for(cast.evaluator).get("/work/rubrics/").status_code == 200
    assert csrf_post(client_for(cast.evaluator), "/work/rubrics/", {}).status_code == 403


def test_the_api_lists_checks_and_their_results_by_the_pages_rules(cast: Cast) -> None:
    from gongkai.work.scoring import prescore, publish

    plan = make_plan([TaskSpec("定期公开", [cast.justice, cast.finance], rules=[quarterly()])])
    check = start_check(cast.office, plan, 2026, 1)
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)
    assert [c["id"] for c in office.get("/api/work/quarters").json()] == [check.pk]
    assert liaison.get("/api/work/quarters").json() == []  # a draft is the office's
    assert liaison.get(f"/api/work/quarters/{check.pk}").status_code == 404

    prescore(cast.office, check)
    publish(cast.office, check)
    detail = liaison.get(f"/api/work/quarters/{check.pk}").json()
    assert detail["state"] == "published"
    assert {r["unit"] for r in detail["results"]} == {"区司法局", "区财政局"}
    assert all(r["rank"] == 1 and r["score"] == 0.0 for r in detail["results"])
