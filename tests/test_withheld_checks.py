"""The self-check's rules: which requests it takes in and how similar ones are grouped, what a
refresh adds, one check per scope and year, who sees and who acts, and the evidence lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from gongkai.disclosure.models import Outcome
from gongkai.withheld import candidates
from gongkai.withheld.actions import (
    EntryInput,
    close_check,
    create_entry,
    decide_item,
    open_check,
)
from gongkai.withheld.linking import SOURCE, linked_lines
from gongkai.withheld.models import Basis, CheckItem, Decision, ItemKind, SelfCheck
from gongkai.work.linked import matching_sources
from gongkai.work.models import Checkpoint
from tests.conftest import Cast, client_for, csrf_post
from tests.test_withheld_story import LEGAL_AID, SEED_TASK, at, make_request, text_of
from tests.work_factories import TaskSpec, make_plan, year_end

DENIED = Outcome.PROCESS_INFO


def _entry(title: str, basis: str, unit: Any) -> EntryInput:
    return EntryInput(title, basis, f"{title}的范围", dt.date(2026, 1, 1), unit=unit)


def test_only_the_years_denied_replies_are_taken_in(cast: Cast) -> None:
    j, o = cast.justice, cast.office
    denied = make_request(j, o, "2025-06-03", "局党组会议纪要", name="甲", outcome=DENIED)
    make_request(j, o, "2024-12-30", "2024年的会议纪要", name="乙", outcome=DENIED)
    make_request(j, o, "2025-06-04", "公开的文件", name="丙", outcome=Outcome.GRANTED)
    make_request(j, o, "2025-06-05", "不掌握的信息", name="丁", outcome=Outcome.NOT_HELD)
    make_request(j, o, "2026-01-05", "2026年的会议纪要", name="戊", outcome=DENIED)
    assert [r.pk for r in candidates.denied_requests(2025, j.pk)] == [denied.pk]
    assert candidates.denied_requests(2025, cast.finance.pk) == []


def test_similar_requests_group_and_one_applicant_asking_twice_counts_once(cast: Cast) -> None:
    j, f, o = cast.justice, cast.finance, cast.office
    a = make_request(j, o, "2025-02-03", "请公开" + LEGAL_AID, name="甲", id_number="1101")
    make_request(j, o, "2025-03-03", "申请公开" + LEGAL_AID, name="甲", id_number="1101")
    make_request(f, o, "2025-04-01", LEGAL_AID + "（财政拨款部分）", name="乙", phone="5")
    b = make_request(j, o, "2025-05-06", "本区公共法律服务站点名单和地址", name="丙", phone="6")
    make_request(j, o, "2025-05-07", "公共法律服务站点名单及地址", name="丁", phone="7")
    make_request(j, o, "2025-05-08", "公共法律服务站点的名单和地址", name="戊", phone="8")
    make_request(j, o, "2025-05-09", "本区公共法律服务站点名单和地址", name="己", phone="9")
    make_request(j, o, "2025-07-01", "本区2024年度行政复议案件数量统计", name="庚", phone="9")

    groups = candidates.frequent_groups(2025, None)
    assert [(g.first.pk, len(g.members), len(g.who)) for g in groups] == [
        (b.pk, 4, 4),  # the most applicants first
        (a.pk, 3, 2),
    ]
    assert groups[1].unit_id == j.pk  # where most of the group's requests went
    [only_justice] = [g for g in candidates.frequent_groups(2025, j.pk) if g.first.pk == a.pk]
    assert len(only_justice.members) == 2 and len(only_justice.who) == 1


def test_a_refresh_adds_what_came_later_and_the_taken_in_items_stay_as_they_were(
    cast: Cast,
) -> None:
    j, o = cast.justice, cast.office
    first = make_request(j, o, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    with time_machine.travel(at("2025-11-03"), tick=False):
        check = open_check(cast.office, year=2025, unit=j)
    assert list(check.items.values_list("request_ids", flat=True)) == [[first.pk]]

    late = make_request(j, o, "2025-12-01", "局内部请示报告", name="乙", outcome=DENIED)
    first.description = "改过的描述"
    first.save(update_fields=["description"])
    office = client_for(cast.office)
    with time_machine.travel(at("2025-12-02"), tick=False):
        response = csrf_post(office, f"/withheld/checks/{check.pk}/refresh/")
        assert response.status_code == 302
        assert "已刷新，新增 1 个项目" in text_of(office.get(response["Location"]))
        csrf_post(office, f"/withheld/checks/{check.pk}/refresh/")
    descriptions = sorted(check.items.values_list("description", flat=True))
    assert descriptions == ["局内部请示报告", "局务会议纪要"]
    assert check.items.filter(request_ids=[late.pk]).exists()
    check.refresh_from_db()
    assert check.refreshed_at == at("2025-12-02")


def test_one_check_per_scope_and_year(cast: Cast) -> None:
    office = client_for(cast.office)
    data: dict[str, Any] = {"year": 2025, "unit": cast.justice.pk}
    assert csrf_post(office, "/withheld/checks/open/", data).status_code == 302
    again = csrf_post(office, "/withheld/checks/open/", data)
    assert again.status_code == 400
    assert "区司法局 2025 年的不予公开自查已经开展" in text_of(again)
    assert csrf_post(office, "/withheld/checks/open/", {"year": 2025}).status_code == 302
    overall = csrf_post(office, "/withheld/checks/open/", {"year": 2025, "unit": ""})
    assert overall.status_code == 400 and "全机关 2025 年" in text_of(overall)
    with time_machine.travel(at("2026-05-01"), tick=False):
        future = csrf_post(office, "/withheld/checks/open/", {"year": 2027})
    assert future.status_code == 400 and "自查年度应在 2000 年至今年之间" in text_of(future)
    assert SelfCheck.objects.count() == 2


def test_liaisons_read_their_units_check_and_only_the_office_acts(cast: Cast) -> None:
    j, o = cast.justice, cast.office
    make_request(j, o, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    make_request(cast.finance, o, "2025-03-04", "财政局内部请示", name="乙", outcome=DENIED)
    own = open_check(cast.office, year=2025, unit=j)
    overall = open_check(cast.office, year=2025, unit=None)
    assert sorted(overall.items.values_list("description", flat=True)) == [
        "局务会议纪要",
        "财政局内部请示",
    ]
    item = own.items.get()

    liaison = client_for(cast.justice_liaison)
    page = liaison.get(f"/withheld/checks/{own.pk}/")
    assert page.status_code == 200 and "局务会议纪要" in text_of(page)
    assert f"/withheld/items/{item.pk}/decide/" not in page.content.decode()
    decide = {f"i{item.pk}-decision": "keep", f"i{item.pk}-reason": "理由"}
    assert csrf_post(liaison, f"/withheld/items/{item.pk}/decide/", decide).status_code == 403
    assert csrf_post(liaison, f"/withheld/checks/{own.pk}/close/").status_code == 403
    assert csrf_post(liaison, "/withheld/checks/open/", {"year": 2024}).status_code == 403
    assert CheckItem.objects.get(pk=item.pk).decision == "pending"

    evaluator = client_for(cast.evaluator)
    assert evaluator.get(f"/withheld/checks/{overall.pk}/").status_code == 200
    assert csrf_post(evaluator, f"/withheld/checks/{own.pk}/refresh/").status_code == 403


def test_a_unit_covered_by_the_organisations_check_follows_its_checkpoint_to_its_own_items(
    cast: Cast,
) -> None:
    j, o = cast.justice, cast.office
    make_request(j, o, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    make_request(cast.finance, o, "2025-03-04", "财政局内部请示", name="乙", outcome=DENIED)
    with time_machine.travel(at("2026-01-05"), tick=False):
        overall = open_check(o, year=2025, unit=None)
    finance_item = overall.items.get(unit=cast.finance)
    plan = make_plan([TaskSpec(SEED_TASK, [j], rules=[year_end(2025)])], year=2025)
    checkpoint = Checkpoint.objects.get(plan=plan, unit=j)
    url = f"/withheld/checks/{overall.pk}/"

    # Everyone who opens 司法局's checkpoint can follow its link to the check.
    for user in (cast.justice_liaison, cast.justice_leader, cast.office, cast.evaluator):
        client = client_for(user)
        card = client.get(f"/work/checkpoints/{checkpoint.pk}/").content.decode()
        assert f'<a href="{url}">2025 年不予公开自查（全机关）：进行中</a>' in card, user
        assert client.get(url).status_code == 200, user

    # 司法局 reads its own items there and nothing of 财政局's, on the check and on the index.
    liaison = client_for(cast.justice_liaison)
    page = text_of(liaison.get(url))
    assert "局务会议纪要" in page and "财政局内部请示" not in page
    assert "本单位共 1 个项目：待审查 1 个" in page
    assert "本页只列出本单位负责的项目" in page
    assert "本页只列出" not in text_of(client_for(cast.office).get(url))
    index = text_of(liaison.get("/withheld/"))
    assert "全机关 只计本单位的项目 进行中 1 1" in index
    decide = {f"i{finance_item.pk}-decision": "keep", f"i{finance_item.pk}-reason": "理由"}
    refused = csrf_post(liaison, f"/withheld/items/{finance_item.pk}/decide/", decide)
    assert refused.status_code == 404
    own = overall.items.get(unit=j)
    decide = {f"i{own.pk}-decision": "keep", f"i{own.pk}-reason": "理由"}
    assert csrf_post(liaison, f"/withheld/items/{own.pk}/decide/", decide).status_code == 403
    assert not CheckItem.objects.exclude(decision="pending").exists()

    # Once closed, the unit reads its own result, not the organisation's total or conclusion.
    with time_machine.travel(at("2026-01-12"), tick=False):
        decide_item(o, own, Decision.KEEP, "内部事务信息")
        decide_item(o, finance_item, Decision.KEEP, "财政局的过程性信息")
        close_check(o, SelfCheck.objects.get(pk=overall.pk), "财政局另行整改")
    page = text_of(liaison.get(url))
    assert "本单位共 1 个项目：待审查 0 个，继续不予公开 1 个" in page
    assert "财政局" not in page and "自查结果：共 2 个项目" in text_of(client_for(o).get(url))


def test_moving_an_item_of_an_inactive_unit_is_refused_and_changes_nothing(cast: Cast) -> None:
    make_request(cast.justice, cast.office, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    check = open_check(cast.office, year=2025, unit=cast.justice)
    item = check.items.get()
    cast.justice.active = False
    cast.justice.save(update_fields=["active"])
    data = {f"i{item.pk}-decision": "move", f"i{item.pk}-reason": ""}
    refused = csrf_post(client_for(cast.office), f"/withheld/items/{item.pk}/decide/", data)
    assert refused.status_code == 400 and "不能生成主动公开草稿" in text_of(refused)
    item.refresh_from_db()
    assert item.decision == "pending" and item.document_id is None


def test_the_evidence_names_a_missing_check_and_counts_the_list(cast: Cast) -> None:
    lines = linked_lines(cast.justice.pk, 2025)
    assert [(line.text, line.problem) for line in lines] == [
        ("2025 年不予公开自查尚未开展", True),
        ("政务公开负面清单在用事项 0 项", True),
    ]
    with time_machine.travel(at("2026-01-05"), tick=False):
        create_entry(cast.office, _entry("国家秘密", Basis.STATE_SECRET, None))
        create_entry(cast.office, _entry("律师处罚案卷", Basis.ENFORCEMENT_FILE, cast.justice))
        create_entry(cast.office, _entry("财政内部事务", Basis.INTERNAL_AFFAIRS, cast.finance))
    make_request(cast.justice, cast.office, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    open_check(cast.office, year=2025, unit=None)  # the organisation's check counts per unit
    texts = [line.text for line in linked_lines(cast.justice.pk, 2025)]
    assert texts == [
        "2025 年不予公开自查（全机关）：进行中",
        "自查项目 1 项，已审查 0 项（继续不予公开 0 项，转为主动公开 0 项），待审查 1 项",
        "政务公开负面清单在用事项 2 项，最近调整 2026-01-05",
    ]
    assert linked_lines(cast.finance.pk, 2025)[1].text.startswith("自查项目 0 项")


class _Task:
    def __init__(self, requirement: str, path: list[str] | None = None) -> None:
        self.requirement = requirement
        self.path = path or []


def test_the_source_answers_the_seed_lines_about_it_and_not_the_review_tasks() -> None:
    answered = [
        # Seed 001 l.127 and seed 004 l.848 (same words), seed 004 l.854.
        "定期对本单位不予公开的信息以及依申请公开较为集中的信息进行全面自查",
        "探索建立政务公开负面清单，细化明确不予公开范围，及时进行调整更新",
        "定期對本單位不予公開的信息以及依申請公開較為集中的信息進行全面自查",
    ]
    unrelated = [
        # Seed 001 l.131 / 004 l.866: a review of the whole programme, not this register.
        "对《意见》及其实施细则安排部署的各项工作进行“回头看”，逐项对照自查落实情况",
        "及时更新政府信息公开指南，并明确标注更新日期",
        "按照统一格式、法定时限和要求，高质量做好政府信息公开工作年度报告的编制",
    ]
    for text in answered:
        assert SOURCE in matching_sources(_Task(text)), text
    for text in unrelated:
        assert SOURCE not in matching_sources(_Task(text)), text


def test_items_are_kept_in_kind_order(cast: Cast) -> None:
    make_request(cast.justice, cast.office, "2025-03-03", "局务会议纪要", name="甲", outcome=DENIED)
    make_request(cast.justice, cast.office, "2025-04-03", "局务会议纪要", name="乙", phone="2")
    check = open_check(cast.office, year=2025, unit=cast.justice)
    kinds = list(check.items.values_list("kind", "requests", "applicants"))
    assert kinds == [(ItemKind.DENIED, 1, 1), (ItemKind.FREQUENT, 2, 2)]


def test_a_refresh_does_not_take_in_a_group_again_when_an_earlier_request_now_leads_it(
    cast: Cast,
) -> None:
    j, o = cast.justice, cast.office
    make_request(j, o, "2025-04-01", "请公开" + LEGAL_AID, name="甲", phone="11")
    make_request(j, o, "2025-05-01", "申请公开" + LEGAL_AID, name="乙", phone="12")
    with time_machine.travel(at("2025-11-03"), tick=False):
        check = open_check(cast.office, year=2025, unit=j)
    assert check.items.filter(kind=ItemKind.FREQUENT).count() == 1
    # Registered late, with the day the letter arrived: it sorts first in the group now.
    make_request(j, o, "2025-01-10", LEGAL_AID, name="丙", phone="13")
    with time_machine.travel(at("2025-12-02"), tick=False):
        done = csrf_post(client_for(cast.office), f"/withheld/checks/{check.pk}/refresh/")
    assert done.status_code == 302
    assert check.items.filter(kind=ItemKind.FREQUENT).count() == 1
