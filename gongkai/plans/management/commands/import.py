"""`gongkai import FILE --plan 名称 --year 2023`: import a task list without the web preview."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import User
from gongkai.audit.context import origin
from gongkai.audit.models import Channel
from gongkai.plans import parsing
from gongkai.plans.actions import ImportRejected, Meta, Source, UnresolvedUnits, import_plan
from gongkai.plans.models import Plan
from gongkai.plans.rows import rows_from_plan

HELP = """\
解析任务清单文件并导入平台（与网页导入相同，但没有预览和修改）。
按名称和年度查找任务清单：没有则新建，已有则导入为新版本（未变和小改的任务保留原记录，
不再出现的任务标记为已删除）。有单位未能对应到单位名录时不导入，列出这些单位，退出码 2；
加 --allow-unresolved 则按原文保留这些单位，以后在网页上指定。
文件无法读取或内容有误时，标准错误输出原因，退出码 2。"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="任务清单文件（.docx .xlsx .pdf .html .txt）")
        parser.add_argument("--plan", required=True, help="任务清单名称")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument(
            "--allow-unresolved", action="store_true", help="未能对应的单位按原文保留"
        )
        parser.add_argument("--user", help="以该公开办账号的名义导入（默认记为“系统”）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = _office_user(options["user"])
        path = Path(options["file"])
        data = _read(path)
        try:
            parsed = parsing.parse_file(path)
        except parsing.ParseError as exc:
            raise CommandError(f"无法解析 {path.name}：{exc}", returncode=2) from None
        name, year = options["plan"].strip(), options["year"]
        plan = Plan.objects.filter(name=name, year=year).first()
        meta = Meta(parsed.title, parsed.issuer, parsed.issued, parsed.doc_number, parsed.warnings)
        try:
            with origin(Channel.CLI):
                result = import_plan(
                    user,
                    rows_from_plan(parsed),
                    Source(data, path.name),
                    meta,
                    plan=plan,
                    name=name,
                    year=year,
                    allow_unresolved=options["allow_unresolved"],
                )
        except UnresolvedUnits as exc:
            self.stderr.write(f"以下 {len(exc.refs)} 个单位未能对应到单位名录，未导入：")
            for ref in exc.refs:
                near = "、".join(c.name for c in ref.resolution.candidates[:3])
                self.stderr.write(f"  {ref.phrase}" + (f"（相近：{near}）" if near else ""))
            raise CommandError(
                "请在单位名录中补充名称或别名，或加 --allow-unresolved 按原文保留", returncode=2
            ) from None
        except ImportRejected as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"已导入{result.summary()}")
        for warning in parsed.warnings:
            self.stdout.write(f"  提示：{warning}")


def _office_user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有账号 {username}", returncode=2)
    if not user.is_office:
        raise CommandError(f"{username} 不是公开办账号，不能导入任务清单", returncode=2)
    return user


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise CommandError(f"{path.name} 超过 {limit} MB", returncode=2)
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取 {path}：{exc.strerror or exc}", returncode=2) from None
