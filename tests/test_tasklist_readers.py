"""Readers: small documents built here, read back into paragraphs and full table grids.

No CJK font is installed on the build machine, so the PDF tests use Latin text (fpdf2's core
Helvetica); the other formats use Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import quopri
import random
import stat
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.tasklist.blocks import Cell, Paragraph, ParseError, RawDocument, Table
from gongkai.tasklist.readers import READERS, Limits, choose_reader, legacy, read_document

# ---------------------------------------------------------------------------------------------
# helpers


def tables(doc: RawDocument) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: RawDocument) -> list[Paragraph]:
    return [b for b in doc.blocks if isinstance(b, Paragraph)]


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def flags(table: Table) -> list[list[bool]]:
    return [[c.continued for c in row] for row in table.rows]


def parse_error(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(ParseError) as caught:
        read_document(path, limits or Limits())
    message = str(caught.value)
    assert "\n" not in message and "(" in message  # one line, with an English gloss
    return message


def task_docx() -> docx.document.Document:
    """附件, a heading, a table with merges down and across, a closing paragraph."""
    d = docx.Document()
    d.core_properties.title = "2023年政务公开工作任务清单"
    d.add_paragraph("附件")
    d.add_heading("主动公开", level=1)
    t = d.add_table(rows=5, cols=3)
    for i, text in enumerate(["工作任务", "具体要求", "责任单位"]):
        t.cell(0, i).text = text
    t.cell(1, 0).text = "政策文件"
    t.cell(1, 1).text = "做好行政规范性文件的集中公开。"
    t.cell(1, 2).text = "执法监督局"
    t.cell(2, 1).text = "及时公开清理结果。"
    t.cell(3, 0).text = "机构职能"
    t.cell(3, 1).text = "规范公开机构职能信息。"
    t.cell(3, 2).text = "办公室、人事处"
    t.cell(4, 0).text = "依申请公开"
    t.cell(1, 0).merge(t.cell(2, 0))  # 政策文件 down over two rows
    t.cell(1, 2).merge(t.cell(2, 2))  # 执法监督局 down
    t.cell(4, 0).merge(t.cell(4, 2))  # a category row across the table
    d.add_paragraph("抄送：各处室")
    return d


def save_docx(d: docx.document.Document, path: Path) -> Path:
    d.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# docx


def test_docx_reads_paragraphs_and_tables_in_body_order(tmp_path: Path) -> None:
    doc = read_document(save_docx(task_docx(), tmp_path / "清单.docx"))
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert [p.text for p in paragraphs(doc)] == ["附件", "主动公开", "抄送：各处室"]
    assert doc.title == "2023年政务公开工作任务清单"
    assert doc.source == "清单.docx"


def test_docx_vertical_merges_read_as_continued_cells_with_the_top_text(tmp_path: Path) -> None:
    table = tables(read_document(save_docx(task_docx(), tmp_path / "a.docx")))[0]
    assert texts(table)[1:3] == [
        ["政策文件", "做好行政规范性文件的集中公开。", "执法监督局"],
        ["政策文件", "及时公开清理结果。", "执法监督局"],
    ]
    assert flags(table)[1:3] == [[False, False, False], [True, False, True]]


def test_docx_horizontal_merges_fill_the_row(tmp_path: Path) -> None:
    table = tables(read_document(save_docx(task_docx(), tmp_path / "a.docx")))[0]
    assert texts(table)[4] == ["依申请公开"] * 3
    assert flags(table)[4] == [False, True, True]
    assert all(len(row) == 3 for row in table.rows)


def test_docx_lines_count_paragraphs_and_table_rows(tmp_path: Path) -> None:
    doc = read_document(save_docx(task_docx(), tmp_path / "a.docx"))
    table = tables(doc)[0]
    assert [b.line for b in paragraphs(doc)] == [1, 2, 8]
    assert table.line == 3 and table.row_lines == [3, 4, 5, 6, 7]


def test_docx_headings_come_from_styles_and_outline_levels(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("一、主动公开", level=1)
    d.add_heading("（一）基础信息", level=2)
    d.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("政策文件", style="标题 3")
    outlined = d.add_paragraph("依申请公开")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    outlined._p.get_or_add_pPr().append(level)
    d.add_paragraph("正文")
    doc = read_document(save_docx(d, tmp_path / "h.docx"))
    assert [(p.text, p.heading_level) for p in paragraphs(doc)] == [
        ("一、主动公开", 1),
        ("（一）基础信息", 2),
        ("政策文件", 3),
        ("依申请公开", 1),
        ("正文", None),
    ]


def test_docx_list_numbering_is_rendered_into_the_text(tmp_path: Path) -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%3."/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    items = [
        ("主动公开", 0),
        ("基础信息", 1),
        ("文件", 2),
        ("解读", 2),
        ("重点领域", 1),
        ("教育", 2),
    ]
    items.append(("依申请公开", 0))
    for text, ilvl in items:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'
            )
        )
    doc = read_document(save_docx(d, tmp_path / "n.docx"))
    assert [p.text for p in paragraphs(doc)] == [
        "一、主动公开",
        "（一）基础信息",
        "1. 文件",
        "2. 解读",
        "（二）重点领域",
        "1. 教育",
        "二、依申请公开",
    ]


def test_docx_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "要求", "单位"
    t.cell(1, 0).text = "公开预算"
    inner = t.cell(1, 1).add_table(rows=2, cols=2)
    for (r, c), text in {
        (0, 0): "牵头",
        (0, 1): "财政局",
        (1, 0): "配合",
        (1, 1): "各部门",
    }.items():
        inner.cell(r, c).text = text
    table = tables(read_document(save_docx(d, tmp_path / "n.docx")))[0]
    assert texts(table) == [["要求", "单位"], ["公开预算", "牵头 财政局\n配合 各部门"]]


def test_docx_frame_table_is_read_as_its_content(tmp_path: Path) -> None:
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "任务清单"
    inner = frame.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "要求", "单位"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "公开预算", "财政局"
    doc = read_document(save_docx(d, tmp_path / "f.docx"))
    assert [p.text for p in paragraphs(doc)] == ["任务清单"]
    assert [texts(t) for t in tables(doc)] == [[["要求", "单位"], ["公开预算", "财政局"]]]


def test_docx_tables_nested_beyond_the_limit_become_text_with_a_warning(tmp_path: Path) -> None:
    d = docx.Document()
    outer = d.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "要求", "单位"
    outer.cell(1, 0).text = "深层"
    cell = outer.cell(1, 1)
    for depth in range(5):
        nested = cell.add_table(rows=1, cols=2)
        nested.cell(0, 0).text = f"第{depth}层"
        cell = nested.cell(0, 1)
    cell.text = "最里层"
    doc = read_document(save_docx(d, tmp_path / "deep.docx"), Limits(max_depth=2))
    assert "nested too deep" in doc.warnings[0]
    assert "最里层" in texts(tables(doc)[0])[1][1]


def test_docx_drops_bookmarks_deleted_text_and_field_codes(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("做好公开")
    bookmark = OxmlElement("w:bookmarkStart")
    bookmark.set(qn("w:id"), "0")
    bookmark.set(qn("w:name"), "_GoBack")
    p._p.insert(0, bookmark)
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r><w:delText>删掉的</w:delText>'
            "</w:r></w:del>"
        )
    )
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText> HYPERLINK "x" </w:instrText></w:r>'))
    p.add_run("工作。")
    doc = read_document(save_docx(d, tmp_path / "b.docx"))
    assert [p.text for p in paragraphs(doc)] == ["做好公开工作。"]


def test_docx_line_breaks_split_a_paragraph(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("1. 公开预算（责任单位：财政局）")
    p.add_run().add_break()
    p.add_run("2. 公开决算（责任单位：财政局）")
    doc = read_document(save_docx(d, tmp_path / "br.docx"))
    assert [(p.text, p.line) for p in paragraphs(doc)] == [
        ("1. 公开预算（责任单位：财政局）", 1),
        ("2. 公开决算（责任单位：财政局）", 1),
    ]


# ---------------------------------------------------------------------------------------------
# xlsx


def task_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws["A1"] = "附件1"
    ws["A2"] = "2023年政务公开工作任务清单"
    ws.merge_cells("A2:E2")
    ws.append(["序号", "一级", "具体要求", "责任单位", "完成时限"])  # row 3
    ws.append([1, "主动公开", "公开预算。", "财政局", dt.date(2023, 6, 30)])  # row 4
    ws.append([2, None, "公开决算。", None, 0.25])  # row 5
    ws.append([])  # row 6, empty
    ws.append([3, None, "公开采购。", "各部门", "每季度"])  # row 7
    ws.merge_cells("B4:B7")
    ws.merge_cells("D4:D5")
    ws["E4"].number_format = 'yyyy"年"m"月"d"日"'
    ws["E5"].number_format = "0%"
    ws["G10"] = None  # a touched but empty cell far away: no extra columns
    hidden = wb.create_sheet("下拉选项")
    hidden["A1"] = "财政局"
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_xlsx_merged_ranges_read_as_continued_cells(tmp_path: Path) -> None:
    doc = read_document(task_workbook(tmp_path / "清单.xlsx"))
    table = tables(doc)[0]
    assert texts(table) == [
        ["序号", "一级", "具体要求", "责任单位", "完成时限"],
        ["1", "主动公开", "公开预算。", "财政局", "2023年6月30日"],
        ["2", "主动公开", "公开决算。", "财政局", "25%"],
        ["3", "主动公开", "公开采购。", "各部门", "每季度"],
    ]
    assert [row[1].continued for row in table.rows] == [False, False, True, True]
    assert [row[3].continued for row in table.rows] == [False, False, True, False]


def test_xlsx_rows_keep_their_excel_row_numbers(tmp_path: Path) -> None:
    doc = read_document(task_workbook(tmp_path / "a.xlsx"))
    assert tables(doc)[0].row_lines == [3, 4, 5, 7]
    assert tables(doc)[0].row_line(3) == 7


def test_xlsx_title_rows_become_paragraphs_and_hidden_sheets_are_skipped(tmp_path: Path) -> None:
    doc = read_document(task_workbook(tmp_path / "a.xlsx"))
    assert [(p.text, p.line) for p in paragraphs(doc)] == [
        ("附件1", 1),
        ("2023年政务公开工作任务清单", 2),
    ]
    assert doc.warnings == ["已跳过隐藏的工作表：下拉选项 (hidden sheet skipped)"]


def test_xlsx_sheets_of_a_workbook_are_headed_by_their_names(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "主动公开"
    first.append(["要求", "单位"])
    first.append(["公开预算", "财政局"])
    second = wb.create_sheet("依申请公开")
    second.append(["要求", "单位"])
    second.append(["按时答复", "办公室"])
    wb.save(tmp_path / "two.xlsx")
    doc = read_document(tmp_path / "two.xlsx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph", "Table"]
    assert [(p.text, p.heading_level) for p in paragraphs(doc)] == [
        ("主动公开", 1),
        ("依申请公开", 1),
    ]


# ---------------------------------------------------------------------------------------------
# html


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>任务清单</title><style>td {{ color: red }}</style><script>var x = "<table>";</script>
</head><body>
<h2>主动公开</h2>
<p>为做好政务公开工作，
制定本清单。</p>
<div style="display:none">分享到微信</div>
<table border="1">
<thead><tr><th>类别</th><th>具体要求</th><th>责任单位</th></tr></thead>
<tbody>
<tr><td rowspan="2">政策文件</td><td>公开规范性文件。</td><td rowspan="2">司法局</td></tr>
<tr><td>公开清理结果。</td></tr>
<tr><td colspan="2">依申请公开</td><td>{nested}</td></tr>
</tbody></table>
<ul><li>附：联系人</li></ul>
</body></html>"""


