"""The interface every check has. A check is created afresh for each inspection with its
options (the defaults below, overridden per site), sees every page and fetched attachment as
the crawl goes, and may report more once the crawl has finished."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page
from gongkai.inspect.site import Site


@dataclass
class Attachment:
    """A linked file fetched for the privacy check."""

    url: str
    content_type: str
    body: bytes
    truncated: bool
    source_urls: list[str]
    # Check type → what that check's read_attachment made of the body, where it ran before
    # (in a fetcher process of the parallel crawl, which then leaves the body out).
    read: dict[str, Any] = field(default_factory=dict)


class Check:
    type: ClassVar[str]  # stable: stored in findings, tickets and rubrics
    title: ClassVar[str]  # Chinese name shown to users
    severity: ClassVar[Severity] = Severity.MINOR
    defaults: ClassVar[Mapping[str, Any]] = {}
    #: on_page is a pure function of the page, the options, site.config and site.today: no
    #: state kept between pages, no network. The parallel crawl runs such a check's on_page in
    #: its fetcher processes and hands the findings to the coordinator.
    local: ClassVar[bool] = False

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = {**self.defaults, **(options or {})}

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        return ()

    def on_attachment(self, attachment: Attachment, site: Site) -> Iterable[Finding]:
        return ()

    def read_attachment(self, attachment: Attachment) -> Any:
        """The costly part of on_attachment (reading the file), for a check that has one: a
        pure function of the attachment's url, content type and body and of the options, whose
        result pickles. The parallel crawl calls it where the file was fetched and passes the
        result in `attachment.read[self.type]`, with the body left out; on_attachment then uses
        it instead of the body. NotImplemented: the check has no such part."""
        return NotImplemented

    def on_finish(self, site: Site) -> Iterable[Finding]:
        return ()

    def stats(self) -> dict[str, Any]:
        """Figures for the inspection's stats (not findings): what the check could not judge."""
        return {}

    def finding(self, url: str, detail: str, **extra: Any) -> Finding:
        extra.setdefault("severity", self.severity)
        return Finding(type=self.type, url=url, detail=detail, **extra)
