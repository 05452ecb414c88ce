"""重大行政决策事项目录, linked to consultations, decisions and 后评估."""

from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "gongkai.decisions"
    label = "decisions"
    verbose_name = "重大行政决策"

    def ready(self) -> None:
        from gongkai.decisions import hooks

        hooks.connect()
