"""Excel .xlsx: every sheet, hidden and very hidden ones too, read from its XML.

- Cells: shared and inline strings, formula results, and numbers written out in full (an ID or
  phone typed into a number cell is stored as a number: 13812345678, never 1.38E+10 or
  13812345678.0). Numbers of 16 digits or more have lost digits to Excel's 15-digit precision,
  so a truncated ID number cannot be checked: the sheet gets a problem for a human to look at.
- Hidden: a hidden or very hidden sheet, a hidden row or column (collapsed outlines and filtered
  rows are stored hidden too; a zero height or width counts), a number format that shows
  nothing (";;;"), a cell comment, a shared string no cell uses any more.
- Also read: sheet headers and footers, document properties. Not read: charts, pivot caches,
  defined names, data validation lists.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.privacy.ooxml import Package, Rel, property_pieces
from gongkai.privacy.pieces import Piece, Unreadable

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_HEADERS = {S + t for t in ("oddHeader", "oddFooter", "evenHeader", "evenFooter")} | {
    S + "firstHeader",
    S + "firstFooter",
}
_SHEET_LABELS = {"hidden": "隐藏的工作表", "veryHidden": "深度隐藏的工作表"}
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_TRUE = {"1", "true"}
_SHORTEST = 11  # digits in a mobile number; ID and bank card numbers are longer


@dataclass
class _Book:
    shared: list[str]
    hidden_formats: set[int]  # cell style indexes whose number format shows nothing
    used: set[int] = field(default_factory=set)  # shared strings some cell uses


def pieces(package: Package, main: str, problems: list[str]) -> Iterator[Piece]:
    rels = package.rels(main)
    book = _Book(_shared_strings(package, rels), _hidden_formats(package, rels))
    workbook = package.xml(main)
    if workbook.tag != S + "workbook":  # e.g. Strict Open XML: reading it would find nothing
        raise Unreadable("工作簿不是常见的 Excel 格式（可能是 Strict Open XML），需人工检查")
    for sheet in workbook.iter(S + "sheet"):
        rel = rels.get(sheet.get(R + "id") or "")
        if rel is None or rel.external or rel.type != _RELS + "worksheet":
            continue  # chart sheets and dialog sheets hold no cells
        state = sheet.get("state") or "visible"
        label = f"{_SHEET_LABELS.get(state, '工作表')}「{sheet.get('name') or ''}」"
        hidden = state in _SHEET_LABELS
        yield from _cells(package, rel.target, label, hidden, book, problems)
        for sheet_rel in package.rels(rel.target).values():
            if sheet_rel.type == _RELS + "comments" and not sheet_rel.external:
                yield from _comments(package, sheet_rel.target, label)
    for index, text in enumerate(book.shared):
        if index not in book.used:
            yield Piece(text, f"未被单元格使用的共享字符串（第 {index + 1} 条）", hidden=True)
    yield from property_pieces(package, package.content_types())


def _target(rels: dict[str, Rel], kind: str) -> str | None:
    return next(
        (r.target for r in rels.values() if r.type == _RELS + kind and not r.external), None
    )


def _shared_strings(package: Package, rels: dict[str, Rel]) -> list[str]:
    part = _target(rels, "sharedStrings")
    if part is None or not package.has(part):
        return []
    return [_rich_text(si) for si in _iterparse(package, part, S + "si")]


def _hidden_formats(package: Package, rels: dict[str, Rel]) -> set[int]:
    part = _target(rels, "styles")
    if part is not None and package.has(part):
        root = package.xml(part)
        hiding = {
            el.get("numFmtId")
            for el in root.iter(S + "numFmt")
            if (code := (el.get("formatCode") or "").replace(" ", ""))
            and code.count(";") >= 2
            and not code.strip(";")
        }
        xfs = root.find(S + "cellXfs")
        if xfs is None or not hiding:
            return set()
        return {i for i, xf in enumerate(xfs.iter(S + "xf")) if xf.get("numFmtId") in hiding}
    return set()


def _cells(
    package: Package, part: str, label: str, hidden: bool, book: _Book, problems: list[str]
) -> Iterator[Piece]:
    hidden_columns: list[tuple[int, int]] = []
    row_number, row_hidden, column = 0, False, 0
    long_numbers: list[str] = []
    for event, el in etree.iterparse(
        io.BytesIO(package.read(part)),
        events=("start", "end"),
        tag=[S + "row", S + "c", S + "col", *_HEADERS],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    ):
        tag = el.tag
        if event == "start":
            if tag == S + "row":
                row_number = int(el.get("r") or row_number + 1)
                row_hidden = el.get("hidden") in _TRUE or _zero(el.get("ht"))
                column = 0
            continue
        if tag == S + "col":
            if el.get("hidden") in _TRUE or _zero(el.get("width")):
                hidden_columns.append((int(el.get("min") or 0), int(el.get("max") or 0)))
        elif tag == S + "c":
            ref = el.get("r") or ""
            match = _REF.fullmatch(ref)
            column = _column_number(match.group(1)) if match else column + 1
            text, numeric = _value(el, book)
            # A number shorter than a mobile number cannot be personal data: skip the detector.
            if text and not (numeric and len(text) < _SHORTEST):
                cell = f"{_column_letters(column)}{row_number}"
                if numeric and len(text.lstrip("-").split(".")[0]) >= 16:
                    long_numbers.append(cell)
                qualifiers = []
                if row_hidden:
                    qualifiers.append(f"隐藏的行 {row_number}")
                if any(lo <= column <= hi for lo, hi in hidden_columns):
                    qualifiers.append(f"隐藏的列 {_column_letters(column)}")
                if _int(el.get("s")) in book.hidden_formats:
                    qualifiers.append("格式设为不显示的单元格")
                prefix = "、".join(qualifiers) + "：" if qualifiers else ""
                yield Piece(text, f"{prefix}{label}{cell}", hidden or bool(qualifiers))
            el.clear()
        elif tag in _HEADERS and el.text:
            yield Piece(el.text, f"页眉页脚：{label}", hidden)
        elif tag == S + "row":
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    if long_numbers:
        problems.append(
            f"{label}有 {len(long_numbers)} 个 16 位以上的数字以数值格式保存（如 "
            f"{long_numbers[0]}）：Excel 只保留 15 位有效数字，身份证号、银行卡号可能已被截断"
            "而无法识别，需人工核对"
        )


def _value(cell: etree._Element, book: _Book) -> tuple[str, bool]:
    """The cell's text and whether it is a number."""
    kind = cell.get("t") or "n"
    if kind == "inlineStr":
        inline = cell.find(S + "is")
        return (_rich_text(inline) if inline is not None else "", False)
    value = cell.findtext(S + "v") or ""
    if kind == "s":
        index = _int(value)
        book.used.add(index)
        return (book.shared[index] if 0 <= index < len(book.shared) else "", False)
    if kind == "n" and value:
        return (_number(value), True)
    if kind in ("str", "d"):
        return (value, False)
    return ("", False)  # booleans and errors


