"""The 政府公报 search benchmark, run tiny so it keeps working: on what its generator builds, the
index-backed search finds the same items as the substring scan it replaced, and every issue
it found."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

pytestmark = pytest.mark.django_db


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(
        "gazette_search_bench", BENCHMARKS / "gazette_search_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_queries_find_the_same_items_before_and_after() -> None:
    bench = _bench()
    bench.generate(40, 300, lambda line: None)
    assert "gazette entries" in bench.index()
    counts = []
    for queries in bench.QUERIES.values():
        for q in queries:
            old_count, old_page, old_issues = bench.before(q)
            new_count, new_page, new_issues = bench.after(q)
            assert (new_count, new_page) == (old_count, old_page), q
            # A whole issue's PDF is matched by words, which may stand apart there (关于 … 加强
            # for 关于加强): never fewer issues than the substring scan, sometimes more.
            assert set(old_issues) <= set(new_issues), q
            counts.append(new_count)
    # The queries are not all trivial: some find everything, some a few, one nothing.
    assert max(counts) == 40 and 0 in counts and any(0 < c < 40 for c in counts)
