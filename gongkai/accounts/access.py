"""Who may do what, in the terms every app asks: is this the office (公开办), does this user
see every unit's records. Each app's access module adds its own record-level rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

OFFICE_ONLY = "只有公开办可以进行此操作"


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_office", False))


def sees_all(user: Any) -> bool:
    """The office and evaluators see every unit's records; liaisons and leaders their own."""
    return bool(getattr(user, "sees_all_units", False))


def require_office(user: Any, why: str = OFFICE_ONLY) -> None:
    if not is_office(user):
        raise PermissionDenied(why)
