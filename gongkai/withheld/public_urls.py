"""Public 不予公开自查 pages, under /portal/fmqd/ (gongkai/withheld/views/public.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.withheld.views import public

app_name = "fmqd"
urlpatterns: list[URLPattern | URLResolver] = [*public.urlpatterns]
