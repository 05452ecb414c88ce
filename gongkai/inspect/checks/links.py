"""Link checks: 断链 (`broken_link`) and 错链 (`wrong_link`).

Both read what the crawl recorded: site.statuses (the outcome of every URL requested) and
site.targets (who links to what, with the link text), so they cost nothing per page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.site import LinkStatus, Site

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BOOK_TITLE = re.compile(r"《[^》]{2,}》")
# 文号: 国办发〔2019〕19号, 京政发[2024]3号, 某某〔2023〕第12号
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\d{1,5}\s*号"
)
# Link texts that name nothing: navigation, paging, "read more".
# fmt: off
GENERIC_TEXTS = frozenset([
    "更多", "更多信息", "更多内容", "更多>>", "更多>>>", "详情", "详细", "详细信息", "查看",
    "查看详情", "查看全文", "点击查看", "阅读全文", "全文", "原文", "原文链接", "首页", "返回首页",
    "网站首页", "上一页", "下一页", "上一篇", "下一篇", "尾页", "末页", "返回", "返回顶部", "打印",
    "关闭", "关闭窗口", "下载", "附件", "附件下载", "点击下载", "相关链接", "网站地图", "联系我们",
    "more",
])
# fmt: on


def _reason(status: LinkStatus) -> str:
    if status.status is not None:
        return f"HTTP 状态码 {status.status}"
    return status.error or "没有响应"


class BrokenLink(Check):
    """A link that fails: status ≥ 400, DNS failure, timeout, too many redirects, refused."""

    type = "broken_link"
    title = "断链"
    severity = Severity.MINOR

    def on_finish(self, site: Site) -> Iterable[Finding]:
        findings = []
        for url, status in site.statuses.items():
            if not status.broken:
                continue
            target = site.targets.get(url)
            sources = list(dict.fromkeys(s.page_url for s in target.sources)) if target else []
            count = target.count if target else 0
            where = "站内" if status.internal else "外部"
            reason = _reason(status)
            if url == site.home_url:
                detail = f"首页无法访问：{reason}"
            elif count:
                detail = f"{where}链接无法访问（{reason}），共有 {count} 处链接指向该地址"
            else:
                detail = f"{where}链接无法访问（{reason}）"
            findings.append(self.finding(url, detail, source_urls=sources, evidence=reason))
        return findings


def names_document(text: str) -> bool:
    """The link text names a document: long enough to be a title, a 《…》 title or a 文号."""
    text = text.strip()
    if not text or text.lower() in GENERIC_TEXTS:
        return False
    if _BOOK_TITLE.search(text) or _DOC_NUMBER.search(text):
        return True
    return len(_CJK.findall(text)) >= 8


# Pairs nearly every document title has (关于…的通知, 印发…办法): they say nothing about which
# document a title names, so they are left out of the comparison.
_COMMON_PAIRS = frozenset(
    [
        "关于",
        "于印",
        "印发",
        "发布",
        "的通",
        "通知",
        "的意",
        "意见",
        "的决",
        "决定",
        "的批",
        "批复",
        "的函",
        "的公",
        "公告",
        "通告",
        "的报",
        "报告",
        "办法",
        "实施",
        "方案",
        "工作",
        "的规",
        "规定",
        "暂行",
        "管理",
        "加强",
        "进一",
        "一步",
        "步加",
        "做好",
        "开展",
        "全市",
        "全省",
        "全区",
        "全县",
        "年度",
        "有关",
        "事项",
        "请示",
        "的实",
        "施意",
        "施方",
        "作的",
        "作方",
        "的工",
        "转发",
        "市人",
        "人民",
        "民政",
        "政府",
        "办公",
        "公室",
        "厅关",
        "室关",
        "府关",
        "局关",
    ]
)


def _bigrams(text: str, common: frozenset[str] = frozenset()) -> set[str]:
    chars = "".join(_CJK.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)} - _COMMON_PAIRS - common


def similarity(text: str, title: str, common: frozenset[str] = frozenset()) -> float:
    """Share of the link text's CJK character pairs that occur in the title (0–1). A list
    page often shortens a title (with … at the end) and a page title adds the site's name,
    so containment of the text's pairs, not symmetric overlap, is what tells them apart.
    `common` are pairs this site uses in many titles (its own name, say): they tell nothing."""
    pairs = _bigrams(text, common)
    if not pairs:
        return 1.0
    return len(pairs & _bigrams(title, common)) / len(pairs)


def site_common_pairs(titles: Iterable[str], share: float = 0.1, floor: int = 5) -> frozenset[str]:
    """Character pairs found in at least `share` of the site's page titles (and in at least
    `floor` of them): the region's or organ's name (青山区, 人民政府) that every title repeats."""
    counts: Counter[str] = Counter()
    total = 0
    for title in titles:
        total += 1
        counts.update(_bigrams(title))
    cutoff = max(floor, share * total)
    return frozenset(pair for pair, n in counts.items() if n >= cutoff)


class WrongLink(Check):
    """A link whose text names a document while the page it opens is clearly another.
    Conservative: only texts that name a document (≥ 8 Chinese characters, 《…》 or a 文号),
    only targets with a title of their own (a title several pages share, such as the site's
    name, tells nothing), and only when almost none of the text's character pairs occur in
    the target's title."""

    type = "wrong_link"
    title = "错链"
    severity = Severity.MINOR
    defaults: ClassVar[dict[str, float | int]] = {
        "max_similarity": 0.2,  # fire below this share of shared character pairs
        "shared_title_pages": 3,  # a title on this many pages or more is generic
    }

    def on_finish(self, site: Site) -> Iterable[Finding]:
        limit = float(self.options["max_similarity"])
        titles = Counter(
            s.title for s in site.statuses.values() if s.title and s.internal and not s.broken
        )
        generic = int(self.options["shared_title_pages"])
        common = site_common_pairs(titles)
        findings = []
        for url, target in site.targets.items():
            status = site.statuses.get(url)
            if status is None or status.broken or not status.title or not status.internal:
                continue
            if titles[status.title] >= generic or len(_bigrams(status.title)) < 2:
                continue
            wrong = [
                s
                for s in target.sources
                if names_document(s.text) and similarity(s.text, status.title, common) < limit
            ]
            if not wrong:
                continue
            text = wrong[0].text
            detail = f"链接文字“{text[:60]}”与目标页面标题“{status.title[:60]}”不符，疑为错链"
            sources = list(dict.fromkeys(s.page_url for s in wrong))
            findings.append(self.finding(url, detail, source_urls=sources, evidence=text[:200]))
        return findings
