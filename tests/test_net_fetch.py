"""The outbound HTTP module against a real server on loopback: redirects, caps, timeouts,
decoding, and the refusal of private addresses (also when a redirect points at one)."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gongkai.net import USER_AGENT, FetchFailed, FetchRefused, fetch
from gongkai.net import address as net_address


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0


class PageServer:
    """An HTTP server on 127.0.0.1 serving the pages a test sets; it records the requests."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                page = server.pages.get(self.path, Page(404, b"<title>Not Found</title>"))
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value.replace("{base}", server.base))
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if self.command != "HEAD":
                    # The client may stop reading at its size cap.
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(page.body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.base = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def page(self, path: str, body: bytes | str = b"", **kwargs: Any) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = Page(body=data, **kwargs)
        return self.base + path

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.page(path, status=status, headers={"Location": to})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[PageServer]:
    s = PageServer()
    yield s
    s.close()


def test_fetch_returns_status_headers_body_and_title(server: PageServer) -> None:
    url = server.page(
        "/notice",
        "<html><head><title>\n  关于公开 2026 年\n 预算的通知 </title></head>"
        "<body>正文</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8", "X-Site": "gov"},
    )
    result = fetch(url, allow_private=True)
    assert result.status == 200
    assert result.ok
    assert result.url == url
    assert result.headers["x-site"] == "gov"
    assert result.title == "关于公开 2026 年 预算的通知"
    assert "正文" in result.text
    assert result.redirects == 0
    assert not result.truncated
    assert result.elapsed < 5
    assert server.requests[0]["headers"]["User-Agent"] == USER_AGENT
    assert "Gongkai" in USER_AGENT


def test_gbk_page_is_decoded_from_its_meta_charset(server: PageServer) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>区司法局政务公开专栏</title></head><body>镕</body></html>"
    )
    url = server.page("/gbk", html.encode("gbk"), headers={"Content-Type": "text/html"})
    result = fetch(url, allow_private=True)
    assert result.title == "区司法局政务公开专栏"
    assert "镕" in result.text  # a GBK-only character on a page labelled gb2312


def test_header_charset_wins_and_unlabelled_gbk_is_guessed(server: PageServer) -> None:
    labelled = server.page(
        "/h",
        "<title>财政预决算</title>".encode("gb18030"),
        headers={"Content-Type": "text/html; charset=GBK"},
    )
    bare = server.page("/b", "<title>财政预决算</title>".encode("gbk"), headers={})
    assert fetch(labelled, allow_private=True).title == "财政预决算"
    assert fetch(bare, allow_private=True).title == "财政预决算"


def test_non_html_has_no_title(server: PageServer) -> None:
    url = server.page(
        "/f.pdf", b"%PDF-1.4 <title>x</title>", headers={"Content-Type": "application/pdf"}
    )
    assert fetch(url, allow_private=True).title == ""


def test_404_is_a_result_not_an_error(server: PageServer) -> None:
    result = fetch(server.base + "/missing", allow_private=True)
    assert result.status == 404
    assert not result.ok


def test_redirects_are_followed_and_counted(server: PageServer) -> None:
    final = server.page("/final", "<title>终点</title>")
    server.redirect("/b", "/final", status=301)
    start = server.redirect("/a", server.base + "/b")
    result = fetch(start, allow_private=True)
    assert (result.status, result.url, result.redirects, result.title) == (200, final, 2, "终点")


def test_too_many_redirects_fail(server: PageServer) -> None:
    url = server.redirect("/loop", "/loop")
    with pytest.raises(FetchFailed, match="重定向次数超过 3 次"):
        fetch(url, allow_private=True, max_redirects=3)
    assert len(server.requests) == 4


def test_post_303_becomes_get_and_json_is_sent(server: PageServer) -> None:
    server.page("/done", "ok")
    url = server.redirect("/hook", "/done", status=303)
    result = fetch(url, method="POST", json={"text": "提醒"}, allow_private=True)
    assert result.status == 200
    first, second = server.requests
    assert first["method"] == "POST"
    assert json.loads(first["body"]) == {"text": "提醒"}
    assert first["headers"]["Content-Type"].startswith("application/json")
    assert second["method"] == "GET"
    assert second["body"] == b""


def test_authorization_is_not_sent_to_another_host(server: PageServer) -> None:
    server.page("/there", "ok")
    # 127.0.0.1 and localhost are different host names for the same server.
    port = server.httpd.server_address[1]
    url = server.redirect("/here", f"http://localhost:{port}/there")
    fetch(url, headers={"Authorization": "Bearer secret"}, allow_private=True)
    assert server.requests[0]["headers"].get("Authorization") == "Bearer secret"
    assert "Authorization" not in server.requests[1]["headers"]


def test_body_is_cut_at_max_bytes(server: PageServer) -> None:
    url = server.page("/big", b"x" * 300_000, headers={"Content-Type": "text/plain"})
    result = fetch(url, allow_private=True, max_bytes=1000)
    assert result.truncated
    assert result.body == b"x" * 1000
    whole = fetch(url, allow_private=True, max_bytes=300_000)
    assert not whole.truncated
    assert len(whole.body) == 300_000


