"""政府公报 search at scale: the old substring scan against the full-text index, median ms.

    .venv/bin/python benchmarks/gazette_search_bench.py [--items 3000] [--chars 8000]
        [--runs 5] [--database-url postgres://…/test] [--keep]

Builds a scratch database (an SQLite file in a temporary folder, or a dedicated PostgreSQL
database `gongkai_gazette_bench` next to the one --database-url names; see work_bench.py),
migrates it and fills it through bulk_create: issues of 20 items each, published; five items
in six have a PDF of their own (about `--chars` characters of text, a few pages, drawn from 60
topic phrases and stock sentences of official writing), the sixth links a published document
of the register (body text alike); every issue has its full PDF (its items' texts together).
Documents and the gazette are indexed with their registers' rebuild paths
(publishing.search_index.reindex_all, gongkai.search.sources.rebuild("gazette")).

Each query is run once to warm up and `--runs` times, as the gazette's search page runs it:
the count of matching items, the first page of 20 with their text for snippets, and the issues
whose full PDF matches. "before" is the substring scan the gazette used until it fed the index
(copied below as `before`); "after" is gongkai.gazette.search.find. Then the page
itself, /portal/gb/search/, through Django's test client. Medians are over all runs of all
queries of a group.
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
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from work_bench import _database_version, machine, open_scratch  # noqa: E402

BENCH_DB = "gongkai_gazette_bench"
ITEMS_PER_ISSUE = 20
TOPICS = [
    "安全生产",
    "营商环境",
    "乡村振兴",
    "生态环境保护",
    "城市更新",
    "老旧小区改造",
    "医疗保障",
    "义务教育",
    "养老服务",
    "住房公积金",
    "就业创业",
    "科技创新",
    "数字政府",
    "政务服务",
    "食品安全",
    "防汛抗旱",
    "森林防火",
    "文物保护",
    "交通运输",
    "港口建设",
    "水利工程",
    "耕地保护",
    "土地征收",
    "财政预算",
    "政府采购",
    "国有资产",
    "审计整改",
    "统计调查",
    "市场监管",
    "知识产权",
    "消费者权益",
    "社会救助",
    "残疾人保障",
    "退役军人",
    "人才引进",
    "招商引资",
    "对外开放",
    "跨境电商",
    "物流枢纽",
    "新能源汽车",
    "光伏发电",
    "节能降碳",
    "垃圾分类",
    "污水处理",
    "大气污染防治",
    "河长制",
    "林长制",
    "应急管理",
    "安全隐患排查",
    "行政执法",
    "信用体系",
    "公共资源交易",
    "不动产登记",
    "户籍管理",
    "基层治理",
    "网格化",
    "志愿服务",
    "体育健身",
    "全民阅读",
    "非物质文化遗产",
]
STOCK = [
    "各区县人民政府，市政府各部门，各有关单位：",
    "现将有关事项通知如下。",
    "请结合实际，认真贯彻执行。",
    "各级各部门要高度重视，加强组织领导，明确责任分工，确保各项任务落到实处。",
    "本办法自印发之日起施行，有效期五年。",
    "对工作中发现的问题，要及时研究解决，重大情况及时报告。",
    "进一步健全工作机制，强化督促检查，切实提高工作实效。",
    "坚持以人民为中心的发展思想，统筹发展和安全。",
]
#: Query groups: a topic word (in about one item in twelve), two topic words, a title
#: fragment, a 文号 fragment, a stock word found almost everywhere, a word found nowhere.
QUERIES = {
    "one topic word": ["港口建设", "养老服务", "节能降碳", "文物保护", "信用体系"],
    "two topic words": ["安全生产 应急管理", "乡村振兴 耕地保护", "财政预算 审计整改"],
    "title or 文号 fragment": ["关于加强", "实施意见", "〔2000〕1", "办字"],
    "very common word": ["组织领导", "贯彻执行"],
    "found nowhere": ["量子通信试验网"],
}


def _text(rng: random.Random, chars: int) -> tuple[str, list[str]]:
    topics = rng.sample(TOPICS, 5)
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        topic = rng.choice(topics)
        parts.append(f"关于{topic}工作，{rng.choice(STOCK)}")
        parts.append(rng.choice(STOCK))
    return "".join(parts), topics


def generate(items: int, chars: int, log: Callable[[str], None]) -> None:
    from django.db import transaction

    from gongkai.gazette.models import Issue, IssueState, Item
    from gongkai.publishing.models import DocKind, DocState, Document
    from gongkai.units.models import Unit, UnitKind

    rng = random.Random(8)  # noqa: S311  # made-up text, the same every run
    unit = Unit.objects.create(name="基准测试局", kind=UnitKind.DEPARTMENT)
    issues = -(-items // ITEMS_PER_ISSUE)
    with transaction.atomic():
        for n in range(issues):
            year, number = 2000 + n // 24, n % 24 + 1
            day = dt.date(year, (number + 1) // 2, 10 if number % 2 else 25)
            issue = Issue.objects.create(
                year=year,
                number=number,
                total_number=n + 1,
                published_on=day,
                state=IssueState.PUBLISHED,
                pdf_name=f"bench/issue-{n}.pdf",
                pdf_filename=f"{year}-{number}.pdf",
            )
            rows, texts = [], []
            for position in range(1, ITEMS_PER_ISSUE + 1):
                text, topics = _text(rng, chars)
                title = f"关于加强{topics[0]}工作的实施意见"
                doc_number = f"泰政办字〔{year}〕{number * 100 + position}号"
                texts.append(text)
                document = None
                if position % 6 == 0:
                    document = Document.objects.create(
                        unit=unit,
                        kind=DocKind.NORMATIVE,
                        title=title,
                        doc_number=doc_number,
                        body_text=text,
                        state=DocState.PUBLISHED,
                        index_number=f"BENCH/{year}-{n:04d}{position:02d}",
                        published_on=day,
                    )
                rows.append(
                    Item(
                        issue=issue,
                        position=position,
                        section="市政府文件",
                        title=title,
                        doc_number=doc_number,
                        document=document,
                        pdf_name="" if document else f"bench/item-{n}-{position}.pdf",
                        pdf_text="" if document else text,
                    )
                )
            Item.objects.bulk_create(rows)
            issue.pdf_text = "\n".join(texts)
            issue.save(update_fields=["pdf_text"])
    log(f"generated {issues} issues, {Item.objects.count():,} items")


def index() -> str:
    from gongkai.publishing.search_index import reindex_all
    from gongkai.search.sources import rebuild

    started = time.perf_counter()
    documents = reindex_all()
    gazette = rebuild("gazette")["gazette"]
    seconds = time.perf_counter() - started
    return f"indexed {documents:,} documents and {gazette:,} gazette entries in {seconds:.0f} s"


# -- the substring scan the gazette search used before it fed the index ----------------------


def before(q: str) -> tuple[int, list[Any], list[Any]]:
    from django.db.models import Q

    from gongkai.gazette.models import Issue, IssueState, Item
    from gongkai.gazette.search import on_portal, text_of, words_of
    from gongkai.publishing.models import DocState

    words = words_of(q)
    found = Item.objects.filter(on_portal(), issue__state=IssueState.PUBLISHED)
    for word in words:
        found = found.filter(
            Q(title__icontains=word)
            | Q(doc_number__icontains=word)
            | Q(pdf_text__icontains=word)
            | Q(document__state=DocState.PUBLISHED, document__body_text__icontains=word)
        )
    found = found.select_related("issue", "document").order_by(
        "-issue__year", "-issue__number", "position", "pk"
    )
    issues = Issue.objects.published().exclude(pdf_name="")
    for word in words:
        issues = issues.filter(pdf_text__icontains=word)
    page = [text_of(item) for item in found[:20]]
    return found.count(), page, list(issues.order_by("-year", "-number")[:20])


def after(q: str) -> tuple[int, list[Any], list[Any]]:
    from gongkai.gazette.search import find, text_of

    found = find(q)
    page = [text_of(item) for item in found.items[:20]]
    return found.items.count(), page, list(found.issues[:20])


def _median_ms(run: Callable[[], object], runs: int) -> list[float]:
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(runs: int) -> None:
    from django.test import Client

    client = Client()
    for group, queries in QUERIES.items():
        old, new, page = [], [], []
        counts = []
        for q in queries:
            old += _median_ms(partial(before, q), runs)
            new += _median_ms(partial(after, q), runs)
            page += _median_ms(partial(client.get, "/portal/gb/search/", {"q": q}), runs)
            (old_items, _, old_issues), (new_items, _, new_issues) = before(q), after(q)
            counts.append(f"{old_items}/{len(old_issues)}→{new_items}/{len(new_issues)}")
        print(
            f"{group:24} before {statistics.median(old):7.1f} ms  after "
            f"{statistics.median(new):6.1f} ms  page {statistics.median(page):6.1f} ms  "
            f"items/issues found (before→after): {', '.join(counts)}",
            flush=True,
        )


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    url, drop = open_scratch(args.database_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-gazette-bench-data-")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.SEARCH_RATE_LIMIT = 10**9  # the page is measured, not the limit
    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        print(f"database: {_database_version()}", flush=True)
        call_command("migrate", verbosity=0)
        generate(args.items, args.chars, lambda line: print(line, flush=True))
        print(index(), flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"{args.runs} runs of each query after one warm-up; medians:", flush=True)
        measure(args.runs)
    finally:
        connection.close()
        if args.keep:
            print(f"kept: {url}")
        else:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--chars", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
