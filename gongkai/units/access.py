"""The one way views and the API load units: scoped by the user's units.

A unit the user may not see raises the same 404 as a unit that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.units.models import Unit, UnitQuerySet


def units_for_user(user: Any) -> UnitQuerySet:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.sees_all_units:
        return Unit.objects.all()
    return Unit.objects.filter(members=user)


def get_unit_for_user(user: Any, pk: int, *, write: bool = False) -> Unit:
    """The unit, if the user may see it; with write=True, only if the user may change it."""
    unit = units_for_user(user).filter(pk=pk).first()
    if unit is None:
        raise Http404("没有找到该单位")
    if write and not user.is_office:
        # The user can see this unit (it is theirs) but the directory is the office's to edit.
        raise PermissionDenied("单位名录由公开办维护")
    return unit
