"""Plain text (.txt, .tsv, .csv, .md): paragraphs, and tables written as text.

Three table layouts are recognised (docs/tasklist.md):

- cells one a line, each starting with a tab, rows separated by blank lines (a Word table
  saved as text, seeds 000 and 004); a line without the tab continues the cell above it;
  lines with tabs between cells (TSV, a spreadsheet pasted as text) are one row a line;
- cells ending with `|`, one or several a line (seed 002): a line of only `|` ends a row (its
  extra bars are the row's missing cells), a cell's text may run over lines before its `|`,
  and the header row comes back on every page; markdown tables (`| a | b |`, `|---|`) too;
- .csv files, one row a line.

Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (GBK, GB2312) and Big5, the
last two told apart by which reads as more common characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gongkai.tasklist.blocks import Block, Paragraph, ParseError, RawDocument
from gongkai.tasklist.headers import Role, classify, header_key, is_header_row
from gongkai.tasklist.layout import Merges, TextRow, build_table
from gongkai.tasklist.readers import errors
from gongkai.tasklist.readers.limits import Limits

NAME = "text"
SUFFIXES = (".txt", ".text", ".tsv", ".csv", ".md", ".markdown")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_BAD_SHARE = 0.02  # undecodable characters tolerated before the encoding is given up on
_PIPE_ONLY = re.compile(r"^\s*(?:\|\s*)+$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CONTINUATION_LINES = 3  # lines a `|` cell's text may run over
HEADER_SEARCH_SEGMENTS = 6


def sniff(head: bytes, suffix: str) -> int:
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return 60 if suffix in SUFFIXES else 20
    if b"\x00" in head:
        return 0
    try:
        _decode(head, final=False)
    except ParseError:
        return 0
    return 60 if suffix in SUFFIXES else 20


def read(path: Path, limits: Limits) -> RawDocument:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise errors.too_large(size, limits.max_bytes)
    text = _decode(path.read_bytes())
    blocks = csv_blocks(text) if path.suffix.lower() == ".csv" else text_blocks(text)
    if not blocks:
        raise errors.no_content()
    return RawDocument(source=path.name, blocks=blocks)


# -- decoding ----------------------------------------------------------------------------------


def _decode(data: bytes, final: bool = True) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if not final:  # a head cut anywhere: ignore a character split at its end
        data = data[: max(len(data) - 4, 0)] if len(data) > 4 else data
    candidates: list[tuple[int, float, str]] = []
    for encoding in ("utf-8", "gb18030", "big5"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(1, len(text) * MAX_BAD_SHARE):
            candidates.append((bad, -_commonness(text, encoding), text))
        if bad == 0 and encoding == "utf-8":
            return text
    if not candidates:
        raise ParseError("无法识别文本编码，请另存为 UTF-8 后再导入 (unknown text encoding)")
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


def _commonness(text: str, encoding: str) -> float:
    """The share of CJK characters among the common ones of the encoding's own script
    (GB2312 level 1, Big5 常用字): text read in the wrong one is mostly rare characters."""
    cjk = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    common = 0
    for ch in cjk:
        try:
            if encoding == "big5":
                lead = ch.encode("big5")[0]
                common += 0xA4 <= lead <= 0xC6
            else:
                lead = ch.encode("gb2312")[0]
                common += 0xB0 <= lead <= 0xD7
        except UnicodeEncodeError:
            continue
    return common / len(cjk)


# -- layouts -----------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int
    text: str

    @property
    def blank(self) -> bool:
        """No text and no tab: a tab alone is an empty cell of a tab-separated table."""
        return not self.text.strip() and "\t" not in self.text

    @property
    def tabbed(self) -> bool:
        return "\t" in self.text

    @property
    def piped(self) -> bool:
        stripped = self.text.strip()
        return stripped.endswith("|") or stripped.startswith("|")


def text_blocks(text: str) -> list[Block]:
    """Paragraphs and tables, in order, from the text of a file."""
    lines = [_Line(i, t) for i, t in enumerate(text.splitlines(), start=1)]
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
        elif line.tabbed:
            i = _tab_table(lines, i, blocks)
        elif line.piped and not _MD_RULE.match(line.text):
            i = _pipe_table(lines, i, blocks)
        else:
            blocks.append(Paragraph(line.text.strip(), line=line.number))
            i += 1
    return [b for b in blocks if not (isinstance(b, Paragraph) and not b.text)]


def csv_blocks(text: str) -> list[Block]:
    """A .csv file: leading one-cell rows are paragraphs (a title), the rest one table."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    blocks: list[Block] = []
    rows: list[TextRow] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            line = reader.line_num
            if not any(cells):
                continue
            if not rows and sum(1 for c in cells if c) == 1:
                blocks.append(Paragraph(next(c for c in cells if c), line=line))
                continue
            rows.append(TextRow(cells, [line] * len(cells)))
    except csv.Error as exc:
        raise errors.corrupt(exc) from exc
    if rows:
        blocks.append(build_table(rows, Merges.EXPLICIT))
    return blocks


