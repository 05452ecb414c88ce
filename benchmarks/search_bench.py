"""The search index at the scale of issue 6: indexing throughput and query p50/p95.

    .venv/bin/python benchmarks/search_bench.py [--documents 1000000] [--runs 3]
        [--database-url postgres://…/test] [--keep] [--reuse URL] [--build-only]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_search_bench` next to the one --database-url names, created and dropped
here), migrates it and indexes `--documents` generated government documents (fixed seed), then
measures queries. `--keep` keeps the database; `--reuse URL` measures the queries again on a
kept one (after migrating it), without indexing; `--build-only` stops after indexing;
`--copy-from SQLITE_URL` indexes the documents a kept SQLite run generated and segmented,
timing insertion alone (how the PostgreSQL figures in docs/search.md were made: jieba's time
is the same whichever database follows).

The documents. A title such as "关于印发《XX市2024年政务公开工作要点》的通知" (26 subjects, 8
forms) and a body of 200–400 characters: an opening naming the subject, then clauses of 3–6
content words joined as Chinese joins them (的, 和, 与, 、), and, one clause in four, a stock
phrase of official writing (加大信息公开力度, 严格落实主体责任, …). The content words are the
6,000 most frequent nouns, verbs and noun-verbs of 2–4 characters in jieba's own dictionary
(dict.txt in the installed wheel, word frequencies counted on a general Chinese corpus), drawn
with Zipf weights 1/rank: a word of rank 30 is in about a quarter of the documents, rank 300 in
a few percent, rank 3,000 in a few per thousand, like the words of real text and unlike the 50
phrases the first version drew from (there a "two-word query" matched 12 % of all documents).
300 units, 10 kinds, 6 years, 4 validity states; one document in 20,000 also names a rare
project (量子通信试验网).

The queries, each group `--runs` times per query after a warm-up, in relevance and date order:
- 50 two-word queries, each word drawn uniformly from the content words of rank 20–500 —
  common words, not stop words (the 20 most frequent: 没有, 国家, 发展, 工作, …), so a query
  matches from a few documents to a few percent of them; the same with kind + year filters;
- worst case, reported apart: the one word 公开, in half the generated documents (the stock
  phrases use it), and the stock two-word query 政务 公开 (a fifth of them);
- a rare word (the project name).
Each group prints p50, p95, the slowest query and the median and largest `total` the search
reported (a capped total prints as "1,000+"); before them, how many documents hold the words
of each query (counted apart, untimed). Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import shutil
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
JOINS = ["", "的", "和", "与", "、"]
#: The content vocabulary: this many words, of these jieba part-of-speech tags.
VOCABULARY_SIZE = 6000
VOCABULARY_TAGS = {"n", "vn", "v", "nz", "nt", "an"}
#: Query words are drawn from these vocabulary ranks (0 = most frequent).
QUERY_RANKS = (20, 500)
COMMON_WORD = "公开"
COMMON_PAIR = "政务 公开"
RARE = "量子通信试验网"  # in about one document in 20,000
KINDS = ["规章", "行政规范性文件", "其他政策文件", "政策解读", "会议", "预决算", "人事", "规划",
         "通知公告", "动态要闻"]  # fmt: skip
VALIDITY = ["有效"] * 8 + ["已修改", "已废止", "失效"]
YEARS = list(range(2020, 2026))


def vocabulary() -> list[str]:
    """jieba's most frequent content words of 2–4 Chinese characters, most frequent first."""
    import jieba

    rows = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            if tag in VOCABULARY_TAGS and 2 <= len(word) <= 4 and word.isalpha():
                rows.append((-int(frequency), word))
    return [word for _, word in sorted(rows)[:VOCABULARY_SIZE]]


def documents(count: int, unit_ids: list[int], seed: int = 6) -> Iterator[object]:
    """`count` generated documents as EntryData (typed loosely: Django is set up later)."""
    from gongkai.search.entries import EntryData

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    words = vocabulary()
    zipf = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    for n in range(count):
        year = rng.choice(YEARS)
        subject = rng.choice(SUBJECTS)
        title = rng.choice(TITLE_FORMS).format(p=rng.choice(PLACES), y=year, s=subject)
        parts = [f"为做好{subject}工作，"]
        size, target = len(parts[0]), rng.randint(200, 400)
        while size < target:
            if rng.random() < 0.25:
                clause = rng.choice(PHRASES)
            else:
                picked = rng.choices(words, cum_weights=zipf, k=rng.randint(3, 6))
                clause = "".join(word + rng.choice(JOINS) for word in picked[:-1]) + picked[-1]
            parts.append(clause + rng.choice("，；。"))
            size += len(parts[-1])
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


