"""互动交流 at scale: p50 / p95 response times and SQL queries of its pages and the digest query.

    .venv/bin/python benchmarks/interact_bench.py [--questions 100000] [--units 40] [--years 5]
        [--runs 30] [--database-url postgres://…/test] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_interact_bench` next to the one --database-url names, created and dropped
here; see work_bench.py), migrates it and fills it through bulk_create with `--questions`
questions received over the last `--years` years, at any hour and fewer at weekends, across
`--units` units (a few get most, as in practice) plus the office:
- the deadline (答复期限) from the real office calendar, as gongkai.interact.clock computes it
  (5 working days, 3 for the quarter marked 简单; empty, with the reason, for a year without a
  schedule);
- old questions replied (已答复并公开 about three in five, 已答复不公开, 无效留言), with the
  reply date, working and calendar days and on-time flag as the clock leaves them, a few late;
- recent ones open in every state (待分办, 已分办, 起草中, 待审核), a share of those just past
  their deadline still open, and a few old ones never answered, past the 60-day alarm;
- the reminder stamps of a system whose digest ran every day: everything owed before
  yesterday was told, so today's digest finds what fell due since.
No history rows (QuestionEvent) are written: no measured page reads them.

Then, with Django's test client, each item is requested once to count its SQL queries, once to
warm up and `--runs` times (p50, p95, max): the public list (first page, the middle page, the
last page), a public Q&A page (a different published question each run), the public statistics
counted afresh (the cached figures dropped before each run, as every act on a question does)
and from the cache, the staff list's 逾期/告警 and 全部 tabs signed in as the office, and the
digest's `owing()` query for every unit (gongkai.interact.reminders). Target: p95 < 200 ms for
each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, _percentile, machine, open_scratch  # noqa: E402

BENCH_DB = "gongkai_interact_bench"
BATCH = 5000
PLACES = ["和平街道", "马尚街道", "科苑街道", "中埠镇", "房镇镇", "四宝山街道", "湖田街道"]
TOPICS = [
    ("老旧小区改造", "什么时候开工"),
    ("城乡居民医疗保险", "缴费标准是多少"),
    ("小学入学", "需要准备哪些材料"),
    ("公积金提取", "办理流程是什么"),
    ("道路施工噪音", "夜间施工是否经过审批"),
    ("公交线路调整", "能否恢复原站点"),
    ("供暖费", "收费标准是否调整"),
    ("营业执照变更", "能否在网上办理"),
    ("养老服务补贴", "如何申请"),
    ("不动产登记", "需要多长时间"),
    ("垃圾分类", "投放点设置是否合理"),
    ("就业创业补贴", "申领条件是什么"),
]
BODY = (
    "您好，我是{place}的居民，想咨询一下{topic}的问题：{ask}？"
    "之前在网上没有查到相关的政策文件，打电话也没有打通，希望有关部门能够给予答复。"
)
REPLY = (
    "您好！您反映的关于{topic}的问题已收悉。经核实，{place}{topic}工作按照有关规定办理，"
    "具体政策已在区政府门户网站“政府信息公开”栏目公开。如有疑问，请在工作日拨打办理单位的"
    "咨询电话。感谢您对我们工作的关注和支持！"
)
#: Closed questions: state and weight.
CLOSED = [("published", 60), ("answered", 30), ("rejected", 10)]
#: Open questions not yet late: state and weight.
OPEN = [("received", 15), ("routed", 30), ("drafting", 30), ("review", 25)]
#: Share of questions still open although their deadline passed in the last month.
LATE = 0.06
#: Share of older questions never answered (they are past the 60-day alarm).
LEFT_OPEN = 0.002
#: Replies: working days after the day of receipt, and weights (a few late ones).
REPLY_WORKDAYS = [(1, 12), (2, 22), (3, 24), (4, 18), (5, 14), (6, 4), (7, 3), (9, 2), (12, 1)]
SIMPLE = 0.25


@dataclass
class Generated:
    questions: int
    published: int
    open: int
    unit_ids: list[int]
    office_id: int
    published_ids: list[int] = field(default_factory=list)


def _pick(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def _arrivals(rng: random.Random, today: dt.date, years: int, count: int) -> Iterator[dt.date]:
    """`count` days of receipt up to today, oldest first; a weekend day gets 40 % of the
    questions of a working day (the form is open every day)."""
    first = today - dt.timedelta(days=365 * years)
    span = (today - first).days
    days: list[dt.date] = []
    while len(days) < count:
        day = first + dt.timedelta(days=rng.randint(1, span))
        if day.weekday() < 5 or rng.random() < 0.4:
            days.append(day)
    return iter(sorted(days))


def generate(
    *,
    questions: int,
    today: dt.date,
    units: int = 40,
    years: int = 5,
    seed: int = 8,
    log: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Fill the configured database (already migrated) with questions up to `today`."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from gongkai.accounts.models import Role, User
    from gongkai.holidays.calendar import office_calendar
    from gongkai.interact import clock
    from gongkai.interact.models import InvalidReason, Question, QuestionCounter, QuestionState
    from gongkai.units.models import Unit, UnitKind
    from gongkai.workdays import CalendarUnavailable

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    zone = timezone.get_current_timezone()
    now = timezone.now()
    calendar = office_calendar()
    prefix = settings.QUESTION_PREFIX
    alarm = clock.alarm_days()
    with transaction.atomic():
        gov = Unit.objects.create(name="区人民政府办公室", kind=UnitKind.GOVERNMENT, code="GOV")
        departments = Unit.objects.bulk_create(
            Unit(name=f"区第{n:02d}局", kind=UnitKind.DEPARTMENT, parent=gov, code=f"D{n:02d}")
            for n in range(1, units + 1)
        )
        office = User.objects.create_user("bench_office", role=Role.OFFICE)
        office.units.set([gov])
    # A few units answer most questions (Zipf-like weights).
    weights = [1 / (i + 1) ** 0.8 for i in range(len(departments))]

    def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone), now)

    def replied(received: dt.date, simple: bool) -> tuple[dt.date, int | None]:
        workdays = _pick(rng, REPLY_WORKDAYS)
        if simple:
            workdays = max(1, workdays - 2)
        try:
            day = calendar.add_workdays(received, workdays)
            if day > today:  # a recent question: replied today at the latest
                day, workdays = today, calendar.workdays_between(received, today)
            return day, workdays
        except CalendarUnavailable:  # a year without a schedule: no working-day figure
            return min(today, received + dt.timedelta(days=workdays * 7 // 5 + 1)), None

    serial: dict[int, int] = {}
    made = published = still_open = 0
    started = time.perf_counter()

    def rows() -> Iterator[Question]:
        nonlocal published, still_open
        for received in _arrivals(rng, today, years, questions):
            serial[received.year] = serial.get(received.year, 0) + 1
            place = rng.choice(PLACES)
            topic, ask = rng.choice(TOPICS)
            simple = rng.random() < SIMPLE
            due, problem = clock.due_date(received, simple, calendar)
            late_by = (today - due).days if due is not None else None
            if late_by is None:
                state = _pick(rng, OPEN) if (today - received).days < 10 else _pick(rng, CLOSED)
            elif late_by <= 0:  # not yet late: open, or already answered
                state = _pick(rng, OPEN) if rng.random() < 0.7 else _pick(rng, CLOSED)
            elif rng.random() < (LATE if late_by <= 30 else LEFT_OPEN):
                state = _pick(rng, OPEN)
            else:
                state = _pick(rng, CLOSED)
            if state == "received" and (today - received).days > 3:
                state = "routed"  # the office routes within a day or two
            unit = None
            if state != "received" and not (state == "rejected" and rng.random() < 0.5):
                unit = rng.choices(departments, weights)[0]
            elif simple:  # 简单 is marked when routing: an unrouted question has 5 days
                simple = False
                due, problem = clock.due_date(received, simple, calendar)
            q = Question(
                tracking_no=f"{prefix}-{received.year}-{serial[received.year]:05d}",
                asker_name="" if rng.random() < 0.3 else f"市民{rng.randint(1, 99999):05d}",
                contact=f"138{rng.randint(0, 99_999_999):08d}",
                title=f"关于{place}{topic}的咨询"[:100],
                body=BODY.format(place=place, topic=topic, ask=ask),
                agree_publish=state == "published" or rng.random() < 0.5,
                received_at=at(received, rng.randint(0, 23), rng.randint(0, 59)),
                received_on=received,
                unit=unit,
                simple=simple,
                due_on=due,
                clock_problem=problem,
                state=state,
            )
            if state in (QuestionState.PUBLISHED, QuestionState.ANSWERED):
                replied_on, workdays = replied(received, q.simple)
                q.reply = REPLY.format(place=place, topic=topic)
                q.replied_on = replied_on
                q.reply_unit = unit
                q.reply_workdays = workdays
                q.reply_days = (replied_on - received).days
                q.on_time = replied_on <= due if due is not None else None
                q.review_round = 1
                q.review_decision = "approved"
                q.reviewed_at = at(replied_on, 16)
                q.submitted_at = at(replied_on, 11)
                if state == QuestionState.PUBLISHED:
                    q.published_at = at(replied_on, 16, 30)
                    published += 1
            elif state == QuestionState.REJECTED:
                q.invalid_reason = rng.choice(list(InvalidReason))
                q.invalid_note = "经审核属于无效留言"
            else:
                still_open += 1
                _open_stamps(q, today, alarm, at)
                if state in (QuestionState.DRAFTING, QuestionState.REVIEW):
                    q.reply = REPLY.format(place=place, topic=topic)
                if state == QuestionState.REVIEW:
                    q.review_round = 1
                    q.submitted_at = at(min(received + dt.timedelta(days=2), today), 15)
            yield q

    batch: list[Question] = []
    for q in rows():
        batch.append(q)
        if len(batch) == BATCH:
            with transaction.atomic():
                Question.objects.bulk_create(batch)
            made += len(batch)
            batch = []
            log(f"  {made:,} questions ({time.perf_counter() - started:.0f} s)")
    with transaction.atomic():
        Question.objects.bulk_create(batch)
        made += len(batch)
        QuestionCounter.objects.bulk_create(
            QuestionCounter(year=year, last=last) for year, last in serial.items()
        )
    log(f"  {made:,} questions, {published:,} published, {still_open:,} open")
    return Generated(
        questions=made,
        published=published,
        open=still_open,
        unit_ids=[gov.pk, *(u.pk for u in departments)],
        office_id=office.pk,
        published_ids=_sample_published(rng),
    )


def _open_stamps(
    q: Any, today: dt.date, alarm: int, at: Callable[[dt.date, int], dt.datetime]
) -> None:
    """The stamps a daily digest leaves on an open question: told of everything owed before
    today (what fell due yesterday, or is due today, is today's news)."""
    due = q.due_on
    if due is not None and due < today - dt.timedelta(days=1):
        q.reminded_soon_on = due
        told = due + dt.timedelta(days=1)
        q.reminded_overdue_on = told if q.unit is not None else None
        q.overdue_alerted_on = told
    raised = q.received_on + dt.timedelta(days=alarm)
    if raised <= today:
        q.alarm60_sent_at = at(raised, 7)
        if raised < today:
            q.alarm60_unit_on = raised if q.unit is not None else None
            q.alarm60_office_on = raised


def _sample_published(rng: random.Random, size: int = 200) -> list[int]:
    from gongkai.interact.models import Question

    ids = list(Question.objects.published().values_list("pk", flat=True))
    return rng.sample(ids, min(size, len(ids)))


# -- measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing measured: a page (path) as the public or the office, or the digest query."""

    label: str
    path: str = ""
    staff: bool = False
    #: Drop the cached statistics before each request (what every act on a question does).
    fresh: bool = False


@dataclass
class Result:
    label: str
    status: int | None  # HTTP status of the first request; None for the digest query
    times: list[float]
    queries: int
    note: str = ""

    def line(self) -> str:
        if not self.times:
            return f"  {_pad(self.label, 40)} HTTP {self.status} (not measured)"
        note = f"  ({self.note})" if self.note else ""
        return (
            f"  {_pad(self.label, 40)} p50 {statistics.median(self.times):7.1f} ms  "
            f"p95 {_percentile(self.times, 0.95):7.1f} ms  max {max(self.times):7.1f} ms  "
            f"{self.queries:2d} SQL{note}"
        )


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` columns, a Chinese character taking two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def items(data: Generated) -> list[Item]:
    last = max(1, -(-data.published // 20))  # the public list shows 20 a page
    middle = max(1, last // 2)
    return [
        Item("public list, page 1", "/portal/hdjl/"),
        Item(f"public list, page {middle:,} (middle)", f"/portal/hdjl/?page={middle}"),
        Item(f"public list, page {last:,} (last)", f"/portal/hdjl/?page={last}"),
        Item("public Q&A page", "/portal/hdjl/{pk}/"),
        Item("public statistics, counted afresh", "/portal/hdjl/stats/", fresh=True),
        Item("public statistics, from the cache", "/portal/hdjl/stats/"),
        Item("staff list, 逾期/告警 (office)", "/interact/?tab=alerts", staff=True),
        Item("staff list, 全部 (office)", "/interact/?tab=all", staff=True),
        Item("digest owing(), every unit"),
    ]


def _drop_cached_stats() -> None:
    from gongkai.interact import stats

    stats.invalidate()  # runs at once outside a transaction, as after an act's commit


def _timed(fn: Callable[[], Any], runs: int, before: Callable[[], None] | None) -> list[float]:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _counted(fn: Callable[[], Any]) -> tuple[Any, int]:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        found = fn()
    return found, len(queries)


def measure_page(client: Any, item: Item, runs: int, published_ids: list[int]) -> Result:
    """Count the queries of one request, warm up, then time `runs` requests; every response
    must be a 200 (a failing page is reported with its status and not timed)."""
    before = _drop_cached_stats if item.fresh else None
    targets = iter(published_ids * (runs // max(1, len(published_ids)) + 2))

    def path() -> str:
        return item.path.format(pk=next(targets, 0)) if "{pk}" in item.path else item.path

    def get() -> int:
        url = path()
        status = int(client.get(url).status_code)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        return status

    if before is not None:
        before()
    first = path()
    status, queries = _counted(lambda: int(client.get(first).status_code))
    if status != 200:
        return Result(item.label, status, [], queries)
    if before is not None:
        before()
    get()
    return Result(item.label, status, _timed(get, runs, before), queries)


def measure_owing(data: Generated, today: dt.date, runs: int) -> Result:
    """The digest's first question to 互动交流 (gongkai.work.reminders.build_digests): which
    units are owed a notice, with the soon window of 3 working days."""
    from gongkai.holidays.calendar import office_calendar
    from gongkai.interact import reminders
    from gongkai.work.reminders import soon_before

    limit = soon_before(office_calendar(), today, 3)

    def owing() -> set[int]:
        return set(reminders.owing(today, limit, data.unit_ids))

    found, queries = _counted(owing)
    owing()
    note = f"{len(found)} of {len(data.unit_ids)} units owed"
    return Result("digest owing(), every unit", None, _timed(owing, runs, None), queries, note)


def measure_all(data: Generated, runs: int, today: dt.date) -> list[Result]:
    from django.test import Client

    from gongkai.accounts.models import User
    from gongkai.interact.models import Question

    public = Client(REMOTE_ADDR="10.9.8.7")
    staff = Client(REMOTE_ADDR="10.9.8.8")
    staff.force_login(User.objects.get(pk=data.office_id))
    results = []
    for item in items(data):
        if not item.path:
            results.append(measure_owing(data, today, runs))
            continue
        client = staff if item.staff else public
        result = measure_page(client, item, runs, data.published_ids)
        if item.path.endswith("tab=alerts"):
            result.note = f"{Question.objects.needing_attention(today).count():,} listed"
        results.append(result)
    return results


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-interact-bench-data-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        print(f"database: {_database_version()}", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
        today = timezone.localdate()
        started = time.perf_counter()
        data = generate(
            questions=args.questions,
            today=today,
            units=args.units,
            years=args.years,
            log=lambda line: print(line, flush=True),
        )
        print(f"generate: {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            # Planner statistics and (PostgreSQL) the visibility map, as autovacuum leaves a
            # live database.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"{data.questions:,} questions ({data.published:,} published, {data.open:,} open), "
            f"{len(data.unit_ids)} units, today {today}; {args.runs} runs each after warming up:"
        )
        for result in measure_all(data, args.runs, today):
            print(result.line(), flush=True)
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
