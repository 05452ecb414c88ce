"""Admin for 意见征集: read-only. Every change goes through gongkai.consult.actions (the staff
pages), which check the window, moderation and feedback rules and write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.consult.models import Attachment, Comment, Consultation, FeedbackReport


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "state", "opens_on", "closes_on", "is_major_decision")
    list_filter = ("state", "is_major_decision")
    search_fields = ("title",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "consultation", "channel", "moderation", "outcome", "submitted_at")
    list_filter = ("moderation", "outcome", "channel")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("filename", "consultation", "size", "uploaded_at")


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "published_at")
