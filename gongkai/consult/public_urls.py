"""Public 意见征集 pages, under /portal/yjzj/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.consult.views import public

app_name = "yjzj"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.consultation_list, name="list"),
    path("<int:pk>/", public.consultation_detail, name="detail"),
    path("<int:pk>/comment/", public.comment, name="comment"),
    path("files/<int:pk>", public.attachment_file, name="file"),
]
