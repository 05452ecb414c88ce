"""PDF (pdfplumber): ruled tables as grids, the text around them as paragraphs, page by page.

- Tables come from page.find_tables() (ruling lines). A cell spanning rows or columns covers
  its positions with continued cells; its text is read from the characters inside it, wrapped
  lines joined back (see pdf_text).
- A table that ends one page and starts the next, with the same number of columns, is one
  Table. Header rows repeated on each page are kept: the interpreter drops repeated headers.
- Page numbers ("- 3 -", "第3页", a bare number at the top or bottom) are dropped.
- line: a running count of paragraphs and table rows through the document.
- A PDF needing a password to open is refused as encrypted; one with only an owner password
  (no password to read) is read. A PDF with no text at all is a scan, refused with that reason.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from gongkai.tasklist.blocks import Block, Cell, Paragraph, ParseError, RawDocument
from gongkai.tasklist.readers import errors
from gongkai.tasklist.readers.grid import GridBuilder, make_table
from gongkai.tasklist.readers.limits import CellBudget, Limits
from gongkai.tasklist.readers.pdf_text import (
    Line,
    is_page_number,
    join_cell,
    lines_of,
    margins,
    paragraphs,
)  # fmt: skip

NAME = "pdf"

# pdfminer logs a warning for every oddity of a damaged file; a broken file is reported once,
# as a ParseError, not as a page of log lines on the command line.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_EPS = 1.0


def sniff(head: bytes, suffix: str) -> int:
    return 100 if b"%PDF-" in head[:1024] else 0


@dataclass
class _Grid:
    rows: list[list[Cell]]
    lines: list[int] = field(default_factory=list)
    top: float = 0.0


def read(path: Path, limits: Limits) -> RawDocument:
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise errors.encrypted() from exc
        raise errors.corrupt(cause if isinstance(cause, BaseException) else exc) from exc
    with pdf:
        title = pdf.metadata.get("Title")
        budget = CellBudget(limits)
        pages = []
        for page in pdf.pages:
            pages.append(_page_items(page, budget))
            page.close()  # drop the page's parsed objects: a long PDF need not sit in memory
    if not any(has_text for _, has_text in pages):
        raise ParseError("PDF 中没有文字，可能是扫描件；请提供可复制文字的版本 (no text layer)")
    free = [item for items, _ in pages for item in items if isinstance(item, Line)]
    left, right = margins(free)
    blocks: list[Block] = []
    counter = 0
    pending: _Grid | None = None  # the last table seen, kept open for the next page
    for items, _ in pages:
        for i, item in enumerate(_group(items, left, right)):
            if isinstance(item, _Grid):
                item.lines = list(range(counter + 1, counter + 1 + len(item.rows)))
                counter += len(item.rows)
                if pending is not None and i == 0 and _width(pending) == _width(item):
                    pending.rows += item.rows
                    pending.lines += item.lines
                    continue
                _flush(pending, blocks)
                pending = item
            else:
                _flush(pending, blocks)
                pending = None
                _first_line, text = item
                counter += 1
                blocks.append(Paragraph(text, line=counter))
    _flush(pending, blocks)
    return RawDocument(
        source=path.name, blocks=blocks, title=_title(title if isinstance(title, str) else None)
    )


def _flush(grid: _Grid | None, blocks: list[Block]) -> None:
    if grid is None:
        return
    table = make_table(grid.rows, grid.lines)
    if table is None:
        return
    if table.width == 1:  # a box drawn around text, not a table
        for i, row in enumerate(table.rows):
            if row[0].text and not row[0].continued:
                blocks.append(Paragraph(row[0].text, line=table.row_line(i)))
    else:
        blocks.append(table)


def _width(grid: _Grid) -> int:
    return max((len(r) for r in grid.rows), default=0)


def _title(raw: str | None) -> str | None:
    if not raw:
        return None
    title = raw.strip().removeprefix("Microsoft Word - ").strip()
    for suffix in (".docx", ".doc", ".wps"):
        title = title.removesuffix(suffix)
    return title or None


def _group(items: list[Line | _Grid], left: float, right: float) -> list[tuple[Line, str] | _Grid]:
    """Consecutive free lines joined into paragraphs; tables as they are."""
    out: list[tuple[Line, str] | _Grid] = []
    run: list[Line] = []
    for item in [*items, None]:
        if isinstance(item, Line):
            run.append(item)
            continue
        out.extend(paragraphs(run, left, right))
        run = []
        if item is not None:
            out.append(item)
    return out


def _page_items(page: Any, budget: CellBudget) -> tuple[list[Line | _Grid], bool]:
    """The page's tables and free text lines, top to bottom, and whether it has any text."""
    page = page.dedupe_chars()
    chars = list(page.chars)
    tables = [t for t in page.find_tables() if t.cells]
    owners = [_CellIndex(t.cells) for t in tables]
    free: list[dict[str, Any]] = []
    inside: list[dict[tuple[int, int], list[dict[str, Any]]]] = [{} for _ in tables]
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for index, owner in enumerate(owners):
            origin = owner.origin_at(cx, cy)
            if origin is not None:
                inside[index].setdefault(origin, []).append(ch)
                break
        else:
            free.append(ch)
    items: list[Line | _Grid] = [
        line for line in lines_of(free) if not is_page_number(line, float(page.height))
    ]
    for owner, table_chars in zip(owners, inside, strict=True):
        items.append(owner.grid(table_chars, budget))
    items.sort(key=lambda item: item.top)
    return items, any(str(ch.get("text") or "").strip() for ch in chars)


class _CellIndex:
    """A table's cells on the grid of distinct row tops and column lefts."""

    def __init__(self, cells: list[tuple[float, float, float, float]]) -> None:
        self.cells = cells
        self.tops = sorted({round(c[1], 1) for c in cells})
        self.lefts = sorted({round(c[0], 1) for c in cells})
        self.right = max(c[2] for c in cells)
        self.bottom = max(c[3] for c in cells)
        self.top = self.tops[0]
        self.spans: dict[tuple[int, int], tuple[int, int, int]] = {}  # origin → (rows, cols, i)
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}
        for i, (x0, top, x1, bottom) in enumerate(cells):
            r, c = self.tops.index(round(top, 1)), self.lefts.index(round(x0, 1))
            rows = max(1, bisect_left(self.tops, bottom - _EPS) - r)
            cols = max(1, bisect_left(self.lefts, x1 - _EPS) - c)
            self.spans[(r, c)] = (rows, cols, i)
            for dr in range(rows):
                for dc in range(cols):
                    self.covered.setdefault((r + dr, c + dc), (r, c))

    def origin_at(self, x: float, y: float) -> tuple[int, int] | None:
        if not (self.lefts[0] <= x <= self.right and self.top <= y <= self.bottom):
            return None
        r = bisect_right(self.tops, y) - 1
        c = bisect_right(self.lefts, x) - 1
        return self.covered.get((r, c))

    def grid(self, chars: dict[tuple[int, int], list[dict[str, Any]]], budget: CellBudget) -> _Grid:
        builder = GridBuilder(budget)
        for _ in self.tops:
            builder.new_row()
        for (r, c), (rows, cols, i) in sorted(self.spans.items()):
            text = join_cell(lines_of(chars.get((r, c), [])), right=self.cells[i][2])
            builder.place(r, c, text, rowspan=rows, colspan=cols)
        return _Grid(rows=builder.grid(), top=self.top)
