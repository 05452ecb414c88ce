from __future__ import annotations

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "gongkai.proposals"
    label = "proposals"
    verbose_name = "建议提案办理"

    def ready(self) -> None:
        from gongkai.proposals import hooks

        hooks.connect()
