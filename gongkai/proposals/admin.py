"""Admin for 建议提案: read-only. Every change goes through gongkai.proposals.actions (the staff
pages), which check the rules and write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.proposals.models import Proposal, YearSummary


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("year", "level", "kind", "number", "title", "unit", "due_on", "replied_on")
    list_filter = ("year", "level", "kind", "result")
    search_fields = ("title", "number", "deputies")


@admin.register(YearSummary)
class YearSummaryAdmin(ReadOnlyAdmin):
    list_display = ("year", "document", "created_at")
