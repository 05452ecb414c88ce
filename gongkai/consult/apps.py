from __future__ import annotations

from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "gongkai.consult"
    label = "consult"
    verbose_name = "意见征集"

    def ready(self) -> None:
        from gongkai.consult import hooks

        hooks.connect()
