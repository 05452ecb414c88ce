"""`gongkai worker`: a Celery worker for background jobs (how other machines join)."""

from __future__ import annotations

from typing import Any

from celery.bin.celery import celery as celery_cli
from django.core.management.base import BaseCommand, CommandParser

POOLS = ("threads", "prefork", "solo")


class Command(BaseCommand):
    help = (
        "运行处理后台任务的 Celery 进程（worker）。"
        "只有一台机器时不需要它：gongkai serve 会自带一个。"
        "多台机器共享消息队列（BROKER_URL=redis://… 或 amqp://…，并共用 DATABASE_URL）时，"
        "在每台处理任务的机器上运行 gongkai worker，并且只在其中一台加 --beat"
        "（定时任务：心跳、清理卡住的任务；多台都加会重复发送）。"
        "这时 gongkai serve 已自带 beat：Web 机器请用 gongkai serve --no-worker，"
        "或在其他机器上都不要加 --beat。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--beat",
            action="store_true",
            help="同时运行定时任务调度（beat）。整个系统只能有一个进程这样运行。",
        )
        parser.add_argument("--concurrency", type=int, default=2, help="同时处理的任务数（默认 2）")
        parser.add_argument(
            "--queues", default="", help="只处理这些队列，逗号分隔（默认：默认队列）"
        )
        parser.add_argument(
            "--pool",
            choices=POOLS,
            default="threads",
            help="并发方式：threads（默认，各平台通用）、prefork（仅 Linux/macOS）、solo",
        )
        parser.add_argument("--loglevel", default="INFO", help="日志级别（默认 INFO）")
        parser.add_argument(
            "--hostname", default="", help="进程名，如 worker1@%%h（默认 celery@主机名）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [
            "-A",
            "gongkai.config",
            "worker",
            f"--pool={options['pool']}",
            f"--concurrency={max(1, options['concurrency'])}",
            f"--loglevel={options['loglevel']}",
        ]
        if options["verbosity"] == 0:
            argv.insert(2, "--quiet")  # no start-up banner (a global option: before "worker")
        if options["beat"]:
            argv.append("--beat")
        if options["queues"]:
            argv.append(f"--queues={options['queues']}")
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        # Celery's own command line, in this process: exits with the worker's exit status.
        celery_cli.main(args=argv, prog_name="gongkai worker")
