"""Public 政府公报 pages, under /portal/gb/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "gb"
urlpatterns: list[URLPattern | URLResolver] = []
