"""The `gongkai` console script: Django's management commands under one name.

`gongkai serve`, `gongkai migrate`, `gongkai workdays add 2025-09-26 20` … are the management
commands of the project, run with the project's settings.

`gongkai inspect URL …` is the exception: the website inspection is a pure package
(gongkai.inspect) and runs without Django (see `inspect_main`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

EXIT_REFUSED = 2

INSPECT_HELP = """\
按《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）检查一个网站：抓取页面，
检查断链、错链、栏目更新、元数据、隐私信息、网站标识、域名、IPv6、HTTPS、站内搜索等，并打分。

  gongkai inspect https://www.example.gov.cn/ --format json

--format json 输出契约格式的 JSON（见 docs/inspect.md）；默认输出中文摘要。成功时退出码 0；
网址无效或目标被拒绝（内网或本机地址，除非 --allow-private）时，标准错误输出一行原因，退出码 2。"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["inspect"]:
        return inspect_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *args])
    return 0


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Usage(message)


def _fail(message: str) -> NoReturn:
    sys.stderr.write("gongkai inspect: " + " ".join(message.split()) + "\n")
    raise SystemExit(EXIT_REFUSED)


def read_terms(path: Path) -> list[tuple[str, str]]:
    """`wrong<TAB>right` a line; blank lines and lines starting with # are skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取词表文件 {path}：{exc}") from exc
    terms = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"词表文件第 {number} 行格式不正确，应为“错误写法<Tab>正确写法”")
        terms.append((parts[0].strip(), parts[1].strip()))
    return terms


def inspect_main(argv: list[str]) -> int:
    """`gongkai inspect URL [--max-pages N] [--allow-private] [--today YYYY-MM-DD]
    [--terms FILE] [--format json]`, without Django."""
    parser = _Parser(
        prog="gongkai inspect",
        description=INSPECT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", help="起始网址（http 或 https）")
    parser.add_argument("--max-pages", type=int, default=None, help="最多抓取的页面数")
    parser.add_argument(
        "--allow-private", action="store_true", help="允许访问本机和内网地址（测试、内网网站）"
    )
    parser.add_argument("--today", default=None, help="按该日期判断更新情况（YYYY-MM-DD）")
    parser.add_argument("--terms", default=None, help="补充错词表：每行“错误写法<Tab>正确写法”")
    parser.add_argument("--format", choices=("json", "text"), default="text", help="输出格式")
    try:
        options = parser.parse_args(argv)
    except _Usage as exc:
        _fail(f"参数有误：{exc}")
    from gongkai.inspect.config import InspectConfig
    from gongkai.inspect.crawl import inspect_site
    from gongkai.inspect.errors import InspectError

    config = InspectConfig(start_urls=[options.url], allow_private=options.allow_private)
    if options.max_pages is not None:
        if options.max_pages < 1:
            _fail("--max-pages 必须是正整数")
        config.max_pages = options.max_pages
    if options.today:
        try:
            config.today = dt.date.fromisoformat(options.today)
        except ValueError:
            _fail(f"--today 不是 YYYY-MM-DD 格式的日期：{options.today}")
    if options.terms:
        try:
            config.terms = read_terms(Path(options.terms))
        except ValueError as exc:
            _fail(str(exc))
    try:
        result = inspect_site(config)
    except InspectError as exc:
        _fail(str(exc))
    data = result.to_json()
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")
    if options.format == "json":
        stream.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        stream.write(render_summary(data, result.stats) + "\n")
    stream.flush()
    return 0


def render_summary(data: dict[str, Any], stats: dict[str, Any] | None = None) -> str:
    """The inspection for a person to read in a terminal."""
    score = data["score"]
    lines = [
        f"网站：{data['site']}",
        f"检查时间：{data['started']} 至 {data['finished']}",
        f"抓取页面：{data['pages_crawled']} 个；检查链接：{data['links_checked']} 个",
    ]
    if score["veto"]:
        lines.append("结论：不合格（触发单项否决）")
        lines.extend(f"  否决原因：{reason}" for reason in score["veto_reasons"])
    else:
        lines.append(
            f"结论：{score['grade']}，得分 {score['result']}（扣 {score['deductions']} 分）"
        )
    findings = data["findings"]
    lines.append(f"发现问题：{len(findings)} 个")
    severity = {"veto": "否决", "major": "严重", "minor": "一般", "info": "提示"}
    for number, finding in enumerate(findings, start=1):
        lines.append(
            f"{number}. [{severity.get(finding['severity'], finding['severity'])}]"
            f"[{finding['type']}] {finding['detail']}"
        )
        lines.append(f"   地址：{finding['url']}")
        sources = finding["source_urls"]
        if sources:
            more = f" 等 {len(sources)} 个页面" if len(sources) > 1 else ""
            lines.append(f"   所在页面：{sources[0]}{more}")
    stats = stats or {}
    if stats.get("truncated_urls"):
        lines.append("超过大小上限、只检查了开头部分的页面：")
        lines.extend(f"  {url}" for url in stats["truncated_urls"])
    if stats.get("not_html_urls"):
        lines.append("声明为网页但内容无法按网页读取的地址：")
        lines.extend(f"  {url}" for url in stats["not_html_urls"])
    return "\n".join(lines)
