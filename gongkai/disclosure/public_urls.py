"""The public side, under /apply/: no login."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.disclosure.views import public

app_name = "apply"
urlpatterns: list[URLPattern | URLResolver] = [*public.urlpatterns]
