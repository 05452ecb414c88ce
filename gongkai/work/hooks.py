"""Wiring into the other apps: plan changes and calendar changes."""

from __future__ import annotations

from typing import Any


def connect() -> None:
    from gongkai.holidays.hooks import register_recompute
    from gongkai.plans.hooks import register_tasks_changed
    from gongkai.work.sync import recompute_due

    register_recompute(recompute_due)
    register_tasks_changed(_plan_changed)


def _plan_changed(user: Any, plan: Any, comment: str) -> None:
    from gongkai.work.sync import sync_plan

    sync_plan(plan, user=user, comment=comment)
