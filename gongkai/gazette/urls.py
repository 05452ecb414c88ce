"""Staff pages of 政府公报, under /gazette/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.gazette.views import staff

app_name = "gazette"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("new/", staff.issue_new, name="new"),
    path("info/", staff.info, name="info"),
    path("<int:pk>/", staff.issue_detail, name="issue"),
    path("<int:pk>/edit/", staff.issue_edit, name="edit"),
    path("<int:pk>/items/", staff.item_add, name="item_add"),
    path("<int:pk>/pdf/", staff.issue_pdf, name="pdf"),
    path("<int:pk>/pdf/remove/", staff.issue_pdf_remove, name="pdf_remove"),
    path("<int:pk>/pdf/file", staff.issue_file, name="issue_file"),
    path("<int:pk>/publish/", staff.publish, name="publish"),
    path("<int:pk>/withdraw/", staff.withdraw, name="withdraw"),
    path("items/<int:pk>/remove/", staff.item_remove, name="item_remove"),
    path("items/<int:pk>/file", staff.item_file, name="item_file"),
]
