"""`gongkai demo [--if-empty]`: load the demo units, groups, accounts, a task list, requests,
published documents, questions, consultations, a site to inspect and the registers of the
other duties (舆情, 建议提案, 政务新媒体, 重大行政决策, 负面清单, 机构职能, 政府公报)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.audit.context import origin
from gongkai.audit.models import Channel
from gongkai.consult.demo import load_demo as load_demo_consultations
from gongkai.decisions.demo import load_demo as load_demo_decisions
from gongkai.demo.load import database_is_empty, load_demo
from gongkai.demo.logins import DEMO_LOGINS
from gongkai.demo.plan import load_demo_plan
from gongkai.demo.requests import load_demo_requests
from gongkai.gazette.demo import load_demo as load_demo_gazette
from gongkai.inspection.demo import load_demo as load_demo_inspection
from gongkai.institutions.demo import load_demo as load_demo_institutions
from gongkai.interact.demo import load_demo as load_demo_questions
from gongkai.newmedia.demo import load_demo as load_demo_new_media
from gongkai.opinion.demo import load_demo as load_demo_opinion
from gongkai.portal.demo import load_demo as load_demo_portal
from gongkai.proposals.demo import load_demo as load_demo_proposals
from gongkai.publishing.demo import load_demo as load_demo_documents
from gongkai.withheld.demo import load_demo as load_demo_withheld


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
            today = timezone.localdate()
            load_demo_portal(today)
            load_demo_documents(today)
            load_demo_questions(today)
            load_demo_consultations(today)
            load_demo_inspection()
            for load_register in (
                load_demo_opinion,
                load_demo_proposals,
                load_demo_new_media,
                load_demo_decisions,
                load_demo_withheld,
                load_demo_institutions,
                load_demo_gazette,  # after the documents, which its contents link
            ):
                load_register(today)
        self.stdout.write(
            f"已载入演示数据：{counts['units']} 个单位，{counts['groups']} 个单位组，"
            f"{counts['users']} 个账号；任务清单「{plan['plan'].name}」，"
            f"{plan['checkpoints']} 个任务节点；{requests['requests']} 件政府信息公开申请；"
            "主动公开文件、互动交流留言和意见征集示例；网站检查已登记本平台门户网站；"
            "专项工作（舆情、建议提案、政务新媒体、重大行政决策、负面清单、机构职能、政府公报）示例。"
        )
        for username, password, role in DEMO_LOGINS:
            self.stdout.write(f"  {role:<12} {username} / {password}")
