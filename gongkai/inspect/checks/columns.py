"""Columns and the home page that are not kept up to date (国办秘函〔2019〕19号 栏目不更新,
空白栏目, 首页不更新): `empty_column`, `stale_column`, `homepage_not_updated`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from gongkai.inspect.checks.base import Check
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, PageKind
from gongkai.inspect.site import Site

KIND_NAMES = {
    "news": "动态/要闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "personnel": "人事信息",
    "plan": "规划计划",
}
_INDEX = re.compile(r"(?:index|default|list)\.(?:s?html?|jsp|php|aspx?)$", re.IGNORECASE)


def column_key(url: str) -> str:
    """One key for the URLs of one column (/tzgg/, /tzgg/index.html)."""
    return _INDEX.sub("", url.split("#")[0]).rstrip("/")


def column_name(page: Page) -> str:
    return page.breadcrumb[-1] if page.breadcrumb else page.title or page.url


class EmptyColumn(Check):
    type = "empty_column"
    title = "空白栏目"
    severity = Severity.MAJOR

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.seen: set[str] = set()

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind != PageKind.LIST or page.list_items or page.pagination:
            return ()
        key = column_key(page.url)
        if key in self.seen:
            return ()
        self.seen.add(key)
        return (
            self.finding(
                page.url,
                f"栏目「{column_name(page)}」没有任何信息（空白栏目）",
                source_urls=[page.url],
            ),
        )


class StaleColumn(Check):
    type = "stale_column"
    title = "栏目不更新"
    severity = Severity.MAJOR
    # Days without a new item, by column kind (2019 checklist; 人事/规划计划 from the 2015 census).
    defaults: ClassVar[dict[str, object]] = {
        "news": 14,
        "notice": 183,
        "policy": 183,
        "personnel": 365,
        "plan": 365,
        "other": None,  # columns of no recognised kind: not judged unless set
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.seen: set[str] = set()

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind != PageKind.LIST or page.pagination or not page.list_items:
            return ()
        kind = page.column_kind or "other"
        limit = self.options.get(kind)
        if not isinstance(limit, int) or isinstance(limit, bool):
            return ()
        key = column_key(page.url)
        if key in self.seen:
            return ()
        self.seen.add(key)
        newest = page.newest_main or max((i.date for i in page.list_items if i.date), default=None)
        if newest is None:
            return ()
        # A date in the future does not make a column fresh.
        age = (site.today - min(newest, site.today)).days
        if age <= limit:
            return ()
        label = KIND_NAMES.get(kind, "栏目")
        return (
            self.finding(
                page.url,
                f"{label}栏目「{column_name(page)}」最新信息发布于 {newest.isoformat()}，"
                f"已 {age} 天未更新（要求 {limit} 天内更新）",
                source_urls=[page.url],
                evidence=newest.isoformat(),
            ),
        )


class HomepageNotUpdated(Check):
    """The home page shows no item dated within the window. A navigation-only home page
    (no dated item at all) passes when a column it links to has a fresh item (D2)."""

    type = "homepage_not_updated"
    title = "首页不更新"
    severity = Severity.VETO
    defaults: ClassVar[dict[str, object]] = {"days": 14}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.home: Page | None = None
        self.second_level: dt.date | None = None  # newest item on a page one click away

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        if page.kind == PageKind.HOME and self.home is None:
            self.home = page
        elif page.depth == 1 and page.list_items:
            newest = max((i.date for i in page.list_items if i.date), default=None)
            if newest and (self.second_level is None or newest > self.second_level):
                self.second_level = newest
        return ()

    def on_finish(self, site: Site) -> Iterable[Finding]:
        home = self.home
        if home is None:
            # The home page gave an error or was no page at all: nobody can see an update
            # there (the checklist's 站点无法访问 and 首页不更新 are both vetoes).
            status = site.statuses.get(site.home_url)
            if status is None or not status.broken:
                return ()
            reason = f"HTTP {status.status}" if status.status is not None else status.error
            return (
                self.finding(
                    site.home_url,
                    f"首页无法访问（{reason}），无法确认两周内有更新",
                    source_urls=[site.home_url],
                    evidence=reason,
                ),
            )
        if home.not_html:
            return ()
        days = int(str(self.options.get("days", 14)))
        cutoff = site.today - dt.timedelta(days=days)
        dates = [i.date for i in home.list_items if i.date and i.date <= site.today]
        newest = max(dates, default=None)
        if newest is not None:
            if newest >= cutoff:
                return ()
            detail = f"首页最新信息发布于 {newest.isoformat()}，{days} 天内没有新增信息"
        else:
            if self.second_level is not None and self.second_level >= cutoff:
                return ()
            detail = f"首页没有带发布日期的信息，{days} 天内无法确认有更新"
        return (
            self.finding(
                home.url,
                detail,
                source_urls=[home.url],
                evidence=newest.isoformat() if newest else None,
            ),
        )
