"""Word .docx: every story of the document read from its XML, hidden places included.

- Stories: the body, headers, footers, footnotes, endnotes and comments (with their author),
  found through [Content_Types].xml; text boxes wherever they sit (read once: the VML fallback
  copy of a text box is skipped); hyperlink addresses; document properties.
- One paragraph is one piece of text, so a number Word split across runs is found whole.
- Tracked changes: a paragraph is read twice, as it now stands (inserted words in, deleted words
  out) and as it stood (deleted words in); the second view reports only hits touching deleted
  words. Hidden (vanish) text, including through a style, white text and field codes are
  labelled and count as hidden.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.privacy.ooxml import Package, property_pieces
from gongkai.privacy.pieces import Piece, Span, Unreadable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_STORIES = {  # content type → label, in the order they are read
    _WML + "header+xml": "页眉",
    _WML + "footer+xml": "页脚",
    _WML + "footnotes+xml": "脚注",
    _WML + "endnotes+xml": "尾注",
    _WML + "comments+xml": "批注",
}
_STYLES = _WML + "styles+xml"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_OFF = {"0", "false", "off"}
# Not part of the paragraph's own text: properties, and text boxes (read as their own pieces).
_SKIP = {W + "pPr", W + "rPr", W + "sdtPr", W + "txbxContent", W + "p", MC + "Fallback"}
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml"}


class _Mark(enum.Flag):
    NONE = 0
    DELETED = enum.auto()
    INSERTED = enum.auto()
    VANISHED = enum.auto()
    WHITE = enum.auto()
    FIELD = enum.auto()


_LABELS = (  # mark, label, hidden
    (_Mark.DELETED, "修订：删除的文字", True),
    (_Mark.INSERTED, "修订：插入的文字", False),
    (_Mark.VANISHED, "隐藏文字", True),
    (_Mark.WHITE, "白色文字", True),
    (_Mark.FIELD, "域代码", True),
)

_Segments = list[tuple[str, _Mark]]


def pieces(package: Package, main: str, problems: list[str]) -> Iterator[Piece]:
    types = package.content_types()
    hidden_styles = _hidden_styles(package, types)
    stories = [(main, "正文")] + [
        (name, _STORIES[ct]) for name, ct in sorted(types.items()) if ct in _STORIES
    ]
    links: set[str] = set()
    for name, label in stories:
        if not package.has(name):
            continue
        root = package.xml(name)
        if not root.tag.startswith(W):  # e.g. Strict Open XML: reading it would find nothing
            raise Unreadable(
                f"部件 {name} 不是常见的 Word 格式（可能是 Strict Open XML），需人工检查"
            )
        yield from _story(root, label, hidden_styles)
        for rel in package.rels(name).values():
            if rel.external and rel.type == _HYPERLINK and rel.target not in links:
                links.add(rel.target)
                yield Piece(rel.target, "超链接地址", hidden=True)
    yield from property_pieces(package, types)


def _story(root: etree._Element, label: str, hidden_styles: set[str]) -> Iterator[Piece]:
    cells = _cell_places(root)
    count = 0
    for p in root.iter(W + "p"):
        place = _place(p, label, cells)
        if place is None:
            continue
        segments: _Segments = []
        _walk(p, _paragraph_marks(p, hidden_styles), segments, hidden_styles)
        if not any(text.strip() for text, _ in segments):
            continue
        if not place:  # a body paragraph: numbered as the reader counts them, blanks skipped
            count += 1
            place = f"正文第 {count} 段"
        yield from _views(segments, place, hidden=label == "批注")


def _place(p: etree._Element, label: str, cells: dict[etree._Element, str]) -> str | None:
    """Where the paragraph sits; "" for a body paragraph; None for a duplicate to skip."""
    inside = ""
    node = p.getparent()
    while node is not None:
        tag = node.tag
        if tag == MC + "Fallback":
            return None
        if not inside and tag == W + "txbxContent":
            inside = "文本框"
        elif not inside and tag == W + "tc":
            inside = cells.get(node, "表格")
        elif tag == W + "comment":
            author = (node.get(W + "author") or "").strip()
            label = f"批注（作者 {author}）" if author else "批注"
        node = node.getparent()
    if label == "正文":
        return inside
    return f"{label}{inside}"


def _cell_places(root: etree._Element) -> dict[etree._Element, str]:
    """Each table cell's "表格 1 第 2 行第 3 列": tables counted in document order, columns
    on the table grid (a cell spanning two columns moves the next one by two)."""
    places = {}
    for t, table in enumerate(root.iter(W + "tbl"), 1):
        for r, row in enumerate(_own(table, W + "tr"), 1):
            column = 1 + _int(row.find(f"{W}trPr/{W}gridBefore"))
            for cell in _own(row, W + "tc"):
                places[cell] = f"表格 {t} 第 {r} 行第 {column} 列"
                column += max(1, _int(cell.find(f"{W}tcPr/{W}gridSpan")))
    return places


def _own(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _own(child, tag)


def _int(el: etree._Element | None) -> int:
    value = el.get(W + "val") if el is not None else None
    return int(value) if value and value.isdigit() else 0


def _walk(node: etree._Element, marks: _Mark, out: _Segments, hidden_styles: set[str]) -> None:
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "r":
            _run(child, marks | _run_marks(child, hidden_styles), out)
        elif tag in (W + "ins", W + "moveTo"):
            _walk(child, marks | _Mark.INSERTED, out, hidden_styles)
        elif tag in (W + "del", W + "moveFrom"):
            _walk(child, marks | _Mark.DELETED, out, hidden_styles)
        elif tag == M + "t":
            out.append((child.text or "", marks))
        else:
            if tag == W + "fldSimple":
                out.append((f" {child.get(W + 'instr') or ''} ", marks | _Mark.FIELD))
            _walk(child, marks, out, hidden_styles)


def _run(run: etree._Element, marks: _Mark, out: _Segments) -> None:
    for child in run:
        tag = child.tag
        if tag in (W + "t", W + "delText"):
            out.append((child.text or "", marks))
        elif tag in (W + "instrText", W + "delInstrText"):
            out.append((child.text or "", marks | _Mark.FIELD))
        elif tag == W + "tab":
            out.append(("\t", marks))
        elif tag in (W + "br", W + "cr"):
            out.append(("\n", marks))
        elif tag == W + "noBreakHyphen":
            out.append(("-", marks))


def _on(el: etree._Element | None) -> bool:
    return el is not None and (el.get(W + "val") or "1").lower() not in _OFF


def _run_marks(run: etree._Element, hidden_styles: set[str]) -> _Mark:
    props = run.find(W + "rPr")
    if props is None:
        return _Mark.NONE
    marks = _Mark.NONE
    style = props.find(W + "rStyle")
    styled = style is not None and style.get(W + "val") in hidden_styles
    if styled or _on(props.find(W + "vanish")) or _on(props.find(W + "specVanish")):
        marks |= _Mark.VANISHED
    color = props.find(W + "color")
    if (
        color is not None
        and (color.get(W + "val") or "").upper() == "FFFFFF"
        and props.find(W + "highlight") is None
        and props.find(W + "shd") is None
    ):
        marks |= _Mark.WHITE
    return marks


def _paragraph_marks(p: etree._Element, hidden_styles: set[str]) -> _Mark:
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is not None and style.get(W + "val") in hidden_styles:
        return _Mark.VANISHED
    return _Mark.NONE


def _hidden_styles(package: Package, types: dict[str, str]) -> set[str]:
    """Ids of styles whose text is hidden, directly or through the styles they are based on."""
    name = next((n for n, ct in types.items() if ct == _STYLES), None)
    if name is None or not package.has(name):
        return set()
    own: dict[str, bool | None] = {}
    parent: dict[str, str] = {}
    for style in package.xml(name).iter(W + "style"):
        sid = style.get(W + "styleId") or ""
        vanish = style.find(f"{W}rPr/{W}vanish")
        own[sid] = None if vanish is None else _on(vanish)
        based = style.find(W + "basedOn")
        if based is not None:
            parent[sid] = based.get(W + "val") or ""

    def hidden(sid: str, depth: int = 0) -> bool:
        value = own.get(sid)
        if value is not None or depth > 20 or sid not in parent:
            return bool(value)
        return hidden(parent[sid], depth + 1)

    return {sid for sid in own if hidden(sid)}


def _views(segments: _Segments, place: str, hidden: bool) -> Iterator[Piece]:
    """The paragraph as it now stands, and, when words were deleted, as it stood."""
    now = [(t, m) for t, m in segments if not m & _Mark.DELETED]
    yield _piece(now, place, hidden, only=None)
    if any(m & _Mark.DELETED for _, m in segments):
        before = [(t, m) for t, m in segments if not m & _Mark.INSERTED]
        yield _piece(before, place, hidden, only=_Mark.DELETED)


def _piece(segments: _Segments, place: str, hidden: bool, only: _Mark | None) -> Piece:
    spans: list[Span] = []
    start = 0
    for text, marks in segments:
        end = start + len(text)
        if text and marks and (only is None or marks & only):
            labels = tuple(label for mark, label, _ in _LABELS if marks & mark)
            secret = any(marks & mark for mark, _, h in _LABELS if h)
            last = spans[-1] if spans else None
            if last is not None and last.end == start and last.labels == labels:
                spans[-1] = Span(last.start, end, labels, secret)
            else:
                spans.append(Span(start, end, labels, secret))
        start = end
    text = "".join(t for t, _ in segments)
    return Piece(text, place, hidden, tuple(spans), only_in_spans=only is not None)
