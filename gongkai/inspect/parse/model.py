"""What the parser makes of one fetched page: the `Page` every check reads, and its parts.

`gongkai.inspect.page` re-exports these names; import them from there.
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
    # A key present with "" means the page shows the label with an empty value.
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
    # Additions (optional, with defaults):
    list_empty_marker: bool = False  # the page says its list is empty (暂无信息, 共0条)
    main_list_size: int = 0  # items in the page's largest dated list (list_items has all)
    newest_main: dt.date | None = None  # newest date in that largest list
    repost_source: str = ""  # the 来源 / 转自 value where the page names one
    pagination: bool = False  # a second or later page of a column (index_2.html, ?page=3)
