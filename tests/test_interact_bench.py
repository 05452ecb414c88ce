"""The 互动交流 benchmark's generator and measurement, run at a tiny scale so they keep working:
every measured page answers 200 on what the generator builds."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.utils import timezone

from gongkai.interact.models import OPEN_STATES, Question, QuestionCounter, QuestionState

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(
        "interact_bench", BENCHMARKS / "interact_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("interact_bench", module)
    spec.loader.exec_module(module)
    return module


# Transactional: the statistics are dropped from the cache after a commit (stats.invalidate),
# which a test wrapped in one transaction never reaches.
@pytest.mark.django_db(transaction=True)
def test_generator_and_measurement_at_a_tiny_scale() -> None:
    bench = _bench()
    today = timezone.localdate()
    data = bench.generate(questions=300, today=today, units=6, years=2)

    assert data.questions == Question.objects.count() == 300
    assert data.published == Question.objects.published().count() > 0
    assert data.open == Question.objects.open().count() > 0
    states = set(Question.objects.values_list("state", flat=True))
    assert {QuestionState.PUBLISHED, QuestionState.ANSWERED, QuestionState.REJECTED} <= states
    received = Question.objects.values_list("received_on", flat=True)
    assert min(received) < today - dt.timedelta(days=300) and max(received) <= today
    # Deadlines as the clock computes them, and replies with the clock's figures.
    assert not Question.objects.filter(due_on__isnull=True, clock_problem="").exists()
    replied = Question.objects.replied()
    assert not replied.filter(replied_on__isnull=True).exists()
    assert not replied.filter(replied_on__gt=today).exists()
    assert not replied.filter(on_time__isnull=True, due_on__isnull=False).exists()
    assert not Question.objects.filter(state=QuestionState.RECEIVED, unit__isnull=False).exists()
    # Numbers unique and the year counters past them, so a new question gets a fresh number.
    assert len(set(Question.objects.values_list("tracking_no", flat=True))) == 300
    for counter in QuestionCounter.objects.all():
        assert counter.last == Question.objects.filter(received_on__year=counter.year).count()
    # The digest ran yesterday: open questions past the alarm carry its stamp.
    alarmed = Question.objects.filter(
        state__in=OPEN_STATES, received_on__lte=today - dt.timedelta(days=60)
    )
    assert not alarmed.filter(alarm60_sent_at__isnull=True).exists()

    results = bench.measure_all(data, 2, today)
    labels = [r.label for r in results]
    assert labels == [item.label for item in bench.items(data)]
    for result in results:
        if result.status is not None:
            assert result.status == 200, result.label
        assert len(result.times) == 2 and result.queries > 0, result.label
        assert "p50" in result.line()
    by_label = {r.label: r for r in results}
    fresh = by_label["public statistics, counted afresh"]
    cached = by_label["public statistics, from the cache"]
    assert fresh.queries > cached.queries  # the figures were really counted again
    assert "units owed" in by_label["digest owing(), every unit"].note
