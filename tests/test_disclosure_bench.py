"""The request register's benchmark, run at a tiny scale so it keeps working."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from gongkai.accounts.models import User
from gongkai.disclosure.models import OPEN_STATES, Request, RequestEvent, RequestState

TODAY = dt.date(2026, 11, 21)
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(
        "disclosure_bench", BENCHMARKS / "disclosure_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("disclosure_bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generator_fills_a_register_the_overdue_list_reads() -> None:
    bench = _bench()
    data = bench.generate(requests=3000, units=5, years=5, today=TODAY)

    assert data.requests == Request.objects.count() == 3000
    assert data.open == Request.objects.open().count() > 0
    arrivals = Request.objects.values_list("arrived_on", flat=True)
    assert min(arrivals) < dt.date(2022, 1, 1) and max(arrivals) <= TODAY
    assert Request.objects.filter(state=RequestState.CLOSED).exclude(outcome="").exists()
    # Every open request past its receipt day has a log for the clock to recompute.
    logged = set(RequestEvent.objects.values_list("request_id", flat=True))
    received = Request.objects.filter(state__in=OPEN_STATES).exclude(received_on=None)
    assert set(received.values_list("pk", flat=True)) <= logged

    office = User.objects.get(pk=data.office_id)
    page, count = bench.overdue_page(office, TODAY)
    assert count == Request.objects.overdue(TODAY).count() > 0
    assert [r.deadline for r in page] == sorted(r.deadline for r in page)
    liaison = User.objects.get(pk=data.liaison_id)
    _, mine = bench.overdue_page(liaison, TODAY)
    assert mine == Request.objects.overdue(TODAY).filter(unit_id=data.unit_ids[0]).count()
    assert "deadlines moved and audited" in bench.measure_recompute(TODAY)
