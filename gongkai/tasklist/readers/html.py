"""HTML (lxml.html): tables with rowspan/colspan as full grids, other text as paragraphs.

- Paragraphs: each block element (p, div, li, h1–h6, …) and each <br> ends a line; h1–h6 give
  heading levels. script, style and elements hidden with display:none are dropped. A line
  break in the source between two Chinese characters is not a space.
- Tables: rowspan/colspan cover positions with continued cells; a table inside a data table's
  cell is flattened into the cell's text. Layout tables — one cell, one row, one column, or
  80 % of their text in nested tables, as government pages wrap their content — are read as
  if their content stood in the page.
- Charset: the byte-order mark, else <meta charset> (or the XML declaration), else UTF-8,
  else GB18030.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.tasklist.blocks import Block, Paragraph, RawDocument
from gongkai.tasklist.readers import errors
from gongkai.tasklist.readers.grid import GridBuilder, flatten, make_table
from gongkai.tasklist.readers.limits import CellBudget, Limits, too_deep_warning

NAME = "html"

_BLOCKS = frozenset(
    ("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre",
     "form", "fieldset", "address", "center", "figure", "figcaption", "caption", "tr", "td",
     "th", "hr", "body", "html", "title")
)  # fmt: skip
_SKIP = frozenset(
    ("script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select",
     "textarea")
)  # fmt: skip
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TAG_START = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|meta|title|div|p)\b", re.I)
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])[ \t\r\f]*\n\s*(?=[^\x00-\x7f])")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def sniff(head: bytes, suffix: str) -> int:
    sample = head[:4096]
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            sample = sample.decode(encoding, errors="ignore").encode("utf-8")
            break
    stripped = sample.lstrip()
    if stripped.startswith(b"<") and _TAG_START.search(stripped[:1024]):
        return 90
    if re.search(rb"<\s*(?:html|table|body)\b", sample, re.I):
        return 30  # markup after some text: still more likely a page than a text list
    return 40 if suffix in (".html", ".htm", ".shtml", ".xhtml") and b"<" in sample else 0


def decode(data: bytes) -> tuple[str, list[str]]:
    """The page's text and a warning when its charset had to be guessed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), []
    declared = _META_CHARSET.search(data[:8192]) or _XML_ENCODING.search(data[:1024])
    candidates = ["utf-8", "gb18030"]
    if declared:
        candidates.insert(0, charset_alias(declared.group(1).decode("ascii", errors="ignore")))
    for encoding in candidates:
        try:
            return data.decode(encoding), []
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), [
        "网页编码无法识别，部分文字可能是乱码 (charset unknown)"
    ]


def charset_alias(name: str) -> str:
    """The codec to decode a declared charset with (GB2312 pages hold GB18030 characters)."""
    name = name.strip().lower()
    return _ALIASES.get(name, name)


def read(path: Path, limits: Limits) -> RawDocument:
    text, warnings = decode(path.read_bytes())
    return read_text(text, path.name, limits, warnings)


def read_text(text: str, source: str, limits: Limits, warnings: list[str]) -> RawDocument:
    """A page already decoded (also used for the page inside a .mht web archive)."""
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except Exception as exc:  # lxml: ParserError "Document is empty" and the like
        raise errors.no_content() from exc
    title_el = root.find(".//title")
    title = _norm(title_el.text_content()) if title_el is not None else ""
    walker = _Walker(limits, CellBudget(limits), in_cell=False)
    body = root.find("body")
    walker.walk(body if body is not None else root, depth=0)
    walker.flush()
    return RawDocument(
        source=source,
        blocks=walker.blocks,
        warnings=warnings + walker.warnings,
        title=title or None,
    )


def _norm(text: str) -> str:
    return _SPACES.sub(" ", _CJK_BREAK.sub("", text)).strip()


def _tag(el: Any) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _hidden(el: Any) -> bool:
    return bool(_HIDDEN.search(el.get("style") or "")) or el.get("hidden") is not None


