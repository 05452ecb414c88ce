"""Staff pages of 政务新媒体, under /newmedia/ (gongkai/newmedia/views/staff.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.newmedia.views import staff

app_name = "newmedia"
urlpatterns: list[URLPattern | URLResolver] = [*staff.urlpatterns]
