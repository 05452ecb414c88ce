"""Parse a ~200-page .docx task list; print wall time (median) and peak memory.

    .venv/bin/python benchmarks/parse_bench.py [--copies 16] [--runs 5]

The document is seed 004 (the 泰安 分解表, 143 tasks, 13 pages as a PDF) replicated `copies`
times into one Word table with real merged cells, built by scripts/build_fixtures.py. When a CJK
font is installed the same content is also rendered as a PDF to count its pages, so the page
figure is measured, not guessed. Each run is a fresh process pinned to one core; peak memory is
that process's maximum resident set size (interpreter and imports included).
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def replicated(copies: int) -> dict[str, Any]:
    plan = load_expected("004")
    tasks = []
    for k in range(copies):
        for task in plan["tasks"]:
            t = copy.deepcopy(task)
            t["path"] = (
                [f"{t['path'][0]}（第{k + 1}部分）", *t["path"][1:]] if t["path"] else t["path"]
            )
            tasks.append(t)
    plan["tasks"] = tasks
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    layout = LAYOUTS["004"]
    assert isinstance(layout, TableLayout)
    plan = replicated(args.copies)
    with tempfile.TemporaryDirectory() as tmp:
        docx = build_docx(plan, layout, Path(tmp) / "big.docx")
        pages = "unknown (no CJK font to render a PDF)"
        if find_cjk_font() is not None:
            import pdfplumber

            pdf = build_pdf(plan, layout, Path(tmp) / "big.pdf")
            with pdfplumber.open(pdf) as doc:
                pages = str(len(doc.pages))
        results = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(docx)],
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
        f"document: {len(plan['tasks'])} tasks in one table, {docx.stat().st_size / 1e6:.1f} MB"
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
