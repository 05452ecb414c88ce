"""The .txt reader: encodings, and tables written as text put back on a grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.tasklist.blocks import Paragraph, ParseError, Table
from gongkai.tasklist.readers import text
from gongkai.tasklist.readers.limits import DEFAULT_LIMITS, Limits

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
LIST = "工作任务\t具体要求\t责任单位\n主动公开\t及时公开规范性文件。\t办公室\n"
TRADITIONAL = (
    "政務公開工作任務清單\n工作任務\t具體要求\t責任單位\n主動公開\t及時公開規範性文件。\t辦公室\n"
)


def grid(table: Table) -> list[list[str]]:
    """Cells as text; a continued (merged) cell as ~text."""
    return [[("~" if c.continued else "") + c.text for c in row] for row in table.rows]


def only_table(source: str) -> Table:
    tables = [b for b in text.text_blocks(source) if isinstance(b, Table)]
    assert len(tables) == 1
    return tables[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_a_file_reads_the_same_in_every_common_chinese_encoding(
    tmp_path: Path, encoding: str
) -> None:
    source = TRADITIONAL if encoding == "big5" else "政务公开工作任务清单\n" + LIST
    path = tmp_path / "list.txt"
    path.write_bytes(source.encode(encoding))
    doc = text.read(path, DEFAULT_LIMITS)
    assert doc.source == "list.txt"
    first = doc.blocks[0]
    assert isinstance(first, Paragraph) and first.text == source.splitlines()[0]
    assert isinstance(doc.blocks[1], Table)


def test_gbk_text_is_not_mistaken_for_big5(tmp_path: Path) -> None:
    source = "山东省统计局办公室关于印发政务公开工作实施方案的通知\n各处室、中心：\n"
    path = tmp_path / "notice.txt"
    path.write_bytes(source.encode("gbk"))
    assert [b.text for b in text.read(path, DEFAULT_LIMITS).blocks if isinstance(b, Paragraph)] == [
        "山东省统计局办公室关于印发政务公开工作实施方案的通知",
        "各处室、中心：",
    ]


def test_a_file_of_blank_lines_has_nothing_to_read(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n\u3000\n", encoding="utf-8")
    with pytest.raises(ParseError):
        text.read(path, DEFAULT_LIMITS)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("任务" * 100, encoding="utf-8")
    with pytest.raises(ParseError, match="过大"):
        text.read(path, Limits(max_bytes=100))


@pytest.mark.parametrize(
    ("head", "suffix", "sure"),
    [
        ("任务清单".encode(), ".txt", True),
        ("任务清单".encode("gb18030"), ".txt", True),
        ("任务清单".encode("utf-16"), ".txt", True),
        ("任务清单".encode(), ".bin", True),
        (b"\x00\x01\x02PK", ".txt", False),
    ],
)
def test_sniffing_says_whether_the_head_is_text(head: bytes, suffix: str, sure: bool) -> None:
    assert (text.sniff(head, suffix) > 0) is sure
    if sure and suffix == ".txt":
        assert text.sniff(head, suffix) > text.sniff(head, ".bin")


# -- tab layouts ------------------------------------------------------------------------------


def test_cells_on_tabbed_lines_rows_between_blank_lines_and_short_rows_span_categories() -> None:
    source = (
        "附件\n省统计局任务清单\n"
        "\t工作任务\n\t具体要求\n\t责任单位\n\n"
        "\t主动公开\n\t基础信息公开\n\t政策文件\n\t及时公开规范性文件。\n\t执法监督局\n\n"
        "\t\n\t\n\t\n\t确保链接准确。\n\t\n\n"
        "\t依申请公开\n\t申请接收渠道\n\t安排专人接听电话。\n\t统计科学研究所\n\n"
        "\t\n\t申请回复质量\n\t规范答复。\n\t\n\n"
        "5\n"
    )
    blocks = text.text_blocks(source)
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["附件", "省统计局任务清单", "5"]
    table = next(b for b in blocks if isinstance(b, Table))
    assert grid(table) == [
        ["工作任务", "~工作任务", "~工作任务", "具体要求", "责任单位"],
        ["主动公开", "基础信息公开", "政策文件", "及时公开规范性文件。", "执法监督局"],
        ["", "", "", "确保链接准确。", ""],
        ["依申请公开", "申请接收渠道", "~申请接收渠道", "安排专人接听电话。", "统计科学研究所"],
        ["", "申请回复质量", "~申请回复质量", "规范答复。", ""],
    ]
    # a row's line is its requirement's line
    assert table.row_lines == [3, 10, 16, 21, 26]


def test_a_line_without_the_tab_continues_the_cell_above() -> None:
    source = "\t工作任务\n\t牵头单位\n\n\t做好年报。\n\t市行政审批服务局、\n市公共资源交易中心\n"
    table = only_table(source)
    assert grid(table)[1] == ["做好年报。", "市行政审批服务局、\n市公共资源交易中心"]


def test_tab_separated_rows_one_a_line_read_as_a_spreadsheet_pasted_as_text() -> None:
    source = (
        "序号\t工作任务\t责任单位\t完成时限\n"
        "1\t做好年报。\t办公室\t1月底前\n"
        '2\t"更新指南，\n标注日期。"\t办公室\t\n'
    )
    table = only_table(source)
    assert grid(table) == [
        ["序号", "工作任务", "责任单位", "完成时限"],
        ["1", "做好年报。", "办公室", "1月底前"],
        ["2", "更新指南，\n标注日期。", "办公室", ""],
    ]


# -- | layouts --------------------------------------------------------------------------------

PIPES = """\
工作任务 |
具体要求 |
责任单位 |
||
主动公开 |
基础信息公开
|
行政规范 |
做好行政规范性文件的集中、规范公开工作。 |
区司法局牵头，各成员单位负责 |
公开页面详细列明标题、正文。 |
||||
及时公开清理结果。 |
各成员单位 |
|||
机构职能 |
及时更新机构职能信息。 |
各成员单位 |
||
机构职能信息包括机构设置。 |
工作任务 |
具体要求 |
责任单位 |
||
依申请 公开 |
申请接收渠道 规范性 |
咨询电话有人接听。 |
各成员单位 |
||
申请回复质量 |
按时、依法答复。 |
||||
"""


def test_bar_separated_cells_are_placed_by_what_they_say() -> None:
    table = only_table(PIPES)
    assert grid(table) == [
        ["工作任务", "~工作任务", "~工作任务", "具体要求", "责任单位"],
        [
            "主动公开",
            "基础信息公开",
            "行政规范",
            "做好行政规范性文件的集中、规范公开工作。",
            "区司法局牵头，各成员单位负责",
        ],
        ["", "", "", "公开页面详细列明标题、正文。", ""],
        ["", "", "", "及时公开清理结果。", "各成员单位"],
        ["", "", "机构职能", "及时更新机构职能信息。", "各成员单位"],
        ["", "", "", "机构职能信息包括机构设置。", ""],
        ["工作任务", "~工作任务", "~工作任务", "具体要求", "责任单位"],
        # right after a header nothing is merged from above: the categories start at the top
        [
            "依申请 公开",
            "申请接收渠道 规范性",
            "~申请接收渠道 规范性",
            "咨询电话有人接听。",
            "各成员单位",
        ],
        ["", "申请回复质量", "~申请回复质量", "按时、依法答复。", ""],
    ]
    assert table.row_lines is not None and table.row_lines[1] == 9


def test_bar_cells_with_a_serial_and_a_deadline_column_and_no_bars_after_the_header() -> None:
    source = (
        "序号 |\n工作任务 |\n工作内容 |\n责任单位 |\n完成时限 |\n"
        "1 |\n主动公开 |\n及时公开规范性文件。 |\n县司法局 |\n2024年6月底前 |\n"
        "2 |\n做好年报。 |\n县政府办 |\n1月31日前 |\n|\n"
        "3 |\n依申请公开 |\n规范答复。 |\n县政府办牵头，各部门配合 |\n长期 |\n"
        "4 |\n做好备案。 |\n||\n"
    )
    assert grid(only_table(source)) == [
        ["序号", "工作任务", "工作内容", "责任单位", "完成时限"],
        ["1", "主动公开", "及时公开规范性文件。", "县司法局", "2024年6月底前"],
        ["2", "", "做好年报。", "县政府办", "1月31日前"],
        ["3", "依申请公开", "规范答复。", "县政府办牵头，各部门配合", "长期"],
        ["4", "", "做好备案。", "", ""],
    ]


def test_markdown_tables_read_one_row_a_line() -> None:
    source = (
        "| 工作任务 | 具体要求 | 责任单位 |\n|---|---|---|\n| 主动公开 | 及时公开。 | 办公室 |\n"
    )
    assert grid(only_table(source)) == [
        ["工作任务", "具体要求", "责任单位"],
        ["主动公开", "及时公开。", "办公室"],
    ]


def test_a_label_value_box_and_the_paragraphs_after_it_stay_apart() -> None:
    source = (
        "标题: | 关于印发任务清单的通知 | ||\n---|---|---|---|\n"
        "文号: | | 发布机构: | 区政府办公室 |\n各单位：\n现印发给你们。\n"
    )
    blocks = text.text_blocks(source)
    assert isinstance(blocks[0], Table)
    assert grid(blocks[0])[1] == ["文号:", "", "发布机构:", "区政府办公室"]
    assert [b.text for b in blocks[1:] if isinstance(b, Paragraph)] == [
        "各单位：",
        "现印发给你们。",
    ]


def test_csv_files_are_one_table_under_their_title(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "2023年任务清单,,\n工作任务,具体要求,责任单位\n主动公开,及时公开。,办公室\n", "utf-8"
    )
    doc = text.read(path, DEFAULT_LIMITS)
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "2023年任务清单"
    assert isinstance(doc.blocks[1], Table)
    assert grid(doc.blocks[1])[1] == ["主动公开", "及时公开。", "办公室"]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_every_seed_reads_into_blocks_with_their_lines(seed: Path) -> None:
    doc = text.read(seed, DEFAULT_LIMITS)
    assert doc.blocks
    for block in doc.blocks:
        assert block.line is not None and block.line >= 1
        if isinstance(block, Table):
            assert len({len(row) for row in block.rows}) == 1  # a full grid


@settings(max_examples=200, deadline=None)
@given(
    source=st.text(
        alphabet=st.one_of(
            st.sampled_from(list("\t\n|-: 工作任务具体要求责任单位办公室。，")), st.characters()
        ),
        max_size=400,
    )
)
def test_any_text_reads_into_full_grids_without_failing(source: str) -> None:
    for block in text.text_blocks(source):
        if isinstance(block, Table):
            assert len({len(row) for row in block.rows}) <= 1
