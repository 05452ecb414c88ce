"""One fetched HTML page, parsed once with lxml into what every check reads.

Checks never parse HTML themselves: the crawler calls `parse_page` once per response and hands
the same `Page` to every check, which keeps the per-page cost to one parse.

How the parse stays cheap (the crawler must run every check at more than 1000 pages/s): one
lxml parse; XPath expressions and regexes compiled once at import; the visible text taken in
one XPath call as a list of text nodes, joined with line breaks (so two cells or two list
items never run together) and searched with whole-text regexes. Dates, metadata labels and
the breadcrumb marker are found in the joined text first; only their few text nodes are then
mapped back to elements (by offset, through `bisect`) to find the list item or table cell they
sit in.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate, islice
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints


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


# --- decoding -------------------------------------------------------------------------------

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "gb_2312-80"}
_BINARY_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"BM",
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"  # the superset: a page labelled gb2312 often uses GBK characters
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _charset(content_type: str, body: bytes) -> str:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    found = _HEADER_CHARSET.search(content_type)
    if found and (codec := _codec(found.group(1))):
        return codec
    meta = _META_CHARSET.search(body, 0, 4096)
    if meta and (codec := _codec(meta.group(1).decode("ascii", "replace"))):
        return codec
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 3:  # a body cut at the cap may end inside a character
            return "gb18030"
    return "utf-8"


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC) and not head.lstrip().startswith(b"<"):
        return True
    return len(_CONTROL.findall(head)) > max(8, len(head) // 50)


def _utf8(content_type: str, body: bytes) -> bytes | None:
    """The body as UTF-8 bytes for the parser, or None when it is not text."""
    codec = _charset(content_type, body)
    if codec != "utf-16" and _looks_binary(body):
        return None
    if codec == "utf-8":
        try:
            body.decode("utf-8")
            return body
        except UnicodeDecodeError:
            pass
    try:
        text = body.decode(codec, errors="replace")
    except (LookupError, ValueError):
        text = body.decode("utf-8", errors="replace")
    return text.encode("utf-8", errors="replace")


_LOCAL = threading.local()


def _parser() -> etree.HTMLParser:
    parser: etree.HTMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
        )
        _LOCAL.parser = parser
    return parser


# --- compiled once -----------------------------------------------------------------------------

_X_TITLE = etree.XPath("string((//title)[1])")
# Run after scripts and styles are stripped from the tree.
_X_TEXT = etree.XPath("//body//text()")
_X_TEXT_FALLBACK = etree.XPath("//text()[not(ancestor::head)]")
_LINK_TAGS = ("a", "area", "img", "script", "link", "iframe", "frame", "base")
_LOWER = "translate(@{a}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_CLS = _LOWER.format(a="class")
_ID = _LOWER.format(a="id")
_FOOTERISH = re.compile(r"foot|bottom|copyright|banquan|bqxx", re.IGNORECASE)
_CRUMBISH = ("crumb", "position", "location", "dqwz", "weizhi", "curpos", "Crumb", "Position")
_X_CRUMB_CLASS = etree.XPath(
    "//body//*["
    + " or ".join(f"contains(@{a}, '{w}')" for a in ("class", "id") for w in _CRUMBISH)
    + "]"
)
_X_FORMS = etree.XPath("//form")

_SPACE = re.compile(r"\s+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_RESOURCE_TAGS = frozenset({"img", "script", "link", "iframe", "frame"})

# Dates: 2026-03-02, 2026/3/2, 2026.03.02, 2026年3月2日; and 03-02 / [03-02] (year inferred).
# Written without a look-behind and with the two forms' first two digits shared, so the regex
# engine skips to digits and tries little at each; the character before a match is checked by
# `_date_of`.
_DATE = re.compile(
    r"(\d{2})(?:(\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d.])|-(\d{2})(?![\d\-/.:]))"
)
_PAGE_DATE = re.compile(
    r"(?:时间|日期)[ \t\u3000]*[:：]\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}"
    r"\s*[-/.月]\s*\d{1,2})"
)
_CRUMB_MARK = re.compile(r"(?:当前位置|您的位置|您现在的位置|您当前的位置|当前所在位置|所在位置)")
_CRUMB_PREFIX = re.compile(r"^.*?(?:位置)\s*[:：]?\s*")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|\\|》|·)\s*")
_EMPTY_LIST = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公告|文件|新闻)|没有(?:找到)?(?:相关|任何)?(?:信息|记录|数据|内容)"
    r"|共\s*0\s*(?:条|篇|页)"
)
# A validity mark in the body: found by its key word, then the words before it are checked
# (【已废止】, （失效）, 此件已废止, 该文件已被修改), which is cheaper than one regex over the text.
_VALIDITY_WORD = re.compile(r"废止|失效|修改|修订|有效")
_VALIDITY_BRACKET = re.compile(r"[【\[［(（]\s*(?:已|现行|部分)?\s*\Z")
_VALIDITY_SUBJECT = re.compile(
    r"(?:此件|该件|本件|此文件|该文件|本文件|此文|该文|本规定|该规定|本办法|该办法|本通知|该通知"
    r"|规范性文件|本政策|该政策)\s*(?:已经|已)?\s*(?:被)?\s*\Z"
)
_CLOSING = "】]］)）"
_REPOST_WORD = re.compile(r"转(载自|自|载)")
_REPOST_NAME = re.compile(r"\s*[:：]?\s*([^\s，。；;|】\]）)]{1,30})")
_REPOST_TYPE = re.compile(r"类型\s*[:：]\s*\Z")
_NOT_REPOST = re.compile(
    r"转载请|不得转载|禁止转载|转载必究|严禁转载|谢绝转载|任何转载|未经.{0,12}转载"
)
_SEARCH_TITLE = re.compile(r"搜索结果|检索结果|全文检索|站内搜索|搜索页|查询结果")
_SEARCH_URL = re.compile(
    r"(?:^|[/_.?&=-])(?:j?search\w*|sousuo|ss|query|jsearch)(?:$|[/_.?&=-])"
    r"|[?&](?:q|query|keywords?|searchword|kw|wd|sword)=",
    re.IGNORECASE,
)
_SEARCH_FIELD = re.compile(
    r"^(?:q|query|keywords?|searchword|searchkey|searchtext|search\w*|kw|wd|key|word|sword|qt|s)$",
    re.IGNORECASE,
)
_PAGINATION = re.compile(
    r"(?:index|list|default|list_index)_\d+\.s?html?$|[?&](?:page|pageno|pageindex|pagenum|p|"
    r"currentpage|curpage|pn|pagecount)=(?:[2-9]|\d{2,})",
    re.IGNORECASE,
)
_INTERPRETATION = re.compile(r"解读|图解|政策问答|答记者问")
_POLICY_SELF = re.compile(r"规范性文件|政策文件|政府文件|规章")

_COLUMN_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("notice", re.compile(r"通知公告|公示公告|公告公示|通知|公告|公示|tzgg|gsgg|ggtz|tzgs")),
    ("policy", re.compile(r"政策文件|规范性文件|政府文件|政策法规|文件|zcwj|gfxwj|zfwj|zcfg")),
    ("personnel", re.compile(r"人事|rsxx|rsrm|rsgz")),
    ("plan", re.compile(r"规划|计划|ghjh|fzgh|ghxx")),
    ("news", re.compile(r"动态|要闻|新闻|资讯|xwdt|gzdt|ywdt|bmdt|xwzx|zwdt|jcdt|tpxw")),
)
_NOT_COLUMN = re.compile(r"解读|政策问答|图解")

# Labels of the metadata block, from data/metadata_labels.tsv.
_DATA = Path(__file__).resolve().parent / "data"


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
_LABEL_BEFORE = frozenset(" \t\n\u3000|｜】]>·;；,，、：:")
# Header cells of a list table: a label followed by these is a header row, not a value.
_HEADER_WORDS = frozenset({"标题", "名称", "文件名称", "题名", "序号", "操作", "下载", "标 题"})
_MIN_DATE = dt.date(1990, 1, 1)
_VALUE_REACH = 400
_ZONE = ZoneInfo("Asia/Shanghai")


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# --- URLs ----------------------------------------------------------------------------------------


class _Resolver:
    """urljoin with fast paths for the common forms; fragment dropped; non-web schemes None."""

    def __init__(self, base: str) -> None:
        self.set_base(base)

    def set_base(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        self.scheme = parts.scheme or "http"
        self.origin = f"{self.scheme}://{parts.netloc}"
        path = parts.path or "/"
        self.directory = self.origin + path[: path.rfind("/") + 1]
        self.no_query = self.origin + path

    def __call__(self, href: str) -> str | None:
        href = href.strip()
        if "#" in href:
            href = href[: href.index("#")]
        if not href:
            return None
        first = href[0]
        if first == "/":
            if href.startswith("//"):
                return self.scheme + ":" + href
            return self.origin + href if "/." not in href else urljoin(self.base, href)
        if first == "?":
            return self.no_query + href
        scheme = _SCHEME.match(href)
        if scheme:
            name = scheme.group().lower()
            if name not in ("http:", "https:"):
                return None
            return href
        if first == "." or "/." in href or "\\" in href or "\n" in href:
            return urljoin(self.base, href)
        return self.directory + href


# --- dates ---------------------------------------------------------------------------------------


def _date_of(m: re.Match[str], today: dt.date) -> dt.date | None:
    start = m.start()
    full = m.group(2) is not None
    if start:
        before = m.string[start - 1]
        if before.isdigit() or before in ("." if full else ".-/:"):
            return None
    try:
        if full:
            if m.group(1) not in ("19", "20"):
                return None
            return dt.date(int(m.group(1) + m.group(2)), int(m.group(3)), int(m.group(4)))
        month, day = int(m.group(1)), int(m.group(5))
        found = dt.date(today.year, month, day)
    except ValueError:
        return None
    if found > today + dt.timedelta(days=1):  # [12-30] seen in January is last year's
        try:
            found = found.replace(year=today.year - 1)
        except ValueError:
            return None
    return found


def parse_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The first date in `text` in any form the parser reads, or None."""
    today = today or dt.datetime.now(_ZONE).date()
    for m in _DATE.finditer(text):
        found = _date_of(m, today)
        if found and found >= _MIN_DATE:
            return found
    return None


