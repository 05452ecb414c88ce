"""Staff pages of 机构职能, under /institutions/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "institutions"
urlpatterns: list[URLPattern | URLResolver] = []
