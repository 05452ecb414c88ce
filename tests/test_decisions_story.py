"""The year of a 重大行政决策事项目录, through the pages: the office drafts the 2026 catalogue,
lists the items, records the Party committee's agreement and publishes it; 司法局 links its
consultation, records the hearing, the decision and the 后评估; the office adds an item later
(调整); the portal shows each step with its links, and 财政局's item whose planned time passed
without a consultation is marked as a problem."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.consult import actions as consult
from gongkai.consult.models import Consultation
from gongkai.decisions.models import Adjustment, Catalogue, CatalogueState, Item
from gongkai.publishing.models import DocKind, DocState, Document
from tests.conftest import Cast, client_for, csrf_post

ZONE = ZoneInfo("Asia/Shanghai")


def at(moment: str) -> Any:
    when = dt.datetime.fromisoformat(moment).replace(tzinfo=ZONE)
    return time_machine.travel(when, tick=False)


def text_of(response: Any) -> str:
    """The page's text, tags dropped, entities decoded and spaces collapsed, for "the page
    says" assertions."""
    bare = html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    return re.sub(r"\s+", " ", bare)


def consultation(cast: Cast, opens: dt.date, days: int, **extra: Any) -> Consultation:
    """A consultation of 司法局 flagged 重大行政决策, published by the office today."""
    data = consult.DraftInput(
        unit=cast.justice,
        title="区法治政府建设实施规划（征求意见稿）",
        draft="第一条 ……",
        explanation="起草说明",
        opens_on=opens,
        closes_on=opens + dt.timedelta(days=days - 1),
        is_major_decision=True,
        **extra,
    )
    return consult.publish(cast.office, consult.create_draft(cast.justice_liaison, data))


def published_document(cast: Cast, title: str, number: str, day: dt.date) -> Document:
    return Document.objects.create(
        unit=cast.justice,
        kind=DocKind.NORMATIVE,
        title=title,
        state=DocState.PUBLISHED,
        index_number=number,
        published_on=day,
    )


