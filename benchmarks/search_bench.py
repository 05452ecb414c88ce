"""The search index at the scale of issue 6: indexing throughput and query p50/p95.

    .venv/bin/python benchmarks/search_bench.py [--documents 1000000] [--runs 3]
        [--database-url postgres://…/test] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_search_bench` next to the one --database-url names, created and dropped
here), migrates it and indexes `--documents` generated government documents: titles such as
"关于印发《XX市2024年政务公开工作要点》的通知" and bodies of 200–400 characters assembled
from a vocabulary of policy phrases (fixed seed), over 300 units, 10 kinds, 6 years and 4
validity states. Segmentation (jieba) and insertion are timed separately.

Then it runs 50 two-word queries, a one-word query and a rare-word query, with filters off and
on (kind + year), in relevance and date order, `--runs` times each after a warm-up, and prints
p50 and p95 of each group and the median number of matches. Target: p95 < 100 ms.
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
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, machine, open_scratch  # noqa: E402

BENCH_DB = "gongkai_search_bench"
PLACES = ["市", "区", "县", "镇", "街道"]
SUBJECTS = ["政务公开", "财政预算", "行政执法", "营商环境", "乡村振兴", "生态环境保护", "安全生产",
            "义务教育", "医疗保障", "就业创业", "住房保障", "食品药品监管", "公共资源交易",
            "政府信息公开", "重大行政决策", "规范性文件", "政策解读", "政务服务", "数字政府",
            "防汛抗旱", "城乡规划", "交通运输", "社会救助", "养老服务", "文化旅游",
            "统计调查"]  # fmt: skip
TITLE_FORMS = ["关于印发《{p}{y}年{s}工作要点》的通知", "{p}{y}年{s}工作总结",
               "关于进一步加强{s}工作的意见", "{p}{s}实施办法", "关于{s}情况的报告",
               "{y}年{s}专项检查结果的通报",
               "关于做好{s}相关工作的通知", "《{s}管理办法》政策解读"]  # fmt: skip
PHRASES = ["深入贯彻落实党中央决策部署", "坚持以人民为中心的发展思想", "全面推进依法行政",
           "加大信息公开力度", "及时回应社会关切", "严格落实主体责任", "建立健全长效机制",
           "强化监督检查", "提升服务质量和效率", "优化办事流程", "推进标准化规范化建设",
           "加强组织领导", "明确责任分工", "确保各项任务落到实处", "按照有关规定执行",
           "各有关单位要高度重视", "将工作开展情况纳入年度考核", "畅通群众诉求表达渠道",
           "做好舆情监测和引导", "规范权力运行", "主动接受社会监督", "完善考核评价体系",
           "落实预算绩效管理", "统筹发展和安全", "加快数字化转型", "夯实基层基础",
           "推动高质量发展", "保障群众合法权益", "坚持问题导向", "加强政策宣传解读",
           "严禁弄虚作假", "定期开展自查", "建立工作台账", "限期整改到位", "公开征求意见",
           "依申请公开答复", "财政资金使用情况", "政府采购项目", "行政许可事项", "行政处罚结果",
           "重点领域信息公开", "基层政务公开标准目录", "政府网站集约化", "政务新媒体管理",
           "人大代表建议和政协提案办理", "民生实事项目", "应急管理体系",
           "社会信用体系建设"]  # fmt: skip
RARE = "量子通信试验网"  # appears in about one document in 20,000
KINDS = ["规章", "行政规范性文件", "其他政策文件", "政策解读", "会议", "预决算", "人事", "规划",
         "通知公告", "动态要闻"]  # fmt: skip
VALIDITY = ["有效"] * 8 + ["已修改", "已废止", "失效"]
YEARS = list(range(2020, 2026))


def documents(count: int, unit_ids: list[int], seed: int = 6) -> Iterator[object]:
    """`count` generated documents as EntryData (typed loosely: Django is set up later)."""
    from gongkai.search.entries import EntryData

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    # Some phrases are common, most are not: weights fall off like word frequencies do.
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(PHRASES))]
    for n in range(count):
        year = rng.choice(YEARS)
        subject = rng.choice(SUBJECTS)
        title = rng.choice(TITLE_FORMS).format(p=rng.choice(PLACES), y=year, s=subject)
        parts = [f"为做好{subject}工作，"]
        while sum(map(len, parts)) < rng.randint(200, 400):
            parts.append(rng.choices(PHRASES, weights)[0] + rng.choice("，；。"))
        if rng.random() < 1 / 20_000:
            parts.append(RARE + "。")
        yield EntryData(
            source="document",
            object_id=str(n),
            title=title,
            body="".join(parts),
            url=f"/documents/{n}/",
            unit_id=rng.choice(unit_ids),
            doc_kind=rng.choice(KINDS),
            year=year,
            validity=rng.choice(VALIDITY),
            published_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
        )


def build(count: int, batch: int = 5000) -> None:
    from gongkai.search.actions import store
    from gongkai.search.entries import EntryData
    from gongkai.units.models import Unit, UnitKind

    gov = Unit.objects.create(name="市人民政府办公室（压力测试）", kind=UnitKind.GOVERNMENT)
    units = Unit.objects.bulk_create(
        Unit(name=f"市第{i:03d}部门", kind=UnitKind.DEPARTMENT, parent=gov) for i in range(300)
    )
    segmenting = inserting = 0.0
    pending = []
    started = time.perf_counter()
    for data in documents(count, [u.pk for u in units]):
        assert isinstance(data, EntryData)
        t0 = time.perf_counter()
        pending.append(data.prepare())
        segmenting += time.perf_counter() - t0
        if len(pending) == batch or data.object_id == str(count - 1):
            t0 = time.perf_counter()
            store(pending)
            inserting += time.perf_counter() - t0
            pending = []
            done = int(data.object_id) + 1
            if done % 100_000 == 0 or done == count:
                print(f"  {done:>9,} indexed, {time.perf_counter() - started:7.0f} s", flush=True)
    total = time.perf_counter() - started
    print(f"indexing {count:,} documents: {total:.0f} s, {count / total:,.0f} documents/s")
    print(f"  segmentation (jieba)  {segmenting:7.0f} s  {count / segmenting:9,.0f} documents/s")
    print(f"  insertion + index     {inserting:7.0f} s  {count / inserting:9,.0f} documents/s")


def finish_index() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE search_searchentry")
    print(f"optimise and analyse: {time.perf_counter() - started:.0f} s")


def queries(seed: int = 7) -> list[str]:
    from gongkai.search.segment import query_terms

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    words = sorted({t for p in PHRASES + SUBJECTS for t in query_terms(p) if len(t) >= 2})
    return [f"{a} {b}" for a, b in (rng.sample(words, 2) for _ in range(50))]


def measure(label: str, texts: list[str], runs: int, **options: object) -> None:
    from gongkai.search.query import search

    times, totals = [], []
    for text in texts:
        search(text, **options)  # type: ignore[arg-type]  # options are search()'s keywords
        for _ in range(runs):
            start = time.perf_counter()
            page = search(text, **options)  # type: ignore[arg-type]  # as above
            times.append((time.perf_counter() - start) * 1000)
        totals.append(page.total)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    verdict = "" if p95 < 100 else "  over target"
    print(
        f"  {label:40} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {times[-1]:7.1f} ms  matches (median) {int(statistics.median(totals)):>8,}{verdict}"
    )


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-search-bench-data-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        print(f"database: {_database_version()}")
        call_command("migrate", verbosity=0)
        build(args.documents)
        finish_index()
        two = queries()
        print(f"queries, {args.runs} runs each after a warm-up:")
        filters = {"doc_kind": "行政规范性文件", "year": 2024}
        for order in ("relevance", "date"):
            measure(f"50 two-word queries, {order}", two, args.runs, order=order)
            measure("  with kind + year filters", two, args.runs, order=order, **filters)
            measure(f"one word (公开), {order}", ["公开"], args.runs * 10, order=order)
            measure(f"rare word ({RARE}), {order}", [RARE], args.runs * 10, order=order)
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to create the scratch database on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
