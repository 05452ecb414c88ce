"""Staff pages of 建议提案办理, under /proposals/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = []
