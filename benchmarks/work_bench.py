"""The work pages and the ledger at the scale of issue 4; prints medians, p95s and query counts.

    .venv/bin/python benchmarks/work_bench.py [--units 2000] [--tasks 500]
        [--checkpoints 1000000] [--runs 30] [--database-url postgres://…/test] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_bench` next to the one --database-url names, created and dropped here),
migrates it and fills it with `--units` units and one plan of `--tasks` tasks: each task is
assigned to a block of units, four checkpoints each over the plan year, with a mix of
finished, awaiting review, returned, overdue and open ones, and a progress report on every
checkpoint that has one. Rows go in through COPY (PostgreSQL) or executemany (SQLite), not
the ORM, so a million checkpoints take minutes.

Then, with Django's test client signed in as the office (and as a liaison for "my work"):
the dashboard, the liaison's list, the office's overdue list, each warmed up and requested
`--runs` times (median, p95, SQL queries per request); and the ledger export of one unit and
of all units, each in a fresh child process (wall time and peak RSS of that process).
Targets (issue 4): pages p95 < 200 ms, one unit's ledger < 2 s, all units < 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "gongkai_bench"
CATEGORIES = [
    "公开重点",
    "政策解读",
    "依申请公开",
    "平台建设",
    "政务新媒体",
    "基层政务公开",
    "组织保障",
    "监督考核",
]
_EPOCH = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


# -- the machine ---------------------------------------------------------------------------


def machine() -> str:
    cpu, cores = platform.processor() or "unknown CPU", os.cpu_count() or 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        ram = "unknown RAM"
    return f"{cpu}, {cores} cores, {ram}, Python {platform.python_version()}"


# -- the scratch database ------------------------------------------------------------------


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def open_scratch(database_url: str | None, name: str = BENCH_DB) -> tuple[str, Callable[[], None]]:
    """A DATABASE_URL for an empty scratch database `name`, and how to remove it. Each
    benchmark passes its own name, so two can run at once on one PostgreSQL server."""
    if not database_url:
        folder = Path(tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-"))
        return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: shutil.rmtree(folder, True)
    import psycopg

    admin = database_url

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return _with_db_name(database_url, name), drop


# -- the data ------------------------------------------------------------------------------


@dataclass
class Generated:
    plan_id: int
    unit_ids: list[int]
    office_id: int
    liaison_id: int
    checkpoints: int
    reports: int


def _last_workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _due_dates(task_index: int, year: int) -> list[tuple[str, dt.date]]:
    """Four dates a year: most tasks report each quarter, some in the quarter's 1st/2nd month."""
    shift = 0 if task_index % 10 < 7 else 1 + task_index % 2
    return [
        (f"q{q}", _last_workday(_month_end(year, 3 * q - 2 + shift if shift else 3 * q)))
        for q in range(1, 5)
    ]


