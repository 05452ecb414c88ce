"""The Scrapy side of the crawl: the settings, and a spider that fetches what it is given and
hands each outcome to a sink.

The spider follows redirects itself (so a chain's outcome is recorded under the linked URL, a
loop is reported as one and every hop passes the SSRF guard), falls back from HEAD to GET for
resources and external links, and stops a download at its size cap keeping the first bytes.
Which URLs to request is not its business: the sink returns new tasks (the single-process
crawl) or they arrive from the coordinator (a fetcher process of the parallel crawl).

Every task ends in exactly one sink call: `status`, `page`, `attachment` or `skipped`.
"""

from __future__ import annotations

import socket
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl.frontier import Task
from gongkai.inspect.crawl.guard import Guard, GuardRefused
from gongkai.inspect.crawl.urls import (
    ATTACHMENT,
    ATTACHMENT_TYPES,
    EXTERNAL,
    EXTERNAL_GET_BYTES,
    MAX_REDIRECTS,
    PAGE,
    REFUSED,
    RESOURCE,
    host_of,
    looks_html,
    media_type,
    normalize_url,
)
from gongkai.inspect.site import LinkStatus

_PACKAGE = __name__.rsplit(".", 1)[0]


class Sink(Protocol):
    """Where the spider's outcomes go. `meta` is the request's meta: "o" the URL as linked,
    "d" the depth, "home" for the start page, "t" the task id where the caller gave one."""

    def status(self, meta: dict[str, Any], status: LinkStatus) -> None:
        """The outcome of a task that has no body to look at."""

    def page(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> list[Task]:
        """An HTML page (status 2xx); returns what to request next."""

    def attachment(
        self, meta: dict[str, Any], status: LinkStatus, media: str, body: bytes, truncated: bool
    ) -> None:
        """A fetched attachment."""

    def skipped(self, meta: dict[str, Any]) -> None:
        """robots.txt forbade the request."""


@dataclass
class FetchContext:
    """What the spider needs: the limits, the guard, the hosts in scope, and the sink."""

    config: InspectConfig
    guard: Guard
    hosts: set[str]
    sink: Sink
    start: list[tuple[Task, int | None]] = field(default_factory=list)  # (task, task id)
    keep_alive: Callable[[], bool] | None = None  # asked when idle: True keeps the spider open
    on_open: Callable[[Any], None] | None = None  # called with the spider once it runs


def failure_reason(exc: BaseException, url: str, guard: Guard, timeout: float) -> str:
    """Why a request got no response, in Chinese."""
    from scrapy import exceptions as scrapy_errors
    from twisted.internet import error as txerror
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    host = host_of(url)
    if isinstance(exc, GuardRefused):
        return str(exc)
    if host in guard.refused:
        return guard.refused[host]
    if isinstance(
        exc, txerror.DNSLookupError | scrapy_errors.CannotResolveHostError | socket.gaierror
    ):
        return guard.failed.get(host) or f"无法解析域名 {host}"
    if isinstance(
        exc,
        scrapy_errors.DownloadTimeoutError
        | txerror.TimeoutError
        | txerror.TCPTimedOutError
        | TimeoutError,
    ):
        return f"请求超时（超过 {timeout:g} 秒）"
    if isinstance(
        exc, scrapy_errors.DownloadConnectionRefusedError | txerror.ConnectionRefusedError
    ):
        return f"{host} 拒绝连接"
    text = str(exc)
    if isinstance(exc, ResponseNeverReceived | ResponseFailed):
        reasons = getattr(exc, "reasons", [])
        text = " ".join(str(r.value) for r in reasons) if reasons else text
    if "SSL" in text or "certificate" in text.lower() or "SSL" in type(exc).__name__:
        return "HTTPS 证书或加密连接错误"
    if "took longer than" in text:
        return f"请求超时（超过 {timeout:g} 秒）"
    if isinstance(
        exc,
        ResponseNeverReceived
        | ResponseFailed
        | scrapy_errors.ResponseDataLossError
        | scrapy_errors.DownloadFailedError
        | txerror.ConnectionLost,
    ):
        return "服务器未返回完整响应（连接中断）"
    if isinstance(exc, txerror.ConnectError):
        return f"无法连接 {host}"
    return f"请求失败：{type(exc).__name__}"


def _location_text(raw: bytes) -> str:
    """A Location header: raw UTF-8 as many Chinese servers send it (/公开/目录.html), else
    Latin-1 as HTTP has it."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _header(response: Any, name: bytes) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


def spider_class() -> type:
    import scrapy
    from scrapy import signals
    from scrapy.exceptions import DontCloseSpider, IgnoreRequest, StopDownload

    class InspectSpider(scrapy.Spider):
        name = "gongkai-inspect"
        context: FetchContext

        @classmethod
        def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> InspectSpider:
            spider = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.bytes_received, signal=signals.bytes_received)
            crawler.signals.connect(spider.idle, signal=signals.spider_idle)
            crawler.signals.connect(spider.opened, signal=signals.spider_opened)
            return spider

        def opened(self, spider: Any) -> None:
            if self.context.on_open is not None:
                self.context.on_open(self)

        def idle(self, spider: Any) -> None:
            keep_alive = self.context.keep_alive
            if keep_alive is not None and keep_alive():
                raise DontCloseSpider

        # Size cap: stop the download at the cap and keep what came (flag "download_stopped").
        def bytes_received(self, data: bytes, request: Any, spider: Any) -> None:
            meta = request.meta
            got = meta.get("_got", 0) + len(data)
            meta["_got"] = got
            if got > meta["cap"]:
                raise StopDownload(fail=False)

        async def start(self) -> AsyncIterator[Any]:
            for task, task_id in self.context.start:
                yield self.task_request(task, task_id)

        # Requests ---------------------------------------------------------------------

        def task_request(self, task: Task, task_id: int | None = None) -> Any:
            url, kind, depth, home = task
            return self._request(url, kind, depth, home=home, task_id=task_id)

        def _request(
            self,
            url: str,
            kind: str,
            depth: int,
            *,
            origin: str | None = None,
            redirects: int = 0,
            method: str | None = None,
            home: bool = False,
            task_id: int | None = None,
        ) -> Any:
            config = self.context.config
            if method is None:
                method = "HEAD" if kind in (RESOURCE, EXTERNAL) else "GET"
            if kind == ATTACHMENT:
                cap = config.attachment_max_bytes
            elif kind == PAGE:
                cap = config.max_bytes
            else:
                cap = EXTERNAL_GET_BYTES
            meta: dict[str, Any] = {
                "k": kind,
                "d": depth,
                "o": origin or url,
                "n": redirects,
                "cap": cap,
                "handle_httpstatus_all": True,
                "dont_redirect": True,
            }
            if home:
                meta["home"] = True
            if task_id is not None:
                meta["t"] = task_id
            if kind == EXTERNAL:
                meta["dont_obey_robotstxt"] = True
            return scrapy.Request(
                url,
                method=method,
                callback=self.on_response,
                errback=self.on_error,
                meta=meta,
                priority=-depth,
                dont_filter=True,
            )

        def schedule(self, request: Any) -> None:
            self.crawler.engine.crawl(request)

        def _follow_on(self, request: Any, **changes: Any) -> None:
            """Another request for the same task (a redirect hop, the GET after a HEAD)."""
            meta = request.meta
            args: dict[str, Any] = {
                "origin": meta["o"],
                "redirects": meta["n"],
                "home": bool(meta.get("home")),
                "task_id": meta.get("t"),
            }
            args.update(changes)
            url = args.pop("url", request.url)
            kind = args.pop("kind", meta["k"])
            self.schedule(self._request(url, kind, meta["d"], **args))

        # Responses --------------------------------------------------------------------

        def on_response(self, response: Any) -> None:
            meta = response.meta
            status = response.status
            kind = meta["k"]
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get(b"Location")
                if location:
                    self._redirect(response, _location_text(location))
                    return
            if kind in (RESOURCE, EXTERNAL):
                if status >= 400 and response.request.method == "HEAD":
                    self._follow_on(response.request, method="GET")
                    return
                self._record(meta, status, response.url)
                return
            if status >= 400:
                self._record(meta, status, response.url)
                return
            body, truncated = self._body(response)
            media = media_type(_header(response, b"Content-Type"))
            sink = self.context.sink
            if kind == PAGE and looks_html(media, body):
                link_status = self._status(meta, status, response.url)
                for task in sink.page(meta, link_status, media, body, truncated):
                    self.schedule(self.task_request(task))
            elif kind == ATTACHMENT or media in ATTACHMENT_TYPES:
                link_status = self._status(meta, status, response.url)
                sink.attachment(meta, link_status, media, body, truncated)
            else:
                self._record(meta, status, response.url)

        def on_error(self, failure: Any) -> None:
            request = failure.request
            meta = request.meta
            exc = failure.value
            if isinstance(exc, IgnoreRequest) and "robots" in str(exc).lower():
                self.context.sink.skipped(meta)
                return
            context = self.context
            error = failure_reason(exc, request.url, context.guard, context.config.timeout)
            refused = error.startswith(REFUSED) or error.startswith("只能访问")
            if (
                not refused
                and meta["k"] in (RESOURCE, EXTERNAL)
                and request.method == "HEAD"
                and "超时" not in error
            ):
                self._follow_on(request, method="GET")
                return
            self._record(meta, None, request.url, error=error)

        def _redirect(self, response: Any, location: str) -> None:
            meta = response.meta
            hops = meta["n"] + 1
            if hops > MAX_REDIRECTS:
                self._record(
                    meta, None, response.url, error=f"重定向次数过多（超过 {MAX_REDIRECTS} 次）"
                )
                return
            try:
                target = normalize_url(urljoin(response.url, location.strip()))
            except ValueError:
                target = None
            if target is None:
                self._record(meta, None, response.url, error=f"重定向地址无效：{location[:200]}")
                return
            kind = meta["k"]
            in_scope = host_of(target) in self.context.hosts
            if meta.get("home") and kind == PAGE and not in_scope:
                # x.gov.cn → www.x.gov.cn/index.html: the start URL moved, and the site with it.
                self.context.hosts.add(host_of(target))
                in_scope = True
            if kind in (PAGE, ATTACHMENT, RESOURCE) and not in_scope:
                kind = EXTERNAL
            elif kind == EXTERNAL and in_scope:
                kind = RESOURCE
            method = response.request.method if kind in (RESOURCE, EXTERNAL) else "GET"
            if response.status == 303 and method != "HEAD":
                method = "GET"
            self._follow_on(response.request, url=target, kind=kind, redirects=hops, method=method)

        def _body(self, response: Any) -> tuple[bytes, bool]:
            cap = response.meta["cap"]
            body: bytes = response.body
            truncated = "download_stopped" in response.flags or len(body) > cap
            encoding = _header(response, b"Content-Encoding").strip().lower()
            if encoding in ("gzip", "x-gzip", "deflate"):
                inflate = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
                try:
                    body = inflate.decompress(body, cap + 1)
                except zlib.error:
                    body = b""
                truncated = truncated or len(body) > cap or bool(inflate.unconsumed_tail)
            if len(body) > cap:
                body = body[:cap]
            return body, truncated

        def _status(
            self, meta: dict[str, Any], status: int | None, final_url: str, error: str = ""
        ) -> LinkStatus:
            origin = meta["o"]
            internal = meta["k"] != EXTERNAL or host_of(origin) in self.context.hosts
            return LinkStatus(origin, status, error, final_url, "", internal)

        def _record(
            self, meta: dict[str, Any], status: int | None, final_url: str, *, error: str = ""
        ) -> None:
            self.context.sink.status(meta, self._status(meta, status, final_url, error))

    return InspectSpider


# --- Scrapy settings ------------------------------------------------------------------------


def crawler_settings(
    config: InspectConfig,
    guard: Guard,
    *,
    log_level: str = "CRITICAL",
    per_host: int | None = None,
) -> dict[str, Any]:
    """`per_host` overrides config.concurrency_per_host (a fetcher process of the parallel
    crawl gets its share)."""
    from gongkai.net.http import USER_AGENT

    per_host = max(1, per_host if per_host is not None else config.concurrency_per_host)
    off = None
    return {
        "GONGKAI_GUARD": guard,
        "TWISTED_DNS_RESOLVER": f"{_PACKAGE}.guard.GuardedResolver",
        "USER_AGENT": USER_AGENT,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Accept-Encoding": "identity",
        },
        "ROBOTSTXT_OBEY": config.robots,
        "CONCURRENT_REQUESTS": max(per_host * 2, 32),
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": max(config.delay, 0.0),
        "DOWNLOAD_DELAY_JITTER": 0,
        "DOWNLOAD_TIMEOUT": config.timeout,
        "DNS_TIMEOUT": config.timeout,
        "RETRY_ENABLED": config.retries > 0,
        "RETRY_TIMES": max(config.retries, 0),
        # The cap is enforced by the spider (bytes_received → StopDownload), which keeps the
        # first bytes of a long page; Scrapy's own limit would throw them away.
        "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOAD_FAIL_ON_DATALOSS": False,
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "MEMUSAGE_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
        "STATS_DUMP": False,
        "STATS_CLASS": "scrapy.statscollectors.DummyStatsCollector",
        "LOG_LEVEL": log_level,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "REACTOR_THREADPOOL_MAXSIZE": 20,
        # Callbacks return nothing (requests go to the engine directly); Scrapy would start
        # CONCURRENT_ITEMS asyncio tasks per response to drain their output.
        "CONCURRENT_ITEMS": 1,
        "DOWNLOADER_MIDDLEWARES_BASE": {
            f"{_PACKAGE}.guard.GuardMiddleware": 10,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
            "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
            "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
        },
        "SPIDER_MIDDLEWARES_BASE": {
            "scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
        },
        "EXTENSIONS_BASE": {"scrapy.extensions.corestats.CoreStats": off},
        "ITEM_PIPELINES_BASE": {},
        "SPIDER_LOADER_WARN_ONLY": True,
    }


def run_scrapy(
    context: FetchContext, *, log_level: str = "CRITICAL", per_host: int | None = None
) -> None:
    """One crawl in this process; returns when the spider closes."""
    from scrapy.crawler import CrawlerProcess

    settings = crawler_settings(
        context.config, context.guard, log_level=log_level, per_host=per_host
    )
    process = CrawlerProcess(settings)
    process.crawl(spider_class(), context=context)
    process.start(stop_after_crawl=True)
