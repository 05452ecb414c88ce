"""Staff pages of 政务舆情, under /opinion/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "opinion"
urlpatterns: list[URLPattern | URLResolver] = []
