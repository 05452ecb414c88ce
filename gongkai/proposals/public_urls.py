"""Public 建议提案办理 pages, under /portal/jyta/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.proposals.views import public

app_name = "jyta"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.reply_list, name="list"),
    path("<int:pk>/", public.reply_detail, name="detail"),
]
