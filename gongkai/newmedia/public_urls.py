"""Public 政务新媒体 pages, under /portal/xmt/ (gongkai/newmedia/views/public.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.newmedia.views import public

app_name = "xmt"
urlpatterns: list[URLPattern | URLResolver] = [*public.urlpatterns]
