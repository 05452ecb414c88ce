"""Admin for 网站检查: read-only. Every change goes through gongkai.inspection.actions (and the
job that records results), which keep the tickets' history and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.inspection.models import InspectedSite, Inspection, Ticket


class _ReadOnly(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InspectedSite)
class InspectedSiteAdmin(_ReadOnly):
    list_display = ("name", "base_url", "unit", "schedule", "next_run", "active")
    list_filter = ("schedule", "active", "is_portal")
    search_fields = ("name", "base_url")
    list_select_related = ("unit",)


@admin.register(Inspection)
class InspectionAdmin(_ReadOnly):
    list_display = ("pk", "site", "status", "finished", "result", "grade", "pages_crawled")
    list_filter = ("status", "grade")
    list_select_related = ("site",)


@admin.register(Ticket)
class TicketAdmin(_ReadOnly):
    list_display = ("pk", "site", "type", "unit", "status", "opened_on", "due_on")
    list_filter = ("status", "type")
    search_fields = ("url",)
    list_select_related = ("site", "unit")
