"""Register figures shown on a checkpoint as evidence (gongkai.work.linked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from gongkai.work import linked
from gongkai.work.linked import LinkedLine, LinkedSource, register_linked_source
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for
from tests.work_factories import TaskSpec, make_plan, year_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources() -> Iterator[list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    kept = list(linked._SOURCES)
    linked._SOURCES[:] = []  # only this test's sources (the registers register their own)

    def lines(unit_id: int, year: int) -> list[LinkedLine]:
        calls.append((unit_id, year))
        return [
            LinkedLine("《测试文件》解读已按时发布", "/x/1/"),
            LinkedLine("《另一文件》解读逾期 2 个工作日", problem=True),
        ]

    register_linked_source(LinkedSource("测试登记簿", ("政策解读",), lines))
    register_linked_source(LinkedSource("无关登记簿", ("舆情回应专用词",), lines))
    yield calls
    linked._SOURCES[:] = kept


def test_register_twice_replaces() -> None:
    kept = list(linked._SOURCES)
    try:
        register_linked_source(LinkedSource("甲", ("a",), lambda u, y: []))
        register_linked_source(LinkedSource("甲", ("b",), lambda u, y: []))
        assert [s.keywords for s in linked.linked_sources() if s.name == "甲"] == [("b",)]
    finally:
        linked._SOURCES[:] = kept


def test_matching_reads_requirement_and_path(sources: Any) -> None:
    class Task:
        path = ["政策解读回应"]
        requirement = "按要求做好工作"

    class Other:
        path = ["信息发布"]
        requirement = "及时发布信息"

    assert [s.name for s in linked.matching_sources(Task())] == ["测试登记簿"]
    assert linked.matching_sources(Other()) == []


def test_checkpoint_page_shows_lines_for_its_unit_and_year(
    sources: list[tuple[int, int]], cast: Cast
) -> None:
    plan = make_plan(
        [TaskSpec("做好政策解读工作，解读材料与文件同步发布", [cast.justice], rules=[year_end()])]
    )
    checkpoint = Checkpoint.objects.select_related("plan").get(plan=plan)
    office = client_for(cast.office)
    page = office.get(reverse("work:checkpoint", args=[checkpoint.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "平台登记的佐证" in html and "测试登记簿" in html and "无关登记簿" not in html
    assert "1 项问题" in html
    assert "《另一文件》解读逾期 2 个工作日" in html
    assert sources == [(checkpoint.unit_id, checkpoint.plan.year)]
