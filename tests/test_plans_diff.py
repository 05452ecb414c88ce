"""Matching a revised task list to the old one, and the draft-row edits. Pure: no database."""

from __future__ import annotations

import pytest

from gongkai.plans.diff import Change, Item, Op, field_changes, match, text_diff
from gongkai.plans.rows import (
    DraftRow,
    RowNotFound,
    delete_row,
    edit_row,
    merge_with_previous,
    parse_path,
    split_row,
    suggest_split,
)

A = ("主动公开", "政策文件")
B = ("主动公开", "机构职能")


def item(text: str, path: tuple[str, ...] = A, units: str = "区司法局") -> Item:
    return Item(path, text, (("责任单位", units),))


def outcome(old: list[Item], new: list[Item]) -> list[tuple[str, int | None, int | None]]:
    return [(e.change.value, e.old, e.new) for e in match(old, new)]


CASES: list[tuple[str, list[Item], list[Item], list[tuple[str, int | None, int | None]]]] = [
    (
        "identical lists are unchanged",
        [item("做好政策文件公开。"), item("规范公开机构职能信息。", B)],
        [item("做好政策文件公开。"), item("规范公开机构职能信息。", B)],
        [("unchanged", 0, 0), ("unchanged", 1, 1)],
    ),
    (
        "punctuation, width and spaces do not count, but the text is shown as changed",
        [item("做好政策文件公开，及时更新。")],
        [item("做好政策文件公开, 及时更新")],
        [("changed", 0, 0)],
    ),
    (
        "a reordered list keeps every pairing",
        [item("第一项工作要求内容"), item("第二项工作要求内容")],
        [item("第二项工作要求内容"), item("第一项工作要求内容")],
        [("unchanged", 1, 0), ("unchanged", 0, 1)],
    ),
    (
        "a light edit is changed, a new task added, a missing one removed",
        [
            item("及时公开我局有关工作规章和行政规范性文件清理结果。"),
            item("确保公开的电话有人接听。"),
        ],
        [item("及时公开我局有关工作规章和规范性文件清理结果。"), item("按时发布年度报告。")],
        [("changed", 0, 0), ("added", None, 1), ("removed", 1, None)],
    ),
    (
        "a rewrite below the threshold is a removal and an addition",
        [item("做好政府信息公开年度报告编制发布工作")],
        [item("加强政务新媒体管理，规范账号开设")],
        [("added", None, 0), ("removed", 0, None)],
    ),
    (
        "same text with new units is changed",
        [item("做好政策文件公开。", units="区司法局")],
        [item("做好政策文件公开。", units="区财政局")],
        [("changed", 0, 0)],
    ),
    (
        "same text in a new category is changed",
        [item("做好政策文件公开。", A)],
        [item("做好政策文件公开。", B)],
        [("changed", 0, 0)],
    ),
    (
        "duplicates pair with the one in the same category first",
        [item("及时更新栏目内容。", A), item("及时更新栏目内容。", B)],
        [item("及时更新栏目内容。", B)],
        [("unchanged", 1, 0), ("removed", 0, None)],
    ),
    (
        "of two similar old tasks the edit pairs with the one in its category",
        [
            item("在网站专栏设置行政许可信息链接并及时维护更新", A),
            item("在网站专栏设置行政许可信息链接并及时维护更新", B),
        ],
        [item("在网站专栏设置行政许可信息链接并及时更新维护", B)],
        [("changed", 1, 0), ("removed", 0, None)],
    ),
    ("an empty old list is all added", [], [item("甲项工作")], [("added", None, 0)]),
    ("an empty new list is all removed", [item("甲项工作")], [], [("removed", 0, None)]),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_match_pairs_old_and_new_tasks(
    old: list[Item], new: list[Item], expected: list[tuple[str, int | None, int | None]]
) -> None:
    assert outcome(old, new) == expected


def test_every_item_appears_exactly_once() -> None:
    old = [item(f"第{i}项工作：做好信息公开专栏维护") for i in range(30)]
    new = [item(f"第{i}项工作：做好信息公开专栏的维护") for i in range(5, 40)]
    entries = match(old, new)
    assert sorted(e.old for e in entries if e.old is not None) == list(range(30))
    assert sorted(e.new for e in entries if e.new is not None) == list(range(35))


def test_the_threshold_is_inclusive_and_adjustable() -> None:
    old, new = [item("甲乙丙丁戊己庚辛壬癸")], [item("甲乙丙丁戊己庚辛壬子")]  # ratio 0.9
    assert match(old, new, threshold=0.9)[0].change == Change.CHANGED
    assert match(old, new, threshold=0.95)[0].change == Change.ADDED


def test_text_diff_shows_what_was_struck_out_and_inserted() -> None:
    runs = text_diff("工作规章和行政规范性文件", "工作规章和规范性文件及清理结果")
    assert runs == [
        (Op.EQUAL, "工作规章和"),
        (Op.DELETE, "行政"),
        (Op.EQUAL, "规范性文件"),
        (Op.INSERT, "及清理结果"),
    ]
    assert "".join(t for op, t in runs if op != Op.INSERT) == "工作规章和行政规范性文件"


def test_field_changes_list_the_category_and_fields_that_differ() -> None:
    assert field_changes(item("x", A, "区司法局"), item("x", B, "区财政局")) == [
        ("类别", "主动公开 / 政策文件", "主动公开 / 机构职能"),
        ("责任单位", "区司法局", "区财政局"),
    ]
    assert field_changes(item("x"), item("y")) == []


# -- draft rows -------------------------------------------------------------------------------


def rows() -> list[DraftRow]:
    return [
        DraftRow("a", ["主动公开"], "做好政策文件公开。", responsible_units=["区司法局"]),
        DraftRow(
            "b",
            ["主动公开"],
            "每季度更新一次专栏。年底前完成全面核查。",
            lead_units=["区政府办"],
            responsible_units=["区财政局"],
            time_rules=[
                {
                    "kind": "recurring",
                    "unit": "quarter",
                    "amount": None,
                    "date": None,
                    "text": "每季度",
                },
                {"kind": "by_date", "unit": None, "amount": None, "date": None, "text": "年底前"},
            ],
        ),
    ]


def test_editing_a_row_changes_only_that_row() -> None:
    edited = edit_row(rows(), "a", path=["依申请公开"], responsible_units=["区财政局"])
    assert edited[0].path == ["依申请公开"] and edited[0].responsible_units == ["区财政局"]
    assert edited[1] == rows()[1]


def test_a_row_split_in_two_keeps_units_and_shares_out_its_time_rules() -> None:
    first, second = suggest_split(rows()[1].requirement)
    assert (first, second) == ("每季度更新一次专栏。", "年底前完成全面核查。")
    out = split_row(rows(), "b", first, second)
    assert [r.requirement for r in out] == ["做好政策文件公开。", first, second]
    assert out[1].id == "b" and out[2].id not in ("a", "b")
    assert out[2].lead_units == ["区政府办"] and out[2].responsible_units == ["区财政局"]
    assert [r["text"] for r in out[1].time_rules] == ["每季度"]
    assert [r["text"] for r in out[2].time_rules] == ["年底前"]


def test_a_split_needs_text_on_both_sides() -> None:
    with pytest.raises(ValueError, match="不能为空"):
        split_row(rows(), "b", "全部内容", "  ")


def test_merging_appends_the_text_and_combines_units() -> None:
    out = merge_with_previous(rows(), "b")
    assert len(out) == 1
    assert out[0].requirement == "做好政策文件公开。每季度更新一次专栏。年底前完成全面核查。"
    assert out[0].lead_units == ["区政府办"]
    assert out[0].responsible_units == ["区司法局", "区财政局"]
    assert len(out[0].time_rules) == 2
    with pytest.raises(ValueError):
        merge_with_previous(rows(), "a")


def test_an_edit_of_a_row_that_is_gone_says_so() -> None:
    with pytest.raises(RowNotFound):
        delete_row(delete_row(rows(), "a"), "a")


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("主动公开 / 基础信息公开 / 政策文件", ["主动公开", "基础信息公开", "政策文件"]),
        ("主动公开>政策文件", ["主动公开", "政策文件"]),
        ("主动公开／政策文件 / ", ["主动公开", "政策文件"]),
        ("", []),
    ],
)
def test_a_typed_path_is_split_on_slashes_or_arrows(text: str, path: list[str]) -> None:
    assert parse_path(text) == path


def test_a_text_without_a_sentence_end_is_not_split_by_default() -> None:
    assert suggest_split("做好政策文件公开") == ("做好政策文件公开", "")
