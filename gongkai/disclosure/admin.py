"""Admin for the request register: read-only. Every change to a request, its log, its review,
its letters or an appeal goes through gongkai.disclosure.actions (the pages and the API), which
check the rules, keep the clock right and write the audit trail; the admin only looks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.disclosure.models import (
    Appeal,
    Attachment,
    Letter,
    LetterTemplate,
    ReplyReview,
    Request,
    RequestEvent,
    Transfer,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):  # type: ignore[type-arg]  # generic over the model
    model = RequestEvent
    fields = ("date", "kind", "data", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = (
        "tracking_no",
        "applicant_name",
        "unit",
        "state",
        "received_on",
        "deadline",
        "outcome",
    )
    list_filter = ("state", "applicant_type", "channel", "source")
    search_fields = ("tracking_no", "applicant_name")
    list_select_related = ("unit",)
    date_hierarchy = "received_on"
    inlines = (EventInline,)
    show_full_result_count = False  # counting 200,000 rows on every page is what makes it slow


@admin.register(ReplyReview)
class ReplyReviewAdmin(ReadOnlyAdmin):
    list_display = ("request", "outcome", "decision", "submitted_at", "due_on", "decided_by")
    list_filter = ("decision",)
    search_fields = ("request__tracking_no",)
    list_select_related = ("request", "decided_by")


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "from_unit", "to_unit", "at")
    list_filter = ("kind",)
    search_fields = ("request__tracking_no",)
    list_select_related = ("request", "from_unit", "to_unit")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "request", "role", "size", "uploaded_at")
    search_fields = ("name", "request__tracking_no")
    list_select_related = ("request",)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("title", "request", "kind", "issued_on")
    list_filter = ("kind",)
    search_fields = ("request__tracking_no",)
    list_select_related = ("request",)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "outcome", "updated_at")
    list_filter = ("kind",)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("kind", "filed_on", "case_no", "unit", "result", "decided_on")
    list_filter = ("kind", "result")
    search_fields = ("case_no", "body", "request__tracking_no")
    list_select_related = ("unit",)
