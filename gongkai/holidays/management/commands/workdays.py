"""`gongkai workdays`: working-day arithmetic on the office's calendar, for scripts and people."""

from __future__ import annotations

import sys
from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)
from django.db import DatabaseError, connection, connections

from gongkai.holidays.calendar import office_calendar
from gongkai.holidays.inputs import InputError, parse_count, parse_date
from gongkai.holidays.models import LocalAdjustment
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar, national_calendar

WORKDAY, DAY_OFF = "workday", "holiday"

HELP = f"""\
按本单位工作日历（全国放假安排 + 本地调整）计算工作日。起算日当天不计。

  gongkai workdays add 2025-09-26 20
      输出 2025-10-30：2025-09-26 之后的第 20 个工作日。
  gongkai workdays between 2025-09-26 2025-10-30
      输出 20：第一个日期之后、至第二个日期（含）的工作日数；第二个日期较早时为负数。
  gongkai workdays is 2026-02-14
      输出 {WORKDAY}（工作日）或 {DAY_OFF}（不上班：周末、法定假日或本地放假）。

成功时标准输出只有一行结果，退出码 0。输入有误（不是 YYYY-MM-DD 日期、天数为负或不是整数、
缺少参数）或所需年份没有全国放假安排时，标准错误输出一行中文说明，标准输出为空，退出码 2。
数据库尚未迁移（新的数据目录）时，只按全国日历计算。"""


class Command(BaseCommand):
    help = HELP
    # A calculation should answer at once; the system checks would only slow it down.
    requires_system_checks = ()

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,between,is}")
        add = actions.add_parser("add", help="起算日之后的第 N 个工作日（YYYY-MM-DD）")
        add.add_argument("date", help="起算日 YYYY-MM-DD（当天不计）")
        add.add_argument("n", help="工作日数，不小于 0 的整数")
        between = actions.add_parser("between", help="两个日期之间的工作日数")
        between.add_argument("a", help="起始日期 YYYY-MM-DD（当天不计）")
        between.add_argument("b", help="截止日期 YYYY-MM-DD（当天计入）")
        is_ = actions.add_parser("is", help=f"输出 {WORKDAY} 或 {DAY_OFF}")
        is_.add_argument("date", help="日期 YYYY-MM-DD")

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's version lets argparse print a usage block on a parse error. This command
        # promises exactly one line on stderr and exit status 2 for any bad input, so it
        # parses the way call_command does (errors raise CommandError) and reports every
        # CommandError the same way.
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            message = str(exc).removeprefix("Error: ")
            self.stderr.write(f"gongkai workdays: {message}")
            sys.exit(2)
        finally:
            connections.close_all()

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(self._answer(options))
        except (InputError, CalendarUnavailable) as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _answer(self, options: dict[str, Any]) -> str:
        action = options["action"]
        if action == "add":
            start, n = parse_date(options["date"], "起算日"), parse_count(options["n"], "工作日数")
            return _calendar().add_workdays(start, n).isoformat()
        if action == "between":
            a, b = parse_date(options["a"], "起始日期"), parse_date(options["b"], "截止日期")
            return str(_calendar().workdays_between(a, b))
        day = parse_date(options["date"], "日期")
        return WORKDAY if _calendar().is_workday(day) else DAY_OFF


def _calendar() -> WorkdayCalendar:
    """The office calendar; only the national one while the database has no tables yet."""
    try:
        return office_calendar()
    except DatabaseError:
        # Only the missing table of a fresh, unmigrated data directory is expected here; any
        # other database failure (server down, permissions) is re-raised as it is.
        if LocalAdjustment._meta.db_table in connection.introspection.table_names():
            raise
        return national_calendar()
