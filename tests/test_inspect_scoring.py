"""The score after 国办秘函〔2019〕19号 (domain-rules §3.1, §8 D7): vetoes, capped deductions,
the pass mark, the portal bonus and the 75-point scale for departments without services."""

from __future__ import annotations

import pytest

from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.scoring import NATIONAL_2019, RUBRICS, Indicator, Rubric, VetoRule, score


def _f(kind: str, n: int = 1, severity: Severity = Severity.MAJOR) -> list[Finding]:
    return [Finding(kind, severity, f"http://x.gov.cn/{kind}/{i}", "问题") for i in range(n)]


def test_no_findings_is_a_full_score() -> None:
    result = score([])
    assert result.to_json() == {
        "veto": False,
        "veto_reasons": [],
        "deductions": 0,
        "base": 100,
        "result": 100,
        "grade": "合格",
    }


def test_a_home_page_not_updated_vetoes_and_leaves_no_score() -> None:
    result = score(_f("homepage_not_updated", severity=Severity.VETO) + _f("broken_link", 3))
    assert result.veto and result.result is None and result.grade == "不合格"
    assert any("首页不更新" in r for r in result.veto_reasons)


@pytest.mark.parametrize(("kind", "n", "veto"), [
    ("stale_column", 4, False), ("stale_column", 5, True),
    ("empty_column", 4, False), ("empty_column", 5, True),
])  # fmt: skip
def test_column_vetoes_start_at_five(kind: str, n: int, veto: bool) -> None:
    assert score(_f(kind, n)).veto is veto


def test_deductions_are_capped_per_indicator() -> None:
    # 100 broken links at 0.5 each would be 50 points; the links indicator caps at 10.
    result = score(_f("broken_link", 100))
    assert result.deductions == 10 and result.result == 90
    assert sum(result.costs) == 10
    assert result.costs[:20] == [0.5] * 20 and result.costs[20:] == [0.0] * 80
    assert result.by_indicator == {"links": 10}


def test_below_sixty_fails_and_sixty_passes() -> None:
    rubric = Rubric("t", "t", (), (Indicator("a", "a", 100, {"x": 1}),))
    assert score(_f("x", 41), rubric).grade == "不合格"  # 59
    assert score(_f("x", 40), rubric).grade == "合格"  # 60


def test_bonus_only_for_portals_above_eighty_and_capped() -> None:
    findings = _f("search_broken")  # 95
    assert score(findings, portal=True, bonus=50).result == 125  # 95 + 30 (cap)
    assert score(findings, portal=False, bonus=50).result == 95
    rubric = Rubric("t", "t", (), (Indicator("a", "a", 100, {"x": 1}),))
    assert score(_f("x", 25), rubric, portal=True, bonus=10).result == 75  # 75 ≤ 80: no bonus


def test_departments_without_services_are_scored_out_of_75_times_four_thirds() -> None:
    result = score(_f("search_broken"), external_services=False)  # (75 - 5) × 4/3
    assert result.result == pytest.approx(93.33, abs=0.01)


def test_a_veto_finding_of_any_type_vetoes_with_its_own_reason() -> None:
    serious = Finding(
        "typo_or_wrong_term", Severity.VETO, "http://x.gov.cn/a", "严重表述错误：某某"
    )
    result = score([serious])
    assert result.veto and result.veto_reasons == ["严重表述错误：某某"]


def test_unknown_types_cost_nothing_and_rubrics_are_registered_by_version() -> None:
    assert score(_f("something_new", 3)).deductions == 0
    assert RUBRICS["national-2019"] is NATIONAL_2019
    custom = Rubric("prov", "省版", (VetoRule("no_ipv6", 1, "无IPv6"),), ())
    assert score(_f("no_ipv6"), custom).veto_reasons == ["无IPv6"]
