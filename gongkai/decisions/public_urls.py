"""Public 重大行政决策 pages, under /portal/zdjc/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "zdjc"
urlpatterns: list[URLPattern | URLResolver] = []
