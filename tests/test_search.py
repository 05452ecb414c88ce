"""The search index: Chinese words, filters, order, snippets, updates; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import segment
from gongkai.search.actions import index_entry, index_many, remove_entry
from gongkai.search.entries import EntryData
from gongkai.search.models import SearchEntry
from gongkai.search.query import search
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def doc(object_id: int, title: str, body: str = "", **extra: Any) -> SearchEntry:
    return index_entry(
        "document", object_id, title=title, body=body, url=f"/docs/{object_id}/", **extra
    )


def titles(query: str, **options: Any) -> list[str]:
    page = search(query, **options)
    return [result.entry.title for result in page.results]


@pytest.fixture
def register(cast: Cast) -> Cast:
    doc(1, "关于做好2024年政务公开工作的通知", "各单位要按照要求推进政务公开标准化规范化。",
        doc_kind="notice", unit_id=cast.gov.pk, year=2024, validity="有效",
        published_on=dt.date(2024, 3, 1))  # fmt: skip
    doc(2, "区财政局2023年部门预算", "本部门预算按照财政部门要求编制，公开三公经费。",
        doc_kind="budget", unit_id=cast.finance.pk, year=2023, validity="有效",
        published_on=dt.date(2023, 2, 10))  # fmt: skip
    doc(3, "行政执法公示制度实施办法", "司法局负责行政执法监督，结果向社会公开。",
        doc_kind="rule", unit_id=cast.justice.pk, year=2022, validity="已废止",
        published_on=dt.date(2022, 6, 5))  # fmt: skip
    doc(4, "中华人民共和国政府信息公开条例解读", "条例对依申请公开作出规定。",
        doc_kind="interpretation", year=2019, published_on=dt.date(2019, 5, 15))  # fmt: skip
    return cast


def test_two_character_words_find_the_documents_containing_them(register: Cast) -> None:
    assert sorted(titles("财政")) == ["区财政局2023年部门预算"]
    assert len(titles("公开")) == 4


def test_a_four_character_word_matches_however_the_sentence_was_cut(register: Cast) -> None:
    assert titles("政务公开") == ["关于做好2024年政务公开工作的通知"]
    assert titles("中华人民共和国") == ["中华人民共和国政府信息公开条例解读"]


def test_three_character_and_single_character_queries(register: Cast) -> None:
    assert titles("依申请") == ["中华人民共和国政府信息公开条例解读"]
    assert "区财政局2023年部门预算" in titles("财")  # a word that starts with it


def test_two_words_must_both_match(register: Cast) -> None:
    assert titles("公开 执法") == ["行政执法公示制度实施办法"]
    assert titles("财政 执法") == []


def test_filters_narrow_the_results(register: Cast) -> None:
    assert titles("公开", doc_kind="budget") == ["区财政局2023年部门预算"]
    assert titles("公开", unit_id=register.justice.pk) == ["行政执法公示制度实施办法"]
    assert titles("公开", year=2019) == ["中华人民共和国政府信息公开条例解读"]
    assert titles("公开", validity="已废止") == ["行政执法公示制度实施办法"]
    assert titles("公开", validity="有效", year=2022) == []


def test_date_order_puts_the_newest_first_and_undated_last(register: Cast) -> None:
    doc(5, "未注明日期的公开目录")
    assert titles("公开", order="date") == [
        "关于做好2024年政务公开工作的通知",
        "区财政局2023年部门预算",
        "行政执法公示制度实施办法",
        "中华人民共和国政府信息公开条例解读",
        "未注明日期的公开目录",
    ]


def test_relevance_puts_a_title_match_first(cast: Cast) -> None:
    doc(1, "年度工作安排", "财政资金使用情况在年底前公布。", published_on=dt.date(2025, 1, 1))
    doc(2, "财政资金管理办法", "本办法规范资金管理。", published_on=dt.date(2020, 1, 1))
    assert titles("财政资金") == ["财政资金管理办法", "年度工作安排"]


def test_paging_reports_the_total(register: Cast) -> None:
    page = search("公开", order="date", offset=1, limit=2)
    assert page.total == 4
    assert [r.entry.object_id for r in page.results] == ["2", "3"]


def test_snippet_escapes_html_and_marks_the_words(cast: Cast) -> None:
    doc(1, "<b>财政</b>公开", "前言" * 40 + "<script>alert('财政')</script>预算公开&amp;lt")
    (result,) = search("财政 公开").results
    assert "<script>" not in result.snippet_html
    assert (
        "&lt;script&gt;alert(&#x27;<mark>财政</mark>&#x27;)&lt;/script&gt;" in result.snippet_html
    )
    assert "<mark>公开</mark>&amp;amp;lt" in result.snippet_html
    assert result.snippet_html.startswith("…")
    assert result.title_html == "&lt;b&gt;<mark>财政</mark>&lt;/b&gt;<mark>公开</mark>"


def test_a_word_like_an_html_entity_never_marks_inside_one(cast: Cast) -> None:
    doc(1, "lt gt amp", "a < b lt")
    (result,) = search("lt").results
    assert result.snippet_html == "a &lt; b <mark>lt</mark>"


def test_updating_an_entry_replaces_its_words_in_the_index(cast: Cast) -> None:
    first = doc(1, "财政预算", "预算公开")
    second = doc(1, "人事任免", "干部任免公示")
    assert first.pk == second.pk
    assert titles("财政") == []
    assert titles("任免") == ["人事任免"]
    assert SearchEntry.objects.count() == 1


def test_removing_an_entry_removes_it_from_the_index(cast: Cast) -> None:
    doc(1, "财政预算")
    assert remove_entry("document", 1) is True
    assert titles("财政") == []
    assert remove_entry("document", 1) is False


def test_the_same_id_in_two_registers_is_two_entries(cast: Cast) -> None:
    doc(1, "财政预算")
    index_entry("question", 1, title="财政补贴怎么申请", body="", url="/qa/1/")
    assert len(titles("财政")) == 2
    assert titles("财政", source="question") == ["财政补贴怎么申请"]


def test_index_many_creates_and_updates_in_bulk(cast: Cast) -> None:
    doc(1, "旧标题")
    count = index_many(
        [EntryData("document", str(n), f"第{n}号财政通知", "", f"/d/{n}/") for n in range(1, 6)],
        batch=2,
    )
    assert count == 5
    assert SearchEntry.objects.count() == 5
    assert titles("旧标题") == []
    assert search("财政").total == 5


@pytest.mark.parametrize(
    "query",
    ["", "   ", "，。！？", '"', "财政\"", "财政*", "(财政) OR 公开", "NEAR(财政 公开)",
     "公开 -财政", "^财政", "title_words:财政",
     "'; DROP TABLE search_searchentry; --", "a & b | !c", "公开:*"],
)  # fmt: skip
def test_query_syntax_characters_are_only_text(register: Cast, query: str) -> None:
    page = search(query)
    assert page.total == len(page.results)


def test_an_empty_or_punctuation_query_is_an_empty_page(register: Cast) -> None:
    assert search("").total == 0
    assert search("，、。").results == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_query_text_never_crashes(query: str) -> None:
    search(query)


def test_full_width_and_capitals_match_as_plain_text(cast: Cast) -> None:
    doc(1, "ＩＰｖ６改造进展", "IPV6 支持")
    assert titles("ipv6") == ["ＩＰｖ６改造进展"]


def test_query_words_are_the_parts_of_long_words() -> None:
    assert segment.query_terms("政务公开") == ["政务", "公开"]
    assert segment.query_terms("  财政，公开！ ") == ["财政", "公开"]
    assert segment.query_terms("。，") == []
    assert "政务" in segment.segment("政务公开工作要点").split()


def test_jieba_keeps_its_cache_out_of_the_working_directory() -> None:
    segment.segment("政务公开")
    folder = Path(segment._tokenizer().dt.tmp_dir)
    assert folder.resolve() != Path.cwd().resolve()
    assert (folder / "jieba.cache").exists()
    assert not Path("jieba.cache").exists()


# -- bounds: a capped total, relevance over a bounded candidate set, exact date order ---------


@pytest.fixture
def bounds(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set query's MAX_MATCHES, READ_LIMIT and WALK_STEPS for one test, so that a few
    entries cross them."""
    from gongkai.search import query

    def set_to(max_matches: int, read_limit: int = 10_000, walk_steps: int = 200) -> None:
        monkeypatch.setattr(query, "MAX_MATCHES", max_matches)
        monkeypatch.setattr(query, "READ_LIMIT", read_limit)
        monkeypatch.setattr(query, "WALK_STEPS", walk_steps)

    return set_to


