from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from gongkai.accounts.models import ApiToken, User
from gongkai.audit.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin[User]):
    list_display = ["username", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "units"]
    search_fields = ["username", "full_name", "email"]
    filter_horizontal = ["units", "groups", "user_permissions"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("公开办角色与单位", {"fields": ("full_name", "role", "units")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser may hand out superuser status or raw permissions.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "groups"]
        return fields

    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("公开办角色与单位", {"fields": ("full_name", "role", "units")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are issued on the user's own page, where the raw value is shown once.
        return False
