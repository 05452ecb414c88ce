"""Staff pages for questions, under /interact/ (gongkai/interact/views/staff.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.interact.views import staff

app_name = "interact"
urlpatterns: list[URLPattern | URLResolver] = [*staff.urlpatterns]