class _Writer:
    """Appends rows to a table with explicit ids: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # our table names
            return int(cursor.fetchone()[0]) + 1

    def date(self, day: dt.date | None) -> Any:
        return day if self.postgres or day is None else day.isoformat()

    def stamp(self, at: dt.datetime) -> Any:
        return at if self.postgres else at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if self.postgres:
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                cursor.execute(f"SELECT setval({sequence}, (SELECT MAX(id) FROM {table}))")  # noqa: S608  # our names
            else:
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # our names
                batch: list[Sequence[Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 20000:
                        raw.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                raw.executemany(sql, batch)
                count += len(batch)
        return count


def generate(
    *,
    units: int,
    tasks: int,
    checkpoints: int,
    today: dt.date,
    seed: int = 4,
    log: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Fill the configured database (already migrated) with one plan for `today`'s year."""
    from django.db import connection, transaction

    from gongkai.accounts.models import Role, User
    from gongkai.plans.models import Plan, PlanVersion, Task, UnitRole, text_key
    from gongkai.units.models import Unit, UnitKind
    from gongkai.work.models import CheckpointKind, Progress, Review

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    year = today.year
    per_task = max(1, min(units, round(checkpoints / (tasks * 4))))
    writer = _Writer(connection)
    with transaction.atomic():
        gov = Unit.objects.create(name="区人民政府办公室", kind=UnitKind.GOVERNMENT)
        created = Unit.objects.bulk_create(
            Unit(name=f"区第{i:04d}单位", short_name=f"单位{i:04d}", kind=UnitKind.DEPARTMENT)
            for i in range(1, units + 1)
        )
        unit_ids = [u.pk for u in created]
        office = User.objects.create_user("bench_office", role=Role.OFFICE)
        office.units.set([gov])
        liaison = User.objects.create_user("bench_liaison", role=Role.LIAISON)
        liaison.units.set([unit_ids[0]])
        plan = Plan.objects.create(name=f"{year}年政务公开工作任务清单（压力测试）", year=year)
        version = PlanVersion.objects.create(
            plan=plan, number=1, source_name="bench", filename="bench.docx", sha256="0" * 64
        )
        plan.current_version = version
        plan.save()
        task_rows = Task.objects.bulk_create(
            Task(
                plan=plan,
                path=[CATEGORIES[i % len(CATEGORIES)], f"第{i // 40 + 1}项重点"],
                requirement=f"第{i + 1}项任务：按要求公开相关政府信息并及时更新。"
                + "内容" * (i % 7),
                deadline="每季度",
                time_rules=[
                    {"kind": "recurring", "text": "每季度", "amount": 1, "unit": "quarter"}
                ],
                order=i,
                key=text_key(f"bench task {i}"),
                first_version=version,
                last_version=version,
            )
            for i in range(tasks)
        )
        log(f"  {units:,} units, {tasks} tasks, {per_task} units per task")

        def blocks() -> Iterator[tuple[int, Any, list[int]]]:
            for i, task in enumerate(task_rows):
                start = (i * per_task) % units
                yield i, task, [unit_ids[(start + j) % units] for j in range(per_task)]

        tu_id = writer.next_id("plans_taskunit")
        writer.write(
            "plans_taskunit",
            ["id", "task_id", "unit_id", "role", "phrase"],
            (
                (tu_id + n, task.pk, uid, UnitRole.LEAD if j == 0 else UnitRole.RESPONSIBLE, "")
                for n, (task, j, uid) in enumerate(
                    (task, j, uid) for _, task, block in blocks() for j, uid in enumerate(block)
                )
            ),
        )
        created_at = writer.stamp(_EPOCH)
        first_assignment = writer.next_id("work_assignment")
        assignment_count = writer.write(
            "work_assignment",
            ["id", "task_id", "unit_id", "is_lead", "origin", "active", "note", "created_at"],
            (
                (first_assignment + n, task.pk, uid, j == 0, "plan", True, "", created_at)
                for n, (task, j, uid) in enumerate(
                    (task, j, uid) for _, task, block in blocks() for j, uid in enumerate(block)
                )
            ),
        )
        log(f"  {assignment_count:,} assignments")

        reports: list[tuple[Any, ...]] = []
        first_checkpoint = writer.next_id("work_checkpoint")
        first_report = writer.next_id("work_report")
        author = liaison.pk

        def checkpoint_rows() -> Iterator[tuple[Any, ...]]:
            n = 0
            assignment = first_assignment
            for i, task, block in blocks():
                category = CATEGORIES[i % len(CATEGORIES)]
                dues = _due_dates(i, year)
                for uid in block:
                    for key, due in dues:
                        cid = first_checkpoint + n
                        status, review, finished_on = _outcome(rng, due, today)
                        cancelled = rng.random() < 0.01
                        report_id = None
                        if status != Progress.NOT_STARTED:
                            report_id = first_report + len(reports)
                            submitted = finished_on or min(today, due) - dt.timedelta(
                                days=rng.randint(1, 30)
                            )
                            at = dt.datetime.combine(submitted, dt.time(10), dt.UTC)
                            reports.append(
                                (
                                    report_id,
                                    cid,
                                    status,
                                    f"已按要求推进，详见佐证材料（节点{cid}）。",
                                    "不适用于本单位" if status == Progress.NOT_APPLICABLE else "",
                                    author,
                                    writer.stamp(at),
                                    review if status in ("done", "na") else Review.NONE,
                                    "",
                                )
                            )
                        yield (
                            cid,
                            assignment,
                            uid,
                            task.pk,
                            plan.pk,
                            category,
                            key,
                            CheckpointKind.RECURRING,
                            f"第{key[1]}季度",
                            "每季度",
                            False,
                            writer.date(due),
                            writer.date(due),
                            status,
                            review,
                            writer.date(finished_on),
                            cancelled,
                            report_id,
                            created_at,
                        )
                        n += 1
                    assignment += 1

        count = writer.write(
            "work_checkpoint",
            [
                "id",
                "assignment_id",
                "unit_id",
                "task_id",
                "plan_id",
                "category",
                "key",
                "kind",
                "label",
                "rule_text",
                "standing",
                "nominal",
                "due",
                "status",
                "review",
                "finished_on",
                "cancelled",
                "latest_report_id",
                "updated_at",
            ],
            checkpoint_rows(),
        )
        log(f"  {count:,} checkpoints")
        writer.write(
            "work_report",
            [
                "id",
                "checkpoint_id",
                "status",
                "text",
                "na_reason",
                "author_id",
                "submitted_at",
                "review",
                "review_comment",
            ],
            reports,
        )
        log(f"  {len(reports):,} reports")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Generated(plan.pk, unit_ids, office.pk, liaison.pk, count, len(reports))