def _number(value: str) -> str:
    """A stored number as a person would type it: no exponent, no ".0"."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral_value():
        return format(number.to_integral_value(), "f")
    return format(number.normalize(), "f")


def _comments(package: Package, part: str, label: str) -> Iterator[Piece]:
    root = package.xml(part)
    authors = [a.text or "" for a in root.iter(S + "author")]
    for comment in root.iter(S + "comment"):
        author_id = _int(comment.get("authorId"))
        author = authors[author_id].strip() if 0 <= author_id < len(authors) else ""
        text_el = comment.find(S + "text")
        text = _rich_text(text_el) if text_el is not None else ""
        by = f"（作者 {author}）" if author else ""
        yield Piece(text, f"单元格批注{by}：{label}{comment.get('ref') or ''}", hidden=True)


def _rich_text(el: etree._Element) -> str:
    """A string item's text; phonetic guides (rPh) are not part of it."""
    return "".join(t.text or "" for t in el.iter(S + "t") if t.getparent().tag != S + "rPh")


def _iterparse(package: Package, part: str, tag: str) -> Iterator[etree._Element]:
    for _event, el in etree.iterparse(
        io.BytesIO(package.read(part)), tag=tag, resolve_entities=False, no_network=True
    ):
        yield el
        el.clear()


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else -1


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
