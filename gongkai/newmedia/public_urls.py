"""Public 政务新媒体 pages, under /portal/xmt/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "xmt"
urlpatterns: list[URLPattern | URLResolver] = []
