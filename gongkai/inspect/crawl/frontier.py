"""The crawl's bookkeeping, with no Scrapy in it: which URLs to request (scope, depth, dedupe,
trap guards, max_pages), what came back (Site.statuses, Site.targets), and every check's
on_page / on_attachment as pages and attachments arrive.

The single-process crawl calls it from the spider; the parallel crawl calls it in the
coordinator with the outcomes its fetcher processes send back. Either way it runs in one
thread, so the checks see one Site, as they always have.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from gongkai.inspect.checks import Attachment, Check
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl.guard import Guard
from gongkai.inspect.crawl.urls import (
    ATTACHMENT,
    ATTACHMENT_EXTENSIONS,
    BINARY_EXTENSIONS,
    EXTERNAL,
    MAX_TARGETS,
    PAGE,
    PAGE_TAGS,
    PROGRESS_SECONDS,
    RESOURCE,
    RESOURCE_TAGS,
    extension,
    host_of,
    normalize_url,
    query_shape,
    trap_reason,
)
from gongkai.inspect.findings import Finding
from gongkai.inspect.page import Page
from gongkai.inspect.site import MAX_SOURCES, MAX_TEXTS, LinkSource, LinkStatus, Site, Target

log = logging.getLogger("gongkai.inspect.crawl")

ProgressFn = Callable[[int, int, str], None]  # (pages done, max pages, message in Chinese)

#: What to request: (normalised URL, kind, depth, is the start page).
Task = tuple[str, str, int, bool]

RAW_CACHE = 500_000  # links as written → normalised, kept for reuse

#: What a check's on_page (or read_attachment) came to where it ran in a fetcher process:
#: its findings, or the message of the exception it raised (as check_failed words it).
Ran = list[Finding] | str


def failure(check: Check, exc: Exception) -> str:
    """How a check's exception is recorded in the inspection's check_errors."""
    return f"{check.type}: {type(exc).__name__}: {exc}"[:300]


@dataclass
class CrawlState:
    """Everything the crawl reads and writes, kept outside Scrapy's objects."""

    config: InspectConfig
    site: Site
    checks: list[Check]
    guard: Guard
    progress: ProgressFn | None = None
    findings: list[Finding] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # normalised URLs requested (or skipped)
    parsed: set[str] = field(default_factory=set)  # final URLs of pages fed to the checks
    raw: dict[str, str | None] = field(default_factory=dict)  # link as written → normalised
    queries: dict[str, int] = field(default_factory=dict)  # host+path → distinct queries
    pages_scheduled: int = 0
    hit_page_cap: bool = False  # a page in scope was not requested (max_pages or max_depth)
    home_status: LinkStatus | None = None
    check_errors: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)  # pages and attachments cut at the cap
    not_html: list[str] = field(default_factory=list)  # served as HTML, but are not
    counters: dict[str, int] = field(default_factory=dict)
    last_progress: float = 0.0

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n


def normalized(raw: dict[str, str | None], written: str) -> str | None:
    """normalize_url(written), remembered in `raw` (a link is written the same way on many
    pages of a site)."""
    key = raw.get(written, "")
    if key == "":
        key = normalize_url(written)
        if len(raw) < RAW_CACHE:
            raw[written] = key
    return key


