from __future__ import annotations

from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "gongkai.institutions"
    label = "institutions"
    verbose_name = "机构职能"
