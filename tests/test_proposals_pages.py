"""建议提案办理's pages and rules beyond the story: who may do what, refused input, the overdue
reminders, what the portal hides, the task keywords and the demo."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.proposals import actions
from gongkai.proposals.models import Proposal, PublicForm, Result, add_months
from gongkai.proposals.tracking import SOURCE as LINKED
from gongkai.publishing.models import DocState
from gongkai.work.linked import matching_sources
from gongkai.work.models import NotifySettings
from gongkai.work.reminders import run_reminders
from tests.access_proposals import make_proposal
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
SEEDS = Path(__file__).parent / "fixtures" / "seeds"  # copies of ../shared/seeds


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def registration(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "year": "2026",
        "level": "city",
        "kind": "suggestion",
        "number": "第0101号",
        "title": "关于完善公共法律服务体系的建议",
        "deputies": "张某某",
        "unit": cast.justice.pk,
        "received_on": "2026-03-10",
        "due_on": "",
        **changes,
    }


def reply_data(**changes: Any) -> dict[str, Any]:
    return {
        "replied_on": "2026-04-01",
        "result": "B",
        "reply_text": "已列入年度工作计划，逐步推进。",
        "disclose": "1",
        "withhold_reason": "",
        "public_form": "full",
        "summary": "",
        **changes,
    }


# -- who may do what ---------------------------------------------------------------------------


def test_another_units_liaison_gets_404_everywhere(cast: Cast) -> None:
    p = make_proposal(cast)
    outsider = client_for(cast.finance_liaison)
    for name in ("detail", "edit", "letter"):
        assert outsider.get(reverse(f"proposals:{name}", args=[p.pk])).status_code == 404
    for name in ("reply", "publish"):
        assert csrf_post(outsider, reverse(f"proposals:{name}", args=[p.pk])).status_code == 404
    assert p.title not in text_of(outsider.get(reverse("proposals:list")))
    assert p.title in text_of(client_for(cast.justice_liaison).get(reverse("proposals:list")))


def test_only_the_office_registers_and_edits(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    assert csrf_post(liaison, reverse("proposals:new"), registration(cast)).status_code == 403
    p = make_proposal(cast)
    assert liaison.get(reverse("proposals:edit", args=[p.pk])).status_code == 403
    assert Proposal.objects.count() == 1


def test_leader_of_the_lead_unit_reads_but_cannot_reply(cast: Cast) -> None:
    p = make_proposal(cast)
    leader = client_for(cast.justice_leader)
    page = leader.get(reverse("proposals:detail", args=[p.pk]))
    assert page.status_code == 200 and "保存办复情况" not in page.content.decode()
    assert (
        csrf_post(leader, reverse("proposals:reply", args=[p.pk]), reply_data()).status_code == 403
    )


def test_the_office_moves_a_due_date_and_the_reminders_start_again(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10"):
        p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
        Proposal.objects.filter(pk=p.pk).update(reminded_soon_on=D("2026-03-10"))
        for name in ("list", "new", "summary"):
            assert office.get(reverse(f"proposals:{name}")).status_code == 200
        form = office.get(reverse("proposals:edit", args=[p.pk]))
        assert form.status_code == 200 and "修改登记信息" in text_of(form)
        changed = csrf_post(
            office,
            reverse("proposals:edit", args=[p.pk]),
            registration(
                cast,
                level="district",
                kind="proposal",
                number=p.number,
                title=p.title,
                due_on="2026-07-10",
                co_units=[cast.finance.pk],
            ),
        )
    assert changed.status_code == 302, text_of(changed)
    p.refresh_from_db()
    assert (p.due_on, p.reminded_soon_on) == (D("2026-07-10"), None)
    event = AuditEvent.objects.get(object_id=str(p.pk), comment="修改登记信息")
    assert event.changes["due_on"] == ["2026-06-10", "2026-07-10"]
    assert list(p.co_units.all()) == [cast.finance]


# -- refused input ----------------------------------------------------------------------------


def test_a_number_is_registered_once_per_year_level_and_kind(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2026-03-10"):
        assert csrf_post(office, reverse("proposals:new"), registration(cast)).status_code == 302
        again = csrf_post(office, reverse("proposals:new"), registration(cast))
        other_kind = csrf_post(
            office, reverse("proposals:new"), registration(cast, kind="proposal")
        )
    assert again.status_code == 400
    assert "2026年市级人大代表建议第0101号已登记，编号不能重复" in text_of(again)
    assert other_kind.status_code == 302
    assert Proposal.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2026-03-01"}, "办复期限不能早于交办日期"),
        ({"received_on": "2026-05-01"}, "交办日期不能晚于今天"),
        ({"title": ""}, "标题：这个字段是必填项。"),
        ({"co_units": ["JUSTICE"]}, "主办单位不能同时作为协办单位"),
        ({"received_on": "2023-03-10"}, "与年度 2026 相差过远"),
    ],
)
def test_a_bad_registration_is_refused_with_its_reason(
    cast: Cast, changes: dict[str, Any], message: str
) -> None:
    if changes.get("co_units") == ["JUSTICE"]:
        changes = {"co_units": [cast.justice.pk]}
    with at("2026-03-10"):
        response = csrf_post(
            client_for(cast.office), reverse("proposals:new"), registration(cast, **changes)
        )
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Proposal.objects.exists()


def test_due_date_defaults_to_three_months_and_month_ends_are_kept() -> None:
    assert add_months(D("2026-03-02"), 3) == D("2026-06-02")
    assert add_months(D("2025-11-30"), 3) == D("2026-02-28")
    assert add_months(D("2027-11-30"), 3) == D("2028-02-29")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"disclose": "0"}, "复文不公开的，须说明理由"),
        ({"public_form": "summary"}, "摘要公开的，须填写复文摘要"),
        ({"reply_text": ""}, "请填写答复内容或上传复文文件"),
        ({"replied_on": "2026-03-01"}, "办复日期不能早于交办日期"),
        ({"replied_on": "2026-04-30"}, "办复日期不能晚于今天"),
        ({"result": ""}, "办理结果：这个字段是必填项。"),
    ],
)
def test_a_bad_reply_is_refused_and_nothing_changes(
    cast: Cast, changes: dict[str, Any], message: str
) -> None:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    with at("2026-04-02"):
        response = csrf_post(
            client_for(cast.justice_liaison),
            reverse("proposals:reply", args=[p.pk]),
            reply_data(**changes),
        )
    assert response.status_code == 400
    assert message in text_of(response)
    p.refresh_from_db()
    assert p.replied_on is None and p.result == ""


def test_a_letter_that_is_not_a_document_is_refused(cast: Cast) -> None:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    fake = SimpleUploadedFile("复文.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with at("2026-04-02"):
        response = csrf_post(
            client_for(cast.justice_liaison),
            reverse("proposals:reply", args=[p.pk]),
            reply_data(letter=fake),
        )
    assert response.status_code == 400
    assert "文件「复文.pdf」不能上传" in text_of(response)
    p.refresh_from_db()
    assert p.replied_on is None and not p.has_letter


def test_a_withheld_reply_cannot_be_made_public(cast: Cast) -> None:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    liaison = client_for(cast.justice_liaison)
    with at("2026-04-02"):
        withheld = reply_data(disclose="0", withhold_reason="涉及个人隐私")
        assert (
            csrf_post(liaison, reverse("proposals:reply", args=[p.pk]), withheld).status_code == 302
        )
        refused = csrf_post(liaison, reverse("proposals:publish", args=[p.pk]))
    assert refused.status_code == 400
    assert "该复文登记为不公开（理由：涉及个人隐私）" in text_of(refused)
    p.refresh_from_db()
    assert p.document is None and p.withhold_reason == "涉及个人隐私"


def test_an_unreplied_proposal_cannot_be_made_public(cast: Cast) -> None:
    p = make_proposal(cast)
    refused = csrf_post(client_for(cast.justice_liaison), reverse("proposals:publish", args=[p.pk]))
    assert refused.status_code == 400 and "尚未办复，不能公开复文" in text_of(refused)


def test_a_summary_reply_is_drafted_from_the_summary_and_rewritten_until_submitted(
    cast: Cast,
) -> None:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    with at("2026-04-02"):
        actions.record_reply(
            cast.justice_liaison,
            p,
            actions.Reply(
                replied_on=D("2026-04-01"),
                result=Result.REFERENCE,
                reply_text="完整答复，含不宜公开的细节。",
                public_form=PublicForm.SUMMARY,
                summary="留作参考，在今后工作中研究吸收。",
            ),
        )
        doc = actions.publish_reply(cast.justice_liaison, p)
        assert "留作参考" in doc.body_text and "不宜公开" not in doc.body_text
        p.refresh_from_db()
        actions.record_reply(
            cast.justice_liaison,
            p,
            actions.Reply(
                replied_on=D("2026-04-01"),
                result=Result.REFERENCE,
                public_form=PublicForm.SUMMARY,
                reply_text="完整答复。",
                summary="修改后的摘要。",
            ),
        )
        again = actions.publish_reply(cast.justice_liaison, p)
    doc.refresh_from_db()
    assert again.pk == doc.pk and "修改后的摘要" in doc.body_text
    assert AuditEvent.objects.filter(object_id=str(p.pk), comment="按登记的复文更新公开文稿")


# -- reminders --------------------------------------------------------------------------------


def test_an_overdue_reply_is_told_once_to_the_unit_and_once_to_the_office(cast: Cast) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=1)
    NotifySettings.objects.create(unit=cast.gov, emails="office@example.cn", days_before=1)
    with at("2026-03-02"):
        make_proposal(cast, received_on=D("2026-03-02"), due_on=D("2026-03-04"), year=2026)
    sent: dict[str, list[dt.date]] = {"sifa@example.cn": [], "office@example.cn": []}
    bodies: list[str] = []
    for day in ("2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10"):
        for hour in (9, 16):
            with at(day, hour):
                run_reminders()
        for m in mail.outbox:
            if "关于加强社区法律援助服务的提案" in m.body:
                sent[m.to[0]].append(D(day))
                bodies.append(str(m.body))
        mail.outbox.clear()
    assert sent["sifa@example.cn"] == [D("2026-03-04"), D("2026-03-05")]  # due today, overdue
    assert sent["office@example.cn"] == [D("2026-03-05")]
    assert any("办复已逾期" in b for b in bodies)
    assert any("各单位办复已逾期的建议提案" in b for b in bodies)


# -- the portal -------------------------------------------------------------------------------


def test_the_portal_shows_no_reply_until_its_document_is_published(
    cast: Cast, anon: Client
) -> None:
    p = make_proposal(cast, received_on=D("2026-03-10"), due_on=D("2026-06-10"), year=2026)
    with at("2026-04-02"):
        actions.record_reply(
            cast.justice_liaison, p, actions.Reply(D("2026-04-01"), Result.SOLVED, "答复。")
        )
        doc = actions.publish_reply(cast.justice_liaison, p)
    for state in (DocState.DRAFT, DocState.REVIEW, DocState.APPROVED, DocState.WITHDRAWN):
        type(doc).objects.filter(pk=doc.pk).update(state=state)
        assert anon.get(reverse("jyta:detail", args=[p.pk])).status_code == 404
        assert p.title not in text_of(anon.get(reverse("jyta:list")))
    type(doc).objects.filter(pk=doc.pk).update(state=DocState.PUBLISHED)
    assert anon.get(reverse("jyta:detail", args=[p.pk])).status_code == 200
    Proposal.objects.filter(pk=p.pk).update(disclose=False, withhold_reason="涉密")
    assert anon.get(reverse("jyta:detail", args=[p.pk])).status_code == 404


def test_portal_filters_ignore_junk(anon: Client) -> None:
    response = anon.get(reverse("jyta:list"), {"year": "abc", "kind": "<x>", "q": "a" * 500})
    assert response.status_code == 200 and "<x>" not in response.content.decode()


# -- task evidence ----------------------------------------------------------------------------


class _Task:
    path: list[str] = []

    def __init__(self, requirement: str) -> None:
        self.requirement = requirement


@pytest.mark.parametrize(
    ("seed", "line"),
    [("000", 76), ("001", 71), ("002", 88), ("002", 91), ("002", 93), ("002", 95), ("003", 9)],
)
def test_seed_lines_about_proposals_show_the_register(seed: str, line: int) -> None:
    [path] = SEEDS.glob(f"{seed}_*.txt")
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert LINKED in matching_sources(_Task(text))


def test_other_suggestion_lines_do_not(db: None) -> None:
    [path] = SEEDS.glob("002_*.txt")
    line = path.read_text(encoding="utf-8").splitlines()[205]  # 公众咨询建议回复
    assert "建议" in line and LINKED not in matching_sources(_Task(line))
    assert LINKED not in matching_sources(_Task("收集社会各界对统计工作的意見建議"))


def test_evidence_marks_overdue_and_unpublished_replies(cast: Cast) -> None:
    with at("2026-07-01"):
        make_proposal(cast, "第1号", received_on=D("2026-03-01"), due_on=D("2026-06-01"), year=2026)
        replied = make_proposal(
            cast, "第2号", received_on=D("2026-03-01"), due_on=D("2026-06-01"), year=2026
        )
        Proposal.objects.filter(pk=replied.pk).update(
            replied_on=D("2026-05-01"), result=Result.SOLVED, reply_text="答复。"
        )
        lines = LINKED.lines(cast.justice.pk, 2026)
    problems = [line.text for line in lines if line.problem]
    assert problems == ["复文已公开 0 件，应公开尚未公开 1 件", "逾期未办复 1 件"]
    assert LINKED.lines(cast.finance.pk, 2026)[0].text == "2026年平台未登记本单位承办的建议提案"


# -- demo -------------------------------------------------------------------------------------


def test_demo_loads_published_replies_once(db: None) -> None:
    from gongkai.demo.load import load_demo as load_directory
    from gongkai.proposals.demo import load_demo

    load_directory()
    today = dt.date(2026, 11, 20)
    with at("2026-11-20"):
        load_demo(today)
        load_demo(today)
    assert Proposal.objects.count() >= 4
    assert Proposal.objects.reply_public().exists()
    assert Proposal.objects.filter(replied_on__isnull=True).exists()
    assert Proposal.objects.overdue(today).count() == 1
    shown = text_of(Client().get(reverse("jyta:list"), {"year": "2026"}))
    assert "关于加强社区法律援助服务的提案" in shown and "2026年办理总体情况" in shown