def _outcome(rng: random.Random, due: dt.date, today: dt.date) -> tuple[str, str, dt.date | None]:
    """(status, review, finished_on) of one checkpoint: most past ones finished, some late,
    some overdue; a few future ones finished early; returned reports count as unfinished."""
    roll = rng.random()
    if due < today:
        if roll < 0.62:
            day = min(due + dt.timedelta(days=rng.randint(-25, 12)), today - dt.timedelta(days=1))
            return "done", "accepted", day
        if roll < 0.74:
            return "done", "pending", min(due + dt.timedelta(days=rng.randint(-5, 20)), today)
        if roll < 0.77:
            return "na", "accepted", due - dt.timedelta(days=rng.randint(1, 30))
        if roll < 0.82:
            return "in_progress", "returned", None
        if roll < 0.90:
            return "in_progress", "none", None
        return "not_started", "none", None
    if roll < 0.15:
        return "done", "pending", today - dt.timedelta(days=rng.randint(0, 20))
    if roll < 0.45:
        return "in_progress", "none", None
    return "not_started", "none", None


# -- measuring -----------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[min(len(ordered), max(1, rank)) - 1]


def _a_change() -> None:
    """What every report, review or edit leaves behind: a new audit event."""
    from gongkai.audit.models import AuditAction
    from gongkai.audit.record import record

    record(None, AuditAction.CHANGE, None, comment="benchmark: a change")


def measure_page(
    client: Any, url: str, runs: int, *, cold: bool = False, changed: bool = False
) -> str:
    """Median, p95 and SQL queries of `url`; cold: with the cache emptied before each run;
    changed: with a change committed before each run (the dashboard then serves its last
    figures, marked stale, and asks a worker for new ones)."""
    from django.core.cache import cache
    from django.db import connection

    try:
        first = client.get(url)
    except Exception as exc:  # the page is another helper's work in progress: report, go on
        return f"failed: {type(exc).__name__}: {str(exc)[:150]}"
    if first.status_code != 200:
        return f"HTTP {first.status_code} (not measured)"
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    if cold:
        cache.clear()
    with connection.execute_wrapper(count):
        client.get(url)
    client.get(url)
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        if changed:
            _a_change()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return (
        f"median {statistics.median(times):7.1f} ms  p95 {_percentile(times, 0.95):7.1f} ms  "
        f"max {max(times):7.1f} ms  {len(queries)} SQL queries"
    )


def measure_refresh(plan_id: int, runs: int) -> str:
    from django.utils import timezone

    from gongkai.work.dashboard import dashboard_filter, refresh

    f = dashboard_filter({"plan": str(plan_id)})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        refresh(None, f, timezone.localdate())
        times.append(time.perf_counter() - start)
    return f"median {statistics.median(times):6.2f} s  max {max(times):6.2f} s"


