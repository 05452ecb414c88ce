"""Loading local adjustments for a user: every signed-in user sees them; the office changes them."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.holidays.actions import require_office
from gongkai.holidays.models import LocalAdjustment


def get_adjustment_for_user(user: Any, pk: int, *, write: bool = False) -> LocalAdjustment:
    if not getattr(user, "is_authenticated", False):
        raise Http404("没有找到该调整")
    adjustment = LocalAdjustment.objects.filter(pk=pk).first()
    if adjustment is None:
        raise Http404("没有找到该调整")
    if write:
        require_office(user)
    return adjustment
