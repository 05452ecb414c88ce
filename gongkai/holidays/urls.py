from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.holidays import views

app_name = "holidays"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calendar_page, name="calendar"),
    path("adjustments/add/", views.add, name="add"),
    path("adjustments/<int:pk>/remove/", views.remove, name="remove"),
]
