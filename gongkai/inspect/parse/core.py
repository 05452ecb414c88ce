"""`parse_page`: one response, parsed once with lxml into the `Page` every check reads.

How the parse stays cheap (the crawler must run every check at more than 1000 pages/s): one
lxml parse; XPath expressions and regexes compiled once at import; the visible text taken in
one XPath call as a list of text nodes, joined with line breaks and searched with whole-text
regexes, each behind a substring test where one can rule it out; dates, metadata labels and
the breadcrumb marker found in the joined text first, and only their few text nodes mapped
back to elements (by offset, through `bisect`); per-element Python work kept to the links and
to the few elements an XPath expression has already picked out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.inspect.parse.classify import classify
from gongkai.inspect.parse.dates import today_or_now
from gongkai.inspect.parse.decode import parse
from gongkai.inspect.parse.footer import footer
from gongkai.inspect.parse.lists import list_items
from gongkai.inspect.parse.metadata import metadata
from gongkai.inspect.parse.model import Link, Page, PageKind, SearchForm
from gongkai.inspect.parse.text import Text, collapse, element_of, inline, plain, texts
from gongkai.inspect.parse.urls import Resolver

_X_TITLE = etree.XPath("string((//title)[1])")
_LINK_TAGS = ("a", "area", "img", "script", "link", "iframe", "frame", "base")
_SRC_TAGS = frozenset({"img", "script", "iframe", "frame"})
_RESOURCE_TAGS = frozenset({"img", "script", "link", "iframe", "frame"})
_ALT_TAGS = frozenset({"img", "area"})
_CRUMBISH = ("crumb", "position", "location", "dqwz", "weizhi", "curpos", "Crumb", "Position")
_X_CRUMB_CLASS = etree.XPath(
    "//body//*["
    + " or ".join(f"contains(@{a}, '{w}')" for a in ("class", "id") for w in _CRUMBISH)
    + "]"
)
_CRUMB_MARK = re.compile(r"(?:当前位置|您的位置|您现在的位置|您当前的位置|当前所在位置|所在位置)")
_CRUMB_HINT = "位置"  # in every marker above; its rarer character is tested first
_CRUMB_PREFIX = re.compile(r"^.*?(?:位置)\s*[:：]?\s*")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|\\|》|·)\s*")
_SEARCH_FIELD = re.compile(
    r"^(?:q|query|keywords?|searchword|searchkey|searchtext|search\w*|kw|wd|key|word|sword|qt|s)$",
    re.IGNORECASE,
)
_HEADLINE_TAGS = ("h2", "h3", "div", "p", "td", "span", "strong")
_TITLEISH = re.compile(r"tit", re.IGNORECASE)


def parse_page(
    url: str,
    final_url: str,
    status: int,
    content_type: str,
    body: bytes,
    *,
    depth: int = 0,
    is_home: bool = False,
    truncated: bool = False,
    today: dt.date | None = None,
) -> Page:
    """Parse one response. Never raises on bad HTML: a page that cannot be read comes back with
    not_html set and no links. `today` infers the year of dates written without one ([03-02])."""
    page = Page(url, final_url or url, status, content_type, depth, truncated=truncated)
    try:
        _fill(page, body, is_home, today_or_now(today))
    except Exception:  # never raise on junk; what was filled so far stays
        page.not_html = page.not_html or not page.text
    return page


def _fill(page: Page, body: bytes, is_home: bool, today: dt.date) -> None:
    root, data = parse(page.content_type, body)
    if data is None:
        page.not_html = True
        return
    if root is None:
        page.not_html = not data.strip()
        if is_home:
            page.kind = PageKind.HOME
        return
    resolve = Resolver(page.final_url)
    page.title = collapse(_title(root))[:300]
    footer_els = footer(root)
    footer_set: set[Any] = set()
    for el in footer_els:
        footer_set.update(el.iter())
    page.footer_images = [
        " ".join(v for v in (img.get("alt"), img.get("title"), img.get("src")) if v)
        for el in footer_els
        for img in el.iter("img")
    ]
    _links(page, root, resolve, footer_set)
    # Links are read; scripts and styles go, so every text query below sees visible text only.
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    page.footer_text = "\n".join(plain(el) for el in footer_els)
    text = texts(root)
    page.text = text.text

    page.headline = _headline(root)
    page.breadcrumb = _breadcrumb(root, text)
    page.metadata = metadata(text)
    items, main_size, newest = list_items(text, footer_set, resolve, today)
    page.list_items, page.main_list_size, page.newest_main = items, main_size, newest
    page.search_forms = _search_forms(root, resolve, page.final_url)
    classify(page, is_home, today)


def _everywhere(root: Any, tag: str) -> Iterator[Any]:
    """The elements named `tag` in document order, as //tag finds them: under the root and
    under any top-level element after it (libxml2 keeps a second <html> as the root's sibling).
    Iterating in C beats the XPath expression, which evaluates a step per node."""
    yield from root.iter(tag)
    for sibling in root.itersiblings():
        yield from sibling.iter(tag)


def _title(root: Any) -> str:
    """The first <title>'s text; the XPath string value where it is not one plain text."""
    el = next(_everywhere(root, "title"), None)
    if el is not None and not len(el):
        return el.text or ""
    return str(_X_TITLE(root))


def _links(page: Page, root: Any, resolve: Resolver, footer: set[Any]) -> None:
    https = page.final_url[:6].lower() == "https:"
    append = page.links.append
    memo = resolve.memo  # looked up here first: most links are the site's navigation
    for el in root.iter(_LINK_TAGS):
        tag = el.tag
        if tag == "a":  # most links: the text is what matters, never mixed content
            href = el.get("href")
            if not href:
                continue
            target = memo[href] if href in memo else resolve(href)
            if target is None:
                continue
            if len(el):
                text = " ".join("".join(el.itertext()).split())
            else:
                own = el.text  # as inline() does, without the call
                if not own:
                    text = ""
                elif own.isprintable() and " " not in own:
                    text = own
                else:
                    text = " ".join(own.split())
            if not text:
                text = el.get("title") or ""
                if not text:
                    img = el.find("img")
                    text = (img.get("alt") or "") if img is not None else ""
            append(Link(target, text, "a", el in footer))
            continue
        if tag == "base":
            base = resolve(el.get("href", ""))
            if base:
                resolve.set_base(base)
                memo = resolve.memo
            continue
        href = el.get("src") if tag in _SRC_TAGS else el.get("href")
        if not href:
            continue
        target = resolve(href)
        if target is None:
            continue
        text = (el.get("alt") or el.get("title") or "") if tag in _ALT_TAGS else ""
        append(Link(target, text, tag, el in footer))
        insecure = https and tag in _RESOURCE_TAGS and target[:5].lower() == "http:"
        if insecure and (tag != "link" or _is_subresource(el)):
            page.mixed_content.append(target)


def _is_subresource(el: Any) -> bool:
    rel = (el.get("rel") or "").lower()
    return not rel or any(w in rel for w in ("stylesheet", "icon", "preload", "modulepreload"))


def _headline(root: Any) -> str:
    for el in root.iter("h1"):
        text = inline(el)
        if text:
            return text[:300]
    # Iterating in Python beats an XPath predicate here: libxml2 evaluates one per element.
    search = _TITLEISH.search
    for el in root.iter(_HEADLINE_TAGS):
        cls, ident = el.get("class"), el.get("id")
        if (cls or ident) and search(f"{cls or ''} {ident or ''}"):
            text = inline(el)
            if 4 <= len(text) <= 150:
                return text
    return ""


def _breadcrumb(root: Any, texts: Text) -> list[str]:
    text = texts.text
    m = _CRUMB_MARK.search(text) if "置" in text and _CRUMB_HINT in text else None
    el = None
    if m:
        el = element_of(texts.node_at(m.start()))
        for _ in range(3):
            if el is None:
                break
            content = plain(el)
            if _CRUMB_SPLIT.search(_CRUMB_PREFIX.sub("", content)):
                break
            el = el.getparent()
    if el is None:
        el = next((e for e in _X_CRUMB_CLASS(root) if _CRUMB_SPLIT.search(plain(e))), None)
    if el is None:
        return []
    content = plain(el)
    if len(content) > 200:
        return []
    content = _CRUMB_PREFIX.sub("", content) if "位置" in content[:12] else content
    return [part for part in _CRUMB_SPLIT.split(content) if part][:12]


def _search_forms(root: Any, resolve: Resolver, page_url: str) -> list[SearchForm]:
    forms = []
    for form in _everywhere(root, "form"):
        for inp in form.iter("input"):
            kind = (inp.get("type") or "text").lower()
            name = inp.get("name") or ""
            if kind in ("text", "search", "") and _SEARCH_FIELD.match(name):
                action = resolve(form.get("action") or "") or page_url
                method = "post" if (form.get("method") or "").lower() == "post" else "get"
                forms.append(SearchForm(action, method, name))
                break
    return forms
