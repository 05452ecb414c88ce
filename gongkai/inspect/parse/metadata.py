"""A policy document's metadata block (索引号, 发布机构, 成文日期 …): its labels, in any of the
variants listed in data/metadata_labels.tsv, found in the page text with their values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.inspect.parse.text import Text, collapse, element_of

_DATA = Path(__file__).resolve().parent.parent / "data"


def _load_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for line in (_DATA / "metadata_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, key = line.split("\t")
            labels[label.strip()] = key.strip()
    return labels


LABELS: dict[str, str] = _load_labels()


def _trie_pattern(words: list[str]) -> str:
    """An alternation of `words` as a trie (fewer branches tried at each place), with spaces
    allowed between the characters of a label (索 引 号, 文　　号)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any], first: bool) -> str:
        end = "" in node
        alts = [
            ("" if first else "[ \u3000]*") + re.escape(ch) + emit(child, False)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        group = "(?:" + "|".join(alts) + ")"
        return group + "?" if end else group

    return emit(trie, True)


_LABEL_RE = re.compile(_trie_pattern(list(LABELS)))
# A cheap necessary condition for any label: its last two characters, then a colon or the end
# of its text node. Most pages without a metadata block fail it after a fast scan.
_LABEL_GATE = re.compile(
    "(?:"
    + "|".join(sorted({f"{re.escape(w[-2])}[ \u3000]*{re.escape(w[-1])}" for w in LABELS}))
    + ")[ \u3000]*(?:[:：\n]|\\Z)"
)
_BEFORE = " \t\n\u3000|｜】]>·;；,，、：:"
_LABEL_BEFORE = frozenset(_BEFORE)


def _tail_gate(words: list[str]) -> re.Pattern[str]:
    """A second necessary condition, run where `_LABEL_GATE` passes (the footer's 主办单位：
    passes that one on most pages): the label's last three characters, or a two-character
    label with what may stand before a label, then what may follow one (blanks included, as
    `metadata` skips them)."""
    before = "".join(re.escape(ch) for ch in _BEFORE)
    parts = set()
    for word in words:
        chars = [re.escape(ch) for ch in word[-3:]]
        if len(word) < 3:  # checked after the first character, so the scan stays fast
            chars[0] += f"(?<![^{before}]{chars[0]})"
        parts.add("[ \u3000]*".join(chars))
    return re.compile("(?:" + "|".join(sorted(parts)) + ")[ \u3000\t]*(?:[:：\n]|\\Z)")


_TAIL_GATE = _tail_gate(list(LABELS))
# Header cells of a list table: a label followed by these is a header row, not a value.
_HEADER_WORDS = frozenset({"标题", "名称", "文件名称", "题名", "序号", "操作", "下载", "标 题"})
_VALUE_REACH = 400
_BLANK = " \u3000\t"
_STRIP = " \u3000\t:："


_CELLS = frozenset({"td", "th", "dd", "dt"})
# A further "word：" on the value's line (点击数：, 浏览次数：, 字号：) starts another field.
_NEXT_FIELD = re.compile(r"[ \u3000\t]+[\u4e00-\u9fff]{2,6}[ \u3000]*[:：]")


def _empty_cell_after(texts: Text, label_at: int) -> bool:
    """The label sits in a table cell (or dt/dd) whose next sibling cell holds no text: the
    next text node belongs to something else (often the headline below the block)."""
    cell = element_of(texts.node_at(label_at))
    while cell is not None and cell.tag not in _CELLS:
        if cell.tag in ("tr", "table", "dl", "body"):
            return False
        cell = cell.getparent()
    if cell is None:
        return False
    sibling = cell.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()  # comments
    return sibling is not None and sibling.tag in _CELLS and not "".join(sibling.itertext()).strip()


def metadata(texts: Text) -> dict[str, str]:
    text = texts.text
    first = _LABEL_GATE.search(text)
    if not first:
        return {}
    # Where no tab follows the label, a match of the second gate ends in one of the first
    # gate's, so it starts no earlier than the first gate's first match, less the label's
    # third-last character and the blanks before the last two. A tab (which the first gate
    # does not allow) sends the search back to the start.
    pos = 0
    if "\t" not in text:
        pos = first.start()
        while pos and text[pos - 1] in " \u3000":
            pos -= 1
    if not _TAIL_GATE.search(text, max(0, pos - 1)):
        return {}
    found = list(_LABEL_RE.finditer(text))
    out: dict[str, str] = {}
    size = len(text)
    for i, m in enumerate(found):
        start, end = m.span()
        if start and text[start - 1] not in _LABEL_BEFORE:
            continue
        rest = end
        while rest < size and text[rest] in _BLANK:
            rest += 1
        colon = rest < size and text[rest] in ":："
        if colon:
            rest += 1
        elif rest < size and text[rest] != "\n":
            continue  # the word inside a sentence, not a label
        # Bounded searches: a value is short, and a page may be one huge line.
        line_end = text.find("\n", rest, rest + _VALUE_REACH)
        line_end = min(size, rest + _VALUE_REACH) if line_end < 0 else line_end
        next_label = found[i + 1].start() if i + 1 < len(found) else size
        # 来源：某局 点击数：88 — a further "word：" on the line starts the next field.
        value = _NEXT_FIELD.split(text[rest : min(line_end, next_label)], 1)[0].strip(_STRIP)
        if not value and text[line_end : line_end + 1] == "\n" and next_label > line_end:
            # The value is in the next cell / dd / span: the next text node, unless that is
            # another label or a list table's header.
            after = line_end + 1
            while after < size and text[after] in _BLANK:
                after += 1
            following_end = text.find("\n", after, after + _VALUE_REACH)
            following_end = min(size, after + _VALUE_REACH) if following_end < 0 else following_end
            candidate = text[after : min(following_end, next_label)].strip(_STRIP)
            if _empty_cell_after(texts, start):
                pass  # the label's own value cell is there and empty: nothing was filled in
            elif next_label != after and candidate not in _HEADER_WORDS:
                value = candidate
            elif candidate in _HEADER_WORDS:
                continue
        key = LABELS.get(m.group().replace(" ", "").replace("\u3000", ""))
        if key is None:
            continue
        if not out.get(key):
            out[key] = collapse(value)[:200]
    return out
