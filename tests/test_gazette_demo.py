"""The demo gazette loads once on the demo register and shows on the portal."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.demo.load import load_demo as load_directory
from gongkai.gazette.demo import load_demo
from gongkai.gazette.models import GazetteInfo, Issue, Item
from gongkai.publishing.demo import load_demo as load_documents
from tests.test_gazette_story import at, text_of
from tests.test_publishing_actions import D

pytestmark = pytest.mark.django_db


def test_the_demo_gazette_has_two_published_issues_linking_demo_documents(anon: Client) -> None:
    with at("2026-06-15 10:00"):
        load_directory()
        load_documents(D("2026-06-15"))
        load_demo(D("2026-06-15"))
        load_demo(D("2026-06-15"))  # once only
        issues = Issue.objects.published().filter(year=2026)
        assert issues.count() == 2 == Issue.objects.count()
        assert Item.objects.filter(document__isnull=True).count() == 0
        assert 4 <= Item.objects.count() <= 8
        assert not Item.objects.filter(document__is_repost=True).exists()
        assert not GazetteInfo.current().is_empty
        page = anon.get("/portal/gb/2026/2/")
        assert page.status_code == 200
        assert "/portal/documents/" in page.content.decode()
        assert "张店区人民西路 1 号" in text_of(page)
