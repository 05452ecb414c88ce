"""Admin: the audit trail is read-only there, and every audited model's admin records changes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from gongkai.audit.models import AuditEvent
from gongkai.audit.record import Snapshot, record_change, record_create, record_delete, snapshot


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic over any model
    """A ModelAdmin whose saves and deletes land in the audit trail, many-to-many included.

    The snapshot before the change is taken in save_model; the event is written after
    save_related, when many-to-many fields have their new values.
    """

    object_history_template = "audit/admin_history.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The admin's 历史 page shows Gongkai's audit trail for the record."""
        ct = ContentType.objects.get_for_model(self.model)
        events = AuditEvent.objects.filter(content_type=ct, object_id=unquote(object_id))
        return super().history_view(
            request, object_id, {**(extra_context or {}), "audit_events": events}
        )

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        before: Snapshot | None = None
        if change and obj.pk is not None:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        request._audit_before = before  # type: ignore[attr-defined]  # carried to save_related
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_audit_before", None)
        if before is None:
            record_create(request.user, obj)
        else:
            record_change(request.user, obj, before)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_delete(request.user, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_delete(request.user, obj)
            super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor_name", "action", "channel", "object_repr", "comment"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_name", "object_repr", "comment"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
