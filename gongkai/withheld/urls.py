"""Staff pages of 不予公开自查, under /withheld/ (gongkai/withheld/views/staff.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.withheld.views import staff

app_name = "withheld"
urlpatterns: list[URLPattern | URLResolver] = [*staff.urlpatterns]
