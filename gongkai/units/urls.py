from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.units import views

app_name = "units"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("import/", views.unit_import, name="import"),
    path("import/confirm/", views.unit_import_confirm, name="import_confirm"),
    path("export/", views.unit_export, name="export"),
    path("resolve/", views.unit_resolve, name="resolve"),
]