# --- the parse ---------------------------------------------------------------------------------


@dataclass
class _Text:
    """The visible text nodes, their joined text and where each node starts in it."""

    nodes: Sequence[Any]
    text: str
    starts: list[int]

    def node_at(self, pos: int) -> Any:
        return self.nodes[bisect.bisect_right(self.starts, pos) - 1]


def _texts(root: Any) -> _Text:
    nodes = _X_TEXT(root)
    if not nodes:
        nodes = _X_TEXT_FALLBACK(root)
    lengths = [len(n) + 1 for n in nodes]
    starts = list(accumulate(lengths, initial=0))
    return _Text(nodes, "\n".join(nodes), starts)


def _element_of(node: Any) -> Any:
    """The element a text node belongs to (its parent's parent for a tail)."""
    parent = node.getparent()
    if node.is_tail and parent is not None:
        return parent.getparent()
    return parent


def _plain(el: Any) -> str:
    """The visible text of a block, whitespace collapsed (scripts left out)."""
    return " ".join(" ".join(el.itertext()).split())


def _inline(el: Any) -> str:
    """The text of a small inline element (a link, a heading): cheaper than `_plain`."""
    if len(el):
        return " ".join("".join(el.itertext()).split())
    return " ".join((el.text or "").split())


def _footerish(el: Any) -> bool:
    return bool(_FOOTERISH.search(f"{el.get('class', '')} {el.get('id', '')}"))


