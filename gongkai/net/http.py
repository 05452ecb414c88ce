"""The one way Gongkai makes outbound HTTP requests.

Evidence link checks, webhooks and (later) the site inspector all call `fetch`. It enforces,
in one place: http(s) only; no private, loopback or link-local targets unless
settings.FETCH_ALLOW_PRIVATE (checked at every redirect, and the connection goes to the
address that was checked); one time budget for the whole exchange, redirects included
(settings.FETCH_TIMEOUT_SECONDS), so a server dripping a byte a second cannot hold a worker;
a cap on the body read (settings.FETCH_MAX_BYTES); and a User-Agent naming Gongkai.

Built on the standard library's http.client: a request or two per task needs no pool, and
pinning the connection to a checked address is a few lines on its connection class.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.conf import settings

from gongkai import __version__
from gongkai.net import address, decode
from gongkai.net.errors import FetchFailed, FetchRefused

# ASCII only: header values go out as Latin-1.
USER_AGENT = f"Gongkai/{__version__} (government transparency platform; links and webhooks)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# Headers that must not follow a redirect to another host (a webhook's secret, say).
_PRIVATE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str  # the final URL, after redirects
    headers: dict[str, str]  # names lowercased; repeated headers joined with ", "
    body: bytes
    truncated: bool  # the body was longer than max_bytes and was cut there
    elapsed: float  # seconds, for the whole exchange
    redirects: int

    @cached_property
    def text(self) -> str:
        """The body decoded with the charset of the header, a <meta> tag, or a guess."""
        return decode.decode(self.headers.get("content-type", ""), self.body)

    @cached_property
    def title(self) -> str:
        """The HTML <title>, whitespace collapsed, or ""."""
        if not self.is_html:
            return ""
        return decode.title(self.text)

    @property
    def is_html(self) -> bool:
        kind = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind:
            return kind in ("text/html", "application/xhtml+xml")
        head = self.body[:1024].lower()
        return any(tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<title"))

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.seconds = seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchFailed(f"请求超时（超过 {self.seconds:g} 秒）")
        return left

    def elapsed(self) -> float:
        return time.monotonic() - self.start


class _PinnedConnection(http.client.HTTPConnection):
    """Connects to one of the checked addresses while speaking to `host` (Host header)."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def _open(self) -> socket.socket:
        error: OSError | None = None
        for ip in self.addresses:
            try:
                sock = socket.create_connection((ip, self.port), self.timeout)
            except OSError as exc:
                error = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        assert error is not None  # addresses is never empty (address.resolve)
        raise error

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedTLSConnection(_PinnedConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        context = ssl.create_default_context()
        # The certificate is checked against the host name, not the address connected to.
        self.sock = context.wrap_socket(self._open(), server_hostname=self.host)


def _body(json: Any, data: bytes | str | Mapping[str, str] | None) -> tuple[bytes | None, str]:
    if json is not None:
        return jsonlib.dumps(json, ensure_ascii=False).encode(), "application/json; charset=utf-8"
    if isinstance(data, Mapping):
        return urlencode(data).encode(), "application/x-www-form-urlencoded"
    if isinstance(data, str):
        return data.encode(), "text/plain; charset=utf-8"
    return data, ""


def _read(
    response: http.client.HTTPResponse, sock: socket.socket, limit: int, deadline: _Deadline
) -> tuple[bytes, bool]:
    """Read at most `limit` bytes of the (decompressed) body; True if there was more."""
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    # We ask for identity; a server that compresses anyway is decoded, within the same cap.
    inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        sock.settimeout(deadline.left())
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, limit + 1 - size)
            except zlib.error as exc:
                raise FetchFailed("服务器返回的压缩内容无法解开") from exc
            if inflate.unconsumed_tail:  # more output waiting than the cap allows
                parts.append(chunk)
                size += len(chunk)
                break
        parts.append(chunk)
        size += len(chunk)
    body = b"".join(parts)
    return body[:limit], len(body) > limit


