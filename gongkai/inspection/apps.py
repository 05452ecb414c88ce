from __future__ import annotations

from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "gongkai.inspection"
    label = "inspection"
    verbose_name = "网站检查"

    def ready(self) -> None:
        from gongkai.inspection import hooks

        hooks.connect()