def _footer(root: Any) -> list[Any]:
    """The page-bottom area: <footer>, else the last blocks whose class or id says foot /
    bottom / copyright (looked for among the last children of <body> and of its last
    wrapper, not the whole tree), else the last block if it reads like one (版权, 主办 …)."""
    found = list(root.iter("footer"))
    if found:
        return found[-1:]
    body = next(root.iter("body"), None)
    level = body
    last_block = None
    for _ in range(4):
        if level is None:
            break
        blocks = [c for c in level if isinstance(c.tag, str) and c.tag not in _SKIP_BLOCKS]
        if not blocks:
            break
        tail = blocks[-4:]
        hits = [c for c in tail if _footerish(c)]
        if hits:
            return hits[-2:]
        last_block = last_block if last_block is not None else blocks[-1]
        level = blocks[-1]
    if last_block is not None and _FOOTER_WORDS.search(" ".join(last_block.itertext())[-600:]):
        return [last_block]
    return []


_FOOTER_WORDS = re.compile(r"版权|主办|备案|ICP|标识码|Copyright|©|技术支持|承办", re.IGNORECASE)
_SKIP_BLOCKS = frozenset({"script", "style", "noscript", "link", "meta", "input", "iframe"})


def _breadcrumb(root: Any, texts: _Text) -> list[str]:
    m = _CRUMB_MARK.search(texts.text)
    el = None
    if m:
        el = _element_of(texts.node_at(m.start()))
        for _ in range(3):
            if el is None:
                break
            content = _plain(el)
            if _CRUMB_SPLIT.search(_CRUMB_PREFIX.sub("", content)):
                break
            el = el.getparent()
    if el is None:
        el = next((e for e in _X_CRUMB_CLASS(root) if _CRUMB_SPLIT.search(_plain(e))), None)
    if el is None:
        return []
    content = _plain(el)
    if len(content) > 200:
        return []
    content = _CRUMB_PREFIX.sub("", content) if "位置" in content[:12] else content
    return [part for part in _CRUMB_SPLIT.split(content) if part][:12]


