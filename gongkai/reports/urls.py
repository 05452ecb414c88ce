"""Pages of the annual report, under /reports/. Each views module lists its own patterns."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.reports.views import cells, pages

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    *pages.urlpatterns,
    *cells.urlpatterns,
]
