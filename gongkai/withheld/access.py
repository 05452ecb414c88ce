"""The one way staff views load 负面清单 entries and self-checks.

- The negative list is public: every signed-in user reads it; only the office changes it (403).
- Self-checks are the office's work: the office and evaluators see all of them; a liaison or
  leader reads the checks of their own units, and the whole organisation's check limited to
  their units' items (it is the check that covers their unit when it has none of its own, and
  their checkpoints link to it). Another unit's check, and another unit's item, are a 404, the
  same as a missing one. Opening, refreshing, deciding items and closing are the office's (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.withheld.models import CheckItem, NegativeEntry, SelfCheck

OFFICE_ONLY = "只有公开办可以维护负面清单和开展不予公开自查"


def checks_for_user(user: Any) -> QuerySet[SelfCheck]:
    qs = SelfCheck.objects.select_related("unit")
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    ids = user.unit_ids()
    if not ids:
        return qs.none()
    return qs.filter(Q(unit_id__in=ids) | Q(unit__isnull=True))


def is_scoped(user: Any, check: SelfCheck) -> bool:
    """True when the user reads only part of the check: a unit's view of the whole
    organisation's check."""
    return check.unit_id is None and not sees_all(user)


def items_for_user(user: Any, check: SelfCheck) -> QuerySet[CheckItem]:
    """The items of a check the user may read (the check itself already is theirs)."""
    items = check.items.all()
    if is_scoped(user, check):
        return items.filter(unit_id__in=user.unit_ids())
    return items


def get_check_for_user(user: Any, pk: int, *, write: bool = False) -> SelfCheck:
    check = checks_for_user(user).filter(pk=pk).first()
    if check is None:
        raise Http404("没有找到该自查")
    if write:
        require_office(user, OFFICE_ONLY)
    return check


def get_item_for_user(user: Any, pk: int, *, write: bool = False) -> CheckItem:
    item = (
        CheckItem.objects.select_related("selfcheck", "unit")
        .filter(pk=pk, selfcheck__in=checks_for_user(user))
        .first()
    )
    if item is None or (is_scoped(user, item.selfcheck) and item.unit_id not in user.unit_ids()):
        raise Http404("没有找到该自查项目")
    if write:
        require_office(user, OFFICE_ONLY)
    return item


def get_entry_for_user(user: Any, pk: int, *, write: bool = False) -> NegativeEntry:
    entry = NegativeEntry.objects.select_related("unit").filter(pk=pk).first()
    if entry is None:
        raise Http404("没有找到该负面清单事项")
    if write:
        require_office(user, OFFICE_ONLY)
    return entry
