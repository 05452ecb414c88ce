"""`inspect_site(config)`: check the start URLs, crawl (in this process, or with fetcher
processes: see parallel.py), run the checks' on_finish, score."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from typing import Any
from urllib.parse import urlsplit

from gongkai.inspect.checks import Check, build
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl.frontier import CrawlState, Frontier, ProgressFn, Task
from gongkai.inspect.crawl.guard import Guard
from gongkai.inspect.crawl.probe import NetProbe
from gongkai.inspect.crawl.spider import FetchContext, run_scrapy
from gongkai.inspect.crawl.urls import REFUSED, normalize_url
from gongkai.inspect.errors import InspectError, InspectRefused
from gongkai.inspect.page import parse_page
from gongkai.inspect.result import InspectionResult
from gongkai.inspect.scoring import NATIONAL_2019, Rubric, score
from gongkai.inspect.site import LinkStatus, Probe, Site

log = logging.getLogger("gongkai.inspect.crawl")

MAX_AUTO_WORKERS = 4
AUTO_MIN_PAGES = 5000  # auto uses fetcher processes from this max_pages up


def _start_hosts(config: InspectConfig) -> list[tuple[str, str, int]]:
    """(normalised URL, host, port) of each start URL; InspectRefused for a bad one."""
    from gongkai.net.address import resolve
    from gongkai.net.errors import FetchFailed, FetchRefused

    if not config.start_urls:
        raise InspectRefused("没有起始网址")
    out = []
    for url in config.start_urls:
        key = normalize_url(url)
        if key is None:
            raise InspectRefused(f"不是有效的 http 或 https 网址：{url[:200]}")
        parts = urlsplit(key)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            resolve(host, port, allow_private=config.allow_private)
        except FetchRefused as exc:
            raise InspectRefused(f"{REFUSED}：{host}（可使用 --allow-private 允许）") from exc
        except FetchFailed as exc:
            raise InspectError(f"无法访问 {url[:200]}：{exc}") from exc
        out.append((key, host, port))
    return out


def worker_count(config: InspectConfig) -> int:
    """How many fetcher processes: config.workers, or for 0 ("auto") one per core up to
    MAX_AUTO_WORKERS. 1 means the single-process crawl, which auto picks for a small crawl
    (starting fetchers costs about a second), a polite one (a delay between requests) and a
    machine with one core."""
    if config.workers > 0:
        return config.workers
    cores = os.cpu_count() or 1
    if cores < 2 or config.max_pages < AUTO_MIN_PAGES or config.delay > 0:
        return 1
    return min(cores, MAX_AUTO_WORKERS)


class LocalSink:
    """The single-process crawl: the spider's outcomes go straight into the frontier."""

    def __init__(self, frontier: Frontier) -> None:
        self.frontier = frontier

    def status(self, meta: dict[str, Any], status: LinkStatus) -> None:
        self.frontier.record(status, bool(meta.get("home")))

    def page(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> list[Task]:
        home = bool(meta.get("home"))
        final = status.final_url
        if not self.frontier.claim(final):  # reached again through another redirect chain
            self.frontier.record(status, home)
            return []
        page = parse_page(
            meta["o"],
            final,
            status.status or 200,
            media,
            body,
            depth=meta["d"],
            is_home=home,
            truncated=truncated,
        )
        status.title = page.headline or page.title
        return self.frontier.page(page, status, home, truncated)

    def attachment(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> None:
        self.frontier.attachment(status, media, body, truncated)

    def skipped(self, meta: dict[str, Any]) -> None:
        self.frontier.robots_skipped()


def _crawl_here(state: CrawlState, log_level: str) -> None:
    frontier = Frontier(state)
    context = FetchContext(
        config=state.config,
        guard=state.guard,
        hosts=state.site.hosts,
        sink=LocalSink(frontier),
        start=[(task, None) for task in frontier.start()],
    )
    run_scrapy(context, log_level=log_level)


def inspect_site(
    config: InspectConfig,
    *,
    progress: ProgressFn | None = None,
    probe: Probe | None = None,
    rubric: Rubric = NATIONAL_2019,
    portal: bool = False,
    external_services: bool = True,
    log_level: str = "CRITICAL",
) -> InspectionResult:
    """Crawl the site, run every enabled check, score the findings.

    With one worker (config.workers == 1) Scrapy runs in this process, and the reactor can
    start only once per process (use gongkai.inspect.isolated.run_isolated for more). With
    more, this process coordinates and fetcher processes crawl (parallel.py). Raises
    InspectRefused for a start URL that is malformed or refused by the SSRF policy,
    InspectError when the start page gave no response at all or a fetcher process failed.
    """
    started = dt.datetime.now().astimezone()
    config = InspectConfig.from_json(config.to_json())  # a private copy: the crawl edits it
    starts = _start_hosts(config)
    config.start_urls = [key for key, _h, _p in starts]
    home_url = starts[0][0]
    hosts = {host for _key, host, _p in starts} | {h.strip().lower() for h in config.extra_hosts}
    hosts.discard("")
    today = config.today or dt.datetime.now().astimezone().date()
    guard = Guard(allow_private=config.allow_private)
    site = Site(
        config=config,
        today=today,
        home_url=home_url,
        hosts=hosts,
        probe=probe or NetProbe(config),
        start_scheme=urlsplit(home_url).scheme,
    )
    checks = build(config)
    state = CrawlState(config=config, site=site, checks=checks, guard=guard, progress=progress)
    workers = worker_count(config)
    clock = time.monotonic()
    extra: dict[str, Any] = {}
    if workers > 1:
        from gongkai.inspect.crawl.parallel import crawl_parallel

        extra = crawl_parallel(state, workers, log_level=log_level)
    else:
        _crawl_here(state, log_level)
    crawl_seconds = time.monotonic() - clock
    home = state.home_status
    if home is None and state.counters.get("robots_skipped"):
        raise InspectError(f"起始页 {home_url} 被该网站的 robots.txt 禁止抓取，未能检查")
    if home is None or (home.status is None and site.pages_crawled == 0):
        reason = home.error if home is not None else "没有收到响应"
        if home is not None and home.error.startswith(REFUSED):
            raise InspectRefused(home.error)
        raise InspectError(f"无法访问起始页 {home_url}：{reason}")
    if progress is not None:
        progress(site.pages_crawled, config.max_pages, "抓取完成，正在汇总检查结果")
    findings = list(state.findings)
    for check in checks:
        try:
            findings.extend(check.on_finish(site))
        except Exception as exc:
            state.check_errors.append(f"{check.type}: {type(exc).__name__}: {exc}"[:300])
            log.warning("check %s failed at the end", check.type, exc_info=True)
    finished = dt.datetime.now().astimezone()
    result_score = score(findings, rubric, portal=portal, external_services=external_services)
    own_peak = _peak_rss_mb()
    stats: dict[str, Any] = {
        "crawl_seconds": round(crawl_seconds, 3),
        "pages_per_second": round(site.pages_crawled / crawl_seconds, 1) if crawl_seconds else 0,
        "urls_seen": len(state.seen),
        "pages_scheduled": state.pages_scheduled,
        **state.counters,
        "truncated_urls": state.truncated,
        "not_html_urls": state.not_html,
        "check_errors": state.check_errors,
        # What the re-check reached, so a ticket closes only on evidence (gongkai.inspection):
        "checks": [check.type for check in checks],
        "home_status": home.status,
        "hit_page_cap": state.hit_page_cap,
        "checked": sorted(site.statuses),
        "fetched_ok": sorted(url for url, status in site.statuses.items() if not status.broken),
        "rubric": result_score.rubric,
        **{k: v for check in checks for k, v in _check_stats(check, state).items()},
        "workers": workers,
        "peak_rss_mb": own_peak,
        **extra,
    }
    return InspectionResult(
        site=home_url,
        started=started,
        finished=finished,
        pages_crawled=site.pages_crawled,
        links_checked=len(site.statuses),
        findings=findings,
        score=result_score,
        stats=stats,
    )


def _check_stats(check: Check, state: CrawlState) -> dict[str, Any]:
    try:
        return check.stats()
    except Exception as exc:
        state.check_errors.append(f"{check.type}: {type(exc).__name__}: {exc}"[:300])
        return {}


def _peak_rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return 0.0
