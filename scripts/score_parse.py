"""Measure the task-list parser against the hand-labelled answers in tests/fixtures/tasklist.

For every labelled fixture it parses each rendering of the document (the seed's text from
tests/fixtures/seeds, a copy of shared/seeds; the .docx/.xlsx/.html built by
scripts/build_fixtures.py into a temporary folder; the committed .pdf) and compares the result
with <id>.expected.json:

- tasks: precision / recall / F1, a predicted task matching an expected one when their
  normalised requirement texts are equal (whitespace removed, full-width punctuation folded to
  ASCII, trailing 。；; dropped), one to one and in document order;
- units (over matched tasks): F1 of lead + responsible units as one multiset, and of lead
  units alone;
- path and deadline accuracy (over matched tasks): exact equality after normalisation;
- metadata (reported, not gated): title / issuer / issued / doc_number, where the format
  carries them.

Per document, per format and overall. Exit 0; with --min-task-f1 / --min-unit-f1 / --min-path,
exit 1 when a format's totals or the overall totals fall below; exit 2 when the parser cannot
run at all (not there yet, or it fails on every document).

    .venv/bin/python scripts/score_parse.py                  # the table
    .venv/bin/python scripts/score_parse.py --details        # plus what did not match
    .venv/bin/python scripts/score_parse.py --json           # machine-readable
    .venv/bin/python scripts/score_parse.py --min-task-f1 0.98 --min-unit-f1 0.95 --min-path 0.95
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: make `scripts` and `gongkai` importable
    sys.path.insert(0, str(ROOT))

from scripts import build_fixtures  # noqa: E402

DEFAULT_SEEDS = ROOT / "tests" / "fixtures" / "seeds"
META = ("title", "issuer", "issued", "doc_number")
TRAILING = "。；;.，,、：:"

# ---------------------------------------------------------------------------- normalisation


def normalise_text(text: str | None) -> str:
    """Fold what does not change the meaning: widths, whitespace, trailing punctuation."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)  # （，：；！？ → (,:;!? and full-width ASCII
    text = re.sub(r"\s+", "", text)
    return text.rstrip(TRAILING)


def normalise_path(path: Iterable[str]) -> list[str]:
    return [normalise_text(p) for p in path]


def task_units(task: dict[str, Any], lead_only: bool = False) -> Counter[str]:
    units = list(task.get("lead_units") or [])
    if not lead_only:
        units += list(task.get("responsible_units") or [])
    return Counter(n for n in (normalise_text(u) for u in units) if n)


# ---------------------------------------------------------------------------- matching


