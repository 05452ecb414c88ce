from __future__ import annotations

from django.apps import AppConfig


class WithheldConfig(AppConfig):
    name = "gongkai.withheld"
    label = "withheld"
    verbose_name = "不予公开自查"
