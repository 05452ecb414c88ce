"""Defects found in review of 重大行政决策事项目录: a consultation linked as an item's 预公开
while still a draft can be changed in its own register afterwards — unflagged, or moved to
another unit. It then no longer counts, nor shows on the portal, as the item's 预公开."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai.consult import actions as consult
from gongkai.decisions.linked import linked_lines
from tests.conftest import Cast, client_for, csrf_post
from tests.test_decisions_rules import justice_item
from tests.test_decisions_story import at, text_of

pytestmark = pytest.mark.django_db


def draft_input(cast: Cast, **changes: object) -> consult.DraftInput:
    values: dict[str, object] = {
        "unit": cast.justice,
        "title": "区公共法律服务设施布局规划（征求意见稿）",
        "draft": "第一条 ……",
        "explanation": "起草说明",
        "opens_on": dt.date(2026, 3, 2),
        "closes_on": dt.date(2026, 4, 10),
        "is_major_decision": True,
        **changes,
    }
    return consult.DraftInput(**values)  # type: ignore[arg-type]  # the dataclass's own fields


@pytest.mark.parametrize(
    "change", [{"is_major_decision": False}, {"unit": "finance"}], ids=["unflagged", "moved"]
)
def test_a_linked_draft_consultation_changed_afterwards_is_no_pre_disclosure(
    cast: Cast, anon: Client, change: dict[str, object]
) -> None:
    with at("2026-03-01 09:00"):
        item = justice_item(cast, publish=True)
        draft = consult.create_draft(cast.justice_liaison, draft_input(cast))
        url = f"/decisions/items/{item.pk}/"
        sifa = client_for(cast.justice_liaison)
        assert csrf_post(sifa, url + "consultation/", {"consultation": draft.pk}).status_code == 302
        changes = {k: (cast.finance if v == "finance" else v) for k, v in change.items()}
        consult.edit_draft(cast.office, draft, draft_input(cast, **changes))
        published = consult.publish(cast.office, draft)
    with at("2026-07-02 09:00"):
        page = text_of(client_for(cast.office).get(url))
        portal = anon.get("/portal/zdjc/2026/").content.decode()
        evidence = [line.text for line in linked_lines(cast.justice.pk, 2026)]
    assert "已不是承办单位标注为重大行政决策的意见征集" in page
    assert "征求意见期：问题" in page
    assert published.public_url() not in portal and draft.title not in portal
    assert any("未公开征求意见" in line for line in evidence)
    assert any("已不是承办单位标注为重大行政决策" in line for line in evidence)


def test_a_published_catalogues_party_agreement_cannot_move_after_its_publication(
    cast: Cast,
) -> None:
    with at("2026-01-10 09:00"):
        item = justice_item(cast, publish=True)  # agreed 2026-01-05, published today
    catalogue = item.catalogue
    office = client_for(cast.office)
    with at("2026-03-01 09:00"):
        url = f"/decisions/{catalogue.pk}/edit/"
        later = {"party_agreed_on": "2026-02-01", "party_note": "", "note": ""}
        refused = csrf_post(office, url, later)
        earlier = csrf_post(office, url, {**later, "party_agreed_on": "2026-01-06"})
    assert refused.status_code == 400
    assert "目录已于 2026-01-10 发布，党委同意日期不能晚于发布日期" in text_of(refused)
    assert earlier.status_code == 302
    catalogue.refresh_from_db()
    assert catalogue.party_agreed_on == dt.date(2026, 1, 6)
