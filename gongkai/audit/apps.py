from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from gongkai.audit import logins, purge  # noqa: F401  (connect their receivers)
