"""The inspection crawler: what it follows, what it checks, what it refuses.

Each crawl runs in a child process (run_isolated: the Twisted reactor starts once per
process) against loopback servers started here; checks that need no crawl are tested on a
Site built by hand with a fake probe.
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from gongkai.inspect.checks.links import BrokenLink, WrongLink, names_document, similarity
from gongkai.inspect.checks.network import (
    BadDomain,
    Https,
    NewMediaStale,
    NoIPv6,
    SearchBroken,
    newest_date,
)
from gongkai.inspect.config import InspectConfig, NewMediaAccount
from gongkai.inspect.crawl import inspect_site, normalize_url, query_aaaa, trap_reason
from gongkai.inspect.errors import InspectError, InspectRefused
from gongkai.inspect.isolated import run_isolated
from gongkai.inspect.page import Page, SearchForm
from gongkai.inspect.site import LinkSource, LinkStatus, Site

# --- a loopback site -------------------------------------------------------------------------

Handler = Callable[["Request"], "Reply"]


@dataclass
class Request:
    method: str
    path: str  # decoded, without the query
    query: str
    handler: BaseHTTPRequestHandler


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None  # writes the body itself


def html(title: str, body: str, *, h1: str | None = None) -> Reply:
    heading = f"<h1>{h1}</h1>" if h1 is not None else ""
    return Reply(
        body=f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{heading}{body}</body></html>"
    )


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the crawler opens many connections at once


class SiteServer:
    """A threaded HTTP server on 127.0.0.1 with routes by path; counts requests."""

    def __init__(self, routes: dict[str, Reply | Handler]) -> None:
        self.routes = routes
        self.requests: Counter[str] = Counter()
        self.methods: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_HEAD(self) -> None:
                self._serve("HEAD")

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                path = unquote(parts.path, errors="surrogateescape")
                with server.lock:
                    server.requests[path] += 1
                    server.methods[(method, path)] += 1
                route = server.routes.get(path)
                if route is None:
                    reply = Reply(404, "<title>404</title>未找到")
                elif isinstance(route, Reply):
                    reply = route
                else:
                    reply = route(Request(method, path, parts.query, self))
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.stream is None:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if method == "HEAD":
                        return
                    if reply.stream is not None:
                        reply.stream(self)
                    else:
                        self.wfile.write(body)
                except OSError:
                    pass  # the client hung up (a size cap, a timeout)

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serve(routes: dict[str, Reply | Handler]) -> Iterator[SiteServer]:
    with SiteServer(routes) as server:
        yield server


def config_for(server: SiteServer, **options: Any) -> InspectConfig:
    options.setdefault("allow_private", True)
    options.setdefault("robots", False)
    options.setdefault("timeout", 5.0)
    options.setdefault("retries", 0)
    return InspectConfig(start_urls=[server.url], **options)


def findings_of(result: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["type"] == kind]


# --- crawling --------------------------------------------------------------------------------


def test_crawl_follows_the_site_checks_links_and_reports_broken_ones() -> None:
    external = SiteServer({"/ok": html("外站", "正常"), "/gone": Reply(404, "no")})
    site_routes: dict[str, Reply | Handler] = {}
    with serve(site_routes) as site, external:
        ext = f"http://localhost:{external.port}"
        site_routes.update(
            {
                "/": html(
                    "首页",
                    '<a href="/a.html">工作动态</a> <a href="/b.html">通知公告</a>'
                    '<a href="/missing.html">失效链接</a>'
                    f'<a href="{ext}/ok">外部正常</a> <a href="{ext}/gone">外部失效</a>'
                    '<img src="/logo.png" alt="标志"><img src="/nologo.png" alt="坏图">'
                    '<a href="/files/材料.pdf">附件</a>',
                ),
                "/a.html": html("工作动态", '<a href="/">首页</a><a href="/missing.html">再次</a>'),
                "/b.html": html("通知公告", '<a href="/c.html">下一级</a>'),
                "/c.html": html("内容", "正文"),
                "/logo.png": Reply(content_type="image/png", body=b"\x89PNG"),
                "/files/材料.pdf": Reply(content_type="application/pdf", body=b"%PDF-1.4 text"),
            }
        )
        result = run_isolated(config_for(site), timeout=60)
    assert result["pages_crawled"] == 4  # /, a, b, c
    broken = {f["url"]: f for f in findings_of(result, "broken_link")}
    assert set(broken) == {
        f"{site.url}missing.html",
        f"{site.url}nologo.png",
        f"http://localhost:{external.port}/gone",
    }
    missing = broken[f"{site.url}missing.html"]
    assert sorted(missing["source_urls"]) == sorted([site.url, f"{site.url}a.html"])
    assert "404" in missing["detail"] and "站内" in missing["detail"]
    assert "外部" in broken[f"http://localhost:{external.port}/gone"]["detail"]
    # External pages are checked, not crawled: a HEAD each, no GET of the page.
    assert external.methods[("HEAD", "/ok")] == 1 and external.methods[("GET", "/ok")] == 0
    # Resources are checked with HEAD; the attachment is fetched with GET.
    assert site.methods[("HEAD", "/logo.png")] == 1 and site.methods[("GET", "/logo.png")] == 0
    assert site.methods[("GET", "/files/材料.pdf")] == 1
    assert result["stats"]["attachments"] == 1
    # A file the privacy scanner cannot read is listed, not passed over in silence.
    unread = result["stats"]["attachments_unread"]
    assert [u["url"] for u in unread] == [site.url + "files/%E6%9D%90%E6%96%99.pdf"]
    assert unread[0]["reason"]
    # Every distinct URL once: pages, resources, the attachment, external links.
    assert all(n == 1 for path, n in site.requests.items() if path != "/nologo.png")
    assert result["links_checked"] == 10
    assert set(result) >= {"site", "started", "finished", "findings", "score"}


def test_urls_are_normalised_and_session_ids_dropped() -> None:
    routes: dict[str, Reply | Handler] = {}
    with serve(routes) as site:
        routes.update(
            {
                "/": html(
                    "首页",
                    '<a href="/a.html?jsessionid=A1">一</a><a href="/a.html;jsessionid=B2">二</a>'
                    '<a href="/a.html#top">三</a>'
                    '<a href="/a.html?PHPSESSID=x&amp;b=2&amp;a=1">四</a>'
                    '<a href="/a.html?a=1&amp;b=2">五</a>'
                    f'<a href="http://LOCALHOST:{site.port}/x.html">大写主机</a>',
                ),
                "/a.html": html("页面", "正文"),
            }
        )
        result = run_isolated(config_for(site), timeout=60)
    # /a.html and /a.html?a=1&b=2: each requested once, whatever the spelling.
    assert site.requests["/a.html"] == 2
    assert result["pages_crawled"] == 3


def test_normalize_url() -> None:
    assert normalize_url("HTTP://WWW.Example.GOV.cn:80/a?b=2&a=1#x") == (
        "http://www.example.gov.cn/a?a=1&b=2"
    )
    assert normalize_url("https://h:443/p;jsessionid=ABC?PHPSESSID=1&q=2") == "https://h/p?q=2"
    # sid is as often a column's id as a session's: kept.
    assert normalize_url("http://h/list.jsp?sid=12&page=2") == "http://h/list.jsp?page=2&sid=12"
    # Dropping a session id leaves the other values' bytes alone (GBK stays GBK).
    assert normalize_url("http://h/s.jsp?kw=%B9%AB%BF%AA&jsessionid=9") == (
        "http://h/s.jsp?kw=%B9%AB%BF%AA"
    )
    # A bare query is read whole by the page: not turned into 12345=.
    assert normalize_url("http://h/show.asp?12345") == "http://h/show.asp?12345"
    assert normalize_url("http://h/公开/目录.html") == (
        "http://h/%E5%85%AC%E5%BC%80/%E7%9B%AE%E5%BD%95.html"
    )
    assert normalize_url("http://h/%B9%AB%BF%AA.html") == "http://h/%B9%AB%BF%AA.html"
    assert normalize_url("http://例子.政务/") == "http://xn--fsqu00a.xn--zfr164b/"
    for bad in (
        "mailto:a@b.cn",
        "javascript:void(0)",
        "ftp://h/x",
        "http:///nohost",
        "http://h:x/",
    ):
        assert normalize_url(bad) is None


def test_a_start_url_that_moves_to_another_host_takes_the_site_with_it() -> None:
    routes: dict[str, Reply | Handler] = {}
    with serve(routes) as site:
        moved = site.url.replace("127.0.0.1", "localhost")
        routes.update(
            {
                "/": Reply(302, b"", headers={"Location": moved + "index.html"}),
                "/index.html": html("首页", '<a href="/a.html">工作动态</a>'),
                "/a.html": html("工作动态", "正文"),
            }
        )
        result = run_isolated(config_for(site), timeout=60)
    assert result["pages_crawled"] == 2  # index.html and a.html, on localhost


def test_a_raw_utf8_location_is_followed() -> None:
    routes: dict[str, Reply | Handler] = {
        "/": html("首页", '<a href="/cn">目录</a>'),
        # Raw UTF-8 bytes on the wire (send_header writes Latin-1).
        "/cn": Reply(302, b"", headers={"Location": "/公开/目录.html".encode().decode("latin-1")}),
        "/公开/目录.html": html("目录", "正文"),
    }
    with serve(routes) as site:
        result = run_isolated(config_for(site), timeout=60)
    assert findings_of(result, "broken_link") == []
    assert result["pages_crawled"] == 2


def test_trap_guards() -> None:
    today = dt.date(2026, 3, 1)
    assert trap_reason("http://h/cal?year=2031&month=1", today) == "日历链接"
    assert trap_reason("http://h/cal?year=2025&month=1", today) == ""
    assert trap_reason("http://h/a/b/a/b/a/x.html", today) == "路径重复"
    assert trap_reason("http://h/" + "d/" * 25, today) == "路径层级过深"
    assert trap_reason("http://h/?q=" + "x" * 3000, today) == "链接过长"


def test_calendar_and_endless_query_strings_are_capped() -> None:
    def calendar(request: Request) -> Reply:
        n = int(request.query.split("=")[-1] or 0) if request.query else 0
        return html(f"日历{n}", f'<a href="/cal?day={n + 1}">下一天</a>')

    with serve({"/": html("首页", '<a href="/cal?day=1">日历</a>'), "/cal": calendar}) as site:
        result = run_isolated(config_for(site, max_depth=500), timeout=60)
    assert site.requests["/cal"] == 50
    assert result["stats"]["trap_skipped"] == 1


def test_a_cms_serving_every_article_from_one_script_is_crawled_whole() -> None:
    def article(request: Request) -> Reply:
        n = int(request.query.split("=")[-1])
        return Reply(404, "gone") if n % 4 == 0 else html(f"文章{n}", "正文")

    links = "".join(f'<a href="/show.php?id={n}">文章{n}</a>' for n in range(1, 201))
    with serve({"/": html("首页", links), "/show.php": article}) as site:
        result = run_isolated(config_for(site), timeout=60)
    assert site.requests["/show.php"] == 200
    assert len(findings_of(result, "broken_link")) == 50
    assert result["stats"].get("trap_skipped", 0) == 0


def test_max_pages_and_max_depth() -> None:
    def chain(request: Request) -> Reply:
        n = int(request.path.strip("/p").removesuffix(".html"))
        return html(f"第{n}页", f'<a href="/p{n + 1}.html">下一页</a>')

    routes: dict[str, Reply | Handler] = {"/": html("首页", '<a href="/p1.html">开始</a>')}
    routes.update({f"/p{n}.html": chain for n in range(1, 40)})
    with serve(routes) as site:
        deep = run_isolated(config_for(site, max_depth=5), timeout=60)
    assert deep["pages_crawled"] == 6  # the home page and 5 clicks
    with serve(routes) as site:
        few = run_isolated(config_for(site, max_pages=3), timeout=60)
    assert few["pages_crawled"] == 3
    # What the re-check reached, for closing tickets on evidence only.
    assert deep["stats"]["hit_page_cap"] and few["stats"]["hit_page_cap"]
    assert few["stats"]["home_status"] == 200
    assert few["stats"]["fetched_ok"] == sorted(
        [site.url, site.url + "p1.html", site.url + "p2.html"]
    )
    assert few["stats"]["checked"] == few["stats"]["fetched_ok"]
    assert "broken_link" in few["stats"]["checks"] and "privacy_leak" in few["stats"]["checks"]
    with serve(routes) as site:
        whole = run_isolated(config_for(site, max_depth=100), timeout=60)
    assert whole["pages_crawled"] == 40 and not whole["stats"]["hit_page_cap"]


def test_robots_txt_is_respected_when_asked() -> None:
    routes: dict[str, Reply | Handler] = {
        "/robots.txt": Reply(
            content_type="text/plain", body="User-agent: *\nDisallow: /private/\n"
        ),
        "/": html("首页", '<a href="/private/x.html">内部</a><a href="/open.html">公开</a>'),
        "/private/x.html": html("内部", "不应抓取"),
        "/open.html": html("公开", "正文"),
    }
    with serve(routes) as site:
        polite = run_isolated(config_for(site, robots=True), timeout=60)
    assert site.requests["/private/x.html"] == 0 and site.requests["/open.html"] == 1
    assert polite["stats"]["robots_skipped"] == 1
    assert not findings_of(polite, "broken_link")
    with serve(routes) as site:
        run_isolated(config_for(site, robots=False), timeout=60)
    assert site.requests["/private/x.html"] == 1


def test_a_start_page_robots_txt_forbids_says_so() -> None:
    routes: dict[str, Reply | Handler] = {
        "/": html("首页", "正文"),
        "/robots.txt": Reply(body="User-agent: *\nDisallow: /\n", content_type="text/plain"),
    }
    with serve(routes) as site, pytest.raises(InspectError, match=r"robots\.txt 禁止抓取"):
        run_isolated(config_for(site, robots=True), timeout=60)


def test_head_refused_falls_back_to_get() -> None:
    def no_head(request: Request) -> Reply:
        return Reply(405, "") if request.method == "HEAD" else html("图片页", "ok")

    routes: dict[str, Reply | Handler] = {
        "/": html("首页", '<img src="/pic.jpg"><script src="/app.js"></script>'),
        "/pic.jpg": no_head,
        "/app.js": Reply(content_type="application/javascript", body="1"),
    }
    with serve(routes) as site:
        result = run_isolated(config_for(site), timeout=60)
    assert site.methods[("HEAD", "/pic.jpg")] == 1 and site.methods[("GET", "/pic.jpg")] == 1
    assert not findings_of(result, "broken_link")


def test_progress_is_reported() -> None:
    seen: list[tuple[int, int, str]] = []
    routes: dict[str, Reply | Handler] = {"/": html("首页", '<a href="/a.html">一</a>')}
    routes["/a.html"] = html("一", "正文")
    with serve(routes) as site:
        run_isolated(config_for(site), progress=lambda *a: seen.append(a), timeout=60)
    assert seen and seen[-1][0] == 2 and seen[-1][1] == 2000
    assert all(isinstance(m, str) and m for _d, _t, m in seen)


# --- the SSRF guard ----------------------------------------------------------------------------


def test_private_targets_are_refused_before_any_request() -> None:
    with serve({"/": html("首页", "正文")}) as site:
        for url in (site.url, f"http://localhost:{site.port}/", f"http://[::1]:{site.port}/"):
            with pytest.raises(InspectRefused, match="不允许访问内网或本机地址"):
                inspect_site(InspectConfig(start_urls=[url]))
            with pytest.raises(InspectRefused, match="不允许访问内网或本机地址"):
                run_isolated(InspectConfig(start_urls=[url]), timeout=60)
    assert site.requests == Counter()
    with pytest.raises(InspectRefused, match="网址"):
        inspect_site(InspectConfig(start_urls=["file:///etc/passwd"], allow_private=True))


GUARD_SCRIPT = textwrap.dedent(
    """
    import ipaddress, json, socket, sys
    import gongkai.net.address as address
    from gongkai.inspect.config import InspectConfig
    from gongkai.inspect.crawl import inspect_site

    port = int(sys.argv[1])
    real = socket.getaddrinfo
    calls = {}
    # Pretend 127.0.0.1 is a public server named public.test, and that intranet.test points
    # into the network (127.0.0.2); rebind.test answers public first, private afterwards.
    def fake(host, *args, **kwargs):
        calls[host] = calls.get(host, 0) + 1
        answer = {"public.test": "127.0.0.1", "intranet.test": "127.0.0.2"}.get(host)
        if host == "rebind.test":
            answer = "127.0.0.1" if calls[host] == 1 else "127.0.0.2"
        if answer is None:
            return real(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]
    socket.getaddrinfo = fake
    original = address.is_public
    address.is_public = lambda ip: str(ip) == "127.0.0.1" or original(ip)
    config = InspectConfig(
        start_urls=[f"http://public.test:{port}/"], retries=1, robots=False, workers=1
    )
    result = inspect_site(config)
    print(json.dumps({"result": result.to_json(), "calls": calls}, ensure_ascii=False))
    """
)


def test_resolver_refuses_private_addresses_and_resolves_each_name_once() -> None:
    def landing(request: Request) -> Reply:
        host = request.handler.headers.get("Host", "")
        return html("页面", f"来自 {host}")

    routes: dict[str, Reply | Handler] = {"/page": landing}
    with serve(routes) as site:
        routes["/"] = html(
            "首页",
            f'<a href="http://intranet.test:{site.port}/page">内网</a>'
            f'<a href="http://127.0.0.2:{site.port}/page">内网地址</a>'
            f'<a href="http://rebind.test:{site.port}/page">换绑</a>'
            f'<a href="http://rebind.test:{site.port}/page?again=1">换绑二</a>',
        )
        run = subprocess.run(
            [sys.executable, "-c", GUARD_SCRIPT, str(site.port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    import json

    out = json.loads(run.stdout.strip().splitlines()[-1])
    broken = {f["url"]: f for f in findings_of(out["result"], "broken_link")}
    port = site.port
    assert "不允许访问内网或本机地址" in broken[f"http://intranet.test:{port}/page"]["detail"]
    assert "不允许访问内网或本机地址" in broken[f"http://127.0.0.2:{port}/page"]["detail"]
    # rebind.test was resolved once (to the "public" address) for both of its links.
    assert out["calls"]["rebind.test"] == 1
    assert f"http://rebind.test:{port}/page" not in broken
    assert site.requests["/page"] == 2  # the two rebind.test links; nothing else got through


# --- the checks, on a site built by hand --------------------------------------------------------


class FakeProbe:
    def __init__(self, pages: dict[str, tuple[int | None, str]], aaaa: dict[str, bool]) -> None:
        self.pages = pages
        self.aaaa = aaaa
        self.asked: list[str] = []

    def has_aaaa(self, host: str) -> bool | None:
        return self.aaaa.get(host)

    def get(self, url: str) -> LinkStatus:
        return self.get_text(url)[0]

    def get_text(self, url: str) -> tuple[LinkStatus, str]:
        self.asked.append(url)
        status, text = self.pages.get(url, (None, ""))
        return LinkStatus(url, status, error="" if status else "连接被拒绝"), text


def make_site(hosts: set[str], probe: FakeProbe, *, home_url: str = "", **config: Any) -> Site:
    host = sorted(hosts)[0]
    home = home_url or f"https://{host}/"
    return Site(
        config=InspectConfig(start_urls=[home], **config),
        today=dt.date(2026, 3, 20),
        home_url=home,
        hosts=hosts,
        probe=probe,
        start_scheme=urlsplit(home).scheme,
    )


def test_broken_link_lists_reasons_and_sources() -> None:
    site = make_site({"www.a.gov.cn"}, FakeProbe({}, {}))
    site.statuses["https://www.a.gov.cn/x"] = LinkStatus("https://www.a.gov.cn/x", 500)
    site.statuses["https://b.cn/"] = LinkStatus("https://b.cn/", None, "请求超时（超过 15 秒）",
                                               internal=False)  # fmt: skip
    site.statuses["https://www.a.gov.cn/ok"] = LinkStatus("https://www.a.gov.cn/ok", 200)
    site.link("https://www.a.gov.cn/x", LinkSource("https://www.a.gov.cn/", "链接"))
    site.link("https://b.cn/", LinkSource("https://www.a.gov.cn/p", "外站"))
    found = {f.url: f for f in BrokenLink().on_finish(site)}
    assert set(found) == {"https://www.a.gov.cn/x", "https://b.cn/"}
    assert "500" in found["https://www.a.gov.cn/x"].detail
    assert found["https://b.cn/"].source_urls == ["https://www.a.gov.cn/p"]
    assert "超时" in found["https://b.cn/"].detail


def test_wrong_link_is_conservative() -> None:
    site = make_site({"www.a.gov.cn"}, FakeProbe({}, {}))
    pages = {
        "https://www.a.gov.cn/1": "关于开展全市安全生产大检查的通知",
        "https://www.a.gov.cn/2": "关于印发2025年政务公开工作要点的通知",
        "https://www.a.gov.cn/3": "关于做好防汛抗旱工作的意见",
    }
    for url, title in pages.items():
        site.statuses[url] = LinkStatus(url, 200, title=f"{title}_某某市人民政府")
    home = "https://www.a.gov.cn/"
    # Text names another document than the one the page is: wrong.
    site.link("https://www.a.gov.cn/1", LinkSource(home, "关于印发2025年政务公开工作要点的通知"))
    # Shortened but the same document: right.
    site.link("https://www.a.gov.cn/2", LinkSource(home, "关于印发2025年政务公开工作要..."))
    # Generic texts never fire.
    site.link("https://www.a.gov.cn/3", LinkSource(home, "更多"))
    site.link("https://www.a.gov.cn/3", LinkSource(home, "详情"))
    found = list(WrongLink().on_finish(site))
    assert [f.url for f in found] == ["https://www.a.gov.cn/1"]
    assert found[0].source_urls == [home]
    assert names_document("《中华人民共和国政府信息公开条例》")
    assert names_document("京政发〔2024〕3号")
    assert not names_document("下一页") and not names_document("工作动态")
    assert similarity("政务公开工作要点", "2025年政务公开工作要点") == 1.0


def test_wrong_link_ignores_titles_many_pages_share() -> None:
    site = make_site({"www.a.gov.cn"}, FakeProbe({}, {}))
    for n in range(3):
        url = f"https://www.a.gov.cn/{n}"
        site.statuses[url] = LinkStatus(url, 200, title="某某市人民政府门户网站")
        site.link(url, LinkSource("https://www.a.gov.cn/", "关于开展全市安全生产大检查的通知"))
    assert list(WrongLink().on_finish(site)) == []


def test_bad_domain() -> None:
    probe = FakeProbe({}, {})
    site = make_site({"www.a.gov.cn", "a.com", "cdn.example.org", "例子.政务", "1.2.3.4"}, probe,
                     domain_exempt=["example.org"])  # fmt: skip
    found = sorted(f.url for f in BadDomain().on_finish(site))
    assert found == ["https://1.2.3.4/", "https://a.com/"]
    assert [f.url for f in BadDomain({"exempt": ["a.com"]}).on_finish(site)] == ["https://1.2.3.4/"]
    lab = make_site({"127.0.0.1"}, probe, allow_private=True)
    assert list(BadDomain().on_finish(lab)) == []


def test_no_ipv6_and_https() -> None:
    probe = FakeProbe({"https://www.a.gov.cn/": (None, "")}, {"www.a.gov.cn": False})
    site = make_site({"www.a.gov.cn", "10.0.0.1"}, probe, home_url="http://www.a.gov.cn/")
    ipv6 = list(NoIPv6().on_finish(site))
    assert [f.url for f in ipv6] == ["http://www.a.gov.cn/"]  # the IP literal is skipped
    https = Https()
    page = Page(url="https://www.a.gov.cn/p", final_url="", status=200, content_type="", depth=1)
    page.mixed_content = ["http://www.a.gov.cn/x.js"]
    https.on_page(page, site)
    found = {f.url: f for f in https.on_finish(site)}
    assert "不支持 HTTPS" in found["https://www.a.gov.cn/"].detail
    assert found["http://www.a.gov.cn/x.js"].source_urls == ["https://www.a.gov.cn/p"]
    ok = FakeProbe({"https://www.a.gov.cn/": (200, "")}, {"www.a.gov.cn": True})
    good = make_site({"www.a.gov.cn"}, ok, home_url="http://www.a.gov.cn/")
    assert list(NoIPv6().on_finish(good)) == [] and list(Https().on_finish(good)) == []


def test_search_broken() -> None:
    home = Page(url="https://www.a.gov.cn/", final_url="", status=200, content_type="", depth=0)
    site = make_site({"www.a.gov.cn"}, FakeProbe({}, {}))
    site.home_page = home
    assert "未找到站内搜索框" in next(iter(SearchBroken().on_finish(site))).detail
    home.search_forms = [SearchForm("https://www.a.gov.cn/search?site=1", "get", "q")]
    query = "https://www.a.gov.cn/search?site=1&q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80"
    for answer, fires in (
        ((500, ""), True),
        ((200, "<p>共 0 条，没有找到相关结果</p>"), True),
        ((200, "<p>政务公开 共 35 条结果</p><a>政务公开工作要点</a>"), False),
    ):
        site.probe = FakeProbe({query: answer}, {})
        found = list(SearchBroken().on_finish(site))
        assert bool(found) is fires, answer


def test_new_media_stale() -> None:
    feed = "<rss><channel><item><pubDate>Mon, 02 Mar 2026 08:00:00 +0800</pubDate></item>"
    feed += "<item><pubDate>Tue, 10 Feb 2026 08:00:00 +0800</pubDate></item></channel></rss>"
    atom = "<feed><entry><updated>2026-03-15T10:00:00Z</updated></entry></feed>"
    page = "<ul><li>发布于 2026年1月5日</li><li>2099-01-01 预告</li></ul>"
    probe = FakeProbe(
        {
            "https://f/rss": (200, feed),
            "https://f/atom": (200, atom),
            "https://f/page": (200, page),
        },
        {},
    )
    accounts = [
        NewMediaAccount("订阅号", "https://f/rss", "微信"),
        NewMediaAccount("微博", "https://f/atom"),
        NewMediaAccount("头条号", "https://f/page"),
        NewMediaAccount("已关停", "https://f/gone"),
    ]
    site = make_site({"www.a.gov.cn"}, probe, new_media=accounts)
    found = {f.url: f for f in NewMediaStale().on_finish(site)}
    assert set(found) == {"https://f/rss", "https://f/page", "https://f/gone"}
    assert "18 天未更新" in found["https://f/rss"].detail
    assert "无法访问" in found["https://f/gone"].detail
    # A site option may be stricter than the national 14 days (the atom feed, 5 days old,
    # is stale under 3), never looser: 20 counts as 14.
    assert set(found) == {f.url for f in NewMediaStale({"days": 20}).on_finish(site)}
    assert {f.url for f in NewMediaStale({"days": 3}).on_finish(site)} == set(found) | {
        "https://f/atom"
    }
    assert newest_date(page, dt.date(2026, 3, 20)) == dt.date(2026, 1, 5)  # not the future one


def test_aaaa_lookup_against_a_configured_nameserver() -> None:
    import struct

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]

    def answer() -> None:
        for _ in range(2):
            data, peer = sock.recvfrom(512)
            ident = data[:2]
            name_end = data.index(b"\0", 12) + 1
            question = data[12 : name_end + 4]
            has = b"\x04ipv6" in question
            header = ident + struct.pack(">HHHHH", 0x8180, 1, 1 if has else 0, 0, 0)
            record = b""
            if has:
                record = b"\xc0\x0c" + struct.pack(">HHIH", 28, 1, 60, 16) + bytes(16)
            sock.sendto(header + question + record, peer)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    assert query_aaaa("ipv6.example.gov.cn", f"127.0.0.1:{port}", timeout=2) is True
    assert query_aaaa("only4.example.gov.cn", f"127.0.0.1:{port}", timeout=2) is False
    thread.join(2)
    sock.close()


def test_link_targets_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.inspect.crawl import frontier as frontier_module
    from gongkai.inspect.crawl.frontier import CrawlState, Frontier
    from gongkai.inspect.crawl.guard import Guard
    from gongkai.inspect.page import parse_page
    from gongkai.inspect.site import QuietProbe

    monkeypatch.setattr(frontier_module, "MAX_TARGETS", 100)
    home = "http://www.example.gov.cn/"
    config = InspectConfig([home], max_pages=10)
    site = Site(config, dt.date(2026, 3, 2), home, {"www.example.gov.cn"}, QuietProbe())
    state = CrawlState(config=config, site=site, checks=[], guard=Guard(allow_private=False))
    links = "".join(f'<a href="/p{n}.html">第{n}页</a>' for n in range(1000))
    body = f"<html><body>{links}</body></html>".encode()
    page = parse_page(home, home, 200, "text/html", body, is_home=True)
    tasks = Frontier(state).follow(page)
    assert len(tasks) == 10  # max_pages
    assert len(site.targets) == 100  # the rest were counted, not kept
    assert state.counters["targets_not_kept"] == 900
