from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "gongkai.jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Each app keeps its job handlers in job_handlers.py; importing registers them.
        autodiscover_modules("job_handlers")