EXPORT_CHILD = """
import json, os, sys, tempfile, time
import django
django.setup()
from django.db import connection
from gongkai.plans.models import Plan
plan = Plan.objects.get(pk=int(sys.argv[1]))
unit_ids = None if sys.argv[2] == "all" else {int(sys.argv[2])}
start = time.perf_counter()
with tempfile.TemporaryFile() as out:
    from gongkai.work.ledger import build_ledger
    rows = build_ledger(plan, unit_ids=unit_ids, out=out)
    size = out.seek(0, 2)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent (here the
# benchmark holding a million generated rows), which would report the parent's peak.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": size, "rows": rows,
                  "peak_mb": int(hwm) / 1024}))
"""


def measure_export(database_url: str, plan_id: int, unit: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_CHILD, str(plan_id), unit],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"failed: {last[:200]}"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return (
        f"{figures['seconds']:7.2f} s  peak RSS {figures['peak_mb']:.0f} MB  "
        f"{figures['rows']:,} rows, {figures['bytes'] / 1024:,.0f} KB .xlsx"
    )


def _nothing() -> None:
    pass


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def _existing() -> Generated:
    """The figures of a database kept by an earlier run (--keep), for --reuse."""
    from gongkai.accounts.models import User
    from gongkai.plans.models import Plan
    from gongkai.units.models import Unit, UnitKind
    from gongkai.work.models import Checkpoint, Report

    plan = Plan.objects.get(name__endswith="（压力测试）")
    units = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk")
    return Generated(
        plan.pk,
        list(units.values_list("pk", flat=True)),
        User.objects.get(username="bench_office").pk,
        User.objects.get(username="bench_liaison").pk,
        Checkpoint.objects.count(),
        Report.objects.count(),
    )


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    if args.reuse:
        url, drop = args.reuse, _nothing
        args.keep = True
    else:
        url, drop = open_scratch(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    # Its own data directory (cache files, the queue a dashboard refresh is sent to; no
    # worker takes it here, which is what a page sees while the worker is busy).
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-data-")
    os.environ["GONGKAI_TASKS_EAGER"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from gongkai.accounts.models import User

    setup_test_environment()
    # A failing page is reported in one line below, not with Django's traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        print(f"database: {_database_version()} at {url}")
        if args.reuse:
            data = _existing()
        else:
            start = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrate: {time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            data = generate(
                units=args.units,
                tasks=args.tasks,
                checkpoints=args.checkpoints,
                today=timezone.localdate(),
                log=print,
            )
            print(f"generate: {time.perf_counter() - start:.1f} s")

        office = Client()
        office.force_login(User.objects.get(pk=data.office_id))
        liaison = Client()
        liaison.force_login(User.objects.get(pk=data.liaison_id))
        pages: list[tuple[str, Client, str, str]] = [
            ("dashboard (office, whole plan)", office, "work:dashboard", ""),
            (
                "dashboard (office, one quarter)",
                office,
                "work:dashboard",
                f"?plan={data.plan_id}&quarter=3",
            ),
            ("dashboard (office, one unit)", office, "work:dashboard", f"?unit={data.unit_ids[1]}"),
            ("dashboard (liaison)", liaison, "work:dashboard", ""),
            ("my work (liaison)", liaison, "work:list", ""),
            ("overdue list (office)", office, "work:list", "?state=overdue"),
        ]
        print(f"pages, {args.runs} runs each after warming up:")
        for label, client, name, query in pages:
            try:
                target = reverse(name) + query
            except NoReverseMatch:
                print(f"  {label:34} not measured: no URL named {name}")
                continue
            print(f"  {label:34} {measure_page(client, target, args.runs)}")
            if name == "work:dashboard":
                changed = measure_page(client, target, args.runs, changed=True)
                print(f"  {'  the same, a change before each':34} {changed}")
                cold = measure_page(client, target, max(3, args.runs // 6), cold=True)
                print(f"  {'  the same, cache emptied each time':34} {cold}")
        print("dashboard refresh after a change (the worker's part), office, whole plan:")
        print(f"  {'':34} {measure_refresh(data.plan_id, max(3, args.runs // 6))}")
        connection.close()
        print("ledger export (fresh process each):")
        for label, unit in (("one unit", str(data.unit_ids[0])), ("all units", "all")):
            print(f"  {label:34} {measure_export(url, data.plan_id, unit)}")
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--checkpoints", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse", metavar="DATABASE_URL", help="measure a database an earlier --keep run left"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
