"""Public 互动交流 pages, under /portal/hdjl/ (gongkai/interact/views/public.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.interact.views import public

app_name = "hdjl"
urlpatterns: list[URLPattern | URLResolver] = [*public.urlpatterns]