class Frontier:
    def __init__(self, state: CrawlState, remote: frozenset[str] = frozenset()) -> None:
        self.state = state
        # Types of the checks whose on_page ran in the fetcher processes (Check.local): their
        # outcomes come with the page, in `ran`.
        self.remote = remote

    def start(self) -> list[Task]:
        state = self.state
        tasks: list[Task] = []
        for url in state.config.start_urls:
            key = normalize_url(url)
            if key is None or key in state.seen:
                continue
            state.seen.add(key)
            state.pages_scheduled += 1
            tasks.append((key, PAGE, 0, True))
        return tasks

    # Outcomes ---------------------------------------------------------------------------

    def record(self, status: LinkStatus, home: bool) -> None:
        self.state.site.statuses[status.url] = status
        if home:
            self.state.home_status = status

    def claim(self, final_url: str) -> bool:
        """True the first time a page's final URL comes back (a page reached again through
        another redirect chain is recorded, not parsed again)."""
        parsed = self.state.parsed
        if final_url in parsed:
            return False
        parsed.add(final_url)
        return True

    def robots_skipped(self) -> None:
        self.state.count("robots_skipped")

    def page(
        self,
        page: Page,
        status: LinkStatus,
        home: bool,
        truncated: bool,
        keys: list[str | None] | None = None,
        ran: Mapping[str, Ran] | None = None,
    ) -> list[Task]:
        """A parsed page (its final URL claimed): record it, run the checks, follow its links.
        `keys` are the links' normalised URLs when the caller has them already; `ran` holds
        what the remote checks' on_page came to (a type missing: no findings)."""
        state = self.state
        site = state.site
        self.record(status, home)
        final = status.final_url
        if truncated and len(state.truncated) < 100:
            state.truncated.append(final)
        if page.not_html and len(state.not_html) < 100:
            state.not_html.append(final)
        if home and site.home_page is None:
            site.home_page = page
            # A start URL that redirected to another host (x.gov.cn → www.x.gov.cn): that
            # host is the site now (the one-process spider has added it already; a fetcher
            # process can only tell the coordinator so).
            moved = host_of(final)
            if moved:
                site.hosts.add(moved)
        site.pages_crawled += 1
        remote = self.remote
        for check in state.checks:
            if remote and check.type in remote:
                outcome = ran.get(check.type) if ran else None
                if isinstance(outcome, str):
                    self.check_error(outcome)
                elif outcome:
                    state.findings.extend(outcome)
                continue
            try:
                state.findings.extend(check.on_page(page, site))
            except Exception as exc:  # one check's bug must not stop the inspection
                self.check_failed(check, exc)
        tasks = self.follow(page, keys)
        self.report_progress()
        return tasks

    def attachment(
        self,
        status: LinkStatus,
        media: str,
        body: bytes,
        truncated: bool,
        read: Mapping[str, object] | None = None,
        read_errors: Mapping[str, str] | None = None,
    ) -> None:
        """A fetched attachment. `read`: check type → what its read_attachment made of the
        body where the file was fetched; `read_errors`: check type → the exception's message
        when that failed (the check then does not see the file, as when its on_attachment
        raises)."""
        self.record(status, False)
        state = self.state
        origin = status.url
        entry = state.site.targets.get(origin)
        sources = [s.page_url for s in entry.sources] if entry else []
        attachment = Attachment(origin, media, body, truncated, sources, dict(read or {}))
        state.count("attachments")
        for check in state.checks:
            if read_errors and check.type in read_errors:
                self.check_error(read_errors[check.type])
                continue
            try:
                state.findings.extend(check.on_attachment(attachment, state.site))
            except Exception as exc:
                self.check_failed(check, exc)

    # Links ------------------------------------------------------------------------------

    def follow(self, page: Page, keys: list[str | None] | None = None) -> list[Task]:
        state = self.state
        site = state.site
        config = state.config
        hosts = site.hosts
        seen = state.seen
        raw = state.raw
        targets = site.targets
        page_url = page.url
        depth = page.depth + 1
        tasks: list[Task] = []
        for index, link in enumerate(page.links):
            key = keys[index] if keys is not None else normalized(raw, link.url)
            if key is None:
                continue
            tag = link.tag
            if tag == "form":
                continue
            entry = targets.get(key)
            if entry is None:
                if len(targets) >= MAX_TARGETS and key not in seen:
                    # A page of endless links (a trap, a huge archive): past this many targets
                    # only URLs already requested keep their sources, so memory stays bounded.
                    state.count("targets_not_kept")
                else:
                    entry = targets[key] = Target()
            if entry is None:
                pass
            elif len(entry.sources) < MAX_SOURCES or (
                link.text not in entry.texts and len(entry.texts) < MAX_TEXTS
            ):
                entry.add(LinkSource(page_url, link.text))
            else:
                entry.count += 1
            if key in seen:
                continue
            in_scope = host_of(key) in hosts
            if not in_scope:
                seen.add(key)
                if config.check_external:
                    tasks.append((key, EXTERNAL, depth, False))
                continue
            if tag in RESOURCE_TAGS:
                seen.add(key)
                tasks.append((key, RESOURCE, depth, False))
                continue
            if tag not in PAGE_TAGS:
                continue
            ext = extension(key)
            if ext in ATTACHMENT_EXTENSIONS:
                seen.add(key)
                tasks.append((key, ATTACHMENT, depth, False))
                continue
            if ext in BINARY_EXTENSIONS:
                seen.add(key)
                tasks.append((key, RESOURCE, depth, False))
                continue
            if depth > config.max_depth or state.pages_scheduled >= config.max_pages:
                state.hit_page_cap = True  # some page in scope was left unvisited
                continue  # not marked seen: a later, shallower page may still reach it
            trap = trap_reason(key, site.today)
            if not trap and "?" in key:
                path_key, limit = query_shape(key)
                queries = state.queries.get(path_key, 0)
                if queries >= limit:
                    trap = "查询参数过多"
                else:
                    state.queries[path_key] = queries + 1
            if trap:
                seen.add(key)
                state.count("trap_skipped")
                continue
            seen.add(key)
            state.pages_scheduled += 1
            tasks.append((key, PAGE, depth, False))
        return tasks

    # Reporting --------------------------------------------------------------------------

    def check_failed(self, check: Check, exc: Exception) -> None:
        state = self.state
        message = failure(check, exc)
        if len(state.check_errors) < 20:
            state.check_errors.append(message)
        log.warning("check failed: %s", message, exc_info=len(state.check_errors) < 3)

    def check_error(self, message: str) -> None:
        """A check failed in a fetcher process (`message` as `failure` words it)."""
        state = self.state
        if len(state.check_errors) < 20:
            state.check_errors.append(message)
        log.warning("check failed in a fetcher: %s", message)

    def report_progress(self) -> None:
        state = self.state
        progress = state.progress
        if progress is None:
            return
        now = time.monotonic()
        if now - state.last_progress < PROGRESS_SECONDS:
            return
        state.last_progress = now
        done = state.site.pages_crawled
        progress(done, state.config.max_pages, f"已检查 {done} 个页面，{len(state.seen)} 个链接")
