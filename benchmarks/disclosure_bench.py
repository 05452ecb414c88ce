"""The request register at the scale of issue 5; prints medians, p95s and query plans.

    .venv/bin/python benchmarks/disclosure_bench.py [--requests 200000] [--units 300]
        [--years 5] [--runs 50] [--database-url postgres://…/postgres] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database next to the one --database-url names, created and dropped here; see work_bench.py),
migrates it and fills it through bulk_create with `--requests` requests spread over the last
`--years` years and `--units` units: the old ones answered, delivered or closed with the
outcomes' usual mix, a small share left open past the deadline, the recent ones open in
every state, each open one with the event log its clock is computed from.

Then it measures, `--runs` times after warming up:
- the overdue list (the staff list's query): overdue today, ordered by deadline and id, with
  the unit, first page of 50, plus the count; for the office (all units) and for a liaison
  (one unit). Target: p95 < 200 ms.
- the duplicate help (disclosure.duplicates.similar_requests) on random requests;
and, once, a calendar change: a local holiday is added and every open request recomputed
(clock.recompute_open, with its audit events), as the calendar's job does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, _percentile, machine, open_scratch  # noqa: E402

BATCH = 5000
PLACES = ["本区", "马尚街道", "和平街道", "中埠镇", "科苑街道", "房镇镇", "四宝山街道"]
TOPICS = [
    "老旧小区改造项目",
    "征地拆迁补偿安置方案",
    "法律援助经费使用情况",
    "行政处罚决定书",
    "政府采购合同",
    "环境影响评价审批文件",
    "最低生活保障审批名单",
    "三公经费决算",
    "建设工程规划许可证",
    "河道治理工程",
    "学校布局调整规划",
    "农村集体土地征收批复",
]
DOCUMENTS = ["实施方案", "资金分配明细", "审批文件", "验收报告", "会议纪要", "统计数据"]
#: Outcome values of closed requests and their weights (roughly a district's annual report).
OUTCOMES = [
    ("granted", 40),
    ("partialGrant", 12),
    ("unable.notHeld", 20),
    ("denied.thirdParty", 3),
    ("denied.processInfo", 3),
    ("notProcessed.petition", 4),
    ("notProcessed.repeat", 3),
    ("unable.needCreation", 5),
    ("other.noCorrection", 6),
    ("other.other", 4),
]
#: Open states of recent requests and their weights.
OPEN = [
    ("in_progress", 55),
    ("received", 5),
    ("awaiting_correction", 8),
    ("consulting", 6),
    ("extended", 8),
    ("awaiting_fee", 2),
    ("review", 16),
]
#: Share of old requests still open (overdue): what the overdue list shows.
LEFT_OPEN = 0.006
#: Share of requests past their deadline by at most ten working days still open.
LATE = 0.08


@dataclass
class Generated:
    unit_ids: list[int]
    office_id: int
    liaison_id: int
    requests: int
    open: int


def _add_weekdays(day: dt.date, n: int) -> dt.date:
    """About the clock's answer, without the calendar: fast and close enough for a load."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _weekday_back(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def generate(
    *,
    requests: int,
    units: int,
    years: int,
    today: dt.date,
    seed: int = 5,
    log: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Fill the configured database (already migrated) with requests and their open logs."""
    from django.db import connection, transaction

    from gongkai.accounts.models import Role, User
    from gongkai.disclosure.models import EventKind, Request, RequestEvent, RequestState
    from gongkai.units.models import Unit, UnitKind

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    span = 365 * years
    with transaction.atomic():
        gov = Unit.objects.create(name="区人民政府办公室", kind=UnitKind.GOVERNMENT)
        created = Unit.objects.bulk_create(
            Unit(name=f"区第{i:03d}单位", short_name=f"单位{i:03d}", kind=UnitKind.DEPARTMENT)
            for i in range(1, units + 1)
        )
        unit_ids = [u.pk for u in created]
        office = User.objects.create_user("bench_office", role=Role.OFFICE)
        office.units.set([gov])
        liaison = User.objects.create_user("bench_liaison", role=Role.LIAISON)
        liaison.units.set([unit_ids[0]])
        # A few units get most requests, as in practice (Zipf-like weights).
        weights = [1 / (i + 1) ** 0.8 for i in range(units)]
        serial: dict[int, int] = {}
        open_ids: list[tuple[int, str, dt.date]] = []

        def rows() -> Iterator[Request]:
            arrivals = sorted(
                _weekday_back(today - dt.timedelta(days=rng.randint(0, span)))
                for _ in range(requests)
            )
            for arrived in arrivals:
                serial[arrived.year] = serial.get(arrived.year, 0) + 1
                deadline = _add_weekdays(arrived, 20)
                if deadline >= today:
                    state = _pick(rng, OPEN)
                elif rng.random() < (LATE if _add_weekdays(arrived, 30) >= today else LEFT_OPEN):
                    state = rng.choice(["in_progress", "extended", "review"])
                else:
                    state = rng.choices(["closed", "delivered", "answered"], [85, 10, 5])[0]
                is_open = state not in ("closed", "delivered", "answered")
                concluded = None
                if not is_open:
                    concluded = min(_add_weekdays(arrived, rng.randint(3, 24)), today)
                paused = state in ("awaiting_correction", "consulting")
                yield Request(
                    tracking_no=f"YSQ-{arrived.year}-{serial[arrived.year]:06d}",
                    applicant_type=rng.choice(["person"] * 8 + ["company", "legal"]),
                    applicant_name=f"申请人{rng.randint(1, requests // 3):06d}",
                    id_number=f"3703{rng.randint(1, requests // 3):014d}",
                    contact_phone=f"138{rng.randint(0, 99_999_999):08d}",
                    description=(
                        f"{arrived.year - rng.randint(0, 2)}年{rng.choice(PLACES)}"
                        f"{rng.choice(TOPICS)}的{rng.choice(DOCUMENTS)}"
                    ),
                    channel=rng.choice(["online", "in_person", "post_signed", "email"]),
                    arrived_on=arrived,
                    received_on=None if state == "received" else arrived,
                    unit_id=rng.choices(unit_ids, weights)[0],
                    state=state,
                    deadline=None if paused or state == "received" else deadline,
                    clock_status="paused" if paused else "running" if is_open else "done",
                    on_time=None if is_open else concluded is not None and concluded <= deadline,
                    outcome="" if is_open else _pick(rng, OUTCOMES),
                    concluded_on=concluded,
                    answered_on=concluded,
                    delivered_on=concluded if state in ("closed", "delivered") else None,
                )

        made = 0
        batch: list[Request] = []
        for row in rows():
            batch.append(row)
            if len(batch) == BATCH:
                made += _flush(batch, open_ids)
                batch = []
        made += _flush(batch, open_ids)
        log(f"  {made:,} requests, {len(open_ids):,} open")

        events: list[RequestEvent] = []
        data: dict[str, Any]
        for pk, state, arrived in open_ids:
            if state == RequestState.RECEIVED:
                continue
            events.append(
                RequestEvent(
                    request_id=pk,
                    kind=EventKind.RECEIVED,
                    date=arrived,
                    data={"channel": "in_person"},
                )
            )
            later = min(_add_weekdays(arrived, 3), today)
            if state == RequestState.AWAITING_CORRECTION:
                data = {"correct_by": (later + dt.timedelta(days=15)).isoformat()}
                events.append(
                    RequestEvent(
                        request_id=pk, kind=EventKind.CORRECTION_REQUESTED, date=later, data=data
                    )
                )
            elif state == RequestState.CONSULTING:
                data = {"party": "third_party", "name": "某公司"}
                events.append(
                    RequestEvent(
                        request_id=pk, kind=EventKind.CONSULTATION_STARTED, date=later, data=data
                    )
                )
            elif state == RequestState.EXTENDED:
                data = {"approver": "公开办主任", "notified": later.isoformat(), "workdays": 20}
                events.append(
                    RequestEvent(request_id=pk, kind=EventKind.EXTENDED, date=later, data=data)
                )
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
        log(f"  {len(events):,} events of open requests")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Generated(unit_ids, office.pk, liaison.pk, made, len(open_ids))


def _flush(batch: list[Any], open_ids: list[tuple[int, str, dt.date]]) -> int:
    from gongkai.disclosure.models import OPEN_STATES, Request

    if not batch:
        return 0
    made = Request.objects.bulk_create(batch)
    if made[0].pk is None:  # backends that do not return ids: read them back
        numbers = [r.tracking_no for r in made if r.state in OPEN_STATES]
        found = Request.objects.filter(tracking_no__in=numbers).values_list(
            "pk", "state", "arrived_on"
        )
        open_ids.extend(found)
    else:
        open_ids.extend((r.pk, r.state, r.arrived_on) for r in made if r.state in OPEN_STATES)
    return len(made)


# -- measuring -----------------------------------------------------------------------------


def overdue_page(user: Any, today: dt.date) -> tuple[list[Any], int]:
    """What the staff list asks for its overdue view: the first page and the count."""
    from gongkai.disclosure.access import requests_for_user

    qs = requests_for_user(user).overdue(today).select_related("unit").order_by("deadline", "id")
    return list(qs[:50]), qs.count()


def figures(times: list[float]) -> str:
    return (
        f"p50 {statistics.median(times):7.1f} ms  p95 {_percentile(times, 0.95):7.1f} ms  "
        f"max {max(times):7.1f} ms"
    )


def measure(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def plan_of(user: Any, today: dt.date) -> str:
    from gongkai.disclosure.access import requests_for_user

    qs = requests_for_user(user).overdue(today).select_related("unit").order_by("deadline", "id")
    return "\n".join(f"      {line}" for line in qs[:50].explain().splitlines())


def measure_recompute(today: dt.date) -> str:
    """Add a local holiday on a working day a week ahead and recompute, as the job does."""
    from gongkai.disclosure.clock import recompute_open
    from gongkai.holidays.calendar import office_calendar
    from gongkai.holidays.models import AdjustmentKind, LocalAdjustment

    calendar = office_calendar()
    day = today + dt.timedelta(days=7)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    start = time.perf_counter()
    recompute_open(calendar, [])  # the generator's deadlines ignore holidays: settle them
    settle = time.perf_counter() - start
    LocalAdjustment.objects.create(date=day, kind=AdjustmentKind.HOLIDAY, reason="压力测试")
    start = time.perf_counter()
    moved = recompute_open(office_calendar(), [day])
    took = time.perf_counter() - start
    return (
        f"first pass {settle:6.2f} s; holiday on {day}: {took:6.2f} s, "
        f"{moved:,} deadlines moved and audited"
    )


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    url, drop = open_scratch(args.database_url, "gongkai_disclosure_bench")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-data-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from gongkai.accounts.models import User
    from gongkai.disclosure.duplicates import similar_requests

    setup_test_environment()
    from gongkai.disclosure.models import Request

    try:
        print(f"database: {_database_version()} at {url}")
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - start:.1f} s")
        today = timezone.localdate()
        start = time.perf_counter()
        data = generate(
            requests=args.requests, units=args.units, years=args.years, today=today, log=print
        )
        print(f"generate: {time.perf_counter() - start:.1f} s")
        office = User.objects.get(pk=data.office_id)
        liaison = User.objects.get(pk=data.liaison_id)
        print(f"overdue list, first page of 50 and the count, {args.runs} runs:")
        for label, user in (("office (all units)", office), ("liaison (one unit)", liaison)):
            _, count = overdue_page(user, today)
            times = measure(functools.partial(overdue_page, user, today), args.runs)
            print(f"  {label:22} {figures(times)}  ({count:,} overdue)")
        print(f"the list page itself (HTML, through Django), {args.runs} runs:")
        for label, user, query in (
            ("office, 已逾期", office, "?tab=overdue"),
            ("office, 办理中", office, ""),
            ("liaison, 已逾期", liaison, "?tab=overdue"),
        ):
            client = Client()
            client.force_login(user)
            target = reverse("disclosure:list") + query

            def get(c: Any = client, t: str = target) -> None:
                assert c.get(t).status_code == 200

            print(f"  {label:22} {figures(measure(get, args.runs))}")
        if args.explain:
            print("  query plan (office):")
            print(plan_of(office, today))
        rng = random.Random(7)  # noqa: S311  # which requests to look up, repeatably
        ids = list(Request.objects.values_list("pk", flat=True))
        sample = Request.objects.filter(pk__in=rng.sample(ids, min(len(ids), args.runs)))
        targets = list(sample)
        found: list[int] = []

        def one() -> None:
            request = targets[len(found) % len(targets)]
            found.append(len(similar_requests(request, today=today)))

        times = measure(one, len(targets))
        print(f"duplicate help, {len(targets)} requests:")
        print(f"  {'similar_requests':22} {figures(times)}  ({sum(found) / len(found):.1f} found)")
        print("calendar change, every open request recomputed:")
        print(f"  {f'{data.open:,} open':22} {measure_recompute(today)}")
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--explain", action="store_true", help="print the overdue query's plan")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
