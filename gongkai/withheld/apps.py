"""负面清单 and the yearly 不予公开 self-check."""

from __future__ import annotations

from django.apps import AppConfig


class WithheldConfig(AppConfig):
    name = "gongkai.withheld"
    label = "withheld"
    verbose_name = "不予公开自查"

    def ready(self) -> None:
        from gongkai.withheld import hooks

        hooks.connect()