def test_a_catalogue_from_draft_to_evaluation(cast: Cast, anon: Client) -> None:
    office = client_for(cast.office)
    sifa = client_for(cast.justice_liaison)

    with at("2026-01-10 09:00"):
        made = csrf_post(office, "/decisions/new/", {"year": "2026"})
        assert made.status_code == 302
        catalogue = Catalogue.objects.get(year=2026)
        assert made["Location"] == f"/decisions/{catalogue.pk}/"
        url = f"/decisions/{catalogue.pk}/"
        for title, unit, planned, hearing in [
            ("编制区法治政府建设实施规划（2026—2030年）", cast.justice, "2026年二季度", "on"),
            ("调整区级政府投资项目资金管理办法", cast.finance, "2026年三季度", ""),
        ]:
            added = csrf_post(
                office,
                url + "items/",
                {"title": title, "unit": unit.pk, "planned_time": planned, "hearing": hearing},
            )
            assert added.status_code == 302
        plan, fund = Item.objects.order_by("number")
        assert (plan.number, plan.planned_by, plan.hearing) == (1, dt.date(2026, 6, 30), True)
        assert (fund.number, fund.planned_by, fund.hearing) == (2, dt.date(2026, 9, 30), False)
        # Not before the Party committee has agreed (Art. 3).
        early = csrf_post(office, url + "publish/", {})
        assert early.status_code == 400
        assert "尚未登记党委同意日期" in text_of(early)
        assert Catalogue.objects.get().state == CatalogueState.DRAFT
        assert anon.get("/portal/zdjc/2026/").status_code == 404

    with at("2026-01-25 10:00"):
        saved = csrf_post(
            office,
            url + "edit/",
            {"party_agreed_on": "2026-01-20", "party_note": "经区委常委会会议研究同意"},
        )
        assert saved.status_code == 302
        assert csrf_post(office, url + "publish/", {}).status_code == 302
        catalogue.refresh_from_db()
        assert catalogue.state == CatalogueState.PUBLISHED
        assert catalogue.published_on == dt.date(2026, 1, 25)
        published = AuditEvent.objects.for_object(catalogue).get(action=AuditAction.TRANSITION)
        assert published.changes == {"state": ["draft", "published"]}
        listing = text_of(anon.get("/portal/zdjc/"))
        assert "2026年度重大行政决策事项目录" in listing and "2026-01-25 发布" in listing
        page = text_of(anon.get("/portal/zdjc/2026/"))
        assert "编制区法治政府建设实施规划（2026—2030年）" in page and "区司法局" in page
        assert "2026年三季度" in page and "区财政局" in page and "尚未开展" in page

    with at("2026-02-02 09:00"):
        c = consultation(cast, dt.date(2026, 2, 2), 30)
        item_url = f"/decisions/items/{plan.pk}/"
        linked = csrf_post(sifa, item_url + "consultation/", {"consultation": c.pk})
        assert linked.status_code == 302
        assert "征求意见期 30 日，不少于 30 日" in text_of(sifa.get(item_url))
        hearing = csrf_post(
            sifa, item_url + "hearing/", {"hearing_on": "2026-03-20", "materials_on": "2026-02-02"}
        )
        assert hearing.status_code == 302
        assert "听证材料于听证会前 46 日送达" in text_of(sifa.get(item_url))

    with at("2026-04-10 15:00"):
        published_document(
            cast, "区法治政府建设实施规划（2026—2030年）", "SFJ/2026-00010", dt.date(2026, 4, 10)
        )
        decided = csrf_post(
            sifa,
            item_url + "decision/",
            {"decided_on": "2026-04-10", "index_number": "SFJ/2026-00010"},
        )
        assert decided.status_code == 302

    with at("2026-05-06 11:00"):
        # A decision the catalogue did not foresee: an adjustment of a published catalogue.
        added = csrf_post(
            office,
            url + "items/",
            {
                "title": "区公共法律服务体系建设规划",
                "unit": cast.justice.pk,
                "planned_time": "2026年底前",
            },
        )
        assert added.status_code == 302
        late = Item.objects.get(number=3)
        assert (late.adjustment, late.adjusted_on) == (Adjustment.ADDED, dt.date(2026, 5, 6))
        catalogue.refresh_from_db()
        assert catalogue.adjusted_on == dt.date(2026, 5, 6)
        assert AuditEvent.objects.for_object(late).get().comment == "调整目录：增补决策事项"

    with at("2026-10-15 10:00"):
        report = published_document(
            cast, "区法治政府建设实施规划实施情况评估报告", "SFJ/2026-00042", dt.date(2026, 10, 12)
        )
        evaluated = csrf_post(
            sifa,
            item_url + "evaluation/",
            {
                "evaluated_on": "2026-10-12",
                "summary": "规划确定的 36 项任务已完成 30 项，总体实施效果良好。",
                "index_number": "SFJ/2026-00042",
                "public": "on",
            },
        )
        assert evaluated.status_code == 302
        plan.refresh_from_db()
        assert plan.evaluation_document == report and plan.evaluation_public
        changes = [e.comment for e in AuditEvent.objects.for_object(plan).order_by("pk")]
        assert changes == ["列入决策事项", "关联意见征集", "登记听证", "登记决策结果", "登记后评估"]

        public = anon.get("/portal/zdjc/2026/")
        assert public.status_code == 200
        assert "script-src 'none'" in public["Content-Security-Policy"]
        body = public.content.decode()
        assert "<script" not in body
        assert f'href="/portal/yjzj/{c.pk}/"' in body
        decision = Document.objects.get(index_number="SFJ/2026-00010")
        assert f'href="/portal/documents/{decision.pk}/"' in body
        assert f'href="/portal/documents/{report.pk}/"' in body
        shown = text_of(public)
        assert "规划确定的 36 项任务已完成 30 项" in shown
        assert "调整增补（2026-05-06）" in shown and "最近调整：2026-05-06" in shown
        assert "是（2026-03-20）" in shown

        # 财政局's item: the third quarter is over and nothing was put out for comment.
        fund_page = text_of(client_for(cast.finance_liaison).get(f"/decisions/items/{fund.pk}/"))
        assert "计划完成时间（2026年三季度）已过，尚未公开征求意见" in fund_page
        overview = text_of(office.get(url))
        assert "问题 1 项" in overview
