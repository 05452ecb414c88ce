"""The catalogue's rules, through the pages: the E3 checks (30-day comment period unless a
reason is recorded, hearing materials 7 days ahead), what may be linked, who may do what, what
the portal shows, and how planned times are read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongkai.audit.models import AuditEvent
from gongkai.consult.models import Consultation
from gongkai.decisions import actions
from gongkai.decisions.actions import CatalogueInput, ItemInput
from gongkai.decisions.models import Adjustment, Catalogue, Item
from gongkai.decisions.planned import period_end
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post
from tests.test_decisions_story import at, consultation, text_of


def catalogue_with(
    cast: Cast, *items: tuple[str, Unit, str, bool], publish: bool = False
) -> Catalogue:
    c = actions.create_catalogue(cast.office, 2026, CatalogueInput(dt.date(2026, 1, 5)))
    for title, unit, planned, hearing in items:
        actions.add_item(cast.office, c, ItemInput(title, unit, planned, hearing=hearing))
    return actions.publish_catalogue(cast.office, c) if publish else c


def justice_item(cast: Cast, hearing: bool = False, publish: bool = False) -> Item:
    c = catalogue_with(
        cast, ("区行政执法公示办法", cast.justice, "2026年6月", hearing), publish=publish
    )
    return c.items.get()


# -- E3: the comment period -------------------------------------------------------------------


def test_a_short_comment_period_with_its_reason_passes_and_without_one_is_a_problem(
    cast: Cast,
) -> None:
    with at("2026-03-02 09:00"):
        item = justice_item(cast)
        c = consultation(cast, dt.date(2026, 3, 2), 20, short_reason="上级要求于年中前出台")
        sifa = client_for(cast.justice_liaison)
        url = f"/decisions/items/{item.pk}/"
        assert csrf_post(sifa, url + "consultation/", {"consultation": c.pk}).status_code == 302
        page = text_of(sifa.get(url))
        assert "征求意见期 20 日，已说明缩短理由：上级要求于年中前出台" in page
        assert "征求意见期：符合" in page and "征求意见期：问题" not in page
        # A consultation recorded before the rule was enforced (or imported) has no reason.
        Consultation.objects.filter(pk=c.pk).update(short_reason="")
        page = text_of(sifa.get(url))
        assert "征求意见期 20 日，少于 30 日且未说明理由" in page
        assert "征求意见期：问题" in page


def test_a_consultation_not_yet_published_does_not_count_as_held(cast: Cast) -> None:
    from gongkai.consult.actions import DraftInput, create_draft

    with at("2026-07-02 09:00"):
        item = justice_item(cast)
        draft = create_draft(
            cast.justice_liaison, DraftInput(cast.justice, "草稿", is_major_decision=True)
        )
        sifa = client_for(cast.justice_liaison)
        url = f"/decisions/items/{item.pk}/"
        assert csrf_post(sifa, url + "consultation/", {"consultation": draft.pk}).status_code == 302
        page = text_of(sifa.get(url))
        assert "计划完成时间（2026年6月）已过，尚未公开征求意见" in page


# -- E3: the hearing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("materials", "state", "says"),
    [
        ("2026-05-13", "听证材料提前送达：符合", "听证材料于听证会前 7 日送达"),
        ("2026-05-14", "听证材料提前送达：问题", "听证材料于听证会前 6 日送达，少于 7 日"),
        ("", "听证材料提前送达：问题", "听证材料应于 2026-05-13 前送达，尚未登记送达日期"),
    ],
)
def test_hearing_materials_must_reach_participants_7_days_ahead(
    cast: Cast, materials: str, state: str, says: str
) -> None:
    with at("2026-05-18 09:00"):
        item = justice_item(cast, hearing=True)
        sifa = client_for(cast.justice_liaison)
        url = f"/decisions/items/{item.pk}/"
        data = {"hearing_on": "2026-05-20", "materials_on": materials}
        assert csrf_post(sifa, url + "hearing/", data).status_code == 302
        page = text_of(sifa.get(url))
        assert state in page and says in page


def test_a_hearing_cannot_be_recorded_for_an_item_without_one(cast: Cast) -> None:
    with at("2026-05-18 09:00"):
        item = justice_item(cast, hearing=False)
        refused = csrf_post(
            client_for(cast.justice_liaison),
            f"/decisions/items/{item.pk}/hearing/",
            {"hearing_on": "2026-05-20"},
        )
        assert refused.status_code == 400
        assert "目录未列明该事项举行听证，不能登记听证" in text_of(refused)


# -- what may be linked -----------------------------------------------------------------------


def test_linking_a_consultation_not_flagged_major_is_refused_with_a_clear_error(
    cast: Cast,
) -> None:
    with at("2026-03-02 09:00"):
        item = justice_item(cast)
        plain = consultation(cast, dt.date(2026, 3, 2), 30)
        Consultation.objects.filter(pk=plain.pk).update(is_major_decision=False)
        before = AuditEvent.objects.for_object(item).count()
        refused = csrf_post(
            client_for(cast.justice_liaison),
            f"/decisions/items/{item.pk}/consultation/",
            {"consultation": plain.pk},
        )
        assert refused.status_code == 400
        assert (
            "意见征集「区法治政府建设实施规划（征求意见稿）」未标注为重大行政决策事项，"
            "不能作为决策预公开关联" in text_of(refused)
        )
        item.refresh_from_db()
        assert item.consultation is None
        assert AuditEvent.objects.for_object(item).count() == before


def test_only_the_items_units_consultations_can_be_chosen(cast: Cast) -> None:
    from gongkai.consult.actions import DraftInput, create_draft

    with at("2026-03-02 09:00"):
        item = justice_item(cast)
        theirs = create_draft(
            cast.finance_liaison,
            DraftInput(cast.finance, "财政局的征求意见稿", is_major_decision=True),
        )
        refused = csrf_post(
            client_for(cast.office),
            f"/decisions/items/{item.pk}/consultation/",
            {"consultation": theirs.pk},
        )
        assert refused.status_code == 400
        assert "只能选择承办单位的意见征集" in text_of(refused)


def test_one_consultation_is_the_pre_disclosure_of_one_item(cast: Cast) -> None:
    with at("2026-03-02 09:00"):
        c = catalogue_with(
            cast,
            ("事项甲", cast.justice, "2026年", False),
            ("事项乙", cast.justice, "2026年", False),
        )
        first, second = c.items.order_by("number")
        used = consultation(cast, dt.date(2026, 3, 2), 30)
        actions.link_consultation(cast.justice_liaison, first, used)
        refused = csrf_post(
            client_for(cast.justice_liaison),
            f"/decisions/items/{second.pk}/consultation/",
            {"consultation": used.pk},
        )
        assert refused.status_code == 400
        assert "已关联2026年度目录的「事项甲」" in text_of(refused)


def test_a_decision_must_be_a_published_document_or_a_web_address(cast: Cast) -> None:
    with at("2026-04-01 09:00"):
        item = justice_item(cast)
        sifa = client_for(cast.justice_liaison)
        url = f"/decisions/items/{item.pk}/decision/"
        cases: list[tuple[dict[str, str], str]] = [
            ({"decided_on": "2026-04-01", "index_number": "无此号"}, "没有找到索引号为「无此号」"),
            ({"decided_on": "2026-04-01"}, "请填写决策文件的索引号或网址"),
            ({"url": "https://www.example.gov.cn/a.html"}, "请填写决策日期"),
            ({"decided_on": "2026-04-01", "url": "ftp://x"}, "决策文件网址不是有效的网址"),
            ({"decided_on": "2026-05-01", "url": "https://x.gov.cn/"}, "不能晚于今天"),
        ]
        for data, says in cases:
            refused = csrf_post(sifa, url, data)
            assert refused.status_code == 400, data
            assert says in text_of(refused), data
        ok = csrf_post(
            sifa, url, {"decided_on": "2026-04-01", "url": "https://www.example.gov.cn/a.html"}
        )
        assert ok.status_code == 302
        item.refresh_from_db()
        assert item.decision_link() == "https://www.example.gov.cn/a.html"


def test_an_evaluation_needs_a_decision_first(cast: Cast) -> None:
    with at("2026-04-01 09:00"):
        item = justice_item(cast)
        refused = csrf_post(
            client_for(cast.justice_liaison),
            f"/decisions/items/{item.pk}/evaluation/",
            {"evaluated_on": "2026-04-01", "summary": "效果良好"},
        )
        assert refused.status_code == 400
        assert "尚未登记决策结果，不能登记后评估" in text_of(refused)


# -- the office's catalogue -------------------------------------------------------------------


def test_one_catalogue_a_year(cast: Cast) -> None:
    with at("2026-01-05 09:00"):
        office = client_for(cast.office)
        assert csrf_post(office, "/decisions/new/", {"year": "2026"}).status_code == 302
        again = csrf_post(office, "/decisions/new/", {"year": "2026"})
        assert again.status_code == 400
        assert "2026 年度的目录已经存在" in text_of(again)
        assert Catalogue.objects.count() == 1


def test_a_planned_time_that_cannot_be_read_is_refused_with_the_forms_accepted(
    cast: Cast,
) -> None:
    with at("2026-01-05 09:00"):
        c = catalogue_with(cast)
        refused = csrf_post(
            client_for(cast.office),
            f"/decisions/{c.pk}/items/",
            {"title": "某事项", "unit": cast.justice.pk, "planned_time": "尽快"},
        )
        assert refused.status_code == 400
        assert "看不懂计划完成时间「尽快」，请写成「2026年三季度」" in text_of(refused)
        assert not c.items.exists()


def test_items_of_a_published_catalogue_are_adjusted_not_removed(cast: Cast, anon: Client) -> None:
    with at("2026-01-05 09:00"):
        item = justice_item(cast, publish=True)
    with at("2026-06-01 09:00"):
        office = client_for(cast.office)
        removed = csrf_post(office, f"/decisions/items/{item.pk}/remove/", {})
        assert removed.status_code == 400 and "目录已发布，事项不能删除" in text_of(removed)
        changed = csrf_post(
            office,
            f"/decisions/items/{item.pk}/edit/",
            {"title": item.title, "unit": cast.justice.pk, "planned_time": "2026年三季度"},
        )
        assert changed.status_code == 302
        item.refresh_from_db()
        assert (item.adjustment, item.adjusted_on) == (Adjustment.CHANGED, dt.date(2026, 6, 1))
        assert item.planned_by == dt.date(2026, 9, 30)
        event = AuditEvent.objects.for_object(item).get(comment="调整目录：变更决策事项")
        assert event.changes["planned_time"] == ["2026年6月", "2026年三季度"]
        page = text_of(anon.get("/portal/zdjc/2026/"))
        assert "调整变更（2026-06-01）" in page and "最近调整：2026-06-01" in page


def test_a_draft_item_can_be_removed(cast: Cast) -> None:
    with at("2026-01-05 09:00"):
        item = justice_item(cast)
        assert (
            csrf_post(client_for(cast.office), f"/decisions/items/{item.pk}/remove/").status_code
            == 302
        )
        assert not Item.objects.exists()


# -- who may do what --------------------------------------------------------------------------


def test_only_the_office_drafts_and_publishes_the_catalogue(cast: Cast) -> None:
    with at("2026-01-05 09:00"):
        c = catalogue_with(cast, ("事项", cast.justice, "2026年", False))
        for user in (cast.justice_liaison, cast.justice_leader, cast.evaluator):
            client = client_for(user)
            assert client.get(f"/decisions/{c.pk}/").status_code == 200
            assert csrf_post(client, "/decisions/new/", {"year": "2025"}).status_code == 403
            assert csrf_post(client, f"/decisions/{c.pk}/publish/").status_code == 403
            data = {"title": "x", "unit": cast.justice.pk, "planned_time": "2026年"}
            assert csrf_post(client, f"/decisions/{c.pk}/items/", data).status_code == 403
        assert not Catalogue.objects.get().is_published


def test_leaders_read_their_units_items_and_change_nothing(cast: Cast) -> None:
    with at("2026-03-02 09:00"):
        item = justice_item(cast)
        leader = client_for(cast.justice_leader)
        page = leader.get(f"/decisions/items/{item.pk}/")
        assert page.status_code == 200 and "item_decision" not in page.content.decode()
        refused = csrf_post(
            leader, f"/decisions/items/{item.pk}/decision/", {"url": "https://a.gov.cn/"}
        )
        assert refused.status_code == 403


def test_a_liaison_sees_only_their_units_items_in_the_catalogue(cast: Cast) -> None:
    with at("2026-01-05 09:00"):
        c = catalogue_with(
            cast,
            ("司法局事项", cast.justice, "2026年", False),
            ("财政局事项", cast.finance, "2026年", False),
        )
        page = text_of(client_for(cast.finance_liaison).get(f"/decisions/{c.pk}/"))
        assert "财政局事项" in page and "司法局事项" not in page
        assert "目录另有其他单位的事项 1 项" in page
        theirs = c.items.get(unit=cast.justice)
        assert (
            client_for(cast.finance_liaison).get(f"/decisions/items/{theirs.pk}/").status_code
            == 404
        )
        everything = text_of(client_for(cast.evaluator).get(f"/decisions/{c.pk}/"))
        assert "财政局事项" in everything and "司法局事项" in everything


# -- the portal -------------------------------------------------------------------------------


def test_the_portal_shows_only_published_catalogues_and_public_evaluations(
    cast: Cast, anon: Client
) -> None:
    with at("2026-01-05 09:00"):
        draft = catalogue_with(cast, ("未发布事项", cast.justice, "2026年", False))
        assert anon.get("/portal/zdjc/2026/").status_code == 404
        assert "未发布事项" not in text_of(anon.get("/portal/zdjc/"))
        actions.publish_catalogue(cast.office, draft)
        item = draft.items.get()
    with at("2026-09-01 09:00"):
        actions.record_decision(
            cast.justice_liaison,
            item,
            actions.DecisionInput(dt.date(2026, 8, 1), url="https://www.example.gov.cn/d.html"),
        )
        evaluation = actions.EvaluationInput(dt.date(2026, 9, 1), "内部评估，尚不公开")
        actions.record_evaluation(cast.justice_liaison, Item.objects.get(), evaluation)
        page = anon.get("/portal/zdjc/2026/")
        html = page.content.decode()
        assert 'href="https://www.example.gov.cn/d.html"' in html
        assert "内部评估" not in html and "<script" not in html
        assert anon.get("/portal/zdjc/2025/").status_code == 404


# -- planned times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2026年三季度", dt.date(2026, 9, 30)),
        ("2026年第一季度", dt.date(2026, 3, 31)),
        ("2026年4季度", dt.date(2026, 12, 31)),
        ("2026年6月", dt.date(2026, 6, 30)),
        ("2026年2月", dt.date(2026, 2, 28)),
        ("2026年5月至6月", dt.date(2026, 6, 30)),
        ("2026年上半年", dt.date(2026, 6, 30)),
        ("2026年下半年", dt.date(2026, 12, 31)),
        ("2026年底前", dt.date(2026, 12, 31)),
        ("2026年", dt.date(2026, 12, 31)),
        ("年底前", dt.date(2025, 12, 31)),
        ("三季度", dt.date(2025, 9, 30)),
        ("2027年 1 月", dt.date(2027, 1, 31)),
        ("尽快", None),
        ("", None),
        ("明年", None),
    ],
)
def test_planned_times_are_read_as_the_last_day_of_their_period(
    text: str, end: dt.date | None
) -> None:
    assert period_end(text, 2025) == end


@given(st.text(max_size=40))
def test_reading_a_planned_time_never_crashes(text: str) -> None:
    result: Any = period_end(text, 2026)
    assert result is None or isinstance(result, dt.date)


def test_the_unit_of_an_item_with_a_consultation_stays_with_that_consultation(cast: Cast) -> None:
    with at("2026-03-02 09:00"):
        item = justice_item(cast)
        actions.link_consultation(
            cast.justice_liaison, item, consultation(cast, dt.date(2026, 3, 2), 30)
        )
        refused = csrf_post(
            client_for(cast.office),
            f"/decisions/items/{item.pk}/edit/",
            {"title": item.title, "unit": cast.finance.pk, "planned_time": item.planned_time},
        )
        assert refused.status_code == 400
        assert "变更承办单位前请先取消关联" in text_of(refused)
        assert Item.objects.get().unit == cast.justice
