"""The rubric (versioned data) and the score, after 国办秘函〔2019〕19号 (domain-rules §3, §8 D7).

Mechanics that are the national text's: any veto → 不合格 and no score; otherwise 100 minus
the deductions, each indicator's total capped at its points; below 60 → 不合格; above 80 a
portal may add a bonus (cap 30 by default, configurable); a department without external
services is scored out of 75 and scaled by 4/3.

What the national text does not publish is the points per finding: the figures below are this
project's defaults, chosen from the few deductions on record (a 政策文件 column not updated in
6 months cost 5 points in a 2019 self-check) and stated as such on the result page. A province
with its own table registers a rubric of its own (`RUBRICS`), the stored result names the
version it was scored with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.inspect.findings import Finding, Severity


@dataclass(frozen=True)
class VetoRule:
    type: str
    min_count: int  # veto when at least this many findings of the type
    reason: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    points: float  # the cap: never more than this is deducted under the indicator
    per_finding: dict[str, float]  # finding type → points deducted for each


@dataclass(frozen=True)
class Rubric:
    version: str
    name: str
    vetoes: tuple[VetoRule, ...]
    indicators: tuple[Indicator, ...]
    base: float = 100
    bonus_cap: float = 30
    pass_mark: float = 60
    bonus_threshold: float = 80
    no_service_base: float = 75  # departments without external services

    def indicator_for(self, finding_type: str) -> Indicator | None:
        for indicator in self.indicators:
            if finding_type in indicator.per_finding:
                return indicator
        return None


NATIONAL_2019 = Rubric(
    version="national-2019",
    name="国办秘函〔2019〕19号 政府网站检查指标（平台默认扣分值）",
    vetoes=(
        VetoRule("homepage_not_updated", 1, "首页不更新：监测时间点前2周内首页无新增信息"),
        VetoRule("stale_column", 5, "栏目不更新：未按要求更新的栏目累计5个及以上"),
        VetoRule("empty_column", 5, "空白栏目5个及以上"),
    ),
    indicators=(
        Indicator(
            "info_update",
            "发布解读·信息更新",
            30,
            {"stale_column": 5, "empty_column": 2, "homepage_not_updated": 5},
        ),
        Indicator(
            "info_quality",
            "发布解读·内容规范",
            20,
            {
                "missing_metadata": 1,
                "missing_interpretation": 2,
                "missing_validity_mark": 2,
                "repost_without_source": 1,
                "typo_or_wrong_term": 2,
            },
        ),
        Indicator("privacy", "发布解读·个人信息保护", 20, {"privacy_leak": 5}),
        Indicator("links", "功能设计·链接可用性", 10, {"broken_link": 0.5, "wrong_link": 1}),
        Indicator(
            "identity",
            "功能设计·域名和网站标识",
            10,
            {"missing_site_identifier": 2, "bad_domain": 5},
        ),
        Indicator("tech", "功能设计·IPv6与HTTPS", 6, {"no_ipv6": 3, "https": 2}),
        Indicator("search", "功能设计·站内搜索", 5, {"search_broken": 5}),
        Indicator("new_media", "政务新媒体·内容更新", 10, {"new_media_stale": 5}),
    ),
)

RUBRICS: dict[str, Rubric] = {NATIONAL_2019.version: NATIONAL_2019}


@dataclass
class Score:
    veto: bool
    veto_reasons: list[str]
    deductions: float  # after the caps
    base: float
    result: float | None
    grade: str  # 合格 / 不合格
    rubric: str
    costs: list[float] = field(default_factory=list)  # per finding, in the findings' order
    by_indicator: dict[str, float] = field(default_factory=dict)  # code → points deducted

    def to_json(self) -> dict[str, Any]:
        return {
            "veto": self.veto,
            "veto_reasons": list(self.veto_reasons),
            "deductions": self.deductions,
            "base": int(self.base) if float(self.base).is_integer() else self.base,
            "result": self.result,
            "grade": self.grade,
        }


def score(
    findings: Iterable[Finding],
    rubric: Rubric = NATIONAL_2019,
    *,
    portal: bool = False,
    external_services: bool = True,
    bonus: float = 0,
) -> Score:
    """Score the findings. `bonus` is what the office awarded by hand (portals only)."""
    findings = list(findings)
    counts = Counter(f.type for f in findings)
    reasons = [rule.reason for rule in rubric.vetoes if counts[rule.type] >= rule.min_count]
    # A finding a check itself marks as a veto (a serious wording error, say) vetoes alone.
    reasons += [f.detail for f in findings if f.severity == Severity.VETO]
    reasons = list(dict.fromkeys(reasons))
    spent: dict[str, float] = dict.fromkeys((i.code for i in rubric.indicators), 0.0)
    costs: list[float] = []
    for finding in findings:
        indicator = rubric.indicator_for(finding.type)
        if indicator is None:
            costs.append(0.0)
            continue
        cost = min(indicator.per_finding[finding.type], indicator.points - spent[indicator.code])
        cost = max(cost, 0.0)
        spent[indicator.code] += cost
        costs.append(cost)
    deducted = round(sum(spent.values()), 2)
    base = rubric.base if external_services else rubric.no_service_base
    if reasons:
        return Score(True, reasons, deducted, rubric.base, None, "不合格", rubric.version, costs,
                     {k: v for k, v in spent.items() if v})  # fmt: skip
    result = max(base - deducted, 0.0)
    if not external_services:
        result = result * 4 / 3
    result = round(result, 2)
    if portal and result > rubric.bonus_threshold:
        result = round(result + min(max(bonus, 0.0), rubric.bonus_cap), 2)
    grade = "不合格" if result < rubric.pass_mark else "合格"
    return Score(False, [], deducted, rubric.base, result, grade, rubric.version, costs,
                 {k: v for k, v in spent.items() if v})  # fmt: skip
