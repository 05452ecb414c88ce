"""The scale benchmark's data generator, run at a tiny scale so it keeps working."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai.accounts.models import User
from gongkai.work.models import Checkpoint, Report, Review

TODAY = dt.date(2026, 11, 21)


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "work_bench.py"
    spec = importlib.util.spec_from_file_location("work_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("work_bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generator_fills_a_plan_the_pages_can_read() -> None:
    bench = _bench()
    data = bench.generate(units=6, tasks=5, checkpoints=120, today=TODAY)
    # 120 checkpoints / (5 tasks × 4 a year) = 6 units per task.
    assert data.checkpoints == Checkpoint.objects.filter(plan_id=data.plan_id).count() == 120
    assert len(data.unit_ids) == 6
    live = Checkpoint.objects.filter(plan_id=data.plan_id).live()
    assert live.overdue(TODAY).exists()
    assert live.filter(finished_on__isnull=False).exists()
    assert live.filter(review=Review.PENDING).exists()
    # Every report the checkpoints point at exists, and new rows get fresh ids afterwards.
    pointed = set(live.exclude(latest_report=None).values_list("latest_report_id", flat=True))
    assert pointed and pointed <= set(Report.objects.values_list("pk", flat=True))
    checkpoint = live.filter(latest_report=None).first()
    assert checkpoint is not None
    Report.objects.create(checkpoint=checkpoint, status="in_progress")

    cache.clear()
    client = Client()
    client.force_login(User.objects.get(pk=data.office_id))
    response = client.get(f"/work/dashboard/?plan={data.plan_id}")
    assert response.status_code == 200
    assert response.context["head"].total == live.count()


def test_percentile_is_the_nearest_rank() -> None:
    bench = _bench()
    values = [float(v) for v in range(1, 101)]
    assert bench._percentile(values, 0.95) == 95.0
    assert bench._percentile([7.0], 0.95) == 7.0
