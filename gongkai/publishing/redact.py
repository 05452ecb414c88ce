"""One-click masking (遮盖) of the personal data the gate found: in the body's HTML, and inside
.docx and .xlsx files. PDF and images cannot be masked in place (their text is drawn, not
stored as editable words): those need a redacted file uploaded, or the office's override.

Every masker works the same way: the text a reader sees as one stretch (an HTML block, a Word
paragraph, an Excel string or cell) is gathered from the nodes that hold it, the detector runs
over the joined text, and each hit is masked back into the nodes it spans. So a number Word
split over three runs (a bold middle, a tracked insertion) is found and masked whole, and the
formatting of each run is kept. Masks of numbers keep their length and are written character by
character; an e-mail's mask is shorter and goes where the address starts.

Word's tracked changes are masked in both views the scanner reads: the text as it now stands
(deleted words out) and as it stood (inserted words out). Comments, headers, footers, footnotes,
text boxes, field codes, hyperlink addresses and document properties are masked too; in Excel
every sheet (hidden ones too), hidden rows and columns, cell comments, headers and footers, and
unused shared strings. A number typed into a number cell becomes a text cell holding its mask.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape as html_escape

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type hints
from lxml import etree

from gongkai.privacy import find_hits, mask_text
from gongkai.privacy.ooxml import Limits, Package
from gongkai.publishing.sanitize import CONTROLS, clean_html

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

MASKABLE = ("docx", "xlsx")


class CannotRedact(Exception):
    """The file cannot be masked here; the message (Chinese) says what to do instead."""


# -- the shared core: mask hits across the nodes holding one stretch of text ------------------


@dataclass
class Segment:
    """A stretch of text held by one node: its `text` or its `tail` (attr); a segment with no
    node is a fixed separator (a tab, a line break) that joins nothing and is never written."""

    text: str
    node: etree._Element | None = None
    attr: str = "text"

    def write(self, value: str) -> None:
        if self.node is not None:
            setattr(self.node, self.attr, value)
            self.text = value


def mask_segments(segments: list[Segment]) -> int:
    """Mask every hit in the joined text of `segments` back into them; the number of hits."""
    joined = "".join(s.text for s in segments)
    hits = find_hits(joined)
    if not hits:
        return 0
    start = 0
    for segment in segments:
        end = start + len(segment.text)
        inside = [h for h in hits if h.start < end and start < h.end]
        if inside and segment.node is not None:
            out, pos = [], start
            for hit in inside:
                lo, hi = max(hit.start, start), min(hit.end, end)
                out.append(joined[pos:lo])
                if len(hit.masked) == hit.end - hit.start:
                    out.append(hit.masked[lo - hit.start : hi - hit.start])
                elif lo == hit.start:
                    out.append(hit.masked)
                pos = hi
            out.append(joined[pos:end])
            segment.write("".join(out))
        start = end
    return len(hits)


# -- HTML (the body) -----------------------------------------------------------------------

_BLOCKS = {
    "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "thead", "tbody", "caption",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "br",
}  # fmt: skip


def _html_groups(el: etree._Element, groups: list[list[Segment]]) -> None:
    block = isinstance(el.tag, str) and el.tag.lower() in _BLOCKS
    if block:
        groups.append([])
    if el.text:
        groups[-1].append(Segment(el.text, el))
    for child in el:
        if isinstance(child.tag, str):
            _html_groups(child, groups)
        if child.tail:
            groups[-1].append(Segment(child.tail, child, "tail"))
    if block:
        groups.append([])


def html_attributes(html: str) -> tuple[list[str], list[str]]:
    """The attribute values of the body that a reader can reach but that are not its text:
    (link addresses — a mailto: or tel: link shows no text of its own — and every other value,
    such as a link's title, shown as a tooltip)."""
    if "=" not in html:
        return [], []
    root = lxml.html.fragment_fromstring(CONTROLS.sub("", html), create_parent="div")
    links: list[str] = []
    others: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if value:
                (links if name == "href" else others).append(value)
    return links, others


def mask_html(html: str) -> tuple[str, int]:
    """The (sanitised) HTML with every hit masked inside its text, markup untouched, and the
    number of hits masked."""
    if not html.strip():
        return html, 0
    # Control characters cannot live in an lxml tree; they show nothing, so they go.
    root = lxml.html.fragment_fromstring(CONTROLS.sub("", html), create_parent="div")
    groups: list[list[Segment]] = [[]]
    _html_groups(root, groups)
    count = sum(mask_segments(g) for g in groups if g)
    count += sum(
        _mask_attribute(el, name)
        for el in root.iter()
        if isinstance(el.tag, str)
        for name in list(el.attrib)
    )
    if not count:
        return html, 0
    inner = html_escape(root.text or "", quote=False)
    inner += "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    return clean_html(inner), count


# -- Word ------------------------------------------------------------------------------------

_RUN_TEXT = {W + "t", W + "delText", W + "instrText", W + "delInstrText", M + "t"}
_SEPARATORS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_DELETED = {W + "del", W + "moveFrom"}
_INSERTED = {W + "ins", W + "moveTo"}
_NOT_TEXT = {W + "pPr", W + "rPr", W + "sdtPr", W + "txbxContent", W + "p"}


@dataclass
class _Piece:
    segment: Segment
    deleted: bool
    inserted: bool


def _paragraph(node: etree._Element, out: list[_Piece], deleted: bool, inserted: bool) -> None:
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag in _RUN_TEXT:
            gone = deleted or tag in (W + "delText", W + "delInstrText")
            out.append(_Piece(Segment(child.text or "", child), gone, inserted))
        elif tag in _SEPARATORS:
            out.append(_Piece(Segment(_SEPARATORS[tag]), deleted, inserted))
        else:
            if tag == W + "fldSimple" and child.get(W + "instr"):
                _mask_attribute(child, W + "instr")
            _paragraph(child, out, deleted or tag in _DELETED, inserted or tag in _INSERTED)


def _mask_attribute(el: etree._Element, name: str) -> int:
    value = el.get(name) or ""
    hits = find_hits(value)
    if hits:
        el.set(name, mask_text(value, hits))
    return len(hits)


def _mask_word_part(root: etree._Element) -> int:
    count = 0
    for p in root.iter(W + "p"):
        pieces: list[_Piece] = []
        _paragraph(p, pieces, False, False)
        # As the paragraph now stands, then as it stood before the tracked changes; a stretch
        # masked in the first view is no longer found in the second.
        count += mask_segments([x.segment for x in pieces if not x.deleted])
        count += mask_segments([x.segment for x in pieces if not x.inserted])
    return count


def _mask_loose_text(root: etree._Element, skip: frozenset[str] = frozenset()) -> int:
    """Every text and tail on its own: parts with no paragraphs (document properties, threaded
    comments). `skip`: local names whose text is data, not words (Excel's <v>)."""
    count = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and etree.QName(el).localname not in skip and (hits := find_hits(el.text)):
            el.text = mask_text(el.text, hits)
            count += len(hits)
        if el.tail and (hits := find_hits(el.tail)):
            el.tail = mask_text(el.tail, hits)
            count += len(hits)
    return count


def _mask_rels(root: etree._Element) -> int:
    """External link addresses (mailto:…) in a part's relationships."""
    return sum(
        _mask_attribute(rel, "Target")
        for rel in root.iter(PR + "Relationship")
        if rel.get("TargetMode") == "External"
    )


# -- Excel -----------------------------------------------------------------------------------


def _string_item(si: etree._Element) -> int:
    """A shared or inline string: its runs joined (phonetic guides on their own)."""
    texts = [t for t in si.iter(S + "t") if t.getparent().tag != S + "rPh"]
    count = mask_segments([Segment(t.text or "", t) for t in texts])
    for t in si.iter(S + "t"):
        if t.getparent().tag == S + "rPh" and t.text and (hits := find_hits(t.text)):
            t.text = mask_text(t.text, hits)
            count += len(hits)
    return count


def _number(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral_value():
        return format(number.to_integral_value(), "f")
    return format(number.normalize(), "f")


def _cell(c: etree._Element) -> int:
    kind = c.get("t") or "n"
    count = 0
    formula = c.find(S + "f")
    if formula is not None and formula.text and (hits := find_hits(formula.text)):
        formula.text = mask_text(formula.text, hits)
        count += len(hits)
    if kind == "inlineStr":
        inline = c.find(S + "is")
        return count + (_string_item(inline) if inline is not None else 0)
    value = c.find(S + "v")
    if value is None or not value.text:
        return count
    if kind == "str":
        if hits := find_hits(value.text):
            value.text = mask_text(value.text, hits)
            count += len(hits)
        return count
    if kind == "n":
        text = _number(value.text)
        hits = find_hits(text)
        if hits:
            # A masked number is no number: the cell becomes text, its formula goes (it would
            # only compute the number again).
            for child in list(c):
                c.remove(child)
            c.set("t", "inlineStr")
            inline = etree.SubElement(c, S + "is")
            etree.SubElement(inline, S + "t").text = mask_text(text, hits)
            count += len(hits)
    return count


def _mask_sheet(root: etree._Element) -> int:
    count = sum(_cell(c) for c in root.iter(S + "c"))
    for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        for el in root.iter(S + tag):
            if el.text and (hits := find_hits(el.text)):
                el.text = mask_text(el.text, hits)
                count += len(hits)
    return count


def _mask_excel_part(root: etree._Element) -> int:
    tag = root.tag
    if tag == S + "sst":
        return sum(_string_item(si) for si in root.iter(S + "si"))
    if tag == S + "worksheet":
        return _mask_sheet(root)
    if tag == S + "comments":
        return sum(_string_item(text) for text in root.iter(S + "text"))
    return _mask_loose_text(root, skip=frozenset({"v", "f"}))


# -- packages --------------------------------------------------------------------------------


def _mask_part(package: Package, name: str, kind: str) -> tuple[bytes, int] | None:
    lower = name.lower()
    if lower == "[content_types].xml" or not (lower.endswith(".xml") or lower.endswith(".rels")):
        return None
    root = package.xml(name)
    if lower.endswith(".rels"):
        count = _mask_rels(root)
    elif kind == "docx" and root.find(f".//{W}p") is not None:
        count = _mask_word_part(root)
    elif kind == "xlsx":
        count = _mask_excel_part(root)
    else:
        count = _mask_loose_text(root)
    if not count:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), count


def mask_office(data: bytes, kind: str) -> tuple[bytes, int]:
    """A masked copy of a .docx or .xlsx and the number of hits masked (the bytes are `data`
    itself when nothing was found). Raises CannotRedact for a file it cannot open."""
    if kind not in MASKABLE:
        raise CannotRedact(cannot_mask_message(kind))
    try:
        package = Package(data, Limits())
        names = package.names()
        changed: dict[str, bytes] = {}
        total = 0
        for name in names:
            masked = _mask_part(package, name, kind)
            if masked is not None:
                changed[name], count = masked
                total += count
        if not total:
            return data, 0
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                body = changed.get(info.filename)
                if body is None:
                    body = package.read(info.filename)
                fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                fresh.external_attr = info.external_attr
                target.writestr(fresh, body)
        return out.getvalue(), total
    except CannotRedact:
        raise
    except Exception as exc:  # a damaged file: say so rather than fail the page
        raise CannotRedact(
            f"文件无法自动遮盖（{type(exc).__name__}），请上传遮盖处理后的文件，或请公开办确认后发布"
        ) from exc


def cannot_mask_message(kind: str) -> str:
    what = {"pdf": "PDF 文件", "jpg": "图片", "png": "图片"}.get(kind, "该类型的文件")
    return (
        f"{what}不能在系统内自动遮盖个人信息：请在原文件中删除或遮盖后重新上传，"
        "或请公开办审查后确认发布（须填写理由）"
    )
