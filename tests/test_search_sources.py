"""The index seen by source: which records of one register match (matching_ids), and the
registry of sources that labels their results and rebuilds their entries."""

from __future__ import annotations

import pytest

from gongkai.search import sources
from gongkai.search.actions import index_entry
from gongkai.search.models import SearchEntry
from gongkai.search.query import matching_ids, search
from gongkai.search.sources import Source, label_of, rebuild, register_source

pytestmark = pytest.mark.django_db


def index_three() -> None:
    index_entry("document", 1, title="港口收费标准", body="关于港口收费的规定", url="/d/1")
    index_entry("gazette", "item-1", title="港口公告", body="港口收费调整", url="/g/1")
    index_entry("gazette", "item-2", title="轮渡公告", body="轮渡班次", url="/g/2")


def test_matching_ids_are_the_matching_records_of_one_source_newest_first() -> None:
    index_three()
    assert matching_ids("港口 收费", source="gazette") == ["item-1"]
    assert matching_ids("公告", source="gazette") == ["item-2", "item-1"]
    assert matching_ids("港口", source="document") == ["1"]
    assert matching_ids("公告", source="gazette", limit=1) == ["item-2"]
    assert matching_ids("！？", source="gazette") == []


def test_matching_ids_among_tests_only_the_records_given_in_batches() -> None:
    index_three()
    assert matching_ids("公告", source="gazette", among=["item-1"]) == ["item-1"]
    assert matching_ids("公告", source="gazette", among=["item-9"]) == []
    many = [f"item-{n}" for n in range(3, 1203)] + ["item-2"]
    assert matching_ids("轮渡", source="gazette", among=many) == ["item-2"]


def test_the_source_filter_of_search_keeps_one_register() -> None:
    index_three()
    found = search("港口", source="gazette")
    assert [r.entry.object_id for r in found.results] == ["item-1"] and found.total == 1
    assert search("港口").total == 2


def test_a_registered_source_is_labelled_and_rebuilt_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The registry is the process's: the test source must not outlive the test.
    monkeypatch.setattr(sources, "_sources", dict(sources._sources))

    def rebuild_test() -> int:
        SearchEntry.objects.filter(source="test-source").delete()
        index_entry("test-source", 1, title="重建的条目", body="", url="/t/1")
        return 1

    register_source(Source("test-source", "测试来源", rebuild_test))
    assert label_of("test-source") == "测试来源" and label_of("nobody") == ""
    assert rebuild("test-source") == {"test-source": 1}
    assert search("重建").results[0].entry.source == "test-source"
    with pytest.raises(ValueError, match="unknown search sources: nobody"):
        rebuild("test-source", "nobody")
