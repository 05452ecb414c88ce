"""Office pages that edit the portal (identifiers, guide, system), under /site/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.portal.views import staff

app_name = "site"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("identity/", staff.identity, name="identity"),
    path("guide/", staff.guide_edit, name="guide"),
    path("system/", staff.system_edit, name="system"),
]
