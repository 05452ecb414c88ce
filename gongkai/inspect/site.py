"""What the crawl has learnt about a site so far, shared by every check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from gongkai.inspect.config import InspectConfig

#: Pages kept per link target as "where it is linked from"; the count is kept in full.
MAX_SOURCES = 20
#: Distinct link texts kept per target beyond those.
MAX_TEXTS = 50


@dataclass
class LinkSource:
    page_url: str
    text: str


@dataclass
class LinkStatus:
    """The outcome of requesting one URL (a crawled page, a resource, an external link)."""

    url: str
    status: int | None  # None when no response came
    error: str = ""  # why no response (DNS, timeout, too many redirects, refused) in Chinese
    final_url: str = ""
    title: str = ""  # for HTML targets: the <title> or headline, for wrong_link
    internal: bool = True

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400


@dataclass
class Target:
    """A URL that pages link to, and who links to it: the first MAX_SOURCES sources, plus the
    first source of each other link text (up to MAX_TEXTS), so a wrong text on the 500th page
    linking to a popular target is still seen."""

    sources: list[LinkSource] = field(default_factory=list)
    count: int = 0
    texts: set[str] = field(default_factory=set)

    def add(self, source: LinkSource) -> None:
        self.count += 1
        if len(self.sources) < MAX_SOURCES or (
            source.text not in self.texts and len(self.texts) < MAX_TEXTS
        ):
            self.sources.append(source)
            self.texts.add(source.text)


class Probe(Protocol):
    """Network questions the site-level checks ask; the crawler supplies the real one and
    tests may supply their own."""

    def has_aaaa(self, host: str) -> bool | None:
        """True/False for an AAAA record; None when the lookup itself failed."""

    def get(self, url: str) -> LinkStatus:
        """One GET through the project's safe HTTP path."""

    def get_text(self, url: str) -> tuple[LinkStatus, str]:
        """One GET returning the decoded body too (feeds, search result pages)."""


class QuietProbe:
    """A probe that asks nothing of the network and finds nothing wrong: for judging pages
    already in hand (tests, the parser benchmark)."""

    def has_aaaa(self, host: str) -> bool | None:
        return True

    def get(self, url: str) -> LinkStatus:
        return LinkStatus(url, 200)

    def get_text(self, url: str) -> tuple[LinkStatus, str]:
        return LinkStatus(url, 200), ""


@dataclass
class Site:
    config: InspectConfig
    today: dt.date
    home_url: str
    hosts: set[str]  # hosts in scope
    probe: Probe
    targets: dict[str, Target] = field(default_factory=dict)  # link target → sources
    statuses: dict[str, LinkStatus] = field(default_factory=dict)  # url → outcome
    pages_crawled: int = 0
    home_page: object | None = None  # the parsed home Page, once fetched
    start_scheme: str = "http"

    def link(self, target: str, source: LinkSource) -> None:
        entry = self.targets.get(target)
        if entry is None:
            entry = self.targets[target] = Target()
        entry.add(source)
