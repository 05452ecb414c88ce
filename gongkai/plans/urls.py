from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.plans.views import drafts, plans

app_name = "plans"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", plans.plan_list, name="list"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/assign/", plans.plan_assign, name="assign"),
    path("<int:pk>/versions/<int:number>/", plans.version_changes, name="version"),
    path("<int:pk>/versions/<int:number>/source/", plans.version_source, name="source"),
    path("import/", drafts.plan_import, name="import"),
    path("drafts/<int:pk>/", drafts.draft_detail, name="draft"),
    path("drafts/<int:pk>/status/", drafts.draft_status, name="draft_status"),
    path("drafts/<int:pk>/rows/", drafts.draft_row, name="draft_row"),
    path("drafts/<int:pk>/picks/", drafts.draft_pick, name="draft_pick"),
    path("drafts/<int:pk>/reset/", drafts.draft_reset, name="draft_reset"),
    path("drafts/<int:pk>/confirm/", drafts.draft_confirm, name="draft_confirm"),
    path("drafts/<int:pk>/discard/", drafts.draft_discard, name="draft_discard"),
]
