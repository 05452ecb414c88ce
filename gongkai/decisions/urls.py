"""Staff pages of 重大行政决策, under /decisions/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "decisions"
urlpatterns: list[URLPattern | URLResolver] = []