def ids(page: Any) -> list[str]:
    return [result.entry.object_id for result in page.results]


def test_the_total_is_capped_and_pages_stop_at_the_cap(cast: Cast, bounds: Any) -> None:
    bounds(5)
    for n in range(1, 9):
        doc(n, f"第{n}号财政通知", published_on=dt.date(2024, 1, n))
    page = search("财政", order="date", limit=3)
    assert (page.total, page.total_capped) == (5, True)
    assert ids(page) == ["8", "7", "6"]
    assert ids(search("财政", order="date", offset=3)) == ["5", "4"]
    assert search("财政", order="date", offset=5).results == []
    assert search("财政", offset=5).results == []
    assert len(search("财政", offset=3).results) == 2
    bounds(8)
    page = search("财政")
    assert (page.total, page.total_capped) == (8, False)


def test_relevance_past_the_cap_ranks_only_the_most_recently_indexed_matches(
    cast: Cast, bounds: Any
) -> None:
    doc(1, "财政预算公开", "财政 预算", published_on=dt.date(2020, 1, 1))  # best, indexed first
    for n in range(2, 7):
        doc(n, f"第{n}号通知", "涉及财政事项", published_on=dt.date(2024, 1, n))
    bounds(10)  # every match ranked: the title match comes first, then newest first
    assert ids(search("财政")) == ["1", "6", "5", "4", "3", "2"]
    bounds(3)  # only the three highest ids (6, 5, 4) are ranked
    page = search("财政")
    assert (page.total, page.total_capped) == (3, True)
    assert ids(page) == ["6", "5", "4"]


