"""The dashboard's figures in Redis (GONGKAI_CACHE_URL), as several machines share them.

Runs with the real-broker tests (`-m broker -k redis`), on a Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches

from gongkai.work import dashboard
from gongkai.work.actions import ReportInput, submit_report
from gongkai.work.models import Checkpoint
from tests.conftest import Cast
from tests.work_factories import TaskSpec, make_plan, quarterly

pytestmark = pytest.mark.broker

REDIS = "redis://127.0.0.1:6379/14"


def test_redis_holds_the_figures_and_a_change_makes_them_stale(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    caches["default"].clear()
    plan = make_plan([TaskSpec("定期公开", [cast.justice], rules=[quarterly()])])
    f = dashboard.dashboard_filter({"plan": str(plan.pk)})
    today = dt.date(2026, 11, 21)
    first = dashboard.figures(None, f, today)
    key = dashboard._key(None, f)
    stored = caches["default"].get(key)
    assert stored is not None and stored[1].headline == first.headline  # it is in Redis

    from gongkai.work import tasks

    asked: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.refresh_dashboard_task, "delay", lambda *a: asked.append(a))
    checkpoint = Checkpoint.objects.filter(unit=cast.justice).order_by("due").first()
    assert checkpoint is not None
    submit_report(cast.justice_liaison, checkpoint, ReportInput("done", text="已公开"))
    assert dashboard.figures(None, f, today).stale and len(asked) == 1
    tasks.refresh_dashboard_task(*asked[0])  # as a worker on another machine would
    assert dashboard.figures(None, f, today).headline.finished == 1
    caches["default"].clear()
