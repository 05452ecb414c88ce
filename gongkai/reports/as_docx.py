"""The report as a Word document (.docx) in the national layout, merged header cells included."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

from gongkai.disclosure.text import plain_text
from gongkai.reports.as_html import table2_rows
from gongkai.reports.tables import (
    TABLE3_ROWS,
    Cell,
    table3_header_cells,
    table3_label_cells,
    table4_header_cells,
)

FONT = "宋体"


def _put(table: Table, cell: Cell, offset: int = 0, *, bold: bool = False) -> None:
    """Write `cell` into the grid at its place, merging the span first."""
    top = table.cell(cell.row + offset, cell.col)
    if cell.rowspan > 1 or cell.colspan > 1:
        bottom = table.cell(cell.row + offset + cell.rowspan - 1, cell.col + cell.colspan - 1)
        top = top.merge(bottom)
    top.text = cell.text
    for paragraph in top.paragraphs:
        for run in paragraph.runs:
            run.bold = bold


def _new_table(doc: Any, rows: int, cols: int) -> Table:
    table: Table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _table2(doc: Any, table2: dict[str, Any]) -> None:
    rows = table2_rows(table2)
    table = _new_table(doc, len(rows), 4)
    for r, row in enumerate(rows):
        if row["kind"] in ("block", "head"):
            for c in row["cells"]:
                _put(table, Cell(c.text, r, c.col, colspan=c.colspan), bold=row["kind"] == "block")
            continue
        _put(table, Cell(row["label"], r, 0))
        col = 1
        for figure in row["figures"]:
            _put(table, Cell(str(figure.value), r, col, colspan=figure.colspan))
            col += figure.colspan


def _table3(doc: Any, built: dict[str, Any]) -> None:
    table = _new_table(doc, 3 + len(TABLE3_ROWS), 10)
    for cell in table3_header_cells():
        _put(table, cell, bold=cell.row > 0 or cell.col > 0)
    for labels in table3_label_cells():
        for cell in labels:
            _put(table, cell, 3)
    for i, row in enumerate(built["table3"]["rows"]):
        for c, value in enumerate(row["values"]):
            table.cell(3 + i, 3 + c).text = str(value)


def _table4(doc: Any, built: dict[str, Any]) -> None:
    table = _new_table(doc, 4, 15)
    for cell in table4_header_cells():
        _put(table, cell, bold=True)
    values = [v for group in built["table4"]["groups"] for v in group["values"]]
    for c, value in enumerate(values):
        table.cell(3, c).text = str(value)


def render_docx(built: dict[str, Any]) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    title = doc.add_heading(built["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = built["period"]
    scope = doc.add_paragraph(
        plain_text(f"统计范围：{built['scope']}；统计期限：{period['from']} 至 {period['to']}")
    )
    scope.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tables = {"table2": _table2, "table3": _table3, "table4": _table4}
    for section in built["sections"]:
        doc.add_heading(f"{section['number']}、{section['title']}", level=1)
        for line in (section.get("text") or "").splitlines():
            if line.strip():
                doc.add_paragraph(plain_text(line).strip())
        table = section.get("table")
        if table == "table2":
            _table2(doc, built["table2"])
        elif table in tables:
            tables[table](doc, built)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
