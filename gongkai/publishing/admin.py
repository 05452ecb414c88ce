"""Admin for the document register: read-mostly. Documents, their attachments, reviews, privacy
checks, validity history and cleanups change only through gongkai.publishing.actions (the
pages), which check the rules, keep the gate and the clock right and write the audit trail; the
admin only looks. The catalogue tree and the review policy may be edited here too (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.publishing.models import (
    Category,
    Cleanup,
    CleanupItem,
    Document,
    DocumentAttachment,
    IndexCounter,
    PrivacyCheck,
    ReviewPolicy,
    ReviewStage,
    ReviewStep,
    ValidityChange,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]  # generic over the model
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(_ReadOnlyInline):
    model = DocumentAttachment
    fields = ("original_name", "file_type", "size", "uploaded_by", "uploaded_at")


class ReviewInline(_ReadOnlyInline):
    model = ReviewStep
    fields = ("round", "stage", "decision", "comment", "reviewer", "decided_at")


class CheckInline(_ReadOnlyInline):
    model = PrivacyCheck
    fields = ("attachment", "scanned_at", "hits", "findings", "problems", "resolution", "reason")


class ValidityInline(_ReadOnlyInline):
    model = ValidityChange
    fk_name = "document"
    fields = ("old", "new", "effective_on", "changed_by_document", "reason", "recorded_by")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "kind", "state", "index_number", "published_on", "validity")
    list_filter = ("state", "kind", "validity", "needs_interpretation")
    search_fields = ("title", "index_number", "doc_number")
    list_select_related = ("unit",)
    exclude = ("body_html",)
    inlines = (AttachmentInline, ReviewInline, CheckInline, ValidityInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PrivacyCheck)
class PrivacyCheckAdmin(ReadOnlyAdmin):
    list_display = ("document", "attachment", "scanned_at", "hits", "resolution")
    list_filter = ("resolution",)
    list_select_related = ("document", "attachment")


@admin.register(Cleanup)
class CleanupAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "published_at")


@admin.register(CleanupItem)
class CleanupItemAdmin(ReadOnlyAdmin):
    list_display = ("cleanup", "document", "outcome")


@admin.register(IndexCounter)
class IndexCounterAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "last")


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ("name", "parent", "code", "position", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: documents keep their category


class ReviewPolicyForm(forms.ModelForm):  # type: ignore[type-arg]  # generic over the model
    stages = forms.MultipleChoiceField(
        label="审核环节", choices=ReviewStage.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReviewPolicy
        fields = ("kind", "stages")


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(AuditedModelAdmin):
    form = ReviewPolicyForm
    list_display = ("kind", "__str__", "updated_at")
