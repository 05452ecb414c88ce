"""Word .docx: paragraphs and tables in body order, merged cells resolved into full grids.

- Body order comes from walking the body XML (not doc.paragraphs then doc.tables); content
  controls (w:sdt) are looked through.
- Tables: w:gridSpan covers columns to the right, w:vMerge="continue" the cell above; covered
  positions are continued cells carrying the merge's text.
- A table inside a table cell is flattened into that cell's text (one line a row), except when
  the outer table is only a frame — a single cell, a single column, or holding 80 % of its text
  in nested tables — then its content is read as if it were in the body. Tables nested deeper
  than Limits.max_depth are read as plain text, with a warning.
- Headings: style "Heading N"/"标题 N" or an outline level. Word list numbering is rendered into
  the text ("一、", "（一）", "1.") so auto-numbered items read like typed ones.
- line: the running index of body paragraphs and table rows (a paragraph split at line breaks
  keeps one line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from gongkai.tasklist.blocks import Block, Cell, Paragraph, ParseError, RawDocument
from gongkai.tasklist.readers import errors
from gongkai.tasklist.readers.docx_numbering import Numbering
from gongkai.tasklist.readers.docx_styles import Styles
from gongkai.tasklist.readers.grid import GridBuilder, flatten, make_table
from gongkai.tasklist.readers.limits import (
    CellBudget,
    Limits,
    check_zip,
    sniff_ooxml,
    too_deep_warning,
)
from gongkai.tasklist.readers.wordml import (
    MC,
    TBL,
    TC,
    TCPR,
    TR,
    TRPR,
    P,
    W,
    attr,
    child,
    containers,
    int_val,
)  # fmt: skip

NAME = "docx"

_T, _TAB, _BR, _CR = W + "t", W + "tab", W + "br", W + "cr"
_HYPHEN, _SOFT_HYPHEN = W + "noBreakHyphen", W + "softHyphen"
# Subtrees whose text is not the paragraph's: deletions, properties, drawings and text boxes
# (their text would land in the middle of the sentence around them), field codes.
_SKIP = {
    W + n
    for n in ("pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "instrText", "delText")
} | {MC + "AlternateContent"}


def sniff(head: bytes, suffix: str) -> int:
    return sniff_ooxml(head, suffix, b"word/", b"word/document.xml", (".docx", ".docm", ".dotx"))


def read(path: Path, limits: Limits) -> RawDocument:
    check_zip(path, limits)
    try:
        document = docx.Document(str(path))
        body = document.element.body
        styles = Styles(document.styles.element)
        numbering = Numbering(_numbering_element(document))
        title = (document.core_properties.title or "").strip() or None
    except ParseError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a broken package
        raise errors.corrupt(exc) from exc
    walker = _Walker(styles, numbering, limits)
    walker.flow(body, depth=0)
    return RawDocument(
        source=path.name, blocks=walker.blocks, warnings=walker.warnings, title=title
    )


def _numbering_element(document: Any) -> Any:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


class _Walker:
    def __init__(self, styles: Styles, numbering: Numbering, limits: Limits) -> None:
        self.styles = styles
        self.numbering = numbering
        self.limits = limits
        self.budget = CellBudget(limits)
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.line = 0

    def flow(self, parent: Any, depth: int) -> None:
        for el in containers(parent):
            if el.tag == P:
                self.paragraph(el)
            elif el.tag == TBL:
                self.table(el, depth)

    def paragraph(self, p: Any) -> None:
        self.line += 1
        level = self.styles.heading_level(p)
        for text in self.paragraph_lines(p):
            if text:
                self.blocks.append(Paragraph(text, line=self.line, heading_level=level))

    def paragraph_lines(self, p: Any) -> list[str]:
        """The paragraph's text split at line breaks, with its list number in front."""
        numbered = self.styles.numbering(p)
        label = self.numbering.label(*numbered) if numbered else ""
        parts: list[list[str]] = [[label]]
        stack = list(reversed(p))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == _T:
                parts[-1].append(el.text or "")
            elif tag == _TAB:
                parts[-1].append(" ")
            elif tag in (_BR, _CR):
                parts.append([])
            elif tag == _HYPHEN:
                parts[-1].append("-")
            elif tag in _SKIP or tag == _SOFT_HYPHEN or not isinstance(tag, str):
                continue
            else:
                stack.extend(reversed(el))
        return ["".join(part).strip() for part in parts]

    def table(self, tbl: Any, depth: int) -> None:
        if depth >= self.limits.max_depth:
            self.too_deep(tbl)
            return
        rows = _rows(tbl)
        if _is_frame(tbl, rows):
            for tr in rows:
                for tc in _cells(tr):
                    if not _is_vmerge(tc):
                        self.flow(tc, depth + 1)
            return
        lines = []
        for _ in rows:
            self.line += 1
            lines.append(self.line)
        table = make_table(self.grid(rows, depth), lines)
        if table is not None:
            self.blocks.append(table)

    def grid(self, rows: list[Any], depth: int) -> list[list[Cell]]:
        builder = GridBuilder(self.budget)
        for tr in rows:
            r = builder.new_row()
            col = int_val(tr.find(TRPR), "gridBefore", default=0) or 0
            for tc in _cells(tr):
                tcpr = tc.find(TCPR)
                span = max(1, int_val(tcpr, "gridSpan", default=1) or 1)
                if _is_vmerge(tc):
                    builder.continue_above(r, col, span)
                elif _is_hmerge(tc):  # the old way of merging across, still written by some tools
                    builder.continue_left(r, col, span)
                else:
                    builder.place(r, col, self.cell_text(tc, depth), colspan=span)
                col += span
        return builder.grid()

    def cell_text(self, tc: Any, depth: int) -> str:
        lines: list[str] = []
        for el in containers(tc):
            if el.tag == P:
                lines.extend(t for t in self.paragraph_lines(el) if t)
            elif el.tag == TBL:
                if depth + 1 >= self.limits.max_depth:
                    self.warn_deep()
                    lines.append(_plain_text(el))
                else:
                    lines.append(flatten(self.grid(_rows(el), depth + 1)))
        return "\n".join(line for line in lines if line)

    def too_deep(self, tbl: Any) -> None:
        self.warn_deep()
        self.line += 1
        text = _plain_text(tbl)
        if text:
            self.blocks.append(Paragraph(text, line=self.line))

    def warn_deep(self) -> None:
        message = too_deep_warning(self.limits)
        if message not in self.warnings:
            self.warnings.append(message)


