"""What kind of page it is (home, list, document, interpretation, article, search), and what
its body says about itself: a validity mark, a repost and its source, an empty list."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from gongkai.inspect.parse.dates import parse_date
from gongkai.inspect.parse.model import Page, PageKind

_PAGE_DATE = re.compile(
    r"(?:时间|日期)[ \t\u3000]*[:：]\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}"
    r"\s*[-/.月]\s*\d{1,2})"
)
_EMPTY_LIST = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公告|文件|新闻)|没有(?:找到)?(?:相关|任何)?(?:信息|记录|数据|内容)"
    r"|共\s*0\s*(?:条|篇|页)"
)
# A validity mark in the body: found by its key word, then the words before it are checked
# (【已废止】, （失效）, 此件已废止, 该文件已被修改), which is cheaper than one regex over the text.
# Matched on the second character, which is rarer in page text than the first (有, 修 …), so the
# scan stops less often; the words cannot overlap, so the matches are those of the plain
# alternation 废止|失效|修改|修订|有效.
_VALIDITY_WORD = re.compile(r"[止效改订](?<=废止|失效|修改|修订|有效)")
_VALIDITY_CHARS = "止效改订"
_VALIDITY_BRACKET = re.compile(r"[【\[［(（]\s*(?:已|现行|部分)?\s*\Z")
_VALIDITY_SUBJECT = re.compile(
    r"(?:此件|该件|本件|此文件|该文件|本文件|此文|该文|本规定|该规定|本办法|该办法|本通知|该通知"
    r"|规范性文件|本政策|该政策)\s*(?:已经|已)?\s*(?:被)?\s*\Z"
)
_CLOSING = "】]］)）"
_CLOSERS = tuple(_CLOSING)
_REPOST_WORD = re.compile(r"转(载自|自|载)")
_REPOST_NAME = re.compile(r"\s*[:：]?\s*([^\s，。；;|】\]）)]{1,30})")
_REPOST_TYPE = re.compile(r"类型\s*[:：]\s*\Z")
_REPOST_ONLY = re.compile(r"[【\[［(（]?\s*(?:转载|转自|转发)\s*[】\]］)）]?")
_REPOST_SAID = re.compile(r"(?:本文|此文|该文|本篇|本信息|本稿)\s*(?:为|系|是|属)?\s*\Z")
_NOT_REPOST = re.compile(
    r"转载请|不得转载|禁止转载|转载必究|严禁转载|谢绝转载|任何转载|未经.{0,12}转载"
)
_SITE_NAME_SPLIT = re.compile(r"[-_|｜—]")
_SEARCH_TITLE = re.compile(r"搜索结果|检索结果|全文检索|站内搜索|搜索页|查询结果")
_SEARCH_URL = re.compile(
    r"(?:^|[/_.?&=-])(?:j?search\w*|sousuo|ss|query|jsearch)(?:$|[/_.?&=-])"
    r"|[?&](?:q|query|keywords?|searchword|kw|wd|sword)=",
    re.IGNORECASE,
)
_PAGINATION = re.compile(
    r"(?:index|list|default|list_index)_\d+\.s?html?$"
    r"|list_\d+_(?:[2-9]|\d{2,})\.s?html?$"  # DedeCMS list_{column}_{page}.html
    r"|/page/(?:[2-9]|\d{2,})/?$"  # /news/page/2/
    r"|[?&](?:page|pageno|pageindex|pagenum|p|currentpage|curpage|pn|pagecount)=(?:[2-9]|\d{2,})",
    re.IGNORECASE,
)
_INTERPRETATION = re.compile(r"解读|图解|一图[读看]懂|政策问答|答记者问")
_POLICY_SELF = re.compile(r"规范性文件|政策文件|政府文件|规章")

_COLUMN_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("notice", re.compile(r"通知公告|公示公告|公告公示|通知|公告|公示|tzgg|gsgg|ggtz|tzgs")),
    ("policy", re.compile(r"政策文件|规范性文件|政府文件|政策法规|文件|zcwj|gfxwj|zfwj|zcfg")),
    ("personnel", re.compile(r"人事|rsxx|rsrm|rsgz")),
    ("plan", re.compile(r"规划|计划|ghjh|fzgh|ghxx")),
    (
        "news",
        re.compile(r"动态|要闻|新闻|资讯|传真|快讯|简讯|xwdt|gzdt|ywdt|bmdt|xwzx|zwdt|jcdt|tpxw"),
    ),
)
_NOT_COLUMN = re.compile(r"解读|政策问答|图解")
_GENERIC_CRUMB = re.compile(r"正文|列表|内容|详情|信息列表|栏目列表")

# Substring tests before a regex: a one-character test is a memchr-like scan, far cheaper
# than a two-character one over Chinese text, which costs about as much as a regex.
_EMPTY_HINTS = (("暂", ("暂无",)), ("没", ("没有",)), ("共", ("共0", "共 0")))
_DATE_HINTS = ("时间", "日期")
_PAGE_DATE_REACH = 3000
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


def _any_in(text: str, hints: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """Any of the words in `text`, each looked for only where its probe character is."""
    return any(probe in text and any(w in text for w in words) for probe, words in hints)


def column_kind(title: str, breadcrumb: list[str], url: str) -> str:
    """The column's kind from its own name (the last breadcrumb, else the title), then its own
    directory in the address (/xwzx/gzdt/ → gzdt). A column named and placed by nothing known
    is not given its parent's kind: 专题专栏 under 新闻中心 is not a news column."""
    own = next((c for c in reversed(breadcrumb) if not _GENERIC_CRUMB.fullmatch(c)), "") or title
    segments = [p for p in urlsplit(url).path.lower().split("/") if p]
    if segments and "." in segments[-1]:
        segments.pop()  # index.html, list_3_2.html
    for source in (own, segments[-1] if segments else ""):
        if not source or _NOT_COLUMN.search(source):
            continue
        for kind, words in _COLUMN_WORDS:
            if words.search(source):
                return kind
    return ""


