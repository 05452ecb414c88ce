"""Staff pages of 政务舆情, under /opinion/ (gongkai/opinion/views.py); no public pages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.opinion import views

app_name = "opinion"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="index"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/level/", views.change_level, name="level"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/close/", views.close, name="close"),
]