def fetch(
    url: str,
    *,
    method: str = "GET",
    json: Any = None,
    data: bytes | str | Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allow_private: bool | None = None,
    max_redirects: int = 5,
) -> FetchResult:
    """Send one request, follow redirects, and return the final response (any status).

    Raises FetchRefused for a URL Gongkai will not request and FetchFailed when no response
    came (DNS, connection, TLS, timeout, too many redirects). A 404 or 500 is a result, not
    an error: callers decide what a status means.
    """
    seconds = float(timeout if timeout is not None else settings.FETCH_TIMEOUT_SECONDS)
    limit = int(max_bytes if max_bytes is not None else settings.FETCH_MAX_BYTES)
    private = bool(settings.FETCH_ALLOW_PRIVATE if allow_private is None else allow_private)
    deadline = _Deadline(seconds)
    body, body_type = _body(json, data)
    sent: dict[str, str] = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Language": "zh-CN,zh;q=0.9",
    }
    if body_type:
        sent["Content-Type"] = body_type
    sent.update(headers or {})
    method = method.upper()
    redirects = 0
    while True:
        response, conn, sock = _send(url, method, body, sent, private, deadline)
        try:
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                redirects += 1
                if redirects > max_redirects:
                    raise FetchFailed(f"重定向次数超过 {max_redirects} 次：{url[:200]}")
                try:
                    target = urljoin(url, location.strip())
                except ValueError as exc:
                    raise FetchFailed(f"重定向地址格式不正确：{location[:200]}") from exc
                if response.status == 303 or (
                    response.status in (301, 302) and method not in ("GET", "HEAD")
                ):
                    method, body = ("HEAD" if method == "HEAD" else "GET"), None
                    sent = {k: v for k, v in sent.items() if k.lower() != "content-type"}
                if urlsplit(target).hostname != urlsplit(url).hostname:
                    sent = {k: v for k, v in sent.items() if k.lower() not in _PRIVATE_HEADERS}
                url = target
                continue
            content, truncated = (
                (b"", False) if method == "HEAD" else _read(response, sock, limit, deadline)
            )
            return FetchResult(
                status=response.status,
                url=url,
                headers=_headers(response),
                body=content,
                truncated=truncated,
                elapsed=deadline.elapsed(),
                redirects=redirects,
            )
        except TimeoutError as exc:
            raise FetchFailed(f"读取响应超时（超过 {seconds:g} 秒）") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchFailed(f"读取响应失败：{_reason(exc)}") from exc
        finally:
            response.close()
            conn.close()


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _send(
    url: str,
    method: str,
    body: bytes | None,
    headers: dict[str, str],
    allow_private: bool,
    deadline: _Deadline,
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection, socket.socket]:
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # an unbalanced [ in the host, and the like
        raise FetchFailed(f"链接地址格式不正确：{url[:200]}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"只能访问 http 或 https 地址：{url[:200]}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a port that is not a number, or out of range
        raise FetchFailed(f"链接地址格式不正确：{url[:200]}") from exc
    if not host:
        raise FetchFailed(f"链接地址缺少域名：{url[:200]}")
    port = port or (443 if scheme == "https" else 80)
    addresses = address.resolve(host, port, allow_private=allow_private)
    kind = _PinnedTLSConnection if scheme == "https" else _PinnedConnection
    conn = kind(host, port, addresses, deadline.left())
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    # Pages on Chinese sites link to paths such as /公开/目录.html; send them percent-encoded.
    target = quote(target, safe="/?&=%:;@!$'()*+,~[]")
    try:
        conn.connect()
        assert conn.sock is not None
        sock: socket.socket = conn.sock
        conn.request(method, target, body=body, headers=headers)
        sock.settimeout(deadline.left())
        response = conn.getresponse()
    except FetchFailed:
        conn.close()
        raise
    except TimeoutError as exc:
        conn.close()
        raise FetchFailed(f"连接 {host} 超时（超过 {deadline.seconds:g} 秒）") from exc
    except ssl.SSLCertVerificationError as exc:
        conn.close()
        raise FetchFailed(f"{host} 的 HTTPS 证书校验失败：{exc.verify_message}") from exc
    except ConnectionRefusedError as exc:
        conn.close()
        raise FetchFailed(f"{host} 拒绝连接") from exc
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise FetchFailed(f"无法访问 {host}：{_reason(exc)}") from exc
    return response, conn, sock


def _reason(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:200]
