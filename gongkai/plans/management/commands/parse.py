"""`gongkai parse FILE [--format json|text] [--year YYYY]`: a task list file, read into tasks.

The JSON is the contract other tools rely on (docs/tasklist.md): one object on stdout, exit 0.
A file that cannot be read (missing, empty, encrypted, corrupt, unsupported, too large) gives
one line on stderr and exit status 2; nothing is written to the database.
"""

from __future__ import annotations

import io
import sys
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)

from gongkai.tasklist.blocks import ParseError
from gongkai.tasklist.model import ParsedPlan, ParsedTask
from gongkai.tasklist.parse import parse_file

HELP = """\
读取任务清单文件（.docx .xlsx .pdf .html .txt；装有 LibreOffice 时也可读 .doc .wps），
输出其中的任务。

  gongkai parse 清单.docx --format json     一个 JSON 对象（格式见 docs/tasklist.md）
  gongkai parse 清单.docx --format text     便于阅读的列表

成功时退出码 0；文件无法读取（不存在、为空、加密、损坏、格式不支持、过大）时，
标准错误输出一行原因，退出码 2。"""

EXIT_UNREADABLE = 2
EXIT_INTERNAL = 1


class Command(BaseCommand):
    help = HELP
    requires_system_checks = ()  # reads a file, touches no database

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="任务清单文件 (the task list file)")
        parser.add_argument(
            "--format",
            choices=("json", "text"),
            default="json",
            help="json：契约格式（默认）；text：便于阅读",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="计划年度，用于解析“年底前”等时限（默认取自文件）",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # One line on stderr and a known status for every failure, bad arguments included,
        # instead of argparse's usage block or a traceback.
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
        except CommandError as exc:
            self._fail(exc, EXIT_UNREADABLE)
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            self._fail(exc, exc.returncode)

    def _fail(self, exc: CommandError, status: int) -> NoReturn:
        message = " ".join(str(exc).removeprefix("Error: ").split())
        self.stderr.write(f"gongkai parse: {message}")
        sys.exit(status)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = parse_file(Path(options["file"]), plan_year=options["year"])
        except ParseError as exc:
            raise CommandError(str(exc), returncode=EXIT_UNREADABLE) from exc
        except Exception as exc:  # a bug, not the file's fault: still one line, not a traceback
            raise CommandError(
                f"解析时出现内部错误 (internal error: {type(exc).__name__})",
                returncode=EXIT_INTERNAL,
            ) from exc
        _utf8_stdout()
        if options["format"] == "json":
            self.stdout.write(plan.to_json())
        else:
            self.stdout.write(render_text(plan))


def _utf8_stdout() -> None:
    """Chinese on stdout even under LANG=C: the JSON contract is UTF-8 whatever the locale."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")


def render_text(plan: ParsedPlan) -> str:
    """The plan for a person to read in a terminal."""
    lines = [f"文件：{plan.source}"]
    for label, value in (
        ("标题", plan.title),
        ("发文单位", plan.issuer),
        ("日期", plan.issued),
        ("文号", plan.doc_number),
    ):
        if value:
            lines.append(f"{label}：{value}")
    lines.append(f"任务：{len(plan.tasks)} 条")
    for number, task in enumerate(plan.tasks, start=1):
        lines.append("")
        lines.extend(_task_lines(number, task))
    if plan.warnings:
        lines.append("")
        lines.append("提示：")
        lines.extend(f"  - {w}" for w in plan.warnings)
    return "\n".join(lines)


def _task_lines(number: int, task: ParsedTask) -> list[str]:
    where = f"（第{task.line}行）" if task.line is not None else ""
    out = [f"{number}. {' > '.join(task.path) or '（无分类）'}{where}", f"   {task.requirement}"]
    if task.lead_units:
        out.append(f"   牵头：{'、'.join(task.lead_units)}")
    if task.responsible_units:
        out.append(f"   责任：{'、'.join(task.responsible_units)}")
    if task.deadline:
        out.append(f"   时限：{task.deadline}")
    for rule in task.time_rules:
        detail = " ".join(
            str(x) for x in (rule.amount, rule.unit, rule.date) if x is not None and x != ""
        )
        out.append(f"   时间规则：{rule.kind} {detail}（{rule.text}）".replace("  ", " "))
    if task.notes:
        out.append(f"   备注：{task.notes}")
    return out
