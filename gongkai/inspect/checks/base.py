"""The interface every check has. A check is created afresh for each inspection with its
options (the defaults below, overridden per site), sees every page and fetched attachment as
the crawl goes, and may report more once the crawl has finished."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


class Check:
    type: ClassVar[str]  # stable: stored in findings, tickets and rubrics
    title: ClassVar[str]  # Chinese name shown to users
    severity: ClassVar[Severity] = Severity.MINOR
    defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = {**self.defaults, **(options or {})}

    def on_page(self, page: Page, site: Site) -> Iterable[Finding]:
        return ()

    def on_attachment(self, attachment: Attachment, site: Site) -> Iterable[Finding]:
        return ()

    def on_finish(self, site: Site) -> Iterable[Finding]:
        return ()

    def stats(self) -> dict[str, Any]:
        """Figures for the inspection's stats (not findings): what the check could not judge."""
        return {}

    def finding(self, url: str, detail: str, **extra: Any) -> Finding:
        extra.setdefault("severity", self.severity)
        return Finding(type=self.type, url=url, detail=detail, **extra)
