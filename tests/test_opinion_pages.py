"""The 政务舆情 staff pages: who sees and does what, refused acts, the level change and closing,
and the evidence on the task checkpoints of the seed lines about 政务舆情."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.opinion.actions import EventInput, register_event
from gongkai.opinion.evidence import SOURCE
from gongkai.opinion.models import Event, EventState, Level, Response, StageKind
from gongkai.work.linked import matching_sources
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=ZONE)
SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # copies of ../shared/seeds


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture(autouse=True)
def _noon() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def make(
    cast: Cast, unit: Any = None, level: Level = Level.OTHER, title: str = "测试舆情"
) -> Event:
    data = EventInput(
        unit=unit or cast.justice,
        title=title,
        source="微博",
        detected_at=NOW - dt.timedelta(hours=2),
        level=level,
    )
    return register_event(cast.office, data)


def test_another_units_liaison_gets_404_and_the_office_sees_every_unit(cast: Cast) -> None:
    mine = make(cast, title="司法局的舆情")
    make(cast, unit=cast.finance, title="财政局的舆情")
    outsider = client_for(cast.finance_liaison)
    assert outsider.get(reverse("opinion:detail", args=[mine.pk])).status_code == 404
    refused = csrf_post(
        outsider,
        reverse("opinion:respond", args=[mine.pk]),
        {"kind": "response", "at": "2026-03-10T11:00", "channel": "网站"},
    )
    assert refused.status_code == 404 and not Response.objects.exists()
    finance_list = text_of(outsider.get(reverse("opinion:index")))
    assert "财政局的舆情" in finance_list and "司法局的舆情" not in finance_list
    office_list = text_of(client_for(cast.office).get(reverse("opinion:index")))
    assert "财政局的舆情" in office_list and "司法局的舆情" in office_list
    assert "还剩46小时" in office_list


def test_a_liaison_registers_for_their_own_unit_only(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    form = {
        "title": "网民反映窗口排队时间长",
        "level": "other",
        "detected_at": "2026-03-10 11:30",
        "source": "12345热线",
    }
    other = csrf_post(liaison, reverse("opinion:new"), {**form, "unit": cast.finance.pk})
    assert other.status_code == 400 and "请选择责任单位" in text_of(other)
    own = csrf_post(liaison, reverse("opinion:new"), {**form, "unit": cast.justice.pk})
    assert own.status_code == 302
    event = Event.objects.get()
    assert event.unit == cast.justice and event.created_by == cast.justice_liaison
    assert client_for(cast.justice_leader).get(reverse("opinion:new")).status_code == 403


@pytest.mark.parametrize(
    ("detected", "links", "message"),
    [
        ("2026-03-10T12:30", "", "发现时间不能晚于当前时间"),
        ("10/03/2026", "", "发现时间格式应为 年-月-日 时:分"),
        ("2026-03-10T11:00", "不是网址", "「不是网址」不是有效的网址"),
    ],
)
def test_registration_refuses_bad_input_saying_what_is_wrong(
    cast: Cast, detected: str, links: str, message: str
) -> None:
    page = csrf_post(
        client_for(cast.office),
        reverse("opinion:new"),
        {
            "unit": cast.justice.pk,
            "title": "测试",
            "level": "serious",
            "detected_at": detected,
            "source": "微博",
            "links": links,
        },
    )
    assert page.status_code == 400 and message in text_of(page)
    assert not Event.objects.exists()


def test_a_response_cannot_predate_the_event_or_come_from_the_future(cast: Cast) -> None:
    event = make(cast)
    liaison = client_for(cast.justice_liaison)
    url = reverse("opinion:respond", args=[event.pk])
    assert f'action="{url}"' in liaison.get(event.get_absolute_url()).content.decode()
    early = csrf_post(
        liaison, url, {"kind": "response", "at": "2026-03-10T09:59", "channel": "网站"}
    )
    assert early.status_code == 400
    assert "回应时间不能早于舆情发现时间（2026-03-10 10:00）" in text_of(early)
    late = csrf_post(
        liaison, url, {"kind": "response", "at": "2026-03-10T12:01", "channel": "网站"}
    )
    assert late.status_code == 400 and "回应时间不能晚于当前时间" in text_of(late)
    reader = client_for(cast.evaluator)
    seen = reader.get(reverse("opinion:detail", args=[event.pk])).content.decode()
    assert f'action="{url}"' not in seen
    denied = csrf_post(
        reader, url, {"kind": "response", "at": "2026-03-10T11:00", "channel": "网站"}
    )
    assert denied.status_code == 403
    assert not Response.objects.exists()


def test_the_office_changes_the_level_with_a_reason_and_it_is_audited(cast: Cast) -> None:
    event = make(cast)
    url = reverse("opinion:level", args=[event.pk])
    liaison = client_for(cast.justice_liaison)
    assert csrf_post(liaison, url, {"level": "serious", "reason": "x"}).status_code == 403
    office = client_for(cast.office)
    no_reason = csrf_post(office, url, {"level": "serious", "reason": ""})
    assert no_reason.status_code == 400 and "请填写调整理由" in text_of(no_reason)
    done = csrf_post(office, url, {"level": "serious", "reason": "涉及重大突发事件"})
    assert done.status_code == 302
    same = csrf_post(office, url, {"level": "serious", "reason": "再次调整"})
    assert same.status_code == 400 and "该舆情已是「特别重大、重大突发事件」" in text_of(same)
    event.refresh_from_db()
    assert event.level == Level.SERIOUS
    assert sorted(event.stages.filter(required=True).values_list("kind", flat=True)) == sorted(
        [StageKind.AUTHORITATIVE, StageKind.PRESS]
    )
    audit = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(event.pk),
        action=AuditAction.TRANSITION,
    )
    assert audit.changes == {"level": ["other", "serious"]}
    assert "涉及重大突发事件" in audit.comment and "2026-03-10 15:00" in audit.comment
    page = text_of(office.get(reverse("opinion:detail", args=[event.pk])))
    assert "下一时限 5小时内发布权威信息 还剩3小时" in page


def test_the_office_reassigns_an_event_to_another_unit(cast: Cast) -> None:
    event = make(cast)
    office = client_for(cast.office)
    url = reverse("opinion:assign", args=[event.pk])
    moved = csrf_post(office, url, {"unit": cast.finance.pk, "reason": "属财政局职责"})
    assert moved.status_code == 302
    event.refresh_from_db()
    assert event.unit == cast.finance
    audit = AuditEvent.objects.filter(object_id=str(event.pk), action=AuditAction.CHANGE).get()
    assert audit.changes["unit"] == [cast.justice.pk, cast.finance.pk]
    assert client_for(cast.justice_liaison).get(event.get_absolute_url()).status_code == 404


def test_only_the_office_closes_an_event_with_a_stage_unmet_and_says_why(cast: Cast) -> None:
    event = make(cast)
    url = reverse("opinion:close", args=[event.pk])
    by_unit = csrf_post(client_for(cast.justice_liaison), url, {"note": "已处理"})
    assert by_unit.status_code == 400 and "完成回应后才能办结" in text_of(by_unit)
    office = client_for(cast.office)
    silent = csrf_post(office, url, {"note": ""})
    assert silent.status_code == 400 and "请填写办结说明" in text_of(silent)
    assert csrf_post(office, url, {"note": "经核实为不实信息"}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CLOSED and event.close_note == "经核实为不实信息"
    again = csrf_post(office, url, {"note": "再次"})
    assert again.status_code == 400


def _seed_lines(name: str, word: str) -> list[str]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return [line.strip() for line in path.read_text().splitlines() if word in line]


def test_the_evidence_answers_the_seed_lines_about_public_opinion_only() -> None:
    class Task:
        path: list[str] = []

        def __init__(self, requirement: str) -> None:
            self.requirement = requirement

    lines = [
        *_seed_lines("000", "舆情"),
        *_seed_lines("002", "舆情"),
        *_seed_lines("003", "輿情"),
        *_seed_lines("004", "舆情"),
    ]
    assert len(lines) >= 8
    for line in lines:
        assert SOURCE in matching_sources(Task(line)), line
    for line in _seed_lines("000", "政策解读") + _seed_lines("002", "新媒体"):
        if "舆情" not in line:
            assert SOURCE not in matching_sources(Task(line)), line


def test_the_evidence_counts_the_units_events_of_the_year(cast: Cast) -> None:
    from gongkai.opinion.evidence import lines

    assert [line.text for line in lines(cast.justice.pk, 2026)] == ["2026年未登记政务舆情"]
    overdue = make(cast, level=Level.SERIOUS, title="逾期的舆情")
    make(cast, title="计时中的舆情")
    make(cast, unit=cast.finance, title="别的单位")
    shown = lines(cast.justice.pk, 2026)
    texts = [line.text for line in shown]
    assert texts[0] == "2026年登记政务舆情 2 起（特别重大、重大突发事件 1 起，其他 1 起）"
    assert "48小时内予以回应：应完成 1 起，按时 0 起，计时中 1 起" in texts
    assert "处置中 2 起" in texts
    assert [line.text for line in lines(cast.justice.pk, 2025)] == ["2025年未登记政务舆情"]
    with time_machine.travel(NOW + dt.timedelta(hours=4), tick=False):
        later = lines(cast.justice.pk, 2026)
    problems = [line for line in later if line.problem]
    assert [p.text for p in problems] == [
        "5小时内发布权威信息：应完成 1 起，按时 0 起，超时未完成 1 起",
        "「逾期的舆情」已超过回应时限",
    ]
    assert problems[1].url == overdue.get_absolute_url()


def test_the_demo_loads_a_serious_event_answered_on_time_and_an_open_one_once() -> None:
    from gongkai.accounts.models import Role, User
    from gongkai.opinion.demo import load_demo
    from gongkai.units.models import Unit, UnitKind

    units = {
        name: Unit.objects.create(name=name, kind=UnitKind.DEPARTMENT)
        for name in ("张店区人民政府办公室", "张店区司法局", "张店区财政局")
    }
    for name, role, unit in (
        ("office", Role.OFFICE, "张店区人民政府办公室"),
        ("sifa", Role.LIAISON, "张店区司法局"),
    ):
        User.objects.create_user(username=name, password="x", role=role).units.set([units[unit]])
    load_demo(NOW.date())
    load_demo(NOW.date())  # once only
    serious = Event.objects.get(level=Level.SERIOUS)
    assert serious.state == EventState.CLOSED and serious.unit.name == "张店区司法局"
    stages = list(serious.stages.all())
    assert len(stages) == 2 and all(s.met_at and not s.is_late(NOW) for s in stages)
    ordinary = Event.objects.get(level=Level.OTHER)
    assert ordinary.is_open and ordinary.unit.name == "张店区财政局"
    assert ordinary.stages.get().met_at is None