def match_tasks(expected: Sequence[str], predicted: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of equal normalised requirements, one to one and in order (an LCS)."""
    exp = [normalise_text(t) for t in expected]
    got = [normalise_text(t) for t in predicted]
    n, m = len(exp), len(got)
    # lcs[i][j]: the longest common subsequence of exp[i:] and got[j:]
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = lcs[i], lcs[i + 1]
        for j in range(m - 1, -1, -1):
            if exp[i] and exp[i] == got[j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = max(below[j], row[j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if exp[i] and exp[i] == got[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


# ---------------------------------------------------------------------------- scores


def _ratio(num: int, den: int, empty: float = 1.0) -> float:
    return num / den if den else empty


def _f1(tp: int, fp: int, fn: int) -> float:
    return _ratio(2 * tp, 2 * tp + fp + fn)


@dataclass
class Score:
    """Counts for one document, or summed over several; the metrics are derived."""

    name: str
    fmt: str
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    unit_tp: int = 0
    unit_fp: int = 0
    unit_fn: int = 0
    lead_tp: int = 0
    lead_fp: int = 0
    lead_fn: int = 0
    path_ok: int = 0
    deadline_ok: int = 0
    meta_ok: int = 0
    meta_total: int = 0
    documents: int = 1
    errors: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted, 1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.expected)

    @property
    def task_f1(self) -> float:
        return _f1(self.matched, self.predicted - self.matched, self.expected - self.matched)

    @property
    def unit_f1(self) -> float:
        return _f1(self.unit_tp, self.unit_fp, self.unit_fn) if self.matched else self._none()

    @property
    def lead_f1(self) -> float:
        return _f1(self.lead_tp, self.lead_fp, self.lead_fn) if self.matched else self._none()

    @property
    def path_accuracy(self) -> float:
        return _ratio(self.path_ok, self.matched) if self.matched else self._none()

    @property
    def deadline_accuracy(self) -> float:
        return _ratio(self.deadline_ok, self.matched) if self.matched else self._none()

    @property
    def meta_accuracy(self) -> float:
        return _ratio(self.meta_ok, self.meta_total)

    def _none(self) -> float:  # nothing matched: perfect only if nothing was expected
        return 0.0 if self.expected else 1.0

    def metrics(self) -> dict[str, Any]:
        data = asdict(self)
        for key in (
            "precision",
            "recall",
            "task_f1",
            "unit_f1",
            "lead_f1",
            "path_accuracy",
            "deadline_accuracy",
            "meta_accuracy",
        ):
            data[key] = round(getattr(self, key), 4)
        return data


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def score_document(
    expected: dict[str, Any],
    predicted: dict[str, Any] | None,
    name: str = "",
    fmt: str = "",
    meta_fields: Sequence[str] = META,
) -> Score:
    """Compare one parse result with its expected answer (None: the parser failed)."""
    exp_tasks: list[dict[str, Any]] = expected["tasks"]
    got_tasks: list[dict[str, Any]] = (predicted or {}).get("tasks") or []
    score = Score(name, fmt, expected=len(exp_tasks), predicted=len(got_tasks))
    pairs = match_tasks(
        [t["requirement"] for t in exp_tasks], [str(t.get("requirement") or "") for t in got_tasks]
    )
    score.matched = len(pairs)
    for i, j in pairs:
        exp, got = exp_tasks[i], got_tasks[j]
        for lead_only in (False, True):
            e, g = task_units(exp, lead_only), task_units(got, lead_only)
            tp = sum((e & g).values())
            fp, fn = sum(g.values()) - tp, sum(e.values()) - tp
            if lead_only:
                score.lead_tp += tp
                score.lead_fp += fp
                score.lead_fn += fn
            else:
                score.unit_tp += tp
                score.unit_fp += fp
                score.unit_fn += fn
                if fp or fn:
                    score.details.append(
                        f"units  {_short(exp['requirement'], 24)}: expected "
                        f"{exp['lead_units']}+{exp['responsible_units']}, got "
                        f"{got.get('lead_units')}+{got.get('responsible_units')}"
                    )
        if normalise_path(exp["path"]) == normalise_path(got.get("path") or []):
            score.path_ok += 1
        else:
            score.details.append(
                f"path   {_short(exp['requirement'], 24)}: expected {exp['path']}, "
                f"got {got.get('path')}"
            )
        if normalise_text(exp.get("deadline")) == normalise_text(got.get("deadline")):
            score.deadline_ok += 1
        else:
            score.details.append(
                f"time   {_short(exp['requirement'], 24)}: expected {exp.get('deadline')!r}, "
                f"got {got.get('deadline')!r}"
            )
    matched_exp = {i for i, _ in pairs}
    matched_got = {j for _, j in pairs}
    score.details += [
        f"missed #{i + 1} {_short(t['requirement'])}"
        for i, t in enumerate(exp_tasks)
        if i not in matched_exp
    ]
    score.details += [
        f"extra  #{j + 1} {_short(str(t.get('requirement')))}"
        for j, t in enumerate(got_tasks)
        if j not in matched_got
    ]
    for key in meta_fields:
        if expected.get(key) is not None:
            score.meta_total += 1
            if predicted and normalise_text(predicted.get(key)) == normalise_text(expected[key]):
                score.meta_ok += 1
    return score


def aggregate(scores: Sequence[Score], name: str, fmt: str = "") -> Score:
    total = Score(name, fmt, documents=0)
    for s in scores:
        for key in (
            "expected",
            "predicted",
            "matched",
            "unit_tp",
            "unit_fp",
            "unit_fn",
            "lead_tp",
            "lead_fp",
            "lead_fn",
            "path_ok",
            "deadline_ok",
            "meta_ok",
            "meta_total",
            "documents",
        ):
            setattr(total, key, getattr(total, key) + getattr(s, key))
        total.errors += [f"{s.name}.{s.fmt}: {e}" for e in s.errors]
    return total


# ---------------------------------------------------------------------------- the parser


class ParserUnavailable(RuntimeError):
    pass


def run_subprocess(command: str | None, path: Path, timeout: float = 300) -> dict[str, Any]:
    """Run the parser on one file; its JSON, or RuntimeError with its one-line complaint."""
    if command:
        argv = shlex.split(command)
        argv = [a.replace("{file}", str(path)) for a in argv]
        if not any("{file}" in a for a in shlex.split(command)):
            argv.append(str(path))
    else:
        argv = [sys.executable, "-m", "gongkai", "parse", str(path), "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(  # noqa: S603  # our own parser, on our own fixture files
            argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"timed out after {timeout:.0f} s") from exc
    except OSError as exc:
        raise ParserUnavailable(f"cannot start {argv[0]}: {exc}") from exc
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        message = lines[-1] if lines else f"exit status {done.returncode}"
        for line in lines:
            if "Unknown command" in line or "No module named" in line:
                raise ParserUnavailable(f"{line.strip()} ({' '.join(argv[:4])} …)")
        raise RuntimeError(message)
    try:
        data: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"output is not JSON: {exc}") from exc
    return data


def run_import(path: Path) -> dict[str, Any]:
    try:
        module = importlib.import_module("gongkai.tasklist.parse")
        parse_file = module.parse_file
    except (ImportError, AttributeError) as exc:
        raise ParserUnavailable(f"gongkai.tasklist.parse.parse_file: {exc}") from exc
    result = parse_file(path)
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict):
        raise RuntimeError(f"parse_file returned {type(result).__name__}")
    return data


# ---------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    fixture_id: str
    fmt: str
    path: Path


def find_seed(fixture_id: str, seeds_dir: Path) -> Path | None:
    found = sorted(seeds_dir.glob(f"{fixture_id}_*.txt")) if seeds_dir.is_dir() else []
    return found[0] if found else None


def collect_documents(
    ids: Sequence[str], formats: Sequence[str], seeds_dir: Path, work_dir: Path
) -> tuple[list[Document], list[str]]:
    """The documents to parse, and notes on those that could not be had."""
    docs: list[Document] = []
    notes: list[str] = []
    for fixture_id in ids:
        if "txt" in formats and fixture_id[:1].isdigit():
            seed = find_seed(fixture_id, seeds_dir)
            if seed:
                docs.append(Document(fixture_id, "txt", seed))
            else:
                notes.append(f"{fixture_id}.txt: no seed in {seeds_dir}")
        for fmt in build_fixtures.formats_for(fixture_id):
            if fmt not in formats:
                continue
            if fmt == "pdf":
                committed = build_fixtures.committed_pdf(fixture_id)
                if committed.is_file():
                    docs.append(Document(fixture_id, fmt, committed))
                elif build_fixtures.find_cjk_font():
                    docs.append(
                        Document(fixture_id, fmt, build_fixtures.build(fixture_id, fmt, work_dir))
                    )
                else:
                    notes.append(f"{fixture_id}.pdf: not committed and no CJK font to build it")
                continue
            docs.append(Document(fixture_id, fmt, build_fixtures.build(fixture_id, fmt, work_dir)))
    return docs, notes


# ---------------------------------------------------------------------------- report


COLUMNS = ("doc", "fmt", "exp", "got", "match", "P", "R", "F1", "unitF1", "leadF1", "path", "dl")


def _row(s: Score) -> list[str]:
    return [
        s.name,
        s.fmt,
        str(s.expected),
        str(s.predicted),
        str(s.matched),
        f"{s.precision:.3f}",
        f"{s.recall:.3f}",
        f"{s.task_f1:.3f}",
        f"{s.unit_f1:.3f}",
        f"{s.lead_f1:.3f}",
        f"{s.path_accuracy:.3f}",
        f"{s.deadline_accuracy:.3f}",
    ]


def render_table(docs: Sequence[Score], formats: Sequence[Score], overall: Score) -> str:
    rows = [list(COLUMNS)] + [_row(s) for s in docs]
    rows.append([])
    rows += [_row(s) for s in formats]
    rows.append(_row(overall))
    widths = [max(len(r[i]) for r in rows if r) for i in range(len(COLUMNS))]
    lines = []
    for r in rows:
        if not r:
            lines.append("-" * (sum(widths) + 2 * len(widths)))
            continue
        lines.append(
            "  ".join(
                c.ljust(w) if k < 2 else c.rjust(w)
                for k, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(lines)


def gate(
    totals: Sequence[Score], min_task: float | None, min_unit: float | None, min_path: float | None
) -> list[str]:
    failures = []
    for s in totals:
        label = f"{s.name} {s.fmt}".strip()
        for value, minimum, what in (
            (s.task_f1, min_task, "task F1"),
            (s.unit_f1, min_unit, "unit F1"),
            (s.path_accuracy, min_path, "path accuracy"),
        ):
            if minimum is not None and value < minimum:
                failures.append(f"{label}: {what} {value:.3f} < {minimum}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="fixture ids (default: all labelled)")
    parser.add_argument("--formats", default="txt," + ",".join(build_fixtures.FORMATS))
    parser.add_argument(
        "--seeds-dir", type=Path, default=Path(os.environ.get("GONGKAI_SEEDS", DEFAULT_SEEDS))
    )
    parser.add_argument(
        "--import",
        dest="use_import",
        action="store_true",
        help="call gongkai.tasklist.parse.parse_file instead of the CLI",
    )
    parser.add_argument(
        "--command",
        help="the parser's command line, {file} standing for the document "
        "(default: python -m gongkai parse {file} --format json)",
    )
    parser.add_argument("--keep", type=Path, help="build the documents here and keep them")
    parser.add_argument("--details", action="store_true", help="list the misses of each document")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--min-task-f1", type=float)
    parser.add_argument("--min-unit-f1", type=float)
    parser.add_argument("--min-path", type=float)
    args = parser.parse_args(argv)

    ids = args.ids or build_fixtures.fixture_ids()
    formats = [f for f in args.formats.split(",") if f]
    out = sys.stdout.write
    with contextlib.ExitStack() as stack:
        if args.keep:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="score-parse-")))
        docs, notes = collect_documents(ids, formats, args.seeds_dir, work)
        scores: list[Score] = []
        for doc in docs:
            expected = build_fixtures.load_expected(doc.fixture_id)
            meta = META if doc.fmt == "txt" else build_fixtures.META_FIELDS[doc.fmt]
            predicted: dict[str, Any] | None = None
            error = None
            try:
                if args.use_import:
                    predicted = run_import(doc.path)
                else:
                    predicted = run_subprocess(args.command, doc.path)
            except ParserUnavailable as exc:
                sys.stderr.write(f"score_parse: the parser cannot run, nothing measured: {exc}\n")
                return 2
            except Exception as exc:  # the parser's failure on one document is a score of 0
                error = (
                    f"{type(exc).__name__}: {exc}"
                    if not isinstance(exc, RuntimeError)
                    else str(exc)
                )
            score = score_document(expected, predicted, doc.fixture_id, doc.fmt, meta)
            if error:
                score.errors.append(error)
            scores.append(score)

    if scores and all(s.errors for s in scores):
        sys.stderr.write(
            f"score_parse: the parser failed on every document, e.g. {scores[0].errors[0]}\n"
        )
        return 2
    by_format = [
        aggregate([s for s in scores if s.fmt == fmt], "ALL", fmt)
        for fmt in formats
        if any(s.fmt == fmt for s in scores)
    ]
    overall = aggregate(scores, "ALL", "all")
    failures = gate([*by_format, overall], args.min_task_f1, args.min_unit_f1, args.min_path)
    if args.json:
        out(
            json.dumps(
                {
                    "parser": "import"
                    if args.use_import
                    else (args.command or "python -m gongkai parse"),
                    "documents": [s.metrics() for s in scores],
                    "formats": [s.metrics() for s in by_format],
                    "overall": overall.metrics(),
                    "notes": notes,
                    "gate_failures": failures,
                    "passed": not failures,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        out(render_table(scores, by_format, overall) + "\n")
        out(
            "metadata (title, issuer, issued, doc_number where carried): "
            f"{overall.meta_accuracy:.3f}\n"
        )
        for s in scores:
            for e in s.errors:
                out(f"error  {s.name}.{s.fmt}: {e}\n")
        for note in notes:
            out(f"note   {note}\n")
        if args.details:
            for s in scores:
                if s.details:
                    out(f"\n{s.name}.{s.fmt}\n")
                    out("".join(f"  {d}\n" for d in s.details))
        for f in failures:
            out(f"BELOW  {f}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
