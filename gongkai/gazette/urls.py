"""Staff pages of 政府公报, under /gazette/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "gazette"
urlpatterns: list[URLPattern | URLResolver] = []
