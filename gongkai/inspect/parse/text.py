"""The visible text of a page: its text nodes joined with line breaks (so two cells or two
list items never run together), and the way back from an offset in that text to the element
the text sits in."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

# Run after scripts and styles are stripped from the tree. libxml2 puts <body> under the root
# <html> always, so the absolute path finds what //body would, with no search of the tree
# for body elements; the other two are the fallbacks for pages whose text lies elsewhere.
_X_TEXT = etree.XPath("/html/body//text()")
_X_TEXT_BODY = etree.XPath("//body//text()")
_X_TEXT_FALLBACK = etree.XPath("//text()[not(ancestor::head)]")
_PLUS_ONE = (1).__add__


def collapse(text: str) -> str:
    """Whitespace runs made one space, ends trimmed (split() and \\s agree on whitespace)."""
    return " ".join(text.split())


class Text:
    """The visible text nodes, their joined text and where each node starts in it."""

    __slots__ = ("nodes", "starts", "text")

    def __init__(self, nodes: Sequence[Any], text: str, starts: list[int]) -> None:
        self.nodes = nodes
        self.text = text
        self.starts = starts

    def node_at(self, pos: int) -> Any:
        return self.nodes[bisect_right(self.starts, pos) - 1]


def texts(root: Any) -> Text:
    nodes = _X_TEXT(root) or _X_TEXT_BODY(root) or _X_TEXT_FALLBACK(root)
    # Each node starts one past the end of the one before (the line break between them).
    starts = list(accumulate(map(_PLUS_ONE, map(len, nodes)), initial=0))
    return Text(nodes, "\n".join(nodes), starts)


def element_of(node: Any) -> Any:
    """The element a text node belongs to (its parent's parent for a tail)."""
    parent = node.getparent()
    if node.is_tail and parent is not None:
        return parent.getparent()
    return parent


def plain(el: Any) -> str:
    """The visible text of a block, whitespace collapsed (scripts left out)."""
    return " ".join(" ".join(el.itertext()).split())


def inline(el: Any) -> str:
    """The text of a small inline element (a link, a heading): cheaper than `plain`."""
    if len(el):
        return " ".join("".join(el.itertext()).split())
    text = el.text
    if not text:
        return ""
    # No whitespace to collapse (isprintable() is False for every space but " "): most text.
    return text if text.isprintable() and " " not in text else " ".join(text.split())
