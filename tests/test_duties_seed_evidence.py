"""Acceptance of issue 8 end to end: the real seed task lists are imported through the import
command, the demo's registers hold this year's records, and the checkpoint page of each task
about one of the duties shows that register's current figures — without the unit typing them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.decisions.demo import load_demo as load_decisions
from gongkai.demo.load import load_demo
from gongkai.gazette.demo import load_demo as load_gazette
from gongkai.institutions.demo import load_demo as load_institutions
from gongkai.newmedia.demo import load_demo as load_new_media
from gongkai.opinion.actions import EventInput, register_event
from gongkai.opinion.demo import load_demo as load_opinion
from gongkai.opinion.models import Level as OpinionLevel
from gongkai.plans.models import Plan
from gongkai.proposals.actions import Registration, register
from gongkai.proposals.demo import load_demo as load_proposals
from gongkai.proposals.models import Kind, Level
from gongkai.publishing.demo import load_demo as load_documents
from gongkai.units.models import Unit
from gongkai.withheld.demo import load_demo as load_withheld
from gongkai.work.models import Checkpoint
from tests.conftest import client_for

SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # copies of ../shared/seeds
Capture = Callable[..., Any]

#: (seed, words of the task's requirement, the evidence source's heading, a figure it shows)
CASES = [
    ("002", "及时回应涉及本地区、本单位的政务舆情", "政务舆情", r"\d+\s*起"),
    ("002", "公开本级人大代表建议、政协提案的办理复文", "建议提案办理", r"\d+\s*件"),
    ("002", "政务新媒体账号", "政务新媒体", r"\d+\s*个"),
    ("002", "机构职能信息包括机构设置", "机构职能", r"\d{4}"),
    ("002", "重大行政决策事项目录", "重大行政决策", r"\d+\s*项"),
    ("004", "不予公开的信息以及依申请公开较为集中", "不予公开自查", r"\d+\s*(条|项)"),
    ("004", "政府公报数字化", "政府公报", r"\d+\s*期"),
]


def _import(seed: str, capture: Capture) -> Plan:
    [path] = SEEDS.glob(f"{seed}_*.txt")
    name = f"种子清单{seed}"
    with capture(execute=True):
        call_command(
            "import",
            str(path),
            "--plan",
            name,
            "--year",
            str(timezone.localdate().year),
            "--allow-unresolved",
            stdout=io.StringIO(),
        )
    return Plan.objects.get(name=name)


def _evidence(html: str, heading: str) -> str:
    """The text of one source's part of the 平台登记的佐证 card."""
    card = html.split('<section class="card" id="linked">', 1)
    assert len(card) == 2, "the checkpoint shows no 平台登记的佐证"
    body = card[1].split("</section>", 1)[0]
    parts = re.split(r"<h3>", body)
    found = [p for p in parts if p.startswith(heading)]
    assert found, f"no evidence from {heading}: {re.sub(r'<[^>]+>', ' ', body)[:400]}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0]))


@pytest.mark.parametrize("seed", sorted({c[0] for c in CASES}))
def test_a_seed_task_about_a_duty_shows_the_registers_figures(
    db: None, django_capture_on_commit_callbacks: Capture, seed: str
) -> None:
    load_demo()
    today = timezone.localdate()
    load_documents(today)
    for load in (
        load_opinion,
        load_proposals,
        load_new_media,
        load_decisions,
        load_withheld,
        load_institutions,
        load_gazette,
    ):
        load(today)
    plan = _import(seed, django_capture_on_commit_callbacks)
    office = client_for(User.objects.get(username="office"))
    justice = Unit.objects.get(name="张店区司法局")

    for case_seed, words, heading, figure in CASES:
        if case_seed != seed:
            continue
        checkpoints = Checkpoint.objects.filter(
            plan=plan, cancelled=False, task__requirement__contains=words
        )
        assert checkpoints.exists(), f"seed {seed}: no checkpoint for a task with 「{words}」"
        # 司法局's own checkpoint where it has one (the demo's records are mostly its own).
        checkpoint = checkpoints.filter(unit=justice).first() or checkpoints.first()
        assert checkpoint is not None
        response = office.get(f"/work/checkpoints/{checkpoint.pk}/")
        assert response.status_code == 200
        text = _evidence(response.content.decode(), heading)
        assert "本年度暂无登记" not in text, f"{heading}: {text}"
        assert re.search(figure, text), f"{heading} shows no figure: {text}"


def test_seed_000s_opinion_and_proposal_tasks_follow_the_registers_as_they_change(
    db: None, django_capture_on_commit_callbacks: Capture
) -> None:
    """Seed 000 is one bureau's own list: its tasks go to its 处室. The checkpoint of its
    政务舆情回应 task and of its 建议提案 task show nothing registered, then — with no report
    typed — the event and the proposal the office registers for those units."""
    load_demo()
    plan = _import("000", django_capture_on_commit_callbacks)
    office_user = User.objects.get(username="office")
    office = client_for(office_user)
    now = timezone.now()

    opinion = Checkpoint.objects.filter(
        plan=plan,
        cancelled=False,
        task__requirement__contains="涉及特别重大、重大突发事件的政务舆情",
    ).first()
    proposal = Checkpoint.objects.filter(
        plan=plan, cancelled=False, task__requirement__contains="人大代表建议、政协委员提案办理结果"
    ).first()
    assert opinion is not None and proposal is not None

    def evidence(checkpoint: Checkpoint, heading: str) -> str:
        return _evidence(
            office.get(f"/work/checkpoints/{checkpoint.pk}/").content.decode(), heading
        )

    assert "0 起" in evidence(opinion, "政务舆情") or "未登记" in evidence(opinion, "政务舆情")
    assert "未登记" in evidence(proposal, "建议提案办理")

    register_event(
        office_user,
        EventInput(
            unit=opinion.unit,
            title="网传某地执法争议视频",
            source="网络监测",
            detected_at=now - dt.timedelta(hours=1),
            level=OpinionLevel.OTHER,
        ),
        now=now,
    )
    register(
        office_user,
        Registration(
            year=now.year,
            level=Level.CITY,
            kind=Kind.SUGGESTION,
            number="第0001号",
            title="关于加强统计数据公开的建议",
            deputies="张三",
            unit=proposal.unit,
            received_on=timezone.localdate() - dt.timedelta(days=10),
        ),
    )
    assert re.search(r"1\s*起", evidence(opinion, "政务舆情"))
    assert re.search(r"1\s*件", evidence(proposal, "建议提案办理"))
