"""Public portal pages, under /portal/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.portal.views import documents, pages
from gongkai.portal.views.search import search_page

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.home, name="home"),
    path("zwgk/", pages.column, name="column"),
    path("zwgk/guide/", pages.guide, name="guide"),
    path("zwgk/system/", pages.system, name="system"),
    path("zwgk/documents/", documents.document_list, name="list"),
    path("zwgk/reports/", pages.reports, name="reports"),
    path("zwgk/reports/<int:pk>/", pages.report, name="report"),
    path("zwgk/cleanups/", pages.cleanups, name="cleanups"),
    path("zwgk/cleanups/<int:pk>/", pages.cleanup, name="cleanup"),
    path("documents/<int:pk>/", documents.document, name="document"),
    path("documents/<int:pk>/files/<int:file_pk>", documents.attachment, name="attachment"),
    path("search/", search_page, name="search"),
]
