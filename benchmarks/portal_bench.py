"""The public portal's pages with a large register: p50 / p95 response times and SQL queries.

    .venv/bin/python benchmarks/portal_bench.py [--documents 100000] [--runs 30]
        [--database-url postgres://…/test] [--keep] [--reuse URL]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_portal_bench` next to the one --database-url names, created and dropped
here), migrates it and fills it with `--documents` published documents: 60 units, a catalogue
of the 15 categories of 《条例》第二十条 with 4 children each (75 nodes), the register's 11 kinds
(news and notices most common), publication dates spread over six years, one policy document
in eight repealed or expired with its validity history, an interpretation for one policy
document in four and an attachment row on one document in ten. Rows go in with bulk_create,
already as publication leaves them (state 已发布, 索引号, body sanitised); the search index is
not built (benchmarks/search_bench.py measures search).

Then, with Django's test client and no login, each page is requested once to warm up and
`--runs` times (p50, p95, max and SQL queries per request): the home page, the column page,
the list (first page, a deep page, a top category with its descendants, a kind, a unit and a
year), and document pages (a plain one, a repealed one with its history, a policy document with
its interpretations). Target: p95 < 200 ms per page. The filtered lists read off the
(state, kind | unit | category, published_on DESC, id DESC) indexes of the publishing models
(migration 0004).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, machine, measure_page, open_scratch  # noqa: E402

BENCH_DB = "gongkai_portal_bench"
#: The 15 kinds of information every organ discloses proactively (《条例》第二十条), shortened.
TOP_CATEGORIES = [
    "法规文件", "机构职能", "规划计划", "统计信息", "行政许可", "行政处罚", "财政预决算",
    "行政事业性收费", "政府采购", "重大建设项目", "民生保障", "应急管理", "监督检查",
    "公务员招考", "其他法定公开信息",
]  # fmt: skip
CHILD_NAMES = ["政策依据", "办理流程", "办理结果", "工作动态"]
#: Kinds with weights: what a county register holds most of.
KINDS = [
    ("news", 30), ("notice", 20), ("normative", 6), ("policy", 8), ("rule", 1),
    ("interpretation", 4), ("meeting", 5), ("budget", 6), ("personnel", 6), ("planning", 4),
    ("other", 10),
]  # fmt: skip
POLICY = {"rule", "normative", "policy"}
SUBJECTS = ["政务公开", "财政预算", "行政执法", "营商环境", "乡村振兴", "生态环境保护",
            "安全生产", "义务教育", "医疗保障", "就业创业", "住房保障", "社会救助"]  # fmt: skip
PARAGRAPH = (
    "<p>为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步加强{s}工作，"
    "结合本区实际，现就有关事项通知如下。各单位要高度重视，明确责任分工，"
    "确保各项任务落到实处。</p>"
)
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)


@dataclass
class Generated:
    documents: int
    unit_ids: list[int]
    top_category_id: int
    plain_id: int
    repealed_id: int
    interpreted_id: int


def _days(rng: random.Random) -> Iterator[dt.date]:
    span = (LAST_DAY - FIRST_DAY).days
    while True:
        yield FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))


def generate(
    *, documents: int, seed: int = 6, log: Callable[[str], None] = lambda _: None
) -> Generated:
    """Fill the configured database (already migrated) with a published register."""
    from django.db import transaction
    from django.utils import timezone

    from gongkai.publishing.models import (
        Category,
        DocState,
        Document,
        DocumentAttachment,
        Validity,
        ValidityChange,
    )
    from gongkai.publishing.sanitize import html_to_text
    from gongkai.units.models import Unit, UnitKind

    rng = random.Random(seed)  # noqa: S311  # reproducible test data, not secrets
    now = timezone.now()
    with transaction.atomic():
        gov = Unit.objects.create(name="区人民政府办公室", kind=UnitKind.GOVERNMENT, code="GOV")
        departments = Unit.objects.bulk_create(
            Unit(name=f"区第{n:02d}局", kind=UnitKind.DEPARTMENT, parent=gov, code=f"D{n:02d}")
            for n in range(1, 60)
        )
        units = [gov, *departments]
        tops = [Category.objects.create(name=n, position=i) for i, n in enumerate(TOP_CATEGORIES)]
        children = Category.objects.bulk_create(
            Category(name=name, parent=top, position=j)
            for top in tops
            for j, name in enumerate(CHILD_NAMES)
        )
    leaves = [*tops, *children]
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    days = _days(rng)
    made = 0
    batch = 5000
    started = time.perf_counter()
    while made < documents:
        rows = []
        for n in range(made, min(documents, made + batch)):
            kind = rng.choices(kinds, weights)[0]
            subject = rng.choice(SUBJECTS)
            day = next(days)
            unit = rng.choice(units)
            body = PARAGRAPH.format(s=subject) * rng.randint(2, 6)
            validity = Validity.VALID
            if kind in POLICY and rng.random() < 0.125:
                validity = rng.choice([Validity.REPEALED, Validity.EXPIRED])
            rows.append(
                Document(
                    unit=unit,
                    kind=kind,
                    category=rng.choice(leaves),
                    topic=subject,
                    title=f"关于{subject}工作的第{n + 1}号文件",
                    body_html=body,
                    body_text=html_to_text(body),
                    doc_number=f"张政发〔{day.year}〕{n + 1}号" if kind in POLICY else "",
                    written_on=day - dt.timedelta(days=3),
                    published_on=day,
                    publisher=unit.name,
                    index_number=f"{unit.code}/{day.year}-{n + 1:07d}",
                    state=DocState.PUBLISHED,
                    validity=validity,
                    validity_since=day + dt.timedelta(days=365)
                    if validity != Validity.VALID
                    else None,
                    published_at=now,
                    created_at=now,
                )
            )
        with transaction.atomic():
            Document.objects.bulk_create(rows, batch_size=1000)
        made += len(rows)
        log(f"  {made:,} documents ({time.perf_counter() - started:.0f} s)")

    published = Document.objects.filter(state=DocState.PUBLISHED)
    with transaction.atomic():
        repealed = list(
            published.exclude(validity=Validity.VALID).only("pk", "validity", "validity_since")
        )
        ValidityChange.objects.bulk_create(
            (
                ValidityChange(
                    document=d,
                    old=Validity.VALID,
                    new=d.validity,
                    effective_on=d.validity_since or LAST_DAY,
                    reason="年度文件清理",
                )
                for d in repealed
            ),
            batch_size=2000,
        )
        policies = list(published.filter(kind__in=POLICY).values_list("pk", flat=True))
        readings = list(published.filter(kind="interpretation").values_list("pk", flat=True))
        for reading, target in zip(
            readings, rng.sample(policies, min(len(policies) // 4, len(readings))), strict=False
        ):
            Document.objects.filter(pk=reading).update(interprets_id=target)
        ids = list(published.values_list("pk", flat=True))
        DocumentAttachment.objects.bulk_create(
            (
                DocumentAttachment(
                    document_id=pk,
                    stored_name=f"2025/{pk:032x}.pdf",
                    original_name=f"附件{pk}.pdf",
                    file_type="pdf",
                    size=rng.randint(20_000, 2_000_000),
                )
                for pk in ids[::10]
            ),
            batch_size=2000,
        )
    interpreted = (
        published.filter(interpretations__isnull=False).values_list("pk", flat=True).first()
    )
    plain = (
        published.filter(validity=Validity.VALID, kind="news").values_list("pk", flat=True).first()
    )
    return Generated(
        documents=made,
        unit_ids=[u.pk for u in units],
        top_category_id=tops[0].pk,
        plain_id=plain or ids[0],
        repealed_id=repealed[0].pk if repealed else ids[0],
        interpreted_id=interpreted or ids[0],
    )


def _existing() -> Generated:
    from gongkai.publishing.models import Category, Document, Validity
    from gongkai.units.models import Unit

    published = Document.objects.published()
    return Generated(
        documents=published.count(),
        unit_ids=list(Unit.objects.order_by("pk").values_list("pk", flat=True)),
        top_category_id=Category.objects.filter(parent=None).order_by("position", "pk").first().pk,  # type: ignore[union-attr]
        plain_id=published.filter(validity=Validity.VALID, kind="news")
        .values_list("pk", flat=True)
        .first()
        or 0,
        repealed_id=published.exclude(validity=Validity.VALID).values_list("pk", flat=True).first()
        or 0,
        interpreted_id=published.filter(interpretations__isnull=False)
        .values_list("pk", flat=True)
        .first()
        or 0,
    )


def pages(data: Generated) -> list[tuple[str, str]]:
    last = max(1, -(-data.documents // 20))
    deep = max(1, last // 2)
    return [
        ("home", "/portal/"),
        ("column (政府信息公开)", "/portal/zwgk/"),
        ("list, first page", "/portal/zwgk/documents/"),
        (f"list, page {deep:,} (middle)", f"/portal/zwgk/documents/?page={deep}"),
        (f"list, page {last:,} (last)", f"/portal/zwgk/documents/?page={last}"),
        (
            "list, top category + descendants",
            f"/portal/zwgk/documents/?category={data.top_category_id}",
        ),
        (
            "list, category, page 50",
            f"/portal/zwgk/documents/?category={data.top_category_id}&page=50",
        ),
        ("list, kind = 政策文件", "/portal/zwgk/documents/?kind=policies"),
        ("list, one unit", f"/portal/zwgk/documents/?unit={data.unit_ids[7]}"),
        ("list, one year", "/portal/zwgk/documents/?year=2023"),
        (
            "list, kind + unit + year",
            f"/portal/zwgk/documents/?kind=news&unit={data.unit_ids[3]}&year=2024",
        ),
        ("document", f"/portal/documents/{data.plain_id}/"),
        ("document, repealed", f"/portal/documents/{data.repealed_id}/"),
        ("document with interpretations", f"/portal/documents/{data.interpreted_id}/"),
    ]


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    if args.reuse:
        url, drop = args.reuse, None
    else:
        url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-portal-bench-data-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        print(f"database: {_database_version()}", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
        if args.reuse:
            data = _existing()
            print(f"reusing {url}: {data.documents:,} published documents")
        else:
            started = time.perf_counter()
            data = generate(documents=args.documents, log=lambda line: print(line, flush=True))
            print(f"generate: {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            # Planner statistics and (PostgreSQL) the visibility map, as autovacuum leaves a
            # live database; without it no index-only scan is possible after a bulk load.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        client = Client()
        print(f"pages, {args.runs} runs each after warming up (anonymous visitor):")
        for label, path in pages(data):
            print(f"  {label:38} {measure_page(client, path, args.runs)}", flush=True)
    finally:
        connection.close()
        if drop is None or args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