def test_filters_apply_to_the_newest_matches_read(cast: Cast, bounds: Any) -> None:
    for n in range(1, 11):
        doc(n, f"第{n}号财政通知", doc_kind="budget" if n in (2, 4, 9) else "notice")
    bounds(100, read_limit=5)  # the words match 10 entries: ids 10…6 are read
    page = search("财政", doc_kind="budget")
    assert (ids(page), page.total, page.total_capped) == (["9"], 1, True)  # "1+"
    bounds(100, read_limit=10)
    page = search("财政", doc_kind="budget")
    assert (sorted(ids(page)), page.total, page.total_capped) == (["2", "4", "9"], 3, False)


@dataclass
class Expected:
    by_date: list[str]  # every entry holding the words and passing the filters, by date
    holding: int  # how many entries hold the words
    read: list[str]  # those passing the filters among the `read_limit` highest ids, by id


def _brute_force(terms: list[str], read_limit: int, **filters: Any) -> Expected:
    holding = []
    for entry in SearchEntry.objects.order_by("-pk"):
        words = set(f"{entry.title_words} {entry.body_words}".split())
        if all(term in words for term in terms):
            holding.append(entry)

    def passes(entry: SearchEntry) -> bool:
        return all(getattr(entry, name) == value for name, value in filters.items())

    found = [entry for entry in holding if passes(entry)]
    # Newest first, undated last, ties by the higher id.
    found.sort(key=lambda e: (e.published_on is not None, e.published_on or dt.date.min, e.pk))
    return Expected(
        [entry.object_id for entry in reversed(found)],
        len(holding),
        [entry.object_id for entry in holding[:read_limit] if passes(entry)],
    )


@pytest.mark.parametrize(
    ("max_matches", "read_limit", "walk_steps"),
    [
        (4, 10_000, 200),  # few matches: sorted
        (1000, 10_000, 200),  # every match shown, sorted
        (6, 10, 200),  # many matches: the date index walked
        (6, 10, 1),  # the walk gives up at once: sorted after all
        (8, 10, 2),  # the walk gives up on some pages only
    ],
)
def test_date_order_is_the_newest_matches_whether_sorted_or_walked(
    cast: Cast, bounds: Any, max_matches: int, read_limit: int, walk_steps: int
) -> None:
    import random

    rng = random.Random(6)  # repeatable test data
    words = ["财政", "预算", "公开", "执法", "教育"]
    days = [None, dt.date(2023, 5, 1), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]
    index_many(
        EntryData(
            "document",
            str(n),
            f"第{n}号文件",
            "，".join(rng.sample(words, rng.randint(2, 4))),
            f"/d/{n}/",
            doc_kind=rng.choice(["规章", "通知"]),
            year=rng.choice([2023, 2024]),
            published_on=rng.choice(days),  # many ties: the id decides
        )
        for n in range(150)
    )
    bounds(max_matches, read_limit, walk_steps)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("财政", {}),
        ("财政 预算", {}),
        ("公开", {"doc_kind": "通知"}),
        ("执法 教育", {"year": 2024, "doc_kind": "规章"}),
    ]
    for query, filters in cases:
        expected = _brute_force(query.split(), read_limit, **filters)
        assert len(expected.by_date) > 6  # past the small caps: the walk is what is tested
        shown = min(len(expected.read), max_matches)
        capped = expected.holding > read_limit or len(expected.read) > max_matches
        ranked: list[str] = []
        size = 3 if shown < 20 else 20
        for offset in range(0, shown + size, size):
            page = search(query, order="date", offset=offset, limit=size, **filters)
            assert ids(page) == expected.by_date[offset : min(offset + size, shown)]
            assert (page.total, page.total_capped) == (shown, capped)
            ranked += ids(search(query, offset=offset, limit=size, **filters))
        # Relevance ranks exactly the newest `shown` of the matches read, each once.
        assert sorted(ranked) == sorted(expected.read[:shown])