def _headline(root: Any) -> str:
    for el in root.iter("h1"):
        text = _inline(el)
        if text:
            return text[:300]
    for el in root.iter(_HEADLINE_TAGS):
        if _TITLEISH.search(f"{el.get('class', '')} {el.get('id', '')}"):
            text = _inline(el)
            if 4 <= len(text) <= 150:
                return text
    return ""


_HEADLINE_TAGS = ("h2", "h3", "div", "p", "td", "span", "strong")
_TITLEISH = re.compile(r"tit", re.IGNORECASE)


def _metadata(texts: _Text) -> dict[str, str]:
    text = texts.text
    found = list(_LABEL_RE.finditer(text))
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        start, end = m.start(), m.end()
        if start and text[start - 1] not in _LABEL_BEFORE:
            continue
        rest = end
        while rest < len(text) and text[rest] in " \u3000\t":
            rest += 1
        colon = rest < len(text) and text[rest] in ":："
        if colon:
            rest += 1
        elif rest < len(text) and text[rest] != "\n":
            continue  # the word inside a sentence, not a label
        # Bounded searches: a value is short, and a page may be one huge line.
        line_end = text.find("\n", rest, rest + _VALUE_REACH)
        line_end = min(len(text), rest + _VALUE_REACH) if line_end < 0 else line_end
        next_label = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[rest : min(line_end, next_label)].strip(" \u3000\t:：")
        if not value and text[line_end : line_end + 1] == "\n" and next_label > line_end:
            # The value is in the next cell / dd / span: the next text node, unless that is
            # another label or a list table's header.
            after = line_end + 1
            while after < len(text) and text[after] in " \u3000\t":
                after += 1
            following_end = text.find("\n", after, after + _VALUE_REACH)
            following_end = (
                min(len(text), after + _VALUE_REACH) if following_end < 0 else following_end
            )
            candidate = text[after : min(following_end, next_label)].strip(" \u3000\t:：")
            if next_label != after and candidate not in _HEADER_WORDS:
                value = candidate
            elif candidate in _HEADER_WORDS:
                continue
        key = LABELS.get(m.group().replace(" ", "").replace("\u3000", ""))
        if key is None:
            continue
        if not out.get(key):
            out[key] = collapse(value)[:200]
    return out


def _list_items(
    texts: _Text, footer: set[Any], resolve: _Resolver, today: dt.date
) -> tuple[list[ListItem], int, dt.date | None]:
    """The dated links of the page, and the size and newest date of its largest list."""
    groups: dict[Any, list[ListItem]] = {}
    seen: set[Any] = set()
    looked: dict[Any, list[Any]] = {}
    for m in _DATE.finditer(texts.text):
        date = _date_of(m, today)
        if date is None or date < _MIN_DATE:
            continue
        node = texts.node_at(m.start())
        el = _element_of(node)
        link = None
        container = el
        for _ in range(3):
            if container is None or container in footer or container.tag in _LIST_TAGS:
                link = None
                break
            if container.tag == "a":
                link = container if container.get("href") else None
            else:
                anchors = looked.get(container)
                if anchors is None:
                    # Three are enough to tell; a bound keeps a huge flat page linear.
                    anchors = looked[container] = list(
                        islice((a for a in container.iter("a") if a.get("href")), 3)
                    )
                if len(anchors) > 2:
                    break  # a block of several links, not one item
                link = anchors[0] if anchors else None
            if link is not None:
                break
            container = container.getparent()
        if link is None or container is None or link in seen:
            continue
        if container is link:
            container = link.getparent()
            if container is None:
                continue
        title = link.get("title") or _inline(link)
        url = resolve(link.get("href", ""))
        if not url or len(title) < 2:
            continue
        seen.add(link)
        key = container.getparent() if container.tag in _ITEM_TAGS else container
        groups.setdefault(key, []).append(ListItem(collapse(title)[:300], url, date))
    items = [item for group in groups.values() for item in group]
    main = max(groups.values(), key=len) if groups else []
    newest = max((i.date for i in main if i.date), default=None)
    return items, len(main), newest


