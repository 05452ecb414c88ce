"""The search index: Chinese words, filters, order, snippets, updates; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
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
