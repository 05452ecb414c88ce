"""Parse a ~200-page .docx task list; print wall time (median) and peak memory.

    .venv/bin/python benchmarks/parse_bench.py [--copies 16] [--runs 5]

The document is seed 004 (the 泰安 分解表, 143 tasks) built as a Word table with real merged
cells by scripts/build_fixtures.py, its data rows then repeated `copies` times. When a CJK font
is installed one copy is also rendered as a PDF to count its pages (13), so the page figure is
measured per copy and multiplied, not guessed. Each run is a fresh process pinned to one core;
peak memory is that process's maximum resident set size (interpreter and imports included).
Targets (issue 3): under 2 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from scripts.build_fixtures import (  # noqa: E402  (needs the path set above)
    LAYOUTS,
    TableLayout,
    build_docx,
    build_pdf,
    find_cjk_font,
    load_expected,
)

CHILD = """
import json, os, resource, sys, time
os.sched_setaffinity(0, {0})
start = time.perf_counter()
from gongkai.tasklist.parse import parse_file
imported = time.perf_counter()
plan = parse_file(__import__("pathlib").Path(sys.argv[1]))
done = time.perf_counter()
print(json.dumps({"import_s": imported - start, "parse_s": done - imported,
                  "tasks": len(plan.tasks),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def replicate_rows(single: Path, target: Path, copies: int) -> None:
    """Copy the data rows of the document's table `copies` times, at the XML level.

    Building a 2,000-row table with python-docx's cell.merge() takes minutes (each merge walks
    the table), so the one-copy document is built properly and its rows are then repeated.
    Each copy's first row keeps its vertical-merge starts, so the merges stay well formed.
    """
    doc = docx.Document(str(single))
    table = doc.tables[0]._tbl
    rows = table.findall(qn("w:tr"))
    # Header rows: those marked to repeat on every page (w:tblHeader); at least the first row.
    header = max(
        1, sum(1 for r in rows if r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None)
    )
    body = rows[header:]
    for _ in range(copies - 1):
        for row in body:
            table.append(copy.deepcopy(row))
    doc.save(str(target))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    layout = LAYOUTS["004"]
    assert isinstance(layout, TableLayout)
    plan = load_expected("004")
    with tempfile.TemporaryDirectory() as tmp:
        single = build_docx(plan, layout, Path(tmp) / "one.docx")
        big = Path(tmp) / "big.docx"
        replicate_rows(single, big, args.copies)
        size_mb = big.stat().st_size / 1e6
        pages = "unknown (no CJK font to render a PDF)"
        if find_cjk_font() is not None:
            import pdfplumber

            with pdfplumber.open(build_pdf(plan, layout, Path(tmp) / "one.pdf")) as doc:
                pages = f"about {len(doc.pages) * args.copies} ({len(doc.pages)} per copy)"
        results = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(big)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            results.append(json.loads(out.stdout))
    times = [r["parse_s"] for r in results]
    parse = statistics.median(times)
    imp = statistics.median(r["import_s"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    print(
        f"document: {len(plan['tasks']) * args.copies} tasks in one table, {size_mb:.1f} MB"
        f" .docx, {pages} pages as PDF"
    )
    print(f"tasks parsed: {results[0]['tasks']}")
    print(
        f"parse time, one core: median {parse:.2f} s over {args.runs} runs "
        f"(min {min(times):.2f}, max {max(times):.2f})"
        f"; imports {imp:.2f} s on top"
    )
    print(f"peak memory (max RSS of the parsing process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