def _rows(tbl: Any) -> list[Any]:
    return [el for el in containers(tbl) if el.tag == TR]


def _cells(tr: Any) -> list[Any]:
    return [el for el in containers(tr) if el.tag == TC]


def _is_vmerge(tc: Any) -> bool:
    vmerge = child(tc, "tcPr", "vMerge")
    return vmerge is not None and attr(vmerge, "val") in (None, "continue")


def _is_hmerge(tc: Any) -> bool:
    hmerge = child(tc, "tcPr", "hMerge")
    return hmerge is not None and attr(hmerge, "val") in (None, "continue")


def _plain_text(el: Any) -> str:
    return " ".join("".join(t.text or "" for t in el.iter(_T)).split())


def _text_length(el: Any) -> int:
    return sum(len(t.text or "") for t in el.iter(_T))


def _is_frame(tbl: Any, rows: list[Any]) -> bool:
    """A table used as a frame around content, rather than a table of data."""
    cells = [_cells(tr) for tr in rows]
    if all(len(row) <= 1 for row in cells):  # a single cell, or a single column
        return True
    nested = sum(
        _text_length(t) for row in cells for tc in row for t in containers(tc) if t.tag == TBL
    )
    return nested > 0 and nested * 5 >= _text_length(tbl) * 4  # 80 % or more