# -- cells on lines starting with a tab ---------------------------------------------------------


def _tab_table(lines: list[_Line], start: int, blocks: list[Block]) -> int:
    end = start
    after_blank = False
    while end < len(lines):
        line = lines[end]
        if line.blank:
            after_blank = True
        elif not line.tabbed and after_blank:
            break
        else:
            after_blank = False
        end += 1
    region = lines[start:end]
    tabbed = [ln for ln in region if ln.tabbed]
    one_cell = sum(1 for ln in tabbed if ln.text.startswith("\t") and ln.text.count("\t") == 1)
    vertical = one_cell >= 0.8 * len(tabbed)
    rows = _cell_per_line_rows(region) if vertical else _tsv_rows(region)
    table = build_table(rows, Merges.EXPLICIT)
    if table.rows:
        blocks.append(table)
    return end


def _cell_per_line_rows(region: list[_Line]) -> list[TextRow]:
    rows: list[TextRow] = []
    current: TextRow | None = None
    for line in region:
        if line.blank:
            current = None
            continue
        if not line.tabbed and current is not None and current.cells:
            current.cells[-1] += "\n" + line.text.strip()
            continue
        if current is None:
            current = TextRow([], [])
            rows.append(current)
        texts = line.text[1:].split("\t") if line.text.startswith("\t") else line.text.split("\t")
        for text in texts:
            current.cells.append(text.strip())
            current.lines.append(line.number)
    return rows


def _tsv_rows(region: list[_Line]) -> list[TextRow]:
    numbers = [ln.number for ln in region]
    reader = csv.reader(io.StringIO("\n".join(ln.text for ln in region)), delimiter="\t")
    rows: list[TextRow] = []
    try:
        for record in reader:
            if any(c.strip() for c in record):
                number = numbers[min(reader.line_num, len(numbers)) - 1]
                rows.append(TextRow([c.strip() for c in record], [number] * len(record)))
    except csv.Error:  # an unbalanced quote: read it as plain tab-separated lines
        rows = [
            TextRow(
                [c.strip() for c in ln.text.split("\t")], [ln.number] * (ln.text.count("\t") + 1)
            )
            for ln in region
            if not ln.blank
        ]
    return rows


# -- cells ending with | ------------------------------------------------------------------------


def _pipe_table(lines: list[_Line], start: int, blocks: list[Block]) -> int:
    ahead = [ln for ln in lines[start : start + 12] if ln.piped and not _PIPE_ONLY.match(ln.text)]
    per_line = sum(1 for ln in ahead if len(_split_pipes(ln.text)) >= 2)
    if per_line > len(ahead) / 2:
        return _markdown_table(lines, start, blocks)
    end = start
    while end < len(lines):
        line = lines[end]
        if line.piped or (line.blank and _next_is_pipe(lines, end)):
            end += 1
            continue
        run = end
        while run < len(lines) and not lines[run].piped and not lines[run].blank:
            run += 1
        if run - end > _CONTINUATION_LINES or run >= len(lines) or not lines[run].piped:
            break
        end = run
    table = build_table(_pipe_rows(lines[start:end]), Merges.OMITTED)
    if table.rows:
        blocks.append(table)
    return max(end, start + 1)


def _next_is_pipe(lines: list[_Line], index: int) -> bool:
    following = next((ln for ln in lines[index:] if not ln.blank), None)
    return following is not None and following.piped