def validity_shown(text: str) -> str:
    if not any(c in text for c in _VALIDITY_CHARS):
        return ""
    for m in _VALIDITY_WORD.finditer(text):
        end = m.end()
        start = end - 2
        word = text[start:end]
        before = text[max(0, start - 12) : start]
        bracketed = _VALIDITY_BRACKET.search(before)
        if bracketed and text[end : end + 1] in _CLOSERS:
            return _normalise_validity(bracketed.group() + word)
        if word != "有效" and _VALIDITY_SUBJECT.search(before):
            return _normalise_validity(word)
    return ""


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


def classify(page: Page, is_home: bool, today: dt.date) -> None:
    text = page.text
    meta = page.metadata
    page.pagination = bool(_PAGINATION.search(page.url))
    # Cheap substring tests first: a regex scan of the whole text costs more than several.
    page.list_empty_marker = _any_in(text, _EMPTY_HINTS) and bool(_EMPTY_LIST.search(text))
    dated = any(text.find(w, 0, _PAGE_DATE_REACH) >= 0 for w in _DATE_HINTS)
    labelled = _PAGE_DATE.search(text, 0, _PAGE_DATE_REACH) if dated else None
    if meta.get("publish_date"):
        page.date = parse_date(meta["publish_date"], today)
    if page.date is None and labelled:
        page.date = parse_date(labelled.group(1), today)
    page.validity_shown = validity_shown(text)
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
        page.column_kind = column_kind(page.title, page.breadcrumb, page.url)


def _repost(page: Page) -> None:
    """转载 / 转自 in the body (not the footer's 转载请注明), and the 来源 where one is named."""
    source = page.metadata.get("source", "")
    if _REPOST_ONLY.fullmatch(source):
        source = ""  # 信息来源：【转载】 — the label left empty beside the repost mark
    body = page.text
    if "转" not in body and not source:
        return
    if page.footer_text and page.footer_text[:40] in body:
        body = body[: body.rfind(page.footer_text[:40])]
    marked = False
    named = ""
    for m in _REPOST_WORD.finditer(body):
        start, end = m.span()
        if _NOT_REPOST.search(body, max(0, start - 12), end + 4):
            continue
        after = _REPOST_NAME.match(body, end)
        has_colon = after is not None and any(c in after.group() for c in ":：")
        if start and body[start - 1] in "【[［(（" and body[end : end + 1] in _CLOSING:
            marked = True
        elif m.group(1) != "载" or has_colon:
            marked = True
            named = after.group(1) if after else ""
        elif _REPOST_SAID.search(body, max(0, start - 6), start):
            marked = True  # 本文为转载, 此文系转载
        elif _REPOST_TYPE.search(body, max(0, start - 10), start):
            marked = True
        if named:
            break
    page.repost_source = source or named
    if marked:
        page.repost = True
    elif source:
        own = {page.metadata.get("publisher", "")}
        site_name = _SITE_NAME_SPLIT.split(page.title)[-1].strip() if page.title else ""
        own.add(site_name)
        page.repost = not any(o and (o in source or source in o) for o in own) and not (
            "本网" in source or "本站" in source
        )
