"""Staff pages of 重大行政决策, under /decisions/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.decisions.views import staff

app_name = "decisions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.index, name="index"),
    path("new/", staff.new, name="new"),
    path("<int:pk>/", staff.catalogue, name="catalogue"),
    path("<int:pk>/edit/", staff.catalogue_edit, name="catalogue_edit"),
    path("<int:pk>/publish/", staff.publish, name="publish"),
    path("<int:pk>/items/", staff.item_add, name="item_add"),
    path("items/<int:pk>/", staff.item, name="item"),
    path("items/<int:pk>/edit/", staff.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", staff.item_remove, name="item_remove"),
    path("items/<int:pk>/consultation/", staff.item_consultation, name="item_consultation"),
    path("items/<int:pk>/hearing/", staff.item_hearing, name="item_hearing"),
    path("items/<int:pk>/decision/", staff.item_decision, name="item_decision"),
    path("items/<int:pk>/evaluation/", staff.item_evaluation, name="item_evaluation"),
]
