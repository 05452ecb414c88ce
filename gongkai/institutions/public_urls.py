"""Public 机构职能 pages, under /portal/jgzn/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.institutions.views import public

app_name = "jgzn"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.index, name="index"),
    path("<int:unit_pk>/", public.unit, name="unit"),
    path("photos/<int:pk>", public.photo, name="photo"),
]