_LIST_TAGS = frozenset({"ul", "ol", "table", "tbody", "dl", "body", "html", "form"})
_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "span", "td", "em", "font"})


def _column_kind(title: str, breadcrumb: list[str], url: str) -> str:
    path = urlsplit(url).path.lower()
    sources = [*reversed(breadcrumb[-2:]), title, path]
    for source in sources:
        if not source or _NOT_COLUMN.search(source):
            continue
        for kind, words in _COLUMN_WORDS:
            if words.search(source):
                return kind
    return ""


def _search_forms(root: Any, resolve: _Resolver, page_url: str) -> list[SearchForm]:
    forms = []
    for form in _X_FORMS(root):
        for inp in form.iter("input"):
            kind = (inp.get("type") or "text").lower()
            name = inp.get("name") or ""
            if kind in ("text", "search", "") and _SEARCH_FIELD.match(name):
                action = resolve(form.get("action") or "") or page_url
                method = "post" if (form.get("method") or "").lower() == "post" else "get"
                forms.append(SearchForm(action, method, name))
                break
    return forms


def _today(today: dt.date | None) -> dt.date:
    return today or dt.datetime.now(_ZONE).date()


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
        _fill(page, body, is_home, _today(today))
    except Exception:  # never raise on junk; what was filled so far stays
        page.not_html = page.not_html or not page.text
    return page


def _fill(page: Page, body: bytes, is_home: bool, today: dt.date) -> None:
    data = _utf8(page.content_type, body)
    if data is None:
        page.not_html = True
        return
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        page.not_html = not data.strip()
        if is_home:
            page.kind = PageKind.HOME
        return
    resolve = _Resolver(page.final_url)
    page.title = collapse(_X_TITLE(root))[:300]
    footer_els = _footer(root)
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
    page.footer_text = "\n".join(_plain(el) for el in footer_els)
    texts = _texts(root)
    page.text = texts.text

    page.headline = _headline(root)
    page.breadcrumb = _breadcrumb(root, texts)
    page.metadata = _metadata(texts) if _LABEL_GATE.search(texts.text) else {}
    items, main_size, newest = _list_items(texts, footer_set, resolve, today)
    page.list_items, page.main_list_size, page.newest_main = items, main_size, newest
    page.search_forms = _search_forms(root, resolve, page.final_url)
    _classify(page, is_home, today)


def _links(page: Page, root: Any, resolve: _Resolver, footer: set[Any]) -> None:
    https = page.final_url[:6].lower() == "https:"
    links = page.links
    for el in root.iter(_LINK_TAGS):
        tag = el.tag
        if tag == "base":
            base = resolve(el.get("href", ""))
            if base:
                resolve.set_base(base)
            continue
        href = el.get("src") if tag in ("img", "script", "iframe", "frame") else el.get("href")
        if not href:
            continue
        target = resolve(href)
        if target is None:
            continue
        if tag == "a":
            text = _inline(el) or el.get("title") or ""
            if not text:
                img = el.find("img")
                text = (img.get("alt") or "") if img is not None else ""
        elif tag in ("img", "area"):
            text = el.get("alt") or el.get("title") or ""
        else:
            text = ""
        links.append(Link(target, text, tag, el in footer))
        insecure = https and tag in _RESOURCE_TAGS and target[:5].lower() == "http:"
        if insecure and (tag != "link" or _is_subresource(el)):
            page.mixed_content.append(target)


def _is_subresource(el: Any) -> bool:
    rel = (el.get("rel") or "").lower()
    return not rel or any(w in rel for w in ("stylesheet", "icon", "preload", "modulepreload"))


def _validity_shown(text: str) -> str:
    for m in _VALIDITY_WORD.finditer(text):
        start, end = m.start(), m.end()
        before = text[max(0, start - 12) : start]
        bracketed = _VALIDITY_BRACKET.search(before)
        if bracketed and text[end : end + 1] in tuple(_CLOSING):
            return _normalise_validity(bracketed.group() + m.group())
        if m.group() != "有效" and _VALIDITY_SUBJECT.search(before):
            return _normalise_validity(m.group())
    return ""


