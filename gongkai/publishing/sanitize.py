"""Rich text that is stored and shown on public pages: sanitised with nh3 on the way in, and
its plain text for scanning, search and snippets.

Kept: paragraphs, headings, lists, tables, emphasis, line breaks and links to http(s), mailto
and site-relative addresses (every link gets rel="noopener noreferrer"). Dropped: scripts,
styles, event-handler attributes, inline styles, javascript: and data: URLs, frames, forms and
images from elsewhere (the product loads nothing from outside)."""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "sub", "sup",
    "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "a", "span", "div", "hr", "pre", "code",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

#: Largest body accepted, in characters, before and after cleaning.
MAX_HTML = 500_000

#: Control characters (and the two non-characters): they show nothing, cannot live in an XML
#: tree, and left in place they would make the scanned text differ from the masked text.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_html(raw: str) -> str:
    """The HTML with everything not on the lists above removed."""
    cleaned = nh3.clean(
        CONTROLS.sub("", raw or ""),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A character reference such as &#8; comes out of the parser as the character itself.
    return CONTROLS.sub("", cleaned).strip()


_BLOCK_END = re.compile(
    r"</(p|h[2-6]|li|tr|blockquote|div|pre|table|caption)>|<br\s*/?>|<hr\s*/?>", re.I
)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(cleaned: str) -> str:
    """Plain text of (already cleaned) HTML: block ends become line breaks, cells tabs."""
    text = _BLOCK_END.sub("\n", cleaned or "")
    text = _CELL_END.sub("\t", text)
    text = CONTROLS.sub("", html.unescape(_TAG.sub("", text)))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def text_to_html(text: str) -> str:
    """Plain text typed into a form, as paragraphs (escaped)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]
    return "".join(
        "<p>" + html.escape(p).replace("\r\n", "<br>").replace("\n", "<br>") + "</p>" for p in parts
    )
