"""Pages of the work on a plan, under /work/. Each views module lists its own patterns."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from gongkai.work.views import dashboard, evidence, mywork, quarter, reminders, rubrics

app_name = "work"
urlpatterns: list[URLPattern | URLResolver] = [
    *mywork.urlpatterns,
    *evidence.urlpatterns,
    *reminders.urlpatterns,
    *quarter.urlpatterns,
    *rubrics.urlpatterns,
    *dashboard.urlpatterns,
]
