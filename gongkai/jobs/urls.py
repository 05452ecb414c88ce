from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.jobs import views

app_name = "jobs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.job_list, name="list"),
    path("self-test/", views.self_test, name="selftest"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
]