def test_size_cap_comes_from_settings(server: PageServer, settings: Any) -> None:
    settings.FETCH_MAX_BYTES = 10
    settings.FETCH_ALLOW_PRIVATE = True
    result = fetch(server.page("/p", b"0123456789abcdef"))
    assert (result.body, result.truncated) == (b"0123456789", True)


def test_slow_server_times_out(server: PageServer) -> None:
    url = server.page("/slow", "late", delay=2.0)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="超时"):
        fetch(url, allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_timeout_comes_from_settings(server: PageServer, settings: Any) -> None:
    settings.FETCH_TIMEOUT_SECONDS = 1
    settings.FETCH_ALLOW_PRIVATE = True
    with pytest.raises(FetchFailed, match="超时"):
        fetch(server.page("/slow", "late", delay=1.5))


def test_connection_refused_fails(server: PageServer) -> None:
    port = server.httpd.server_address[1]
    server.close()
    with pytest.raises(FetchFailed, match="拒绝连接"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True, timeout=2)


def test_unknown_host_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchFailed, match=r"无法解析域名 www\.nowhere\.gov\.cn"):
        fetch("https://www.nowhere.gov.cn/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.1.1/admin",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[2002:7f00:1::]/",  # 6to4 for 127.0.0.1
        "http://[2002:a9fe:a9fe::]/",  # 6to4 for 169.254.169.254
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
        "http://2130706433/",  # 127.0.0.1 written as a number
        "http://224.0.0.1/",
    ],
)
def test_private_and_local_addresses_are_refused(url: str, settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchRefused, match="不允许访问内网或本机地址"):
        fetch(url)


@pytest.mark.parametrize("url", ["ftp://example.gov.cn/a", "file:///etc/passwd", "gopher://x/"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchRefused, match="只能访问 http 或 https"):
        fetch(url, allow_private=True)


def test_loopback_server_is_refused_unless_allowed(server: PageServer, settings: Any) -> None:
    url = server.page("/p", "<title>本机</title>")
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchRefused):
        fetch(url)
    assert server.requests == []
    settings.FETCH_ALLOW_PRIVATE = True
    assert fetch(url).title == "本机"


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat 127.0.0.1 as a public address, so the test server stands for a public site
    while every other private address is still refused."""
    real = net_address.is_public

    def is_public(ip: net_address.IPAddress) -> bool:
        return ip == ipaddress.ip_address("127.0.0.1") or real(ip)

    monkeypatch.setattr(net_address, "is_public", is_public)


@pytest.mark.usefixtures("loopback_is_public")
@pytest.mark.parametrize(
    "target", ["http://10.0.0.5/internal", "http://169.254.169.254/", "http://[::1]:8080/"]
)
def test_redirect_to_a_private_address_is_refused(server: PageServer, target: str) -> None:
    url = server.redirect("/jump", target)
    with pytest.raises(FetchRefused, match="不允许访问内网或本机地址"):
        fetch(url, allow_private=False)
    assert [r["path"] for r in server.requests] == ["/jump"]


@pytest.mark.usefixtures("loopback_is_public")
def test_connection_goes_to_the_checked_address(
    server: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that answers the check with one address and the connection with another
    (DNS rebinding) cannot slip through: the address checked is the address connected to."""
    port = server.httpd.server_address[1]
    answers = iter(["127.0.0.1", "10.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "site.example.cn":
            ip = next(answers)
            return real(ip, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.page("/p", "<title>公开</title>")
    result = fetch(f"http://site.example.cn:{port}/p", allow_private=False)
    assert result.title == "公开"
    assert server.requests[0]["headers"]["Host"] == f"site.example.cn:{port}"
    assert next(answers) == "10.0.0.1"  # resolved once only


# -- HTTPS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for site.example.cn (made with the openssl command)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=site.example.cn",
            "-addext",
            "subjectAltName=DNS:site.example.cn",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[PageServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    s = PageServer(tls=context)
    s.page("/p", "<title>安全连接</title>")
    yield s
    s.close()


@pytest.fixture
def names_on_loopback(monkeypatch: pytest.MonkeyPatch, loopback_is_public: None) -> None:
    """Every *.example.cn name resolves to 127.0.0.1, which counts as public."""
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host.endswith(".example.cn") else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.fixture
def trust(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> None:
    """Trust the test certificate as if a public CA had issued it."""
    make = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: make(cafile=str(certificate[0])))


@pytest.mark.usefixtures("names_on_loopback", "trust")
def test_https_checks_the_certificate_against_the_host_name(tls_server: PageServer) -> None:
    port = tls_server.httpd.server_address[1]
    result = fetch(f"https://site.example.cn:{port}/p", allow_private=False)
    assert (result.status, result.title) == (200, "安全连接")
    with pytest.raises(FetchFailed, match=r"other\.example\.cn 的 HTTPS 证书校验失败"):
        fetch(f"https://other.example.cn:{port}/p", allow_private=False)


@pytest.mark.usefixtures("names_on_loopback")
def test_https_with_an_untrusted_certificate_fails(tls_server: PageServer) -> None:
    port = tls_server.httpd.server_address[1]
    with pytest.raises(FetchFailed, match="HTTPS 证书校验失败"):
        fetch(f"https://site.example.cn:{port}/p", allow_private=False)
