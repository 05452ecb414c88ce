from __future__ import annotations

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.disclosure import hooks

        hooks.connect()
