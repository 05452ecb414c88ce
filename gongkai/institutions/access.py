"""The one way staff views load a unit's 机构职能 information, its leaders and their photos.

- The office and evaluators see every unit; liaisons and leaders only their own units. Another
  unit is a 404, the same as a missing one.
- Editing, submitting and 「确认无变化」: a liaison of the unit, or the office (others 403).
- Reviewing (通过 / 退回): the office only (403).

The portal (views/public.py) shows only approved versions, by its own queries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all
from gongkai.accounts.models import Role
from gongkai.institutions.models import Leader, Photo
from gongkai.units.models import Unit, UnitQuerySet

EDITORS_ONLY = "只有本单位联络员或公开办可以修改机构职能信息"


def units_for_user(user: Any) -> UnitQuerySet:
    units = Unit.objects.all()
    if sees_all(user):
        return units
    if not getattr(user, "is_authenticated", False):
        return units.none()
    return units.filter(pk__in=user.unit_ids())


def can_edit(user: Any, unit_id: int) -> bool:
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and unit_id in user.unit_ids()


def get_unit_for_user(user: Any, pk: int, *, write: bool = False) -> Unit:
    unit = units_for_user(user).filter(pk=pk).first()
    if unit is None:
        raise Http404("没有找到该单位")
    if write and not can_edit(user, unit.pk):
        raise PermissionDenied(EDITORS_ONLY)
    return unit


def get_leader_for_user(user: Any, pk: int, *, write: bool = False) -> Leader:
    leader = (
        Leader.objects.select_related("profile", "profile__unit")
        .filter(pk=pk, profile__unit__in=units_for_user(user))
        .first()
    )
    if leader is None:
        raise Http404("没有找到该负责人")
    if write and not can_edit(user, leader.profile.unit_id):
        raise PermissionDenied(EDITORS_ONLY)
    return leader


def get_photo_for_user(user: Any, pk: int) -> Photo:
    photo = Photo.objects.filter(pk=pk, unit__in=units_for_user(user)).first()
    if photo is None:
        raise Http404("没有找到该照片")
    return photo
