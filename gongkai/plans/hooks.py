"""Who follows a plan's tasks: apps that keep records per task register here.

`fn(user, plan, comment)` runs inside the transaction that changed the plan's tasks or their
units (an import, a unit fixed after import), so what it writes lands or fails with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.plans.models import Plan

PlanHook = Callable[[Any, Plan, str], None]

_HOOKS: list[PlanHook] = []


def register_tasks_changed(fn: PlanHook) -> PlanHook:
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def tasks_changed(user: Any, plan: Plan, comment: str) -> None:
    for fn in tuple(_HOOKS):
        fn(user, plan, comment)
