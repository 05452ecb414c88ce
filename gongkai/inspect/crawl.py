"""The crawler: Scrapy run programmatically, and `inspect_site(config)`.

One inspection is one Scrapy crawl in this process (the Twisted reactor starts once per
process: callers that inspect more than once per process use `gongkai.inspect.isolated`).

What the crawl does:

- Pages: `a`, `area` and `iframe` links on hosts in scope (the start hosts and
  config.extra_hosts) are fetched (GET) and parsed once with `parse_page`; the same Page is
  handed to every check. Limits: config.max_pages pages, config.max_depth clicks from the
  start, config.max_bytes a response (longer bodies are cut there and reported as truncated;
  the rest is never downloaded).
- Resources (`img`, `script`, `link`) and links outside the scope are checked, not crawled:
  HEAD, then GET when HEAD fails (servers that refuse HEAD are common). External links are
  checked regardless of robots.txt (one request, as a reader's click would be).
- Attachments (pdf, doc, docx, xls, xlsx, txt) in scope are fetched up to
  config.attachment_max_bytes and given to every check's on_attachment.
- Redirects are followed here, not by Scrapy, so a chain's outcome is recorded under the
  linked URL, a loop is reported as one, and every hop is checked by the SSRF guard.
- URLs are normalised (host lowercased, default port and fragment dropped, query sorted,
  session ids removed) and each is requested once. Trap guards: very long URLs, deep paths,
  a path segment repeated three times, calendar parameters with implausible years, and more
  than MAX_QUERIES_PER_PATH distinct query strings on one path.

SSRF guard: every host name is resolved once by `_GuardedResolver` (Scrapy's DNS_RESOLVER),
which checks every address with gongkai.net.address (is_public, unless
config.allow_private) and hands Twisted the checked address to connect to, so a name cannot
pass the check and then connect elsewhere (DNS rebinding). IP literals never reach a
resolver; `_GuardMiddleware` checks them before the download. Proxies from the environment
are not used (HttpProxyMiddleware is off), so the connection goes where the check looked.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
import socket
import time
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from gongkai.inspect.checks import Attachment, Check, build
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.errors import InspectError, InspectRefused
from gongkai.inspect.findings import Finding
from gongkai.inspect.page import Page, parse_page
from gongkai.inspect.result import InspectionResult
from gongkai.inspect.scoring import NATIONAL_2019, Rubric, score
from gongkai.inspect.site import MAX_SOURCES, LinkSource, LinkStatus, Probe, Site, Target

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]  # (pages done, max pages, message in Chinese)

REFUSED = "不允许访问内网或本机地址"
MAX_REDIRECTS = 10
MAX_URL_LENGTH = 2048
MAX_PATH_SEGMENTS = 20
MAX_QUERIES_PER_PATH = 50  # distinct query strings followed on one path (endless lists)
EXTERNAL_GET_BYTES = 64 * 1024  # a GET that only checks a link reads no more than this
PROGRESS_SECONDS = 1.0

ATTACHMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "txt"})
# Linked files that are checked (HEAD) but neither parsed nor downloaded.
# fmt: off
BINARY_EXTENSIONS = frozenset([
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "mp3", "mp4",
    "avi", "wmv", "flv", "mov", "mkv", "wav", "rm", "rmvb", "swf", "zip", "rar", "7z", "gz",
    "tgz", "bz2", "xz", "tar", "iso", "exe", "msi", "apk", "dmg", "ppt", "pptx", "wps",
    "et", "dps", "ofd", "ceb", "rtf", "odt", "ods", "odp", "css", "js", "json", "xml",
    "woff", "woff2", "ttf", "eot", "otf",
])
# fmt: on
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE_TAGS = frozenset({"a", "area", "iframe"})
RESOURCE_TAGS = frozenset({"img", "script", "link"})
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "sessid",
        "zenid",
        "oscsid",
    }
)
CALENDAR_PARAMS = frozenset({"year", "yr", "y", "yyyy", "nian", "date", "month", "ym", "day"})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

# Request kinds (request.meta["k"]).
PAGE, RESOURCE, ATTACHMENT, EXTERNAL = "p", "r", "a", "e"


# --- URLs ---------------------------------------------------------------------------------


def normalize_url(url: str) -> str | None:
    """The one spelling of a URL the crawl dedupes on, or None when it is not an http(s) URL
    it can request. Host lowercased (IDNA), default port, fragment and session ids dropped,
    query sorted, path and query percent-encoded as UTF-8 (existing escapes kept)."""
    from w3lib.url import canonicalize_url

    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return None
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = (
        host if port is None or port == (443 if scheme == "https" else 80) else f"{host}:{port}"
    )
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    try:
        return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))
    except (ValueError, UnicodeError):
        return None


def trap_reason(url: str, today: dt.date) -> str:
    """Why a URL looks like a crawler trap ("" when it does not)."""
    if len(url) > MAX_URL_LENGTH:
        return "链接过长"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_SEGMENTS:
        return "路径层级过深"
    if segments and max(segments.count(s) for s in set(segments)) >= 3:
        return "路径重复"
    if parts.query:
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key.lower() in CALENDAR_PARAMS:
                found = _YEAR.search(value)
                if found and not today.year - 30 <= int(found.group(1)) <= today.year + 1:
                    return "日历链接"
    return ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _looks_html(media: str, body: bytes) -> bool:
    if media:
        return media in HTML_TYPES
    head = body[:1024].lower()
    return any(tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<title", b"<body"))


# --- the SSRF guard ----------------------------------------------------------------------


@dataclass
class Guard:
    """Shared by the resolver, the middleware and the spider: what was refused, and why."""

    allow_private: bool
    refused: dict[str, str] = field(default_factory=dict)  # host → message
    failed: dict[str, str] = field(default_factory=dict)  # host → why it did not resolve
    resolved: dict[str, str] = field(default_factory=dict)  # host → the address connected to

    def check_literal(self, host: str) -> str:
        """The refusal message for an IP-literal host, or ""."""
        from gongkai.net.address import is_public

        ip = ipaddress.ip_address(host.strip("[]"))
        if self.allow_private or is_public(ip):
            return ""
        message = f"{REFUSED}：{host}"
        self.refused[host] = message
        return message


class GuardRefused(Exception):
    """A request the SSRF guard would not send."""


def _make_resolver_class() -> type:
    from twisted.internet import defer, threads
    from twisted.internet.error import DNSLookupError
    from twisted.internet.interfaces import IResolverSimple
    from zope.interface import implementer  # type: ignore[import-untyped]

    from gongkai.net.address import resolve
    from gongkai.net.errors import FetchFailed, FetchRefused

    @implementer(IResolverSimple)
    class _GuardedResolver:
        """Resolves each host name once, refuses names with any non-public address (unless
        allowed) and returns the checked address, which is what Twisted connects to."""

        def __init__(self, reactor: Any, guard: Guard) -> None:
            self.reactor = reactor
            self.guard = guard
            self.pending: dict[str, defer.Deferred[str]] = {}

        @classmethod
        def from_crawler(cls, crawler: Any, reactor: Any) -> _GuardedResolver:
            return cls(reactor, crawler.settings["GONGKAI_GUARD"])

        def install_on_reactor(self) -> None:
            self.reactor.installResolver(self)

        def _lookup(self, name: str) -> str:
            try:
                addresses = resolve(name, 0, allow_private=self.guard.allow_private)
            except FetchRefused as exc:
                self.guard.refused[name] = f"{REFUSED}：{name}"
                raise DNSLookupError(str(exc)) from exc
            except FetchFailed as exc:
                self.guard.failed[name] = str(exc)
                raise DNSLookupError(str(exc)) from exc
            ipv4 = [a for a in addresses if ":" not in a]
            return (ipv4 or addresses)[0]

        def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
            # Failures are DNSLookupError, which Twisted passes on without logging; the
            # guard remembers which names were refused and why.
            name = name.lower()
            if name in self.guard.resolved:
                return defer.succeed(self.guard.resolved[name])
            known = self.guard.refused.get(name) or self.guard.failed.get(name)
            if known:
                return defer.fail(DNSLookupError(known))
            waiting = self.pending.get(name)
            if waiting is None:
                waiting = threads.deferToThreadPool(
                    self.reactor, self.reactor.getThreadPool(), self._lookup, name
                )
                self.pending[name] = waiting
                waiting.addBoth(self._done, name)
            result: defer.Deferred[str] = defer.Deferred()
            waiting.addBoth(self._relay, result)
            return result

        def _done(self, value: Any, name: str) -> Any:
            self.pending.pop(name, None)
            if isinstance(value, str):
                self.guard.resolved[name] = value
            return value

        @staticmethod
        def _relay(value: Any, result: defer.Deferred[str]) -> Any:
            if isinstance(value, str):
                result.callback(value)
            else:
                result.errback(value)
            return value if isinstance(value, str) else None

    return _GuardedResolver


class GuardMiddleware:
    """Downloader middleware: refuses IP-literal hosts outside the policy (names are checked
    by the resolver) and anything that is not http(s)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler: Any) -> GuardMiddleware:
        return cls(crawler.settings["GONGKAI_GUARD"])

    def process_request(self, request: Any, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise GuardRefused(f"只能访问 http 或 https 地址：{request.url[:200]}")
        host = (parts.hostname or "").lower()
        if host in self.guard.refused:
            raise GuardRefused(self.guard.refused[host])
        if is_ip_literal(host):
            message = self.guard.check_literal(host)
            if message:
                raise GuardRefused(message)


# Scrapy imports these by path from the settings; build the resolver lazily (Twisted import).
_RESOLVER_CLASS: type | None = None


def __getattr__(name: str) -> Any:
    global _RESOLVER_CLASS
    if name == "GuardedResolver":
        if _RESOLVER_CLASS is None:
            _RESOLVER_CLASS = _make_resolver_class()
        return _RESOLVER_CLASS
    raise AttributeError(name)


# --- the probe ----------------------------------------------------------------------------


class NetProbe:
    """The real Probe: AAAA lookups and single GETs through gongkai.net.fetch, with every
    parameter passed explicitly (no Django setting is read)."""

    def __init__(self, config: InspectConfig) -> None:
        self.timeout = config.timeout
        self.allow_private = config.allow_private
        self.max_bytes = config.max_bytes
        self.nameserver = config.nameserver

    def has_aaaa(self, host: str) -> bool | None:
        if self.nameserver:
            return query_aaaa(host, self.nameserver, timeout=min(self.timeout, 5.0))
        try:
            infos = socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return False
            return None
        except (OSError, UnicodeError):
            return None
        return bool(infos)

    def get(self, url: str) -> LinkStatus:
        return self._get(url)[0]

    def get_text(self, url: str) -> tuple[LinkStatus, str]:
        return self._get(url)

    def post_text(self, url: str, data: dict[str, str]) -> tuple[LinkStatus, str]:
        return self._get(url, data=data)

    def _get(self, url: str, data: dict[str, str] | None = None) -> tuple[LinkStatus, str]:
        from gongkai.net import FetchError, fetch

        try:
            result = fetch(
                url,
                method="POST" if data is not None else "GET",
                data=data,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
                allow_private=self.allow_private,
            )
        except FetchError as exc:
            return LinkStatus(url, None, error=str(exc), internal=False), ""
        status = LinkStatus(url, result.status, final_url=result.url, title=result.title)
        return status, result.text


def query_aaaa(host: str, nameserver: str, *, timeout: float = 5.0) -> bool | None:
    """Ask one DNS server (UDP, port 53 or "addr:port") whether `host` has an AAAA record.
    A minimal client so a configured resolver needs no extra dependency. True/False from
    the answer, None when the server did not answer usably."""
    import random
    import struct

    server, port = nameserver, 53
    if nameserver.count(":") == 1:  # "addr:port"; an IPv6 address has more colons
        server, _, port_text = nameserver.partition(":")
        port = int(port_text) if port_text.isdigit() else 53
    server = server.strip("[]")
    ident = random.randrange(65536)  # noqa: S311 - a query id, not a secret
    try:
        labels = host.rstrip(".").encode("idna").split(b".")
    except UnicodeError:
        return None
    question = b"".join(bytes([len(label)]) + label for label in labels) + b"\0"
    header = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)  # recursion desired, 1 question
    packet = header + question + struct.pack(">HH", 28, 1)  # type AAAA, class IN
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.sendto(packet, (server, port))
            reply, _ = sock.recvfrom(4096)
    except OSError:
        return None
    try:
        rid, flags, qdcount, ancount, _ns, _ar = struct.unpack(">HHHHHH", reply[:12])
        if rid != ident:
            return None
        rcode = flags & 0xF
        if rcode == 3:  # NXDOMAIN
            return False
        if rcode != 0:
            return None
        offset = 12
        for _ in range(qdcount):
            offset = _skip_name(reply, offset) + 4
        for _ in range(ancount):
            offset = _skip_name(reply, offset)
            rtype, _cls, _ttl, length = struct.unpack(">HHIH", reply[offset : offset + 10])
            offset += 10 + length
            if rtype == 28 and length == 16:
                return True
    except (struct.error, IndexError):
        return None
    return False


