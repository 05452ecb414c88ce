"""What one inspection is asked to do. Plain data, so a Celery task can carry it as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class NewMediaAccount:
    """A registered 政务新媒体 account whose feed or page can be read for its last post.

    `url` is read for its newest date; an account without one (many platforms offer no page
    to read) is judged by `last_post`, the ISO date its unit recorded ("" when none). With
    both, the later date counts. `page` is where a finding points when there is no `url`
    (the account's anchor on the portal's 政务新媒体 page)."""

    name: str
    url: str
    platform: str = ""
    last_post: str = ""
    page: str = ""


@dataclass
class InspectConfig:
    start_urls: list[str]
    extra_hosts: list[str] = field(default_factory=list)  # crawled like the start host
    max_pages: int = 2000
    max_depth: int = 12
    concurrency_per_host: int = 16
    delay: float = 0.0  # seconds between requests to one host
    timeout: float = 15.0  # per request
    retries: int = 1
    max_bytes: int = 5 * 1024 * 1024  # per page; longer pages are cut and reported
    attachment_max_bytes: int = 10 * 1024 * 1024
    robots: bool = True  # respect robots.txt (off for the office's own sites)
    allow_private: bool = False  # loopback and private ranges (tests, intranet sites)
    check_external: bool = True  # HEAD/GET external links (never crawled)
    today: dt.date | None = None  # judge staleness as of this day (default: the day it runs)
    terms: list[tuple[str, str]] = field(
        default_factory=list
    )  # wrong → right, added to the dictionary
    checks: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # type → options ("enabled": False turns it off)
    domain_exempt: list[str] = field(default_factory=list)  # hosts allowed outside .gov.cn
    new_media: list[NewMediaAccount] = field(default_factory=list)
    search_query: str = "政务公开"
    nameserver: str | None = None  # for the AAAA lookup; None: the system resolver
    # Processes that fetch and parse (the crawl/parallel.py coordinator runs the checks):
    # 1 = the single-process crawl; 0 = auto (one per core, at most 4, for max_pages ≥ 5000).
    workers: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat() if self.today else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InspectConfig:
        data = dict(data)
        if data.get("today"):
            data["today"] = dt.date.fromisoformat(data["today"])
        data["terms"] = [tuple(pair) for pair in data.get("terms", [])]
        data["new_media"] = [NewMediaAccount(**a) for a in data.get("new_media", [])]
        return cls(**data)

    def options(self, check_type: str) -> dict[str, Any]:
        return self.checks.get(check_type, {})

    def enabled(self, check_type: str) -> bool:
        return bool(self.options(check_type).get("enabled", True))
