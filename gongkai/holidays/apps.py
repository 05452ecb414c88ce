from __future__ import annotations

from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    name = "gongkai.holidays"
    verbose_name = "工作日历"
