"""`gongkai demo [--if-empty]`: load the demo units, groups, accounts and a task list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.context import origin
from gongkai.audit.models import Channel
from gongkai.demo.load import database_is_empty, load_demo
from gongkai.demo.logins import DEMO_LOGINS
from gongkai.demo.plan import load_demo_plan
from gongkai.demo.requests import load_demo_requests


class Command(BaseCommand):
    help = "载入演示数据（种子任务清单中的单位、单位组和各角色账号）。Load demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="只在数据库没有单位和用户时载入，否则什么也不做 (only into an empty database)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not database_is_empty():
            if options["if_empty"]:
                self.stdout.write("数据库已有数据，未载入演示数据。")
                return
            raise CommandError("数据库已有单位或用户；演示数据只能载入空数据库。")
        with origin(Channel.CLI):
            counts = load_demo()
            plan = load_demo_plan()
            requests = load_demo_requests()
        self.stdout.write(
            f"已载入演示数据：{counts['units']} 个单位，{counts['groups']} 个单位组，"
            f"{counts['users']} 个账号；任务清单「{plan['plan'].name}」，"
            f"{plan['checkpoints']} 个任务节点；{requests['requests']} 件政府信息公开申请。"
        )
        for username, password, role in DEMO_LOGINS:
            self.stdout.write(f"  {role:<12} {username} / {password}")
