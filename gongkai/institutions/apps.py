"""机构职能 and 负责人信息 of each unit."""

from __future__ import annotations

from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "gongkai.institutions"
    label = "institutions"
    verbose_name = "机构职能"

    def ready(self) -> None:
        from gongkai.institutions import hooks

        hooks.connect()
