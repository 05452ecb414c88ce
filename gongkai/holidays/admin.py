"""Admin for local adjustments: adding and deleting go through the actions, like the web page.

So the admin checks the same rules, writes the same audit events (with the reason) and starts
the same recompute job. There is no editing: a change is a deletion plus an addition, each
with its reason, which keeps the trail and the recomputation simple.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.holidays.actions import add_adjustment, check_adjustment, remove_adjustment
from gongkai.holidays.models import LocalAdjustment
from gongkai.workdays import CalendarUnavailable

ADMIN_REMOVAL_REASON = "在管理后台删除"


class LocalAdjustmentAdminForm(forms.ModelForm[LocalAdjustment]):
    class Meta:
        model = LocalAdjustment
        fields = ("date", "kind", "reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day is not None and kind:
            try:
                check_adjustment(day, kind)
            except CalendarUnavailable as exc:
                raise ValidationError(str(exc)) from exc
        return cleaned


@admin.register(LocalAdjustment)
class LocalAdjustmentAdmin(AuditedModelAdmin):
    form = LocalAdjustmentAdminForm
    list_display = ("date", "kind", "reason", "created_by", "created_at")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("reason",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_office", False))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_office", False))

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        created = add_adjustment(request.user, obj.date, obj.kind, obj.reason)
        # The admin goes on to log the addition and redirect using this instance.
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj.created_by = created.created_by

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        # Skip AuditedModelAdmin's event: add_adjustment has recorded it, with the reason.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        remove_adjustment(request.user, obj, ADMIN_REMOVAL_REASON)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                remove_adjustment(request.user, obj, ADMIN_REMOVAL_REASON)
