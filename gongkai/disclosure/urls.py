"""Staff pages of the request register, under /disclosure/. Each views module lists its own."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.disclosure.views import letters, register

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    *register.urlpatterns,
    *letters.urlpatterns,
]