def _skip_name(data: bytes, offset: int) -> int:
    while True:
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:  # compression pointer
            return offset + 2
        offset += 1 + length


# --- the crawl state and the spider --------------------------------------------------------


@dataclass
class CrawlState:
    """Everything the spider reads and writes, kept outside Scrapy's objects."""

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
    home_status: LinkStatus | None = None
    check_errors: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)  # pages and attachments cut at the cap
    not_html: list[str] = field(default_factory=list)  # served as HTML, but are not
    counters: dict[str, int] = field(default_factory=dict)
    last_progress: float = 0.0

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n


def _spider_class() -> type:
    import scrapy
    from scrapy import signals
    from scrapy.exceptions import IgnoreRequest, StopDownload

    class InspectSpider(scrapy.Spider):
        name = "gongkai-inspect"
        state: CrawlState

        @classmethod
        def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> InspectSpider:
            spider = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.bytes_received, signal=signals.bytes_received)
            return spider

        # Size cap: stop the download at the cap and keep what came (flag "download_stopped").
        def bytes_received(self, data: bytes, request: Any, spider: Any) -> None:
            meta = request.meta
            got = meta.get("_got", 0) + len(data)
            meta["_got"] = got
            if got > meta["cap"]:
                raise StopDownload(fail=False)

        async def start(self) -> AsyncIterator[Any]:
            state = self.state
            for url in state.config.start_urls:
                key = normalize_url(url)
                if key is None or key in state.seen:
                    continue
                state.seen.add(key)
                state.pages_scheduled += 1
                yield self._request(key, PAGE, 0, home=True)

        # Requests ---------------------------------------------------------------------

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
        ) -> Any:
            config = self.state.config
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

        def _schedule(self, request: Any) -> None:
            self.crawler.engine.crawl(request)

        # Responses --------------------------------------------------------------------

        def on_response(self, response: Any) -> None:
            meta = response.meta
            status = response.status
            kind = meta["k"]
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get(b"Location")
                if location:
                    self._redirect(response, location.decode("latin-1"))
                    return
            if kind in (RESOURCE, EXTERNAL):
                if status >= 400 and response.request.method == "HEAD":
                    self._fallback_get(response.request)
                    return
                self._record(meta, status, response.url)
                return
            if status >= 400:
                self._record(meta, status, response.url)
                return
            body, truncated = self._body(response)
            media = _media_type(_header(response, b"Content-Type"))
            if kind == PAGE and _looks_html(media, body):
                self._page(response, body, truncated, media)
            elif kind == ATTACHMENT or media in ATTACHMENT_TYPES:
                self._record(meta, status, response.url)
                self._attachment(response, body, truncated, media)
            else:
                self._record(meta, status, response.url)

        def on_error(self, failure: Any) -> None:
            request = failure.request
            meta = request.meta
            exc = failure.value
            if isinstance(exc, IgnoreRequest) and "robots" in str(exc).lower():
                self.state.count("robots_skipped")
                return
            error = self._reason(failure, request)
            refused = error.startswith(REFUSED) or error.startswith("只能访问")
            if (
                not refused
                and meta["k"] in (RESOURCE, EXTERNAL)
                and request.method == "HEAD"
                and "超时" not in error
            ):
                self._fallback_get(request)
                return
            self._record(meta, None, request.url, error=error)

        def _reason(self, failure: Any, request: Any) -> str:
            return failure_reason(failure.value, request.url, self.state)

        def _fallback_get(self, request: Any) -> None:
            meta = request.meta
            self._schedule(
                self._request(
                    request.url,
                    meta["k"],
                    meta["d"],
                    origin=meta["o"],
                    redirects=meta["n"],
                    method="GET",
                )
            )

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
            in_scope = _host(target) in self.state.site.hosts
            if kind in (PAGE, ATTACHMENT, RESOURCE) and not in_scope:
                kind = EXTERNAL
            elif kind == EXTERNAL and in_scope:
                kind = RESOURCE
            method = response.request.method if kind in (RESOURCE, EXTERNAL) else "GET"
            if response.status == 303 and method != "HEAD":
                method = "GET"
            self._schedule(
                self._request(
                    target,
                    kind,
                    meta["d"],
                    origin=meta["o"],
                    redirects=hops,
                    method=method,
                    home=bool(meta.get("home")),
                )
            )

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

        def _record(
            self,
            meta: dict[str, Any],
            status: int | None,
            final_url: str,
            *,
            error: str = "",
            title: str = "",
        ) -> None:
            origin = meta["o"]
            internal = meta["k"] != EXTERNAL or _host(origin) in self.state.site.hosts
            link_status = LinkStatus(origin, status, error, final_url, title, internal)
            self.state.site.statuses[origin] = link_status
            if meta.get("home"):
                self.state.home_status = link_status

        # Pages ------------------------------------------------------------------------

        def _page(self, response: Any, body: bytes, truncated: bool, media: str) -> None:
            state = self.state
            site = state.site
            meta = response.meta
            final = response.url
            if final in state.parsed:  # reached again through another redirect chain
                self._record(meta, response.status, final)
                return
            state.parsed.add(final)
            home = bool(meta.get("home"))
            page = parse_page(
                meta["o"],
                final,
                response.status,
                media,
                body,
                depth=meta["d"],
                is_home=home,
                truncated=truncated,
            )
            self._record(meta, response.status, final, title=page.headline or page.title)
            if truncated and len(state.truncated) < 100:
                state.truncated.append(final)
            if page.not_html and len(state.not_html) < 100:
                state.not_html.append(final)
            if home and site.home_page is None:
                site.home_page = page
            site.pages_crawled += 1
            for check in state.checks:
                try:
                    state.findings.extend(check.on_page(page, site))
                except Exception as exc:  # one check's bug must not stop the inspection
                    self._check_failed(check, exc)
            self._follow(page)
            self._progress()

        def _follow(self, page: Page) -> None:
            state = self.state
            site = state.site
            config = state.config
            hosts = site.hosts
            seen = state.seen
            raw = state.raw
            targets = site.targets
            page_url = page.url
            depth = page.depth + 1
            for link in page.links:
                written = link.url
                key = raw.get(written, "")
                if key == "":
                    key = normalize_url(written)
                    if len(raw) < 500_000:
                        raw[written] = key
                if key is None:
                    continue
                tag = link.tag
                if tag == "form":
                    continue
                entry = targets.get(key)
                if entry is None:
                    entry = targets[key] = Target()
                if len(entry.sources) < MAX_SOURCES:
                    entry.add(LinkSource(page_url, link.text))
                else:
                    entry.count += 1
                if key in seen:
                    continue
                in_scope = _host(key) in hosts
                if not in_scope:
                    seen.add(key)
                    if config.check_external:
                        self._schedule(self._request(key, EXTERNAL, depth))
                    continue
                if tag in RESOURCE_TAGS:
                    seen.add(key)
                    self._schedule(self._request(key, RESOURCE, depth))
                    continue
                if tag not in PAGE_TAGS:
                    continue
                ext = _extension(key)
                if ext in ATTACHMENT_EXTENSIONS:
                    seen.add(key)
                    self._schedule(self._request(key, ATTACHMENT, depth))
                    continue
                if ext in BINARY_EXTENSIONS:
                    seen.add(key)
                    self._schedule(self._request(key, RESOURCE, depth))
                    continue
                if depth > config.max_depth or state.pages_scheduled >= config.max_pages:
                    continue  # not marked seen: a later, shallower page may still reach it
                trap = trap_reason(key, site.today)
                if not trap and "?" in key:
                    path_key = key.split("?", 1)[0]
                    queries = state.queries.get(path_key, 0)
                    if queries >= MAX_QUERIES_PER_PATH:
                        trap = "查询参数过多"
                    else:
                        state.queries[path_key] = queries + 1
                if trap:
                    seen.add(key)
                    state.count("trap_skipped")
                    continue
                seen.add(key)
                state.pages_scheduled += 1
                self._schedule(self._request(key, PAGE, depth))

        def _attachment(self, response: Any, body: bytes, truncated: bool, media: str) -> None:
            state = self.state
            origin = response.meta["o"]
            entry = state.site.targets.get(origin)
            sources = [s.page_url for s in entry.sources] if entry else []
            attachment = Attachment(origin, media, body, truncated, sources)
            state.count("attachments")
            for check in state.checks:
                try:
                    state.findings.extend(check.on_attachment(attachment, state.site))
                except Exception as exc:
                    self._check_failed(check, exc)

        def _check_failed(self, check: Check, exc: Exception) -> None:
            message = f"{check.type}: {type(exc).__name__}: {exc}"[:300]
            if len(self.state.check_errors) < 20:
                self.state.check_errors.append(message)
            log.warning("check failed: %s", message, exc_info=len(self.state.check_errors) < 3)

        def _progress(self) -> None:
            state = self.state
            if state.progress is None:
                return
            now = time.monotonic()
            if now - state.last_progress < PROGRESS_SECONDS:
                return
            state.last_progress = now
            done = state.site.pages_crawled
            state.progress(
                done, state.config.max_pages, f"已检查 {done} 个页面，{len(state.seen)} 个链接"
            )

    return InspectSpider


