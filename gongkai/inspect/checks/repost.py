"""`repost_without_source`: an item the page marks as reposted (转载) with no 来源 named."""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site


class RepostWithoutSource(Check):
    type = "repost_without_source"
    title = "转载信息未注明来源"
    local = True
    severity = Severity.MINOR

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if not page.repost or page.repost_source or page.kind in (PageKind.LIST, PageKind.HOME):
            return ()
        return (
            self.finding(
                page.url,
                f"转载的信息「{page.headline or page.title}」未注明来源",
                source_urls=[page.url],
            ),
        )
