"""Staff pages of 不予公开自查, under /withheld/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "withheld"
urlpatterns: list[URLPattern | URLResolver] = []
