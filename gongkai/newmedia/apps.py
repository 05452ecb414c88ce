"""政务新媒体 accounts and their last posts."""

from __future__ import annotations

from django.apps import AppConfig


class NewMediaConfig(AppConfig):
    name = "gongkai.newmedia"
    label = "newmedia"
    verbose_name = "政务新媒体"

    def ready(self) -> None:
        from gongkai.newmedia import hooks

        hooks.connect()
