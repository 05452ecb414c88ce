"""Staff pages of 建议提案办理, under /proposals/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.proposals.views import staff

app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.proposal_list, name="list"),
    path("new/", staff.proposal_new, name="new"),
    path("summary/", staff.summary, name="summary"),
    path("summary/generate/", staff.summary_generate, name="summary_generate"),
    path("<int:pk>/", staff.proposal_detail, name="detail"),
    path("<int:pk>/edit/", staff.proposal_edit, name="edit"),
    path("<int:pk>/reply/", staff.reply, name="reply"),
    path("<int:pk>/publish/", staff.publish, name="publish"),
    path("<int:pk>/letter", staff.letter, name="letter"),
]