def failure_reason(exc: BaseException, url: str, state: CrawlState) -> str:
    """Why a request got no response, in Chinese."""
    from scrapy import exceptions as scrapy_errors
    from twisted.internet import error as txerror
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    host = _host(url)
    if isinstance(exc, GuardRefused):
        return str(exc)
    if host in state.guard.refused:
        return state.guard.refused[host]
    timeout = state.config.timeout
    if isinstance(
        exc, txerror.DNSLookupError | scrapy_errors.CannotResolveHostError | socket.gaierror
    ):
        return state.guard.failed.get(host) or f"无法解析域名 {host}"
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


def _header(response: Any, name: bytes) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


# --- Scrapy settings ------------------------------------------------------------------------


def crawler_settings(
    config: InspectConfig, guard: Guard, *, log_level: str = "CRITICAL"
) -> dict[str, Any]:
    from gongkai.net.http import USER_AGENT

    per_host = max(1, config.concurrency_per_host)
    off = None
    return {
        "GONGKAI_GUARD": guard,
        "TWISTED_DNS_RESOLVER": "gongkai.inspect.crawl.GuardedResolver",
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
            "gongkai.inspect.crawl.GuardMiddleware": 10,
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


# --- the inspection -------------------------------------------------------------------------


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

    Runs Scrapy in this process; the reactor can start only once per process (use
    gongkai.inspect.isolated.run_isolated for more). Raises InspectRefused for a start URL
    that is malformed or refused by the SSRF policy, InspectError when the start page gave
    no response at all.
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
    clock = time.monotonic()
    _run_scrapy(state, log_level)
    crawl_seconds = time.monotonic() - clock
    home = state.home_status
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
    stats: dict[str, Any] = {
        "crawl_seconds": round(crawl_seconds, 3),
        "pages_per_second": round(site.pages_crawled / crawl_seconds, 1) if crawl_seconds else 0,
        "urls_seen": len(state.seen),
        "pages_scheduled": state.pages_scheduled,
        **state.counters,
        "truncated_urls": state.truncated,
        "not_html_urls": state.not_html,
        "check_errors": state.check_errors,
        "rubric": result_score.rubric,
        "peak_rss_mb": _peak_rss_mb(),
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


def _peak_rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return 0.0


def _run_scrapy(state: CrawlState, log_level: str) -> None:
    from scrapy.crawler import CrawlerProcess

    spider_class = _spider_class()
    settings = crawler_settings(state.config, state.guard, log_level=log_level)
    process = CrawlerProcess(settings)
    process.crawl(spider_class, state=state)
    process.start(stop_after_crawl=True)
