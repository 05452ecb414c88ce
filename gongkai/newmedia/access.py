"""The one way staff views load accounts.

- The office and evaluators see every unit's accounts; liaisons and leaders only their units'.
  Another unit's account is a 404, the same as a missing one.
- Registering, editing, entering the last post and fetching now: a liaison of the account's
  unit, or the office (403 for leaders and evaluators, who only read).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.accounts.models import Role
from gongkai.newmedia.models import Account, AccountQuerySet
from gongkai.units.models import Unit, UnitQuerySet

WRITE_DENIED = "只有账号主办单位的联络员或公开办可以维护该账号"


def may_register(user: Any) -> bool:
    """May register accounts (for one of the user's units; the office for any unit)."""
    return is_office(user) or getattr(user, "role", None) == Role.LIAISON


def can_edit(user: Any, account: Account) -> bool:
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and account.unit_id in user.unit_ids()


def writable_units(user: Any) -> UnitQuerySet:
    """The units the user may register accounts for."""
    units = Unit.objects.active().order_by("name")
    if is_office(user):
        return units
    if not may_register(user):
        return units.none()
    return units.filter(pk__in=user.unit_ids())


def require_editor(user: Any, account: Account) -> None:
    if not can_edit(user, account):
        raise PermissionDenied(WRITE_DENIED)


def accounts_for_user(user: Any) -> AccountQuerySet:
    qs = Account.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_account_for_user(user: Any, pk: int, *, write: bool = False) -> Account:
    found = accounts_for_user(user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该政务新媒体账号")
    if write:
        require_editor(user, found)
    return found
