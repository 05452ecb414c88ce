"""`gongkai report annual`: the statutory annual report from the command line."""

from __future__ import annotations

import sys
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)
from django.db import DatabaseError, connection, connections
from django.db.models import Q

from gongkai.reports.as_docx import render_docx
from gongkai.reports.as_html import render_document
from gongkai.reports.as_json import render_json
from gongkai.reports.build import build_annual
from gongkai.reports.models import AnnualReport
from gongkai.units.models import Unit

FORMATS = ("json", "html", "docx")
HELP = """\
生成政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）。

  gongkai report annual --year 2025 --format json
      全部单位（本级政府）2025年度报告，JSON 输出到标准输出。
  gongkai report annual --year 2025 --unit 区司法局 --format html --output 司法局.html
      某单位的报告（单位名称、简称或编号）；--include-children 同时统计其下级单位。
  gongkai report annual --year 2025 --format docx --output 年报.docx
      Word 文档。未给 --output 时写入标准输出（须重定向到文件，不能直接输出到终端）。

如该年度、该单位已建有报告，正文和表二取自已保存的报告（已发布的按发布版本输出）；
否则正文为系统生成的文字，表二为 0。数据库中没有任何记录时，仍输出完整的表格（全部为 0）。
输入有误（年度不是四位数字、单位不存在、格式不支持）时，标准错误输出一行中文说明，退出码 2。"""


class Command(BaseCommand):
    help = HELP
    requires_system_checks = ()

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{annual}")
        annual = actions.add_parser("annual", help="政府信息公开工作年度报告")
        annual.add_argument("--year", required=True, help="年度，如 2025")
        annual.add_argument("--unit", help="单位名称、简称或编号；不给出时为全部单位")
        annual.add_argument(
            "--include-children", action="store_true", help="同时统计该单位的下级单位"
        )
        annual.add_argument("--format", default="json", help="json、html 或 docx（默认 json）")
        annual.add_argument("--output", help="写入此文件；不给出时写到标准输出")

    def run_from_argv(self, argv: list[str]) -> None:
        # As `gongkai workdays`: any bad input is one line on stderr and exit status 2,
        # never argparse's usage block.
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            self.stderr.write(f"gongkai report: {_chinese(str(exc).removeprefix('Error: '))}")
            sys.exit(2)
        finally:
            connections.close_all()

    def handle(self, *args: Any, **options: Any) -> None:
        year = parse_year(options["year"])
        fmt = (options["format"] or "").lower()
        if fmt not in FORMATS:
            raise CommandError(f"不支持的格式“{options['format']}”，应为 json、html 或 docx")
        try:
            built = self._build(year, options)
        except DatabaseError as exc:
            if AnnualReport._meta.db_table not in connection.introspection.table_names():
                raise CommandError("数据库尚未初始化，请先运行 gongkai migrate") from exc
            raise
        self._emit(built, fmt, options.get("output"))

    def _build(self, year: int, options: dict[str, Any]) -> dict[str, Any]:
        unit = find_unit(options["unit"]) if options.get("unit") else None
        saved = AnnualReport.objects.filter(year=year, unit=unit).first()
        if saved is not None and saved.locked and saved.published:
            built = dict(saved.published)
        else:
            children = options["include_children"] or bool(saved and saved.include_children)
            built = build_annual(year, unit, children, report=saved)
        return built

    def _emit(self, built: dict[str, Any], fmt: str, output: str | None) -> None:
        if fmt == "docx":
            data = render_docx(built)
            if output:
                _write(output, data)
            elif self.stdout.isatty():
                raise CommandError("docx 为二进制文件，请用 --output 指定文件或重定向标准输出")
            else:
                stream = getattr(self.stdout, "_out", sys.stdout)
                stream.flush()
                stream.buffer.write(data)
                stream.buffer.flush()
            return
        text = render_json(built) if fmt == "json" else render_document(built)
        if output:
            _write(output, text.encode("utf-8"))
        else:
            self.stdout.write(text)


#: argparse's own complaints, in the users' language.
ARGPARSE_WORDS = (
    ("the following arguments are required:", "缺少参数："),
    ("unrecognized arguments:", "无法识别的参数："),
    ("invalid choice:", "无效的选择："),
    ("expected one argument", "需要一个值"),
    ("choose from", "可选"),
    ("argument ", "参数 "),
)


def _chinese(message: str) -> str:
    for english, chinese in ARGPARSE_WORDS:
        message = message.replace(english, chinese)
    return message.splitlines()[0] if message else message


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"不能写入文件 {path}：{exc.strerror or exc}") from exc


def parse_year(raw: str) -> int:
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not 2008 <= int(text) <= 2100:
        raise CommandError(f"年度“{raw}”无效，应为 2008 至 2100 之间的四位数字年份，如 2025")
    return int(text)


def find_unit(raw: str) -> Unit:
    text = raw.strip()
    match = Q(name=text) | Q(short_name=text)
    if text.isdigit():
        match |= Q(pk=int(text))
    found = list(Unit.objects.filter(match)[:2])
    if not found:
        found = [u for u in Unit.objects.all() if text in u.aliases]
    if len(found) != 1:
        raise CommandError(
            f"没有找到单位“{raw}”" if not found else f"单位“{raw}”不唯一，请使用全称或编号"
        )
    return found[0]
