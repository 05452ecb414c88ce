"""Staff pages for consultations, under /consult/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.consult.views import feedback, staff

app_name = "consult"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.consultation_list, name="list"),
    path("new/", staff.consultation_new, name="new"),
    path("<int:pk>/", staff.consultation_detail, name="detail"),
    path("<int:pk>/edit/", staff.consultation_edit, name="edit"),
    path("<int:pk>/attachments/", staff.attachment_add, name="attachment_add"),
    path("<int:pk>/publish/", staff.publish, name="publish"),
    path("<int:pk>/extend/", staff.extend, name="extend"),
    path("<int:pk>/decision/", staff.decision, name="decision"),
    path("<int:pk>/close/", staff.close, name="close"),
    path("<int:pk>/comments/", feedback.record, name="record"),
    path("<int:pk>/report/", feedback.report, name="report"),
    path("<int:pk>/report/publish/", feedback.report_publish, name="report_publish"),
    path("comments/<int:pk>/moderate/", feedback.moderate, name="moderate"),
    path("comments/<int:pk>/outcome/", feedback.outcome, name="outcome"),
    path("attachments/<int:pk>", staff.attachment_file, name="attachment"),
    path("attachments/<int:pk>/remove/", staff.attachment_remove, name="attachment_remove"),
]
