"""Public 不予公开自查 pages, under /portal/fmqd/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "fmqd"
urlpatterns: list[URLPattern | URLResolver] = []
