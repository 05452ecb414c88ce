"""Public 建议提案办理 pages, under /portal/jyta/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "jyta"
urlpatterns: list[URLPattern | URLResolver] = []
