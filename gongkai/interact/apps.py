from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class InteractConfig(AppConfig):
    name = "gongkai.interact"
    label = "interact"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from gongkai.interact import hooks

        hooks.connect()
        checks.register(check_alarm_days, checks.Tags.compatibility)


def check_alarm_days(**kwargs: Any) -> list[checks.CheckMessage]:
    """The alarm must come before the 3-month single veto (settings.py also refuses it)."""
    days = int(settings.QUESTION_ALARM_DAYS)
    if 0 < days < 90:
        return []
    return [
        checks.Error(
            f"GONGKAI_QUESTION_ALARM_DAYS={days}：告警须早于 3 个月单项否决，请设为 1 至 89",
            id="interact.E001",
        )
    ]
