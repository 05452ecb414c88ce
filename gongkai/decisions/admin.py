"""Admin for 重大行政决策: read-only. Every change goes through gongkai.decisions.actions (the
staff pages), which check the rules and write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.decisions.models import Catalogue, Item


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Catalogue)
class CatalogueAdmin(ReadOnlyAdmin):
    list_display = ("year", "state", "party_agreed_on", "published_on", "adjusted_on")
    list_filter = ("state",)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("catalogue", "number", "title", "unit", "planned_time", "hearing")
    list_filter = ("catalogue", "hearing")
    search_fields = ("title",)
