"""Admin for 政务舆情: read-only. Every change goes through gongkai.opinion.actions (the staff
pages), which keep the clocks and write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.opinion.models import Event, Response, Stage


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "level", "detected_at", "state")
    list_filter = ("level", "state")
    search_fields = ("title",)


@admin.register(Stage)
class StageAdmin(ReadOnlyAdmin):
    list_display = ("event", "kind", "deadline", "met_at", "half_alerted_at", "due_alerted_at")


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("event", "kind", "at", "channel")
