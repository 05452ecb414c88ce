"""`gongkai inspect URL …`: the contract JSON on stdout and exit 0; a bad URL, a refused
target or bad arguments give one line on stderr and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.test_inspect_crawl import Reply, html, serve

GONGKAI = str(Path(sys.executable).parent / "gongkai")

SITE: dict[str, Reply | Any] = {
    "/": html(
        "某某市人民政府",
        '<a href="/gzdt/">工作动态</a><a href="/gone.html">失效</a>'
        "<p>本网站由某某市人民政府办公室主办，联系电话 0000-12345678。</p>"
        "<p>这里写着错误的称谓：某某市长张三。</p>",
    ),
    "/gzdt/": html("工作动态", "<ul><li><a href='/'>首页</a> 2026-03-01</li></ul>"),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GONGKAI, "inspect", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_json_contract() -> None:
    with serve(SITE) as site:
        done = run(site.url, "--allow-private", "--format", "json", "--today", "2026-03-20")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {
        "site", "started", "finished", "pages_crawled", "links_checked", "findings", "score"
    }  # fmt: skip
    assert data["site"] == site.url
    assert data["pages_crawled"] == 2
    assert data["links_checked"] == 3
    for finding in data["findings"]:
        assert set(finding) == {"type", "severity", "url", "source_urls", "detail", "evidence"}
        assert finding["severity"] in ("veto", "major", "minor", "info")
    broken = [f for f in data["findings"] if f["type"] == "broken_link"]
    assert [f["url"] for f in broken] == [f"{site.url}gone.html"]
    assert broken[0]["source_urls"] == [site.url]
    score = data["score"]
    assert set(score) == {"veto", "veto_reasons", "deductions", "base", "result", "grade"}
    assert score["base"] == 100 and score["grade"] in ("合格", "不合格")
    assert "\\u" not in done.stdout and "无法访问" in done.stdout  # ensure_ascii=False


def test_terms_file_adds_to_the_dictionary(tmp_path: Path) -> None:
    terms = tmp_path / "terms.txt"
    terms.write_text("# 错误写法\t正确写法\n某某市长张三\t某某市市长李四\n", encoding="utf-8")
    with serve(SITE) as site:
        done = run(site.url, "--allow-private", "--format", "json", "--terms", str(terms))
    assert done.returncode == 0, done.stderr
    typos = [f for f in json.loads(done.stdout)["findings"] if f["type"] == "typo_or_wrong_term"]
    assert any("某某市长张三" in (f["evidence"] or "") + f["detail"] for f in typos)


def test_text_summary_in_chinese() -> None:
    with serve(SITE) as site:
        done = run(site.url, "--allow-private", "--max-pages", "1")
    assert done.returncode == 0, done.stderr
    assert "抓取页面：1 个" in done.stdout
    assert "结论：" in done.stdout and "发现问题：" in done.stdout


def one_line_exit_2(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0]


def test_refused_and_bad_input_exit_2_with_one_line(tmp_path: Path) -> None:
    with serve(SITE) as site:
        one_line_exit_2(run(site.url), "不允许访问内网或本机地址", "127.0.0.1")
        one_line_exit_2(run(f"http://localhost:{site.port}/"), "不允许访问内网或本机地址")
        one_line_exit_2(run(site.url, "--allow-private", "--today", "2026-13-01"), "--today")
        one_line_exit_2(run(site.url, "--allow-private", "--max-pages", "0"), "--max-pages")
        bad = tmp_path / "bad.txt"
        bad.write_text("正确\t写法\n只有一列\n", encoding="utf-8")
        one_line_exit_2(run(site.url, "--allow-private", "--terms", str(bad)), "第 2 行")
        one_line_exit_2(run(site.url, "--allow-private", "--terms", str(tmp_path / "no")), "词表")
    assert site.requests == {}
    one_line_exit_2(run("not a url"), "网址")
    one_line_exit_2(run("ftp://example.gov.cn/"), "网址")
    one_line_exit_2(run(), "参数")
