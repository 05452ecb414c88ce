"""Staff pages of 政务新媒体, under /newmedia/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "newmedia"
urlpatterns: list[URLPattern | URLResolver] = []
