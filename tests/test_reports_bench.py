"""The report benchmark's generator, run at a tiny scale so it keeps working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from gongkai.disclosure.models import Appeal, Request
from gongkai.reports.build import build_annual
from gongkai.units.models import Unit


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "report_bench.py"
    spec = importlib.util.spec_from_file_location("report_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("report_bench", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generator_fills_a_register_whose_report_balances() -> None:
    data = _bench().generate(requests=600, units=4, years=3, last_year=2025)
    assert Request.objects.count() == data.requests == 600
    assert Appeal.objects.count() == data.appeals
    built = build_annual(2025)
    assert built["ok"], [c for c in built["checks"] if not c["ok"]]
    rows = {r["key"]: r["values"][-1] for r in built["table3"]["rows"]}
    assert rows["newReceived"] > 100 and rows["carriedOver"] > 0 and rows["partialGrant"] > 0
    # The subtree of the government office is everyone.
    gov = Unit.objects.get(pk=data.gov_id)
    assert build_annual(2025, gov, include_children=True)["table3"] == built["table3"]
