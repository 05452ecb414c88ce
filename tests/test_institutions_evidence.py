"""The register as evidence: a checkpoint of a task about 机构职能 (a seed line) shows the unit's
current state — published or not, the date, what is missing, whether it is stale — without the
unit typing it; the keywords pick the seeds' 机构职能 tasks (traditional characters too) and
leave unrelated ones, such as construction projects' 项目负责人信息, alone."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from gongkai.institutions import actions
from gongkai.institutions.status import SOURCE
from gongkai.tasklist.parse import parse_file
from gongkai.work.linked import matching_sources, task_text
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for
from tests.test_institutions_story import at, profile_form, publish_unit, text_of
from tests.work_factories import TaskSpec, make_plan, year_end

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
#: Seed 000, line 22, under 主动公开 / 基础信息公开 / 机构职能.
SEED_000 = (
    "规范公开机构职能信息，统一公开内容和格式，确保公布的机构设置、职能、办公地址、办公时间、"
    "联系方式、负责人姓名等信息的准确性。"
)
#: Seed 002, line 45.
SEED_002 = "负责人信息包括姓名、现任职务职级、性别、民族、出生年月、学历学位、政治面貌、照片等。"
PATH = ("主动公开", "基础信息公开", "机构职能")


def checkpoint_page(cast: Cast, requirement: str) -> str:
    plan = make_plan(
        [TaskSpec(requirement, [cast.justice], path=PATH, rules=[year_end()])], year=2026
    )
    checkpoint = Checkpoint.objects.get(plan=plan, unit=cast.justice)
    page = client_for(cast.justice_liaison).get(reverse("work:checkpoint", args=[checkpoint.pk]))
    assert page.status_code == 200
    return text_of(page)


def test_a_checkpoint_shows_the_published_version_and_its_date(cast: Cast) -> None:
    with at("2026-03-05"):
        publish_unit(cast, cast.justice, cast.justice_liaison)
    with at("2026-06-01"):
        shown = checkpoint_page(cast, SEED_000)
    assert "平台登记的佐证" in shown and "机构职能" in shown
    assert "机构职能信息已在门户网站发布（第 1 版），更新日期 2026-03-05" in shown
    assert "缺少" not in shown and "未更新或确认" not in shown


def test_a_checkpoint_marks_missing_fields_unpublished_and_stale_as_problems(cast: Cast) -> None:
    with at("2026-03-05"):
        actions.save_profile(cast.justice_liaison, cast.justice, profile_form(phone=""))
        shown = checkpoint_page(cast, SEED_002)
    assert "机构职能信息尚未发布" in shown
    assert "缺少：联系电话、负责人信息" in shown

    with at("2025-01-10"):
        publish_unit(cast, cast.finance, cast.finance_liaison)
    with at("2026-03-05"):
        lines = SOURCE.lines(cast.finance.pk, 2026)
    stale = [line for line in lines if "未更新或确认" in line.text]
    assert len(stale) == 1 and stale[0].problem
    assert "已 419 天未更新或确认（超过 365 天）" in stale[0].text


def _tasks() -> list[tuple[str, str]]:
    found = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for task in parse_file(seed).tasks:
            text = " ".join([*task.path, task.requirement])
            found.append((seed.name[:3], text))
    return found


TASKS = _tasks()


@pytest.mark.parametrize(
    ("seed", "words", "matches"),
    [
        ("000", "确保公布的机构设置、职能、办公地址", True),
        ("000", "确保公开的电话有人接听", True),  # filed under 机构职能
        ("002", "及时更新区政府门户网站本机关机构职能信息", True),
        ("002", "负责人信息包括姓名、现任职务职级", True),
        ("003", "及時發布本單位機構職能、領導信息", True),
        ("004", "项目负责人信息、资质情况", False),
        ("002", "主动公开本地区国民经济和社会发展五年规划纲要", False),
    ],
)
def test_keywords_pick_the_seed_tasks_about_this_register(
    seed: str, words: str, matches: bool
) -> None:
    texts = [text for name, text in TASKS if name == seed and words in text]
    assert texts, f"seed {seed} has no task with {words}"
    for text in texts:
        task = SimpleNamespace(path=[], requirement=text)
        assert (SOURCE in matching_sources(task)) is matches, task_text(task)
