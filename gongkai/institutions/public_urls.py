"""Public 机构职能 pages, under /portal/jgzn/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "jgzn"
urlpatterns: list[URLPattern | URLResolver] = []
