"""Admin for questions: read-only. Every change goes through gongkai.interact.actions, which
check the rules, keep the clock right, write the history and the audit trail; the admin only
looks (the asker's contact stays on the staff pages, so it is not listed here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.interact.models import Question, QuestionEvent


class _ReadOnly(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):  # type: ignore[type-arg]  # generic over the model
    model = QuestionEvent
    fields = ("at", "kind", "from_unit", "to_unit", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(_ReadOnly):
    list_display = ("tracking_no", "title", "unit", "state", "received_on", "due_on", "replied_on")
    list_filter = ("state", "simple", "agree_publish")
    search_fields = ("tracking_no", "title")
    list_select_related = ("unit",)
    exclude = ("secret_digest", "asker_name", "contact")
    inlines = [EventInline]
