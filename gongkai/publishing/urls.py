"""Staff pages of the document register, under /publishing/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from gongkai.publishing.views import acts, catalogue, cleanup, documents, listing, policy

app_name = "publishing"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", listing.document_list, name="list"),
    path("reviews/", listing.review_queue, name="reviews"),
    path("new/", documents.document_new, name="new"),
    path("<int:pk>/", documents.document_detail, name="detail"),
    path("<int:pk>/edit/", documents.document_edit, name="edit"),
    path("<int:pk>/submit/", acts.submit, name="submit"),
    path("<int:pk>/review/", acts.review, name="review"),
    path("<int:pk>/redact/", acts.redact, name="redact"),
    path("<int:pk>/override/", acts.override, name="override"),
    path("<int:pk>/publish/", acts.publish, name="publish"),
    path("<int:pk>/withdraw/", acts.withdraw, name="withdraw"),
    path("<int:pk>/validity/", acts.change_validity, name="validity"),
    path("<int:pk>/attachments/", acts.add_attachments, name="attachments"),
    path("files/<int:pk>", documents.attachment_file, name="file"),
    path("files/<int:pk>/remove/", acts.remove_attachment, name="file_remove"),
    path("cleanup/", cleanup.cleanup_list, name="cleanups"),
    path("cleanup/new/", cleanup.cleanup_new, name="cleanup_new"),
    path("cleanup/<int:pk>/", cleanup.cleanup_detail, name="cleanup"),
    path("cleanup/<int:pk>/items/", cleanup.cleanup_item, name="cleanup_item"),
    path("cleanup/<int:pk>/publish/", cleanup.cleanup_publish, name="cleanup_publish"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/add/", catalogue.category_add, name="category_add"),
    path("catalogue/<int:pk>/edit/", catalogue.category_edit, name="category_edit"),
    path("catalogue/<int:pk>/move/", catalogue.category_move, name="category_move"),
    path("catalogue/<int:pk>/active/", catalogue.category_active, name="category_active"),
    path("catalogue/<int:pk>/delete/", catalogue.category_delete, name="category_delete"),
    path("policy/", policy.review_policy, name="policy"),
]
