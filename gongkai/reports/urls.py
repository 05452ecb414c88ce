"""Pages of the annual report, under /reports/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = []
