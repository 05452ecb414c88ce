"""The inspection finishes and reports what it met on a hostile or broken site: malformed
HTML, binary served as HTML, a 100 MB page, a slow server, a redirect loop, links in odd
encodings and with Chinese characters in the path."""

from __future__ import annotations

import os
import time
from http.server import BaseHTTPRequestHandler

import pytest

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.errors import InspectError
from gongkai.inspect.isolated import run_isolated
from tests.test_inspect_crawl import Reply, Request, config_for, findings_of, html, serve

HUNDRED_MB = 100 * 1024 * 1024


def test_a_hostile_site_is_inspected_to_the_end() -> None:
    sent = {"big": 0}

    def big(request: Request) -> Reply:
        def stream(handler: BaseHTTPRequestHandler) -> None:
            chunk = b"<p>" + "很长的页面".encode() * 4000 + b"</p>\n"
            while sent["big"] < HUNDRED_MB:  # generated as it goes: never 100 MB in memory
                handler.wfile.write(chunk)
                sent["big"] += len(chunk)

        return Reply(headers={"Content-Length": str(HUNDRED_MB)}, stream=stream)

    def slow(request: Request) -> Reply:
        time.sleep(5)
        return html("慢", "终于")

    gbk_page = (
        "<html><head><meta charset='gbk'><title>编码页</title></head><body>"
        "<a href='/公开/目录.html'>政务公开目录</a></body></html>"
    ).encode("gbk")
    routes: dict[str, Reply | object] = {
        "/": html(
            "首页",
            '<a href="/malformed.html">坏页面</a><a href="/binary.html">二进制</a>'
            '<a href="/big.html">超大页面</a><a href="/slow.html">慢页面</a>'
            '<a href="/loop1">循环跳转</a><a href="/gbk.html">GBK</a>'
            '<a href="/%B9%AB%BF%AA.html">GBK 编码的路径</a><a href="/文件 目录/说明.html">空格</a>'
            '<a href="/bad%zz.html">坏的转义</a><a href="http://[bad/">坏主机</a>'
            '<a href="http://127.0.0.1:99999/">坏端口</a><a href="javascript:void(0)">脚本</a>'
            '<a href="mailto:gk@example.gov.cn">邮件</a>'
            '<a href="/%E4%BD%A0%E5%A5%BD.html">你好</a>',
        ),
        "/malformed.html": Reply(
            body="<html><title>坏的 HTML</title><body><div><a href='/ok.html'>好链接<p><table>"
            "<tr><td>没有闭合<script>var x = '</div>';</scr ipt><b><i></b></i>"
            "\x00\x01 &#xD800; &bogus;"
        ),
        "/ok.html": html("好页面", "正文"),
        "/binary.html": Reply(body=os.urandom(64 * 1024)),
        "/big.html": big,
        "/slow.html": slow,
        "/loop1": Reply(302, headers={"Location": "/loop2"}),
        "/loop2": Reply(302, headers={"Location": "/loop1"}),
        "/gbk.html": Reply(content_type="text/html", body=gbk_page),
        "/公开/目录.html": html("目录", "中文路径"),
        "/文件 目录/说明.html": html("说明", "带空格的中文路径"),
        "/你好.html": html("你好", "百分号编码的中文路径"),
        "/\udcb9\udcab\udcbf\udcaa.html": html("公开", "GBK 百分号编码"),
    }
    with serve(routes) as site:  # type: ignore[arg-type]
        started = time.monotonic()
        result = run_isolated(config_for(site, timeout=1.0, max_bytes=1024 * 1024), timeout=120)
        elapsed = time.monotonic() - started
    assert elapsed < 60
    assert sent["big"] < 20 * 1024 * 1024  # cut at the cap, not downloaded
    stats = result["stats"]
    assert f"{site.url}big.html" in stats["truncated_urls"]
    assert f"{site.url}binary.html" in stats["not_html_urls"]
    broken = {f["url"]: f["detail"] for f in findings_of(result, "broken_link")}
    assert "超时" in broken[f"{site.url}slow.html"]
    assert "重定向次数过多" in broken[f"{site.url}loop1"]
    # Every page in an odd encoding or with Chinese in its path was reached.
    for path in ("/gbk.html", "/公开/目录.html", "/文件 目录/说明.html", "/你好.html", "/ok.html"):
        assert site.requests[path] == 1, path
        assert not any(url.endswith(path) for url in broken)
    assert site.requests["/\udcb9\udcab\udcbf\udcaa.html"] == 1
    assert "404" in broken[f"{site.url}bad%zz.html"]  # sent as written, answered 404
    # /, malformed, ok, binary, big, gbk, 公开/目录, the GBK path, 文件 目录, 你好
    assert result["pages_crawled"] == 10
    assert result["score"]["grade"] in ("合格", "不合格")


def test_a_site_that_never_answers_in_time_is_an_error_that_says_so() -> None:
    def slow(request: Request) -> Reply:
        time.sleep(5)
        return html("慢", "终于")

    with serve({"/": slow}) as site, pytest.raises(InspectError, match="超时"):
        run_isolated(config_for(site, timeout=1.0), timeout=60)


def test_a_site_that_is_down_is_an_error() -> None:
    with serve({}) as site:
        url = site.url
    with pytest.raises(InspectError, match=r"拒绝连接|无法连接"):
        run_isolated(config_for_url(url), timeout=60)


def config_for_url(url: str) -> InspectConfig:
    return InspectConfig(start_urls=[url], allow_private=True, timeout=2.0, retries=0)
