"""`gongkai serve`: the web server and, beside it, one background worker with beat."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gongkai.jobs.worker_child import WorkerChild, worker_command

#: Seconds the worker gets to finish its current task when serve stops.
STOP_TIMEOUT = 20


def _display_url(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - only to print a clickable address
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _raise_system_exit(signum: int, frame: FrameType | None) -> None:
    # waitress's loop stops on SystemExit/KeyboardInterrupt; the finally block stops the worker.
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "启动 Web 服务（waitress）和一个后台进程（Celery worker，含定时任务 beat）。"
        "设置了 BROKER_URL 时仍会在本机启动这个带 beat 的后台进程，其他机器上的 gongkai worker"
        "就不要再加 --beat；如果后台进程都在其他机器上运行，请加 --no-worker，"
        "并让其中一台运行 gongkai worker --beat。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="Web 线程数（默认 8）")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不在本机启动后台进程（后台任务由其他机器上的 gongkai worker 处理）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import create_server

        from gongkai.config.wsgi import application

        self.check_migrations()  # says so if `gongkai migrate` has not been run
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            server = create_server(
                application, host=options["host"], port=options["port"], threads=options["threads"]
            )
        except OSError as exc:
            raise CommandError(f"无法监听 {options['host']}:{options['port']}：{exc}") from exc

        worker: WorkerChild | None = None
        if not options["no_worker"]:
            worker = WorkerChild(
                worker_command(concurrency=2, loglevel="WARNING"), on_death=self._worker_died
            )
            worker.start()
            self.stdout.write(f"后台进程已启动（pid {worker.pid}）")
        else:
            self.stdout.write(
                "未在本机启动后台进程：后台任务需由其他机器上的 gongkai worker 处理。"
            )

        signal.signal(signal.SIGTERM, _raise_system_exit)
        url = _display_url(options["host"], options["port"])
        self.stdout.write(self.style.SUCCESS(f"公开 Gongkai 已启动：{url}"))
        self._print_demo_logins()
        self.stdout.write("按 Ctrl-C 停止。")
        self.stdout.flush()
        try:
            server.run()
        finally:
            server.close()
            if worker is not None:
                self._stop_worker(worker)

    def _stop_worker(self, worker: WorkerChild) -> None:
        def kill_now(signum: int, frame: FrameType | None) -> None:
            worker.kill()

        # A second Ctrl-C (or TERM) while the worker finishes its task: do not wait any longer.
        signal.signal(signal.SIGINT, kill_now)
        signal.signal(signal.SIGTERM, kill_now)
        self.stdout.write(f"正在停止后台进程（最多等待 {STOP_TIMEOUT} 秒，再按 Ctrl-C 立即结束）…")
        self.stdout.flush()
        code = worker.stop(STOP_TIMEOUT)
        self.stdout.write(f"后台进程已停止（退出码 {code}）。")

    def _worker_died(self, code: int) -> None:
        message = (
            f"\n!!! 后台进程意外退出（退出码 {code}）。网页仍可访问，但后台任务不会被处理。"
            "\n!!! 请查看上面的日志，然后重新启动 gongkai serve。\n"
        )
        self.stderr.write(self.style.ERROR(message))
        self.stderr.flush()

    def _print_demo_logins(self) -> None:
        try:
            from gongkai.demo.logins import DEMO_LOGINS
        except ImportError:
            return
        from gongkai.accounts.models import User

        names = [login[0] for login in DEMO_LOGINS]
        try:
            existing = set(
                User.objects.filter(username__in=names).values_list("username", flat=True)
            )
        except DatabaseError:  # not migrated yet: check_migrations has said so
            return
        logins = [login for login in DEMO_LOGINS if login[0] in existing]
        if not logins:
            return  # not the demo database: do not advertise passwords that do not work
        self.stdout.write("演示账号（用户名 / 密码 / 角色）：")
        for username, password, role in logins:
            self.stdout.write(f"  {username} / {password} / {role}")