def copy(source: str, count: int, batch: int = 5000) -> None:
    """Index the documents a kept SQLite run already segmented: times insertion alone."""
    import sqlite3

    from gongkai.search.actions import store
    from gongkai.search.models import SearchEntry
    from gongkai.units.models import Unit

    db = sqlite3.connect(source.removeprefix("sqlite:///"))
    units: dict[str, Unit] = {}
    for name, kind, parent in db.execute(
        "SELECT u.name, u.kind, p.name FROM units_unit u LEFT JOIN units_unit p "
        "ON p.id = u.parent_id ORDER BY u.id"
    ):
        unit = Unit.objects.create(name=name, kind=kind, parent=units.get(parent))
        units[name] = unit
    rows = db.execute(
        "SELECT e.source, e.object_id, e.title, e.body, e.url, u.name, e.doc_kind, e.year, "
        "e.validity, e.published_on, e.title_words, e.body_words FROM search_searchentry e "
        "LEFT JOIN units_unit u ON u.id = e.unit_id ORDER BY e.id LIMIT ?",
        [count],
    )
    started, inserting, done = time.perf_counter(), 0.0, 0
    while chunk := rows.fetchmany(batch):
        pending = [
            SearchEntry(
                source=row[0], object_id=row[1], title=row[2], body=row[3], url=row[4],
                unit=units.get(row[5]), doc_kind=row[6], year=row[7], validity=row[8],
                published_on=dt.date.fromisoformat(row[9]) if row[9] else None,
                title_words=row[10], body_words=row[11],
            )
            for row in chunk
        ]  # fmt: skip
        t0 = time.perf_counter()
        store(pending)
        inserting += time.perf_counter() - t0
        done += len(chunk)
        if done % 100_000 == 0:
            print(f"  {done:>9,} indexed, {time.perf_counter() - started:7.0f} s", flush=True)
    print(f"copied {done:,} segmented documents from {source} (segmentation not repeated)")
    print(f"  insertion + index     {inserting:7.0f} s  {done / inserting:9,.0f} documents/s")


def finish_index() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE search_searchentry")
    print(f"optimise and analyse: {time.perf_counter() - started:.0f} s", flush=True)


def queries(count: int = 50, seed: int = 7) -> list[str]:
    """`count` two-word queries of common content words (see the module docstring)."""
    from gongkai.search.segment import query_terms

    rng = random.Random(seed)  # noqa: S311  # repeatable test data, not secrets
    # A word the query segmentation would split is left out: the query would be 3–4 words.
    words = [w for w in vocabulary()[slice(*QUERY_RANKS)] if query_terms(w) == [w]]
    return [" ".join(rng.sample(words, 2)) for _ in range(count)]


def measure(label: str, texts: list[str], runs: int, **options: object) -> None:
    from gongkai.search.query import search

    times, totals, slowest = [], [], (0.0, "")
    capped = 0
    for text in texts:
        search(text, **options)  # type: ignore[arg-type]  # options are search()'s keywords
        for _ in range(runs):
            start = time.perf_counter()
            page = search(text, **options)  # type: ignore[arg-type]  # as above
            took = (time.perf_counter() - start) * 1000
            times.append(took)
            slowest = max(slowest, (took, text))
        totals.append(page.total)
        capped += page.total_capped
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    verdict = "" if p95 < 100 else "  over target"
    most = f"{max(totals):,}" + ("+" if capped else "")
    print(
        f"  {label:34} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
        f"max {times[-1]:6.1f} ms ({slowest[1]})  matches median "
        f"{int(statistics.median(totals)):,}, most {most}{verdict}",
        flush=True,
    )


def match_counts(texts: list[str]) -> list[int]:
    """How many documents hold all the words of each query: exact, uncapped, not timed."""
    from gongkai.search.backends import current
    from gongkai.search.segment import query_terms

    return [current().count(query_terms(text), {}, None, 10**9) for text in texts]


def run_queries(runs: int) -> None:
    from gongkai.search.models import SearchEntry

    two = queries()
    print(f"queries, {runs} runs each after a warm-up; two-word queries: {', '.join(two[:8])}, …")
    counts = sorted(match_counts(two))
    documents = SearchEntry.objects.count()
    print(
        "  documents holding both words of a two-word query: median "
        f"{statistics.median(counts):,.0f} ({statistics.median(counts) / documents:.2%}), "
        f"fewest {counts[0]:,}, most {counts[-1]:,} ({counts[-1] / documents:.1%}); "
        f"{COMMON_WORD} {match_counts([COMMON_WORD])[0]:,}, "
        f"{COMMON_PAIR} {match_counts([COMMON_PAIR])[0]:,}",
        flush=True,
    )
    filters = {"doc_kind": "行政规范性文件", "year": 2024}
    for order in ("relevance", "date"):
        measure(f"50 two-word queries, {order}", two, runs, order=order)
        measure("  with kind + year filters", two, runs, order=order, **filters)
        measure(f"worst: {COMMON_WORD}, {order}", [COMMON_WORD], runs * 10, order=order)
        measure("  with kind + year filters", [COMMON_WORD], runs * 10, order=order, **filters)
        measure(f"worst: {COMMON_PAIR}, {order}", [COMMON_PAIR], runs * 10, order=order)
        measure(f"rare word ({RARE}), {order}", [RARE], runs * 10, order=order)


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    if args.reuse:
        url, drop = args.reuse, None
    else:
        url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    data_dir = tempfile.mkdtemp(prefix="gongkai-search-bench-data-")
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search.models import SearchEntry

    try:
        print(f"database: {_database_version()}", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
        if args.reuse:
            print(f"reusing {url}: {SearchEntry.objects.count():,} documents, not indexed again")
        elif args.copy_from:
            copy(args.copy_from, args.documents)
            finish_index()
        else:
            build(args.documents)
            finish_index()
        if not args.build_only:
            run_queries(args.runs)
    finally:
        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        if drop is None or args.keep:
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
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep")
    parser.add_argument("--build-only", action="store_true", help="index, measure no query")
    parser.add_argument(
        "--copy-from", metavar="SQLITE_URL", help="index the documents of a kept SQLite run"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
