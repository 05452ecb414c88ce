"""The register's demo data loads through the actions on the demo directory, once, and shows
what the pages need: kinds across units, an overdue interpretation, a repealed document, a
linked interpretation, a repost with its source and a draft in review."""

from __future__ import annotations

import pytest

from gongkai.demo.load import load_demo as load_directory
from gongkai.publishing import clock
from gongkai.publishing.demo import load_demo
from gongkai.publishing.models import Category, DocKind, DocState, Document, Validity
from gongkai.search.models import SearchEntry
from tests.test_publishing_actions import D, at

pytestmark = pytest.mark.django_db


def test_the_demo_register_loads_once_with_its_stories() -> None:
    with at("2026-06-15"):
        load_directory()
        load_demo(D("2026-06-15"))
        published = Document.objects.published()
        assert published.count() == 15
        assert Document.objects.filter(state=DocState.REVIEW).count() == 1
        assert len({d.kind for d in published}) >= 8
        assert len({d.unit_id for d in published}) == 4
        assert Category.objects.filter(parent=None).count() == 6
        assert all(d.category_id for d in published)

        [overdue] = Document.objects.interpretation_overdue(D("2026-06-15"))
        assert overdue.title == "关于加强新时代人民调解工作的意见"
        assert clock.interpretation_status(overdue) == "已逾期"
        [repealed] = published.filter(validity=Validity.REPEALED)
        assert repealed.validity_changes.count() == 1
        [reading] = published.filter(kind=DocKind.INTERPRETATION)
        assert reading.interprets is not None
        assert clock.interpretation_status(reading.interprets) == "按时发布"
        [repost] = published.filter(is_repost=True)
        assert repost.source == "淄博市人民政府网站"
        assert SearchEntry.objects.filter(source="document").count() == 15
        assert len({d.index_number for d in published}) == 15

        load_demo(D("2026-06-15"))  # once only
        assert Document.objects.count() == 16
