from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongkai.web"
    verbose_name = "网站外壳"
