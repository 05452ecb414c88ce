"""The annual report at scale: builds a register and times the report; prints medians.

    .venv/bin/python benchmarks/report_bench.py [--requests 200000] [--units 300]
        [--years 5] [--runs 7] [--database-url postgres://…/test] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_report_bench` next to the one --database-url names, created and dropped
here), migrates it and fills it with `--requests` requests spread over `--years` years ending
in the report year and over `--units` departments under one government office, every
applicant type and outcome, some separated, some still open, some paid a processing fee, and
a few hundred appeals. Rows go in with bulk_create.

Then it times the whole organisation's annual report build (all 25 rows of Table 三, Table 四,
the checks, last year's carried-forward row), the government office with its subtree, and one
department: median and max of `--runs` runs after a warm-up, and the SQL queries of one build;
and the HTML and .docx rendering of the whole organisation's report. Target: build < 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, machine, open_scratch  # noqa: E402

BENCH_DB = "gongkai_report_bench"
APPLICANT_WEIGHTS = (("person", 70), ("company", 15), ("research", 2), ("nonprofit", 3),
                     ("legal", 6), ("other", 4))  # fmt: skip


@dataclass
class Generated:
    gov_id: int
    unit_ids: list[int]
    requests: int
    appeals: int


def generate(
    *,
    requests: int,
    units: int,
    years: int,
    last_year: int,
    seed: int = 5,
    log: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Fill the configured database (already migrated) with units, requests and appeals."""
    from django.db import transaction

    from gongkai.disclosure.models import Appeal, Outcome, Request, RequestState
    from gongkai.units.models import Unit, UnitKind

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    kinds = [k for k, w in APPLICANT_WEIGHTS for _ in range(w)]
    outcomes = [o.value for o in Outcome]
    outcomes += [Outcome.GRANTED.value] * 20  # most requests are granted
    first_day = dt.date(last_year - years + 1, 1, 1)
    span = (dt.date(last_year, 12, 31) - first_day).days + 1
    today = dt.date(last_year + 1, 1, 20)
    with transaction.atomic():
        gov = Unit.objects.create(name="区人民政府办公室（压力测试）", kind=UnitKind.GOVERNMENT)
        created = Unit.objects.bulk_create(
            Unit(name=f"区第{i:03d}部门", kind=UnitKind.DEPARTMENT, parent=gov)
            for i in range(1, units + 1)
        )
        unit_ids = [u.pk for u in created]

        def one(n: int) -> Request:
            arrived = first_day + dt.timedelta(days=rng.randrange(span))
            received = None if rng.random() < 0.03 else arrived + dt.timedelta(rng.randint(0, 3))
            answered = (received or arrived) + dt.timedelta(rng.randint(0, 45))
            late = rng.random() < 0.02 or answered > today
            concluded = None if received is None or late else answered  # unconfirmed: never
            paid = rng.random() < 0.01 and concluded is not None
            return Request(
                tracking_no=f"B{n:08d}",
                applicant_type=rng.choice(kinds),
                applicant_name=f"申请人{n}",
                description="压力测试申请",
                channel="online",
                arrived_on=arrived,
                received_on=received,
                unit_id=rng.choice(unit_ids),
                state=RequestState.CLOSED if concluded else RequestState.IN_PROGRESS,
                outcome=rng.choice(outcomes) if concluded else "",
                separated=concluded is not None and rng.random() < 0.05,
                concluded_on=concluded,
                fee_amount=100 if paid else 0,
                fee_paid_on=concluded if paid else None,
            )

        batch = 10_000
        for start in range(0, requests, batch):
            Request.objects.bulk_create(
                [one(n) for n in range(start, min(requests, start + batch))], batch_size=batch
            )
        log(f"  {units} units, {requests:,} requests over {years} years")
        appeals = max(1, requests // 500)
        results = ["upheld", "corrected", "other", "pending"]
        Appeal.objects.bulk_create(
            Appeal(
                unit_id=rng.choice(unit_ids),
                kind=rng.choice(["reconsideration", "litigation_direct", "litigation_after"]),
                filed_on=(filed := first_day + dt.timedelta(days=rng.randrange(span))),
                result=rng.choice(results),
                decided_on=filed + dt.timedelta(days=rng.randint(20, 200)),
            )
            for _ in range(appeals)
        )
        log(f"  {appeals:,} appeals")
    return Generated(gov.pk, unit_ids, requests, appeals)


def measure(label: str, build: Callable[[], Any], runs: int) -> tuple[float, int]:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    build()  # warm up
    with connection.execute_wrapper(count):
        build()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"  {label:44} median {median * 1000:8.1f} ms  max {max(times) * 1000:8.1f} ms  "
        f"{len(queries)} SQL queries"
    )
    return median, len(queries)


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-report-bench-data-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.reports.as_docx import render_docx
    from gongkai.reports.as_html import render_document
    from gongkai.reports.build import build_annual
    from gongkai.units.models import Unit

    try:
        print(f"database: {_database_version()}")
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        data = generate(
            requests=args.requests,
            units=args.units,
            years=args.years,
            last_year=args.year,
            log=print,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"generate: {time.perf_counter() - start:.1f} s")
        gov = Unit.objects.get(pk=data.gov_id)
        one = Unit.objects.get(pk=data.unit_ids[0])
        print(f"annual report {args.year}, {args.runs} runs each after a warm-up:")
        whole, _ = measure("build, whole organisation", lambda: build_annual(args.year), args.runs)
        measure(
            "build, government office with its subtree",
            lambda: build_annual(args.year, gov, include_children=True),
            args.runs,
        )
        measure("build, one department", lambda: build_annual(args.year, one), args.runs)
        built = build_annual(args.year)
        measure("render HTML document (built once)", lambda: render_document(built), args.runs)
        measure("render .docx (built once)", lambda: render_docx(built), args.runs)
        total = next(r for r in built["table3"]["rows"] if r["key"] == "totalProcessed")
        print(f"  processed in {args.year}: {total['values'][-1]:,}; checks ok: {built['ok']}")
        print(f"target < 2 s for a build: {'met' if whole < 2 else 'NOT met'}")
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025, help="the report year (the last one)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
