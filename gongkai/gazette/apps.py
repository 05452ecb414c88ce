"""政府公报 issues, browsable and searchable."""

from __future__ import annotations

from django.apps import AppConfig


class GazetteConfig(AppConfig):
    name = "gongkai.gazette"
    label = "gazette"
    verbose_name = "政府公报"

    def ready(self) -> None:
        from gongkai.gazette import hooks

        hooks.connect()
