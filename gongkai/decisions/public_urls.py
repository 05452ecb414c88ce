"""Public 重大行政决策 pages, under /portal/zdjc/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.decisions.views import public

app_name = "zdjc"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.index, name="index"),
    path("<int:year>/", public.catalogue, name="catalogue"),
]