def _any_in(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


_EMPTY_HINTS = ("暂无", "没有", "共0", "共 0")
_DATE_HINTS = ("时间", "日期")


def _classify(page: Page, is_home: bool, today: dt.date) -> None:
    text = page.text
    meta = page.metadata
    page.pagination = bool(_PAGINATION.search(page.url))
    # Cheap substring tests first: a regex scan of the whole text costs more than several.
    page.list_empty_marker = _any_in(text, _EMPTY_HINTS) and bool(_EMPTY_LIST.search(text))
    labelled = _PAGE_DATE.search(text, 0, 3000) if _any_in(text, _DATE_HINTS) else None
    if meta.get("publish_date"):
        page.date = parse_date(meta["publish_date"], today)
    if page.date is None and labelled:
        page.date = parse_date(labelled.group(1), today)
    page.validity_shown = _validity_shown(text)
    _repost(page)

    crumbs = " ".join(page.breadcrumb)
    filled = sum(1 for k in _DOC_FIELDS if meta.get(k))
    # A news item shows 发布时间, 来源, 分类 too: a document shows at least one field only
    # documents have.
    if not any(meta.get(k) for k in _DOC_ONLY):
        filled = min(filled, 2)
    listy = page.main_list_size >= 3 and not labelled and len(page.headline) < 40
    if is_home:
        page.kind = PageKind.HOME
    elif _SEARCH_TITLE.search(page.title) or (
        _SEARCH_URL.search(page.url) and (page.list_items or page.list_empty_marker)
    ):
        page.kind = PageKind.SEARCH
    elif filled >= 3:
        page.kind = PageKind.DOCUMENT
    elif _INTERPRETATION.search(f"{page.title} {page.headline}") and not listy:
        page.kind = PageKind.INTERPRETATION
    elif listy or (page.list_empty_marker and not labelled):
        page.kind = PageKind.LIST
    elif _INTERPRETATION.search(crumbs[-20:]) and (labelled or page.headline):
        page.kind = PageKind.INTERPRETATION
    elif _POLICY_SELF.search(f"{page.headline} {crumbs}") and labelled:
        page.kind = PageKind.DOCUMENT
    elif page.date or labelled:
        page.kind = PageKind.ARTICLE
    if page.kind == PageKind.LIST:
        page.column_kind = _column_kind(page.title, page.breadcrumb, page.url)


_DOC_FIELDS = (
    "index_number",
    "publisher",
    "written_date",
    "publish_date",
    "doc_number",
    "validity",
    "topic",
)


_DOC_ONLY = ("index_number", "doc_number", "written_date", "validity")


def _normalise_validity(value: str) -> str:
    if "部分" in value:
        return "部分失效"
    if "废止" in value:
        return "已废止"
    if "失效" in value:
        return "已失效"
    if "修" in value:
        return "已修改"
    if "有效" in value:
        return "有效"
    return value


def _repost(page: Page) -> None:
    """转载 / 转自 in the body (not the footer's 转载请注明), and the 来源 where one is named."""
    source = page.metadata.get("source", "")
    body = page.text
    if "转" not in body and not source:
        return
    if page.footer_text and page.footer_text[:40] in body:
        body = body[: body.rfind(page.footer_text[:40])]
    marked = False
    named = ""
    for m in _REPOST_WORD.finditer(body):
        start, end = m.start(), m.end()
        if _NOT_REPOST.search(body, max(0, start - 12), end + 4):
            continue
        after = _REPOST_NAME.match(body, end)
        has_colon = after is not None and any(c in after.group() for c in ":：")
        if start and body[start - 1] in "【[［(（" and body[end : end + 1] in _CLOSING:
            marked = True
        elif m.group(1) != "载" or has_colon:
            marked = True
            named = after.group(1) if after else ""
        elif _REPOST_TYPE.search(body, max(0, start - 10), start):
            marked = True
        if named:
            break
    page.repost_source = source or named
    if marked:
        page.repost = True
    elif source:
        own = {page.metadata.get("publisher", "")}
        site_name = re.split(r"[-_|｜—]", page.title)[-1].strip() if page.title else ""
        own.add(site_name)
        page.repost = not any(o and (o in source or source in o) for o in own) and not (
            "本网" in source or "本站" in source
        )
