"""Staff pages of 网站检查, under /inspection/ (gongkai/inspection/views.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.inspection import views

app_name = "inspection"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.site_list, name="index"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/run/", views.site_run, name="site_run"),
    path("sites/<int:pk>/cancel/", views.site_cancel, name="site_cancel"),
    path("sites/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("runs/<int:pk>/", views.inspection_detail, name="run"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/dismiss/", views.ticket_dismiss, name="ticket_dismiss"),
    path("tickets/<int:pk>/restore/", views.ticket_restore, name="ticket_restore"),
]
