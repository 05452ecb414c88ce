"""政务舆情 events and their wall-clock response clocks."""

from __future__ import annotations

from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "gongkai.opinion"
    label = "opinion"
    verbose_name = "政务舆情"

    def ready(self) -> None:
        from gongkai.opinion import hooks

        hooks.connect()
