"""The one way staff views load catalogues and items.

- A catalogue is the government's, not one unit's: every signed-in user may read it; only the
  office drafts, edits, lists items in and publishes it (403 for others).
- Items: the office and evaluators see every unit's; liaisons and leaders only their units'.
  Another unit's item is a 404, the same as a missing one.
- An item's progress (its consultation, hearing, decision and 后评估) is recorded by a liaison
  of its unit or the office (403 for leaders and evaluators).

The public pages (views/public.py) load only published catalogues, by their own query.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all
from gongkai.accounts.models import Role
from gongkai.decisions.models import Catalogue, Item, ItemQuerySet


def can_edit(user: Any, item: Item) -> bool:
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and item.unit_id in user.unit_ids()


def require_editor(user: Any, item: Item) -> None:
    if not can_edit(user, item):
        raise PermissionDenied("只有承办单位的联络员或公开办可以登记该决策事项的进展")


def items_for_user(user: Any) -> ItemQuerySet:
    qs = Item.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_catalogue_for_user(user: Any, pk: int, *, write: bool = False) -> Catalogue:
    if not getattr(user, "is_authenticated", False):
        raise Http404("没有找到该目录")
    found = Catalogue.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该目录")
    if write:
        require_office(user, "只有公开办可以编制和发布重大行政决策事项目录")
    return found


def get_item_for_user(user: Any, pk: int, *, write: bool = False) -> Item:
    found = items_for_user(user).with_links().filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该决策事项")
    if write:
        require_editor(user, found)
    return found