def test_html_tables_with_rowspan_and_colspan_become_full_grids(tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    page.write_bytes(HTML_PAGE.format(nested="办公室").encode("gb18030"))
    doc = read_document(page)
    table = tables(doc)[0]
    assert texts(table) == [
        ["类别", "具体要求", "责任单位"],
        ["政策文件", "公开规范性文件。", "司法局"],
        ["政策文件", "公开清理结果。", "司法局"],
        ["依申请公开", "依申请公开", "办公室"],
    ]
    assert flags(table) == [
        [False, False, False],
        [False, False, False],
        [True, False, True],
        [False, True, False],
    ]


def test_html_paragraphs_headings_and_charset(tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    page.write_bytes(HTML_PAGE.format(nested="办公室").encode("gb18030"))
    doc = read_document(page)
    assert doc.title == "任务清单"
    assert [(p.text, p.heading_level) for p in paragraphs(doc)] == [
        ("主动公开", 2),
        ("为做好政务公开工作，制定本清单。", None),  # a source line break inside Chinese text
        ("附：联系人", None),
    ]


def test_html_nested_table_in_a_data_cell_is_flattened(tmp_path: Path) -> None:
    nested = (
        "<table><tr><td>牵头</td><td>司法局</td></tr><tr><td>配合</td><td>各部门</td></tr></table>"
    )
    page = tmp_path / "n.html"
    page.write_text(HTML_PAGE.format(nested=nested).replace("gb2312", "utf-8"), encoding="utf-8")
    table = tables(read_document(page))[0]
    assert texts(table)[3][2] == "牵头 司法局\n配合 各部门"


def test_html_layout_tables_are_read_as_their_content(tmp_path: Path) -> None:
    data = (
        "<table><tr><td>要求</td><td>单位</td></tr>"
        "<tr><td>公开预算</td><td>财政局</td></tr></table>"
    )
    page = tmp_path / "layout.htm"
    page.write_text(
        f"<html><body><table><tr><td><p>首页 &gt; 通知</p></td></tr>"
        f"<tr><td>{data}</td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert [p.text for p in paragraphs(doc)] == ["首页 > 通知"]
    assert [texts(t) for t in tables(doc)] == [[["要求", "单位"], ["公开预算", "财政局"]]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>司法局</p>".encode("gb18030"), "司法局"),  # no charset declared, not UTF-8
        ("\ufeff<p>司法局</p>".encode(), "司法局"),  # UTF-8 with a byte-order mark
        ("<p>司法局</p>".encode("utf-16"), "司法局"),
        ('<?xml version="1.0" encoding="utf-8"?><html><p>司法局</p></html>'.encode(), "司法局"),
    ],
)
def test_html_charset_falls_back_sensibly(tmp_path: Path, raw: bytes, expected: str) -> None:
    page = tmp_path / "c.html"
    page.write_bytes(raw)
    assert [p.text for p in paragraphs(read_document(page))] == [expected]


# ---------------------------------------------------------------------------------------------
# pdf (Latin text: no CJK font on the build machine)


def task_pdf(path: Path, password: str | None = None, owner_only: bool = False) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Annex", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        new_x="LMARGIN",
        new_y="NEXT",
        text="This opening paragraph is long enough to wrap across more than one line of the page, "
        "so the reader has to join its lines back into a single paragraph of text.",
    )
    pdf.ln(4)
    with pdf.table(col_widths=(30, 90, 50)) as table:
        for cells in (("Task", "Requirement", "Units"),):
            row = table.row()
            for text in cells:
                row.cell(text)
        row = table.row()
        row.cell("Policy", rowspan=2)
        row.cell(
            "Publish the documents within three working days of adoption, keeping the index up"
        )
        row.cell("Legal office")
        row = table.row()
        row.cell("Publish the review results.")
        row.cell("Legal office\nFinance")
        row = table.row()
        row.cell("On request", colspan=2)
        row.cell("All units")
    pdf.set_y(275)
    pdf.cell(0, 6, "- 1 -", align="C")
    pdf.add_page()
    with pdf.table(col_widths=(30, 90, 50)) as table:
        for cells in (
            ("Task", "Requirement", "Units"),
            ("Budget", "Publish the budget.", "Finance"),
        ):
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Closing words.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(275)
    pdf.cell(0, 6, "2", align="C")
    if password is not None:
        pdf.set_encryption(owner_password=password, user_password="" if owner_only else password)
    pdf.output(str(path))
    return path


def test_pdf_ruled_table_merges_read_as_continued_cells(tmp_path: Path) -> None:
    table = tables(read_document(task_pdf(tmp_path / "list.pdf")))[0]
    assert texts(table)[:4] == [
        ["Task", "Requirement", "Units"],
        [
            "Policy",
            "Publish the documents within three working days of adoption, keeping the index up",
            "Legal office",
        ],
        ["Policy", "Publish the review results.", "Legal office\nFinance"],
        ["On request", "On request", "All units"],
    ]
    assert flags(table)[:4] == [
        [False, False, False],
        [False, False, False],
        [True, False, False],
        [False, True, False],
    ]


def test_pdf_table_continued_on_the_next_page_is_one_table(tmp_path: Path) -> None:
    doc = read_document(task_pdf(tmp_path / "list.pdf"))
    assert len(tables(doc)) == 1
    table = tables(doc)[0]
    assert texts(table)[4:] == [  # the repeated header row is left for the interpreter
        ["Task", "Requirement", "Units"],
        ["Budget", "Publish the budget.", "Finance"],
    ]
    assert table.row_lines == [3, 4, 5, 6, 7, 8]


def test_pdf_text_joins_wrapped_lines_and_drops_page_numbers(tmp_path: Path) -> None:
    doc = read_document(task_pdf(tmp_path / "list.pdf"))
    assert [(p.text, p.line) for p in paragraphs(doc)] == [
        ("Annex", 1),
        (
            "This opening paragraph is long enough to wrap across more than one line of the "
            "page, so the reader has to join its lines back into a single paragraph of text.",
            2,
        ),
        ("Closing words.", 9),
    ]
    assert [type(b).__name__ for b in doc.blocks] == [
        "Paragraph",
        "Paragraph",
        "Table",
        "Paragraph",
    ]


def test_pdf_with_a_password_to_open_is_refused_as_encrypted(tmp_path: Path) -> None:
    message = parse_error(task_pdf(tmp_path / "secret.pdf", password="s3cret"))
    assert message == "文件已加密，无法读取；请去掉密码后再导入 (encrypted)"


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    doc = read_document(task_pdf(tmp_path / "locked.pdf", password="owner", owner_only=True))
    assert len(tables(doc)) == 1


def test_pdf_without_text_is_refused_as_a_scan(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    assert "(no text layer)" in parse_error(tmp_path / "scan.pdf")


# ---------------------------------------------------------------------------------------------
# legacy .doc/.wps/.xls


def ole2(*streams: str) -> bytes:
    names = b"".join(s.encode("utf-16-le") + b"\x00\x00" for s in streams)
    return legacy.OLE2 + b"\x00" * 504 + names + b"\x00" * 512


def test_legacy_word_file_without_libreoffice_says_how_to_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    (tmp_path / "old.wps").write_bytes(ole2("WordDocument"))
    assert parse_error(tmp_path / "old.wps") == legacy.WORD_HELP


def test_legacy_workbook_without_libreoffice_says_how_to_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    (tmp_path / "old.bin").write_bytes(ole2("Workbook"))
    assert parse_error(tmp_path / "old.bin") == legacy.SHEET_HELP


def test_rtf_without_libreoffice_says_how_to_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    (tmp_path / "list.doc").write_bytes(b"{\\rtf1\\ansi {\\fonttbl\\f0 SimSun;} hello}")
    assert parse_error(tmp_path / "list.doc") == legacy.RTF_HELP


def test_web_archive_reads_the_page_inside(tmp_path: Path) -> None:
    page = HTML_PAGE.format(nested="办公室").replace("gb2312", "utf-8")
    body = quopri.encodestring(page.encode()).decode("ascii")
    (tmp_path / "list.doc").write_text(  # Word's "single file web page", named .doc
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
        "------=_NextPart\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        f"{body}\r\n"
        "------=_NextPart--\r\n",
        encoding="ascii",
    )
    doc = read_document(tmp_path / "list.doc")
    assert texts(tables(doc)[0])[1] == ["政策文件", "公开规范性文件。", "司法局"]
    assert doc.title == "任务清单"


def test_password_protected_office_file_is_refused_as_encrypted(tmp_path: Path) -> None:
    (tmp_path / "secret.docx").write_bytes(ole2("EncryptionInfo", "EncryptedPackage"))
    assert "(encrypted)" in parse_error(tmp_path / "secret.docx")


def test_legacy_file_is_converted_when_libreoffice_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted = save_docx(task_docx(), tmp_path / "converted.docx")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"  # stands in for LibreOffice: "converts" by copying a .docx
    fake.write_text(
        "#!/bin/sh\n"
        'out=""; prev=""\n'
        'for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; last="$a"; done\n'
        'mkdir -p "$out"; name=$(basename "$last"); cp "$FAKE_CONVERTED" "$out/${name%.*}.docx"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CONVERTED", str(converted))
    (tmp_path / "old.doc").write_bytes(ole2("WordDocument"))
    doc = read_document(tmp_path / "old.doc")
    assert doc.source == "old.doc"
    assert "(converted)" in doc.warnings[0]
    assert texts(tables(doc)[0])[0] == ["工作任务", "具体要求", "责任单位"]


# ---------------------------------------------------------------------------------------------
# choosing a reader, and refusing files


def test_registry_lists_one_reader_per_format() -> None:
    assert [r.NAME for r in READERS] == ["docx", "xlsx", "pdf", "html", "mhtml", "text", "legacy"]


def test_reader_is_chosen_by_content_not_by_name(tmp_path: Path) -> None:
    renamed = {
        "a.pdf": save_docx(task_docx(), tmp_path / "a.docx").read_bytes(),
        "b.docx": task_workbook(tmp_path / "b.xlsx").read_bytes(),
        "c.txt": task_pdf(tmp_path / "c.pdf").read_bytes(),
        "d.txt": b"<html><body><p>x</p></body></html>",
    }
    chosen = {}
    for name, data in renamed.items():
        (tmp_path / name).write_bytes(data)
        chosen[name] = choose_reader(data[:65536], Path(name).suffix).NAME
    assert chosen == {"a.pdf": "docx", "b.docx": "xlsx", "c.txt": "pdf", "d.txt": "html"}
    assert tables(read_document(tmp_path / "a.pdf"))


def test_plain_text_goes_to_the_text_reader(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("附件\n\n任务清单\n", encoding="gb18030")
    doc = read_document(tmp_path / "list.txt")
    assert [p.text for p in paragraphs(doc)][:2] == ["附件", "任务清单"]


@pytest.mark.parametrize(
    ("name", "content", "gloss"),
    [
        ("empty.docx", b"", "(empty)"),
        ("random.docx", random.Random(3).randbytes(2000), "(unsupported"),
        ("archive.zip", b"", "(unsupported"),
        ("truncated.docx", b"", "(corrupt"),
    ],
)
def test_unreadable_files_raise_parse_errors(
    tmp_path: Path, name: str, content: bytes, gloss: str
) -> None:
    path = tmp_path / name
    if name == "archive.zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", "hello")
    elif name == "truncated.docx":
        whole = save_docx(task_docx(), tmp_path / "whole.docx").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    else:
        path.write_bytes(content)
    assert gloss in parse_error(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    assert "(missing)" in parse_error(tmp_path / "nowhere.docx")


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = save_docx(task_docx(), tmp_path / "big.docx")
    assert "(too large)" in parse_error(path, Limits(max_bytes=1000))


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = task_workbook(tmp_path / "bomb.xlsx")
    assert "(too large)" in parse_error(path, Limits(max_unpacked_bytes=10_000))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".html"])
def test_too_many_cells_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"cells{suffix}"
    if suffix == ".docx":
        save_docx(task_docx(), path)
    elif suffix == ".xlsx":
        task_workbook(path)
    else:
        path.write_text(HTML_PAGE.format(nested="x"), encoding="gb18030")
    assert "(too large: too many table cells)" in parse_error(path, Limits(max_cells=5))


# ---------------------------------------------------------------------------------------------
# property tests: junk and broken files never raise anything but ParseError


def _read_bytes(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    try:
        doc = read_document(path)
    except ParseError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(doc, RawDocument)


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("valid")
    return {
        "docx": save_docx(task_docx(), tmp / "a.docx").read_bytes(),
        "xlsx": task_workbook(tmp / "a.xlsx").read_bytes(),
        "pdf": task_pdf(tmp / "a.pdf").read_bytes(),
        "html": HTML_PAGE.format(nested="x").encode("gb18030"),
    }


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".docx", ".xlsx", ".pdf", ".txt"]))
@_SETTINGS
def test_random_bytes_only_ever_raise_parse_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    _read_bytes(tmp_path, "junk" + suffix, data)


