"""Staff pages of 机构职能, under /institutions/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.institutions.views import staff

app_name = "institutions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("check/", staff.check, name="check"),
    path("<int:unit_pk>/", staff.profile, name="profile"),
    path("<int:unit_pk>/edit/", staff.edit, name="edit"),
    path("<int:unit_pk>/leaders/new/", staff.leader_new, name="leader_new"),
    path("<int:unit_pk>/submit/", staff.submit, name="submit"),
    path("<int:unit_pk>/review/", staff.review, name="review"),
    path("<int:unit_pk>/confirm/", staff.confirm, name="confirm"),
    path("leaders/<int:pk>/edit/", staff.leader_edit, name="leader_edit"),
    path("leaders/<int:pk>/remove/", staff.leader_remove, name="leader_remove"),
    path("photos/<int:pk>", staff.photo, name="photo"),
]
