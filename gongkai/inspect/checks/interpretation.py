"""`missing_interpretation`: a policy document published without its 政策解读 — no link from
the document to an interpretation, and no interpretation page linking to the document. Judged
once the crawl is done, on the links seen; conservative: any link whose text says 解读, 图解 or
政策问答 counts, wherever it points."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

_INTERPRETATION_LINK = re.compile(r"解读|图解|政策问答|答记者问")
_NOT_IN_FORCE = re.compile(r"废止|失效")


def _key(url: str) -> str:
    return url.split("#")[0].rstrip("/")


class MissingInterpretation(Check):
    type = "missing_interpretation"
    title = "政策文件缺少解读"
    severity = Severity.MINOR

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.documents: dict[str, tuple[str, set[str]]] = {}  # url → (name, its keys)
        self.interpreted: set[str] = set()

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind == PageKind.DOCUMENT:
            if _NOT_IN_FORCE.search(page.metadata.get("validity", "")):
                return ()
            if any(
                link.tag == "a" and not link.in_footer and _INTERPRETATION_LINK.search(link.text)
                for link in page.links
            ):
                return ()
            keys = {_key(page.url), _key(page.final_url)}
            self.documents[page.url] = (page.headline or page.title, keys)
        elif page.kind == PageKind.INTERPRETATION:
            self.interpreted.update(_key(link.url) for link in page.links if link.tag == "a")
        return ()

    def on_finish(self, site: Site) -> Iterable[Finding]:
        out = []
        for url, (name, keys) in self.documents.items():
            if keys & self.interpreted:
                continue
            out.append(
                self.finding(
                    url,
                    f"政策文件「{name}」未发布解读：页面无解读链接，也没有解读页面链接到它",
                    source_urls=[url],
                )
            )
        return out
