"""One fetched HTML page, parsed once with lxml into what every check reads.

Checks never parse HTML themselves: the crawler calls `parse_page` once per response and hands
the same `Page` to every check, which keeps the per-page cost to one parse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class PageKind(StrEnum):
    HOME = "home"  # the start page
    LIST = "list"  # a column: a list of dated items
    DOCUMENT = "document"  # a policy document page (metadata block or kind)
    INTERPRETATION = "interpretation"  # a 政策解读 page
    ARTICLE = "article"  # any other content page (news, notice)
    SEARCH = "search"  # a search result page
    OTHER = "other"


@dataclass
class Link:
    url: str  # absolute, normalised, fragment removed
    text: str  # the anchor text (or alt/title), whitespace collapsed
    tag: str  # "a", "img", "script", "link", "iframe", "area", "form"
    in_footer: bool = False


@dataclass
class ListItem:
    title: str
    url: str
    date: dt.date | None


@dataclass
class SearchForm:
    action: str  # absolute URL
    method: str  # "get" or "post"
    field: str  # the name of the query input


@dataclass
class Page:
    url: str  # as requested (normalised)
    final_url: str  # after redirects
    status: int
    content_type: str
    depth: int
    title: str = ""  # <title>
    headline: str = ""  # the content's own title (h1 / .title), or ""
    breadcrumb: list[str] = field(default_factory=list)  # 当前位置: 首页 > 政务公开 > 通知公告
    text: str = ""  # visible text of the body, scripts/styles removed
    footer_text: str = ""  # visible text of the page-bottom area
    footer_images: list[str] = field(
        default_factory=list
    )  # alt/src of footer images (党政机关 badge)
    links: list[Link] = field(default_factory=list)
    # Canonical metadata-block fields → value: index_number, publisher, written_date,
    # publish_date, doc_number, validity, topic, source (label variants mapped to these).
    metadata: dict[str, str] = field(default_factory=dict)
    kind: PageKind = PageKind.OTHER
    column_kind: str = ""  # for LIST pages: news / notice / policy / personnel / plan / ""
    list_items: list[ListItem] = field(default_factory=list)
    date: dt.date | None = None  # the page's own publication date, where it shows one
    validity_shown: str = ""  # what the page body shows prominently (已废止/失效/有效 …) or ""
    repost: bool = False  # the page says it is reposted (转载/转自) or its 来源 is another organ
    search_forms: list[SearchForm] = field(default_factory=list)
    mixed_content: list[str] = field(default_factory=list)  # http: resources on an https page
    truncated: bool = False  # the body was longer than the size cap
    not_html: bool = False  # served as HTML but is not (binary, undecodable)


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
) -> Page:
    """Parse one response. Never raises on bad HTML: a page that cannot be read comes back with
    not_html set and no links."""
    raise NotImplementedError  # filled in by the page parser
