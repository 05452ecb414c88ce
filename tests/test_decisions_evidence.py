"""The catalogue as evidence on the task list: the checkpoints of the seed tasks about the
decision catalogue, 决策预公开 and 后评估 show the unit's items and figures without the unit
typing them, problems marked; tasks about anything else (the 「重大决策部署」 reposting tasks)
do not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gongkai.decisions import actions
from gongkai.decisions.actions import CatalogueInput, DecisionInput, EvaluationInput, ItemInput
from gongkai.decisions.linked import SOURCE
from gongkai.work.linked import matching_sources
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for
from tests.test_decisions_story import at, consultation, text_of
from tests.work_factories import TaskSpec, make_plan, year_end

TASKLISTS = Path(__file__).parent / "fixtures" / "tasklist"

#: The seed tasks the register answers: (seed, line).
ANSWERED = {
    ("000", 94),  # 重大决策预公开: 集中发布重大决策草案、草案解读和意见征集
    ("000", 100),  # 重大决策预公开工作 …《重大行政决策程序暂行条例》
    ("002", 116),  # 及时发布本单位重大行政决策事项目录
    ("002", 118),  # 集中发布本部门所有重大决策草案
    ("004", 10),  # 制定发布重大行政决策事项目录、标准，做好重大决策预公开工作
    ("004", 16),  # 公布决策草案 … 公开征求意见的期限一般不少于30日
    ("004", 112),  # 重大决策执行效果跟踪反馈和后评估机制
}


class _Task:
    def __init__(self, path: list[str], requirement: str) -> None:
        self.path, self.requirement = path, requirement


def test_the_source_answers_exactly_the_seed_tasks_about_major_decisions() -> None:
    matched = set()
    for f in sorted(TASKLISTS.glob("*.expected.json")):
        for task in json.loads(f.read_text(encoding="utf-8"))["tasks"]:
            if SOURCE in matching_sources(_Task(task["path"], task["requirement"])):
                matched.add((f.name.split(".")[0], task["line"]))
    assert matched == ANSWERED


def test_a_checkpoint_shows_the_units_items_and_figures(cast: Cast) -> None:
    requirement = "及时发布本单位重大行政决策事项目录。"
    with at("2026-01-05 09:00"):
        plan = make_plan(
            [
                TaskSpec(
                    requirement,
                    [cast.justice, cast.finance],
                    path=("主动公开", "基础信息公开", "重大决策 预公开"),
                    rules=[year_end()],
                )
            ]
        )
        sifa_cp = Checkpoint.objects.get(plan=plan, unit=cast.justice)
        before = text_of(client_for(cast.justice_liaison).get(f"/work/checkpoints/{sifa_cp.pk}/"))
        assert "平台登记的佐证" in before and "2026 年度重大行政决策事项目录尚未编制" in before

        c = actions.create_catalogue(cast.office, 2026, CatalogueInput(dt.date(2026, 1, 4)))
        rule = actions.add_item(
            cast.office, c, ItemInput("区行政执法公示办法", cast.justice, "2026年二季度")
        )
        actions.add_item(
            cast.office, c, ItemInput("区财政专项资金管理办法", cast.finance, "2026年6月")
        )
        actions.publish_catalogue(cast.office, c)
    with at("2026-02-02 09:00"):
        actions.link_consultation(
            cast.justice_liaison, rule, consultation(cast, dt.date(2026, 2, 2), 30)
        )
    with at("2026-07-06 09:00"):
        rule.refresh_from_db()
        actions.record_decision(
            cast.justice_liaison,
            rule,
            DecisionInput(dt.date(2026, 4, 1), url="https://www.example.gov.cn/zfxxgk/1.html"),
        )
        actions.record_evaluation(
            cast.justice_liaison,
            rule,
            EvaluationInput(dt.date(2026, 7, 1), "执行良好", public=True),
        )
        sifa = text_of(client_for(cast.justice_liaison).get(f"/work/checkpoints/{sifa_cp.pk}/"))
        assert "2026 年度目录已于 2026-01-05 发布，列入本单位决策事项 1 项" in sifa
        assert "已公开征求意见 1 项，已公布决策 1 项，已完成后评估 1 项（结果已公开 1 项）" in sifa
        assert (
            "「区行政执法公示办法」（计划 2026年二季度）："
            "已公开征求意见，2026-04-01 已作出决策，已后评估" in sifa
        )
        assert "区财政专项资金管理办法" not in sifa

        czj_cp = Checkpoint.objects.get(plan=plan, unit=cast.finance)
        page = client_for(cast.finance_liaison).get(f"/work/checkpoints/{czj_cp.pk}/")
        czj = text_of(page)
        assert "已公开征求意见 0 项，已公布决策 0 项" in czj
        assert "「区财政专项资金管理办法」：计划完成时间（2026年6月）已过，尚未公开征求意见" in czj
        assert "区行政执法公示办法" not in czj
