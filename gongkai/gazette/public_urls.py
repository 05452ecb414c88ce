"""Public 政府公报 pages, under /portal/gb/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.gazette.views import public

app_name = "gb"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.index, name="index"),
    path("search/", public.search_page, name="search"),
    path("files/<int:pk>", public.item_file, name="item_file"),
    path("<int:year>/", public.year, name="year"),
    path("<int:year>/<int:number>/", public.issue, name="issue"),
    path("<int:year>/<int:number>/pdf", public.issue_file, name="issue_file"),
]
