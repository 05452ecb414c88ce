"""The parallel crawl (config.workers > 1): a coordinator with the frontier and the checks,
fetcher processes that fetch and parse. It must find what the single-process crawl finds,
keep the SSRF guard in every fetcher, report progress, and fail cleanly when a fetcher dies.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from gongkai.inspect.config import InspectConfig
from gongkai.inspect.crawl import inspect_site, worker_count
from gongkai.inspect.errors import InspectError
from gongkai.inspect.isolated import run_isolated
from tests.test_inspect_crawl import Handler, Reply, Request, config_for, findings_of, html, serve

TODAY = "2026-03-20"


def site_routes(port: int, external: int) -> dict[str, Reply | Handler]:
    ext = f"http://localhost:{external}"
    items = "".join(
        f'<li><a href="/news/{n}.html">关于第{n}项工作的通知</a><span>2025-0{n}-01</span></li>'
        for n in range(1, 6)
    )
    routes: dict[str, Reply | Handler] = {
        "/": html(
            "某市人民政府",
            '<a href="/news/">工作动态</a><a href="/doc.html">政策文件</a>'
            '<a href="/gone.html">失效链接</a><a href="/moved">已迁移</a>'
            '<a href="/files/名单.txt">名单附件</a><img src="/logo.png" alt="标志">'
            '<img src="/missing.png" alt="坏图">'
            f'<a href="{ext}/ok">外部正常</a><a href="{ext}/gone">外部失效</a>'
            '<a href="/loop1">循环</a>'
            "<div class='footer'>主办单位：某市人民政府办公室</div>",
        ),
        "/news/": html("工作动态", f"<ul>{items}</ul>", h1="工作动态"),
        "/doc.html": html(
            "关于印发某某办法的通知",
            "<table><tr><td>索引号：</td><td>000-2025-01</td></tr>"
            "<tr><td>发文字号：</td><td>某政规〔2025〕1号</td></tr></table>"
            "<p>联系人电话 13912345678</p>",
            h1="关于印发某某办法的通知",
        ),
        "/moved": Reply(301, "", headers={"Location": "/news/1.html"}),
        "/loop1": Reply(302, "", headers={"Location": "/loop2"}),
        "/loop2": Reply(302, "", headers={"Location": "/loop1"}),
        "/logo.png": Reply(content_type="image/png", body=b"\x89PNG"),
        "/files/名单.txt": Reply(
            content_type="text/plain; charset=utf-8",
            body="名单：张三 身份证 11010519491231002X 手机 13800138000".encode(),
        ),
    }
    for n in range(1, 6):
        routes[f"/news/{n}.html"] = html(
            f"关于第{n}项工作的通知", f'<a href="/">首页</a><a href="/news/{n + 1}.html">下一篇</a>'
        )
    return routes


def test_one_and_two_workers_find_the_same() -> None:
    external = serve({"/ok": html("外站", "正常"), "/gone": Reply(404, "no")})
    routes: dict[str, Reply | Handler] = {}
    with serve(routes) as site, external as ext:
        routes.update(site_routes(site.port, ext.port))
        runs = {
            workers: run_isolated(
                InspectConfig.from_json(
                    {**config_for(site, workers=workers).to_json(), "today": TODAY}
                ),
                timeout=120,
            )
            for workers in (1, 2)
        }
    one, two = runs[1], runs[2]
    assert one["stats"]["workers"] == 1 and two["stats"]["workers"] == 2
    assert len(two["stats"]["fetcher_peak_rss_mb"]) == 2
    found = {w: {(f["type"], f["url"]) for f in r["findings"]} for w, r in runs.items()}
    assert found[1] == found[2]
    assert one["pages_crawled"] == two["pages_crawled"] == 8  # /, news/, doc, news/1-5
    assert one["links_checked"] == two["links_checked"]
    assert one["stats"]["attachments"] == two["stats"]["attachments"] == 1
    # What both found, so the comparison is not of two empty sets.
    kinds = {kind for kind, _url in found[2]}
    assert {"broken_link", "privacy_leak"} <= kinds
    broken = {f["url"]: f for f in findings_of(two, "broken_link")}
    assert f"{site.url}gone.html" in broken
    assert f"http://localhost:{ext.port}/gone" in broken
    assert "重定向次数过多" in broken[f"{site.url}loop1"]["detail"]
    assert f"{site.url}moved" not in broken
    assert two["score"] == one["score"]

    # The checks the fetchers run (privacy_leak's on_page and its reading of attachments,
    # missing_metadata …) come back whole: the same details, evidence and sources.
    def whole(run: dict[str, Any]) -> list[str]:
        return sorted(
            json.dumps({**f, "source_urls": sorted(f["source_urls"])}, ensure_ascii=False)
            for f in run["findings"]
        )

    assert whole(one) == whole(two)
    assert one["stats"]["check_errors"] == two["stats"]["check_errors"] == []
    leaks = {f["url"]: f for f in findings_of(two, "privacy_leak")}
    attachment = leaks[f"{site.url}files/%E5%90%8D%E5%8D%95.txt"]
    assert attachment["source_urls"] == [site.url]  # filled in by the coordinator
    assert f"{site.url}doc.html" in leaks


def break_privacy_leak() -> None:
    """CHILD_INIT for the test below: privacy_leak fails, in the fetcher processes only."""
    from gongkai.inspect.checks.privacy_leak import PrivacyLeak

    def fail(*args: Any) -> Any:
        raise RuntimeError("坏了")

    PrivacyLeak.on_page = fail  # type: ignore[method-assign,assignment]
    PrivacyLeak.read_attachment = fail  # type: ignore[method-assign,assignment]


def test_a_check_failing_in_a_fetcher_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.inspect.crawl import parallel

    monkeypatch.setattr(parallel, "CHILD_INIT", f"{__name__}:break_privacy_leak")
    routes: dict[str, Reply | Handler] = {}
    with serve(routes) as site:
        routes.update(site_routes(site.port, site.port))
        result = inspect_site(
            InspectConfig.from_json({**config_for(site, workers=2).to_json(), "today": TODAY})
        )
    errors = result.stats["check_errors"]
    # One per page (8) and one for the attachment, worded as in one process.
    assert errors.count("privacy_leak: RuntimeError: 坏了") == 9, errors
    assert not [f for f in result.findings if f.type == "privacy_leak"]
    assert "broken_link" in {f.type for f in result.findings}  # the rest went on


GUARD_INIT = textwrap.dedent(
    """
    import os, socket
    import gongkai.net.address as address

    def setup():
        port = int(os.environ["GK_GUARD_PORT"])
        real = socket.getaddrinfo
        # 127.0.0.1 stands in for a public server named public.test; intranet.test points
        # into the network (127.0.0.2).
        def fake(host, *args, **kwargs):
            answer = {"public.test": "127.0.0.1", "intranet.test": "127.0.0.2"}.get(host)
            if answer is None:
                return real(host, *args, **kwargs)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]
        socket.getaddrinfo = fake
        original = address.is_public
        address.is_public = lambda ip: str(ip) == "127.0.0.1" or original(ip)
    """
)

GUARD_SCRIPT = textwrap.dedent(
    """
    import json, os
    import guardinit
    from gongkai.inspect.config import InspectConfig
    from gongkai.inspect.crawl import inspect_site, parallel

    guardinit.setup()
    parallel.CHILD_INIT = "guardinit:setup"  # every fetcher resolves through the same fake
    port = os.environ["GK_GUARD_PORT"]
    config = InspectConfig(start_urls=[f"http://public.test:{port}/"], retries=0, robots=False,
                           workers=2)
    result = inspect_site(config)
    print(json.dumps({"result": result.to_json(), "stats": result.stats}, ensure_ascii=False))
    """
)


def test_every_fetcher_refuses_private_addresses(tmp_path: Path) -> None:
    hosts: list[str] = []

    def landing(request: Request) -> Reply:
        hosts.append(request.handler.headers.get("Host", ""))
        return html("页面", "内容")

    routes: dict[str, Reply | Handler] = {"/page": landing}
    (tmp_path / "guardinit.py").write_text(GUARD_INIT)
    with serve(routes) as site:
        port = site.port
        links = "".join(
            f'<a href="http://intranet.test:{port}/page?n={n}">内网{n}</a>'
            f'<a href="http://127.0.0.2:{port}/page?n={n}">内网地址{n}</a>'
            for n in range(6)
        )
        routes["/"] = html("首页", links + f'<a href="http://public.test:{port}/page">公开</a>')
        env = {
            **os.environ,
            "GK_GUARD_PORT": str(port),
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path.cwd())]),
        }
        run = subprocess.run(
            [sys.executable, "-c", GUARD_SCRIPT],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["stats"]["workers"] == 2
    broken = {f["url"]: f["detail"] for f in findings_of(out["result"], "broken_link")}
    refused = [u for u, d in broken.items() if "不允许访问内网或本机地址" in d]
    # 12 private targets (6 names, 6 literals), spread over both fetchers: each refused.
    assert len(refused) == 12, broken
    assert hosts == [f"public.test:{port}"]  # only the public one reached the server


def test_progress_is_reported_in_parallel() -> None:
    seen: list[tuple[int, int, str]] = []
    routes: dict[str, Reply | Handler] = {}
    with serve(routes) as site:
        routes.update(site_routes(site.port, site.port))
        result = run_isolated(
            config_for(site, workers=2), progress=lambda *a: seen.append(a), timeout=120
        )
    assert result["stats"]["workers"] == 2
    assert seen, "no progress reported"
    assert seen[0][0] >= 1 and seen[0][1] == 2000 and "已检查" in seen[0][2]
    assert seen[-1] == (result["pages_crawled"], 2000, "抓取完成，正在汇总检查结果")


def test_a_fetcher_that_dies_fails_the_inspection() -> None:
    def slow(request: Request) -> Reply:
        time.sleep(3)
        return html("慢", "正文")

    routes: dict[str, Reply | Handler] = {"/slow.html": slow}
    killed: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if killed:
            return
        for child in multiprocessing.active_children():
            if child.name.startswith("gongkai-inspect-fetcher") and child.pid:
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)
                return

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            inspect_site(config_for(site, workers=2), progress=progress)
        except Exception as exc:  # the assertion below says which
            outcome["error"] = exc

    with serve(routes) as site:
        links = "".join(f'<a href="/slow.html?n={n}">慢{n}</a>' for n in range(8))
        routes["/"] = html("首页", links)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(60)  # the bound on "fails rather than hangs"; no timing beyond it (shared CI)
        assert not thread.is_alive(), "the inspection hung after a fetcher died"
    assert killed
    error = outcome.get("error")
    assert isinstance(error, InspectError), error
    assert "意外退出" in str(error) and "检查未完成" in str(error)
    # Nothing is left behind.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        c.name.startswith("gongkai-inspect-fetcher") for c in multiprocessing.active_children()
    ):
        time.sleep(0.1)
    assert not [
        c for c in multiprocessing.active_children() if c.name.startswith("gongkai-inspect-fetcher")
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"workers": 1}, 1),
        ({"workers": 3}, 3),
        ({"workers": 0, "max_pages": 2000}, 1),  # small: not worth starting fetchers
        ({"workers": 0, "max_pages": 20_000, "delay": 0.5}, 1),  # polite: one process
    ],
)
def test_worker_count(options: dict[str, Any], expected: int) -> None:
    assert worker_count(InspectConfig(start_urls=["http://a.gov.cn/"], **options)) == expected


def test_auto_uses_the_cores() -> None:
    config = InspectConfig(start_urls=["http://a.gov.cn/"], max_pages=20_000)
    cores = os.cpu_count() or 1
    assert worker_count(config) == (1 if cores < 2 else min(cores, 4))