def _split_pipes(text: str) -> list[str]:
    """Cells of a markdown row: `| a | b |` or `a | b |`."""
    parts = text.strip().split("|")
    if text.strip().startswith("|"):
        parts = parts[1:]
    if text.strip().endswith("|"):
        parts = parts[:-1]
    return [p.strip() for p in parts]


def _markdown_table(lines: list[_Line], start: int, blocks: list[Block]) -> int:
    end = start
    rows: list[TextRow] = []
    while end < len(lines) and lines[end].piped:
        line = lines[end]
        if not _MD_RULE.match(line.text):
            cells = _split_pipes(line.text)
            rows.append(TextRow(cells, [line.number] * len(cells)))
        end += 1
    table = build_table(rows, Merges.EXPLICIT)
    if table.rows:
        blocks.append(table)
    return max(end, start + 1)


@dataclass
class _Segment:
    """Cells up to a line of bars, and how many empty cells those bars stand for."""

    cells: list[tuple[str, int]]
    pads: int = 0


def _pipe_rows(region: list[_Line]) -> list[TextRow]:
    segments = _segments(region)
    header = _find_header(segments)
    pieces = _split_at_headers(segments, header)
    width = Counter(len(s.cells) + s.pads for s in pieces if s.pads).most_common(1)
    page_width = width[0][0] if width else max((len(s.cells) for s in pieces), default=1)
    rows: list[TextRow] = []
    for piece in pieces:
        if header is not None and [header_key(t) for t, _ in piece.cells] == header:
            page_width = len(piece.cells) + piece.pads
            rows.append(_row(piece.cells))
            continue
        cells = piece.cells
        while len(cells) > page_width > 0:  # full rows end without bars: cut at the width
            rows.append(_row(cells[:page_width]))
            cells = cells[page_width:]
        if cells:
            rows.append(_row(cells))
    return rows


def _find_header(segments: list[_Segment]) -> list[str] | None:
    """The header row's words: the leading run of header words of an early segment."""
    for segment in segments[:HEADER_SEARCH_SEGMENTS]:
        texts = [t for t, _ in segment.cells]
        run = 0
        while run < len(texts) and classify(texts[run]) not in (None, Role.UNKNOWN):
            run += 1
        if run >= 2 and is_header_row(texts[:run]):
            return [header_key(t) for t in texts[:run]]
    return None


def _split_at_headers(segments: list[_Segment], header: list[str] | None) -> list[_Segment]:
    """Header rows cut out of the segments they are glued to: a page's last row runs on into
    the next page's header, and a header without bars runs on into the first row."""
    if header is None:
        return segments
    size = len(header)
    out: list[_Segment] = []
    for segment in segments:
        keys = [header_key(t) for t, _ in segment.cells]
        cuts = {0, len(keys)}
        for j in range(len(keys) - size + 1):
            if keys[j : j + size] == header:
                cuts |= {j, j + size}
        bounds = sorted(cuts)
        for start, end in itertools.pairwise(bounds):
            pads = segment.pads if end == len(keys) else 0
            out.append(_Segment(segment.cells[start:end], pads))
    return [s for s in out if s.cells]


def _segments(region: list[_Line]) -> list[_Segment]:
    segments = [_Segment([])]
    pending: list[str] = []
    pending_line = 0
    for line in region:
        if line.blank or _MD_RULE.match(line.text):
            continue
        if not line.piped:
            pending.append(line.text.strip())
            pending_line = pending_line or line.number
            continue
        parts = line.text.strip().split("|")
        for i, part in enumerate(parts[:-1]):
            text = part.strip()
            if i == 0 and pending:
                text = "\n".join([*pending, text]) if text else "\n".join(pending)
            if text:
                number = pending_line if (i == 0 and pending) else line.number
                segments[-1].cells.append((text, number))
            else:
                segments[-1].pads += 1
            if i == 0:
                pending, pending_line = [], 0
        if segments[-1].pads:
            segments.append(_Segment([]))
        if parts[-1].strip():  # text after the last bar starts the next cell
            pending = [parts[-1].strip()]
            pending_line = line.number
    if pending:
        segments[-1].cells.append(("\n".join(pending), pending_line))
    return [s for s in segments if s.cells]


def _row(cells: list[tuple[str, int]]) -> TextRow:
    return TextRow([t for t, _ in cells], [n for _, n in cells])