class _Walker:
    def __init__(self, limits: Limits, budget: CellBudget, in_cell: bool) -> None:
        self.limits = limits
        self.budget = budget
        self.in_cell = in_cell
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.line = 0
        self.parts: list[str] = []
        self.level: int | None = None

    def flush(self) -> None:
        text = _norm("".join(self.parts))
        self.parts = []
        if text:
            self.line += 1
            self.blocks.append(Paragraph(text, line=self.line, heading_level=self.level))

    def walk(self, el: Any, depth: int) -> None:
        tag = _tag(el)
        if tag is None or tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(el, depth)
            return
        if tag == "pre":
            self.flush()
            for line in el.text_content().splitlines():
                self.parts.append(line)
                self.flush()
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        heading = _HEADINGS.get(tag)
        if heading:
            self.level = heading
        self.parts.append(el.text or "")
        for child in el.iterchildren():
            self.walk(child, depth)
            self.parts.append(child.tail or "")
        if block:
            self.flush()
        if heading:
            self.level = None

    def table(self, tbl: Any, depth: int) -> None:
        if depth >= self.limits.max_depth:
            message = too_deep_warning(self.limits)
            if message not in self.warnings:
                self.warnings.append(message)
            self.parts.append(" ".join(tbl.text_content().split()))
            self.flush()
            return
        rows = [
            [c for c in tr.iterchildren() if _tag(c) in ("td", "th") and not _hidden(c)]
            for tr in _rows(tbl)
        ]
        if not self.in_cell and _is_layout(tbl, rows):
            for row in rows:
                for cell in row:
                    self.walk(cell, depth + 1)
            return
        grid = self.grid(rows, depth)
        if self.in_cell:
            for line in flatten(grid).split("\n"):
                self.parts.append(line)
                self.flush()
            return
        lines = list(range(self.line + 1, self.line + 1 + len(rows)))
        self.line += len(rows)
        table = make_table(grid, lines)
        if table is not None:
            self.blocks.append(table)

    def grid(self, rows: list[list[Any]], depth: int) -> list[list[Any]]:
        builder = GridBuilder(self.budget)
        for _ in rows:
            builder.new_row()
        for r, cells in enumerate(rows):
            col = 0
            for cell in cells:
                col = builder.next_free(r, col)
                rowspan = _span(cell.get("rowspan"))
                rowspan = len(rows) - r if rowspan == 0 else min(rowspan, len(rows) - r)
                colspan = max(1, _span(cell.get("colspan")))
                builder.place(r, col, self.cell_text(cell, depth), rowspan, colspan)
                col += colspan
        return builder.grid()

    def cell_text(self, cell: Any, depth: int) -> str:
        inner = _Walker(self.limits, self.budget, in_cell=True)
        inner.parts.append(cell.text or "")
        for child in cell.iterchildren():
            inner.walk(child, depth + 1)
            inner.parts.append(child.tail or "")
        inner.flush()
        for warning in inner.warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)
        return "\n".join(b.text for b in inner.blocks if isinstance(b, Paragraph))


def _rows(tbl: Any) -> list[Any]:
    out = []
    for el in tbl.iterchildren():
        tag = _tag(el)
        if tag == "tr":
            out.append(el)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(tr for tr in el.iterchildren() if _tag(tr) == "tr")
    return out


def _span(value: str | None) -> int:
    match = re.match(r"\s*(\d{1,5})", value or "")
    return int(match.group(1)) if match else 1


def _text_length(el: Any) -> int:
    return len("".join(el.text_content().split()))


def _is_layout(tbl: Any, rows: list[list[Any]]) -> bool:
    """A table that lays out a page rather than holding data."""
    if len(rows) <= 1 or all(len(row) <= 1 for row in rows):
        return True
    nested = sum(
        _text_length(t)
        for row in rows
        for cell in row
        for t in cell.iter("table")
        if next(t.iterancestors("table"), None) is tbl  # outermost nested tables only
    )
    return nested > 0 and nested * 5 >= _text_length(tbl) * 4  # 80 % or more
