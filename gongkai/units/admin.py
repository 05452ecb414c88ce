"""Admin for the unit directory; every save lands in the audit trail (AuditedModelAdmin)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.units.forms import UnitAdminForm, UnitGroupAdminForm
from gongkai.units.models import Unit, UnitGroup


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    form = UnitAdminForm
    list_display = ("name", "short_name", "kind", "parent", "code", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("parent",)
    ordering = ("kind", "name")


@admin.register(UnitGroup)
class UnitGroupAdmin(AuditedModelAdmin):
    form = UnitGroupAdminForm
    list_display = ("name", "mode", "rule_kind", "rule_parent")
    list_filter = ("mode",)
    search_fields = ("name",)
    filter_horizontal = ("members",)
    autocomplete_fields = ("rule_parent",)
