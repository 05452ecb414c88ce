from __future__ import annotations

from django.apps import AppConfig


class NewMediaConfig(AppConfig):
    name = "gongkai.newmedia"
    label = "newmedia"
    verbose_name = "政务新媒体"
