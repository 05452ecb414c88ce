"""`missing_interpretation`: a policy document published without its 政策解读 — no link from
the document to an interpretation, and no interpretation page linking to the document.

Judged once the crawl is done, on the links seen:
- Which documents: pages with a metadata block that are policy documents — named so by their
  breadcrumb or address (政策文件, 规范性文件, 规章, 政府文件 …) or carrying a 文号 — and not
  personnel, planning or budget items, which need no interpretation. A document since repealed
  is judged too: it was published without its interpretation all the same.
- What counts as the document's interpretation: a link whose text says 解读, 图解, 一图读懂,
  政策问答, 答记者问 or the like and that opens an interpretation of its own — a page seen to
  be one, or a link naming it (关于《…》的解读), not the 政策解读 column of the site menu; or an
  interpretation page that links to the document and names it in its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.checks.links import similarity
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

# The forms interpretations take on government sites: 解读, 图解, 一图读懂/看懂, 政策问答,
# 答记者问, 问答 (常见问题解答), 新闻发布会 on a policy.
_INTERPRETATION_LINK = re.compile(
    r"解读|图解|一图[读看]懂|[读看]懂《|政策问答|答记者问|问答|政策吹风"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_POLICY = re.compile(
    r"政策文件|规范性文件|政府文件|部门文件|政府规章|规章|政策法规|政府令|zcwj|gfxwj|zcfg|gz(?:/|$)",
    re.IGNORECASE,
)
_NOT_POLICY = re.compile(r"人事|任免|招聘|招录|录用|规划计划|预决算|预算|决算|财政资金|统计数据")
_DOC_NUMBER = re.compile(r"[〔\[［(（【]\s*(?:19|20)\d\d\s*[〕\]］)）】]\s*\d+\s*号")


def _key(url: str) -> str:
    return url.split("#")[0].rstrip("/")


def is_policy_document(page: Page) -> bool:
    where = " ".join([*page.breadcrumb, page.url])
    if _NOT_POLICY.search(" ".join(page.breadcrumb[-2:])) or _NOT_POLICY.search(page.title):
        return False
    return bool(_POLICY.search(where) or _DOC_NUMBER.search(page.metadata.get("doc_number", "")))


@dataclass
class _Document:
    name: str
    keys: set[str]
    candidates: list[tuple[str, str]]  # (target, text) of its 解读 links

    @property
    def core(self) -> str:
        """What an interpretation names the document by: the title in 《》 when it has one
        (关于印发《X》的通知 → X), else the title without a validity mark."""
        titles: list[str] = _BOOK_TITLE.findall(self.name)
        if titles:
            return max(titles, key=len)
        return _MARK.sub("", self.name)


_BOOK_TITLE = re.compile(r"《([^》]{2,})》")
_MARK = re.compile(r"[（(【\[]\s*(?:已|现行|部分)?\s*(?:废止|失效|修改|修订|有效)\s*[）)】\]]")


def _cjk(text: str) -> int:
    return len(_CJK.findall(text))


class MissingInterpretation(Check):
    type = "missing_interpretation"
    title = "政策文件缺少解读"
    severity = Severity.MINOR
    defaults: ClassVar[dict[str, float | int]] = {
        # An interpretation page links to "its" document when this share of the document
        # title's character pairs is in the interpretation's title (关于《X》的解读 names X).
        "title_overlap": 0.6,
        # A 解读 link whose text has at least this many Chinese characters names a specific
        # interpretation (关于《…》的解读, 一图读懂《…》); shorter ones (政策解读) are menu entries.
        "specific_text": 6,
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.documents: dict[str, _Document] = {}
        self.interpretations: dict[str, str] = {}  # key → title
        self.interpreted: list[tuple[str, set[str]]] = []  # (interpretation title, linked keys)
        self.lists: set[str] = set()

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind == PageKind.LIST:
            self.lists.update((_key(page.url), _key(page.final_url)))
        elif page.kind == PageKind.DOCUMENT and is_policy_document(page):
            candidates = [
                (link.url, link.text)
                for link in page.links
                if link.tag == "a" and not link.in_footer and _INTERPRETATION_LINK.search(link.text)
            ]
            keys = {_key(page.url), _key(page.final_url)}
            self.documents[page.url] = _Document(page.headline or page.title, keys, candidates)
        elif page.kind == PageKind.INTERPRETATION:
            name = page.headline or page.title
            for key in (_key(page.url), _key(page.final_url)):
                self.interpretations[key] = name
            linked = {_key(link.url) for link in page.links if link.tag == "a"}
            self.interpreted.append((name, linked))
        return ()

    def _specific(self, url: str, text: str, name: str) -> bool:
        """The link opens an interpretation of its own, not the 政策解读 column: the page was
        seen to be one, or the text names a document (long, 《…》, or this document's name)."""
        key = _key(url)
        if key in self.interpretations:
            return True
        if key in self.lists:
            return False
        return (
            _cjk(text) >= int(self.options["specific_text"])
            or "《" in text
            or similarity(name, text) >= float(self.options["title_overlap"])
        )

    def on_finish(self, site: Site) -> Iterable[Finding]:
        overlap = float(self.options["title_overlap"])
        out = []
        for url, doc in self.documents.items():
            if any(self._specific(target, text, doc.core) for target, text in doc.candidates):
                continue
            # An interpretation page that links here and names this document in its title.
            # (Interpretation pages also list other documents in side bars: a bare link from
            # one is not enough.)
            if any(
                doc.keys & linked and similarity(doc.core, name) >= overlap
                for name, linked in self.interpreted
            ):
                continue
            out.append(
                self.finding(
                    url,
                    f"政策文件「{doc.name}」未发布解读：页面无解读链接，也没有解读页面链接到它",
                    source_urls=[url],
                )
            )
        return out
