from __future__ import annotations

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "gongkai.work"
    label = "work"
    verbose_name = "任务落实"

    def ready(self) -> None:
        from gongkai.work import hooks

        hooks.connect()
