"""The demo catalogue loads once on the demo directory, published, its first item linked to the
consult demo's major-decision consultation and its third to the publishing demo's document, and
shows on the portal with those links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai.consult.demo import load_demo as load_consultations
from gongkai.decisions.demo import load_demo
from gongkai.decisions.models import Catalogue, CheckState, Item
from gongkai.demo.load import load_demo as load_directory
from gongkai.publishing.demo import load_demo as load_documents
from tests.test_decisions_story import at, text_of

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_links_the_demo_consultation_and_decision(anon: Client) -> None:
    today = dt.date(2026, 6, 15)
    with at("2026-06-15 10:00"):
        load_directory()
        load_documents(today)
        load_consultations(today)
        load_demo(today)
        load_demo(today)  # once only
        catalogue = Catalogue.objects.get()
        assert catalogue.year == 2026 and catalogue.is_published
        rules, plan, measures = Item.objects.order_by("number")
        assert rules.consultation is not None and rules.consultation.is_major_decision
        assert measures.decision_document is not None and measures.hearing_on is not None
        assert measures.hearing_check(today).state == CheckState.OK
        shortened = rules.window_check(today)
        assert shortened.state == CheckState.OK and "已说明缩短理由" in shortened.text
        assert plan.hearing_check(today).state == CheckState.PENDING
        page = anon.get("/portal/zdjc/2026/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f'href="/portal/yjzj/{rules.consultation.pk}/"' in html
        assert f'href="/portal/documents/{measures.decision_document.pk}/"' in html
        assert "编制张店区法治政府建设实施规划（2026—2030年）" in text_of(page)


def test_the_demo_needs_the_demo_directory() -> None:
    load_demo(dt.date(2026, 6, 15))
    assert not Catalogue.objects.exists()