@given(kind=st.sampled_from(["docx", "xlsx", "pdf", "html"]), cut=st.floats(0, 1))
@_SETTINGS
def test_truncated_files_only_ever_raise_parse_error(
    tmp_path: Path, valid_files: dict[str, bytes], kind: str, cut: float
) -> None:
    data = valid_files[kind]
    _read_bytes(tmp_path, "cut." + kind, data[: int(len(data) * cut)])


@given(
    kind=st.sampled_from(["docx", "xlsx", "pdf"]),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8),
)
@_SETTINGS
def test_corrupted_files_only_ever_raise_parse_error(
    tmp_path: Path, valid_files: dict[str, bytes], kind: str, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(valid_files[kind])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    _read_bytes(tmp_path, "flipped." + kind, bytes(data))


def _zip_with(path: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    return path


def test_docx_with_broken_xml_is_corrupt(tmp_path: Path, valid_files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(valid_files["docx"])) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:200]
    assert "(corrupt" in parse_error(_zip_with(tmp_path / "broken.docx", members))


def test_huge_cell_text_is_read(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "要求", "单位"
    t.cell(1, 0).text, t.cell(1, 1).text = "公开" * 100_000, "财政局"
    table = tables(read_document(save_docx(d, tmp_path / "huge.docx")))[0]
    assert len(table.rows[1][0].text) == 200_000
    assert table.rows[1][1] == Cell("财政局")
