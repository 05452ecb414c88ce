"""Permissions follow the role: the office manages Gongkai's data in the admin too.

Django's per-user permission rows are still honoured (ModelBackend); this backend adds what
the role implies, so an office account works in the admin without hand-picked permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from gongkai.accounts.models import Role

#: Apps whose models the office manages. Audit events are read-only for everyone (the admin
#: refuses add/change/delete whatever the permissions say).
OFFICE_APPS = frozenset({"accounts", "units", "holidays", "jobs", "audit"})


class RoleBackend(ModelBackend):
    def _role_allows(self, user: Any, app_label: str, codename: str) -> bool:
        if not user.is_active or app_label not in OFFICE_APPS:
            return False
        if user.role == Role.OFFICE:
            return True
        return user.role == Role.EVALUATOR and codename.startswith("view_")

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        app_label, _, codename = perm.partition(".")
        if self._role_allows(user_obj, app_label, codename):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if (
            user_obj.is_active
            and app_label in OFFICE_APPS
            and user_obj.role
            in (
                Role.OFFICE,
                Role.EVALUATOR,
            )
        ):
            return True
        return super().has_module_perms(user_obj, app_label)
