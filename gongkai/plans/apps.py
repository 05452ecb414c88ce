from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "gongkai.plans"
    label = "plans"
    verbose_name = "任务清单"
