"""The ledger (台账) of a plan as .xlsx, in the layout of the task lists themselves.

Columns: 工作任务 (one column per category level, merged vertically over the rows of the
category, as the seed lists print them), 具体要求, 牵头单位, 责任单位, 时限, 进展情况, 佐证材料,
完成状态, 得分.

One row per assignment (task × responsible unit): progress, evidence and score belong to a
unit, so that is the row a 公开办 clerk ticks off. In the one-sheet ledger a task's rows sit
together (lead units first) with 具体要求 and 牵头单位 merged over them, so it still reads
like the list; a unit's checkpoints are lines inside its row (时限: the task's deadline
words, then each checkpoint's date; 进展情况: the latest report of each checkpoint).
With `per_unit` every unit gets its own sheet, one row per task.

Speed: openpyxl's write-only mode streams rows to disk. It has no merge_cells(), but it
writes whatever is in `ws.merged_cells` at the end, so merges are added as each group of rows
closes; merged-over cells are written empty but styled, so borders print. Reading is a fixed
number of queries (tasks, leads, units, evidence, scores, then one streamed query over the
checkpoints), never one per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from copy import copy
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from gongkai.plans.models import Plan, TaskStatus
from gongkai.plans.rules import summaries
from gongkai.units.models import Unit
from gongkai.work.models import (
    Assignment,
    Checkpoint,
    Evidence,
    EvidenceKind,
    LinkState,
    Progress,
    QuarterCheck,
    Result,
    Review,
    Score,
)
from gongkai.work.scoring import UnitResult

#: Columns after the category levels: (header, width).
COLUMNS = [
    ("具体要求", 48),
    ("牵头单位", 14),
    ("责任单位", 14),
    ("时限", 24),
    ("进展情况", 44),
    ("佐证材料", 44),
    ("完成状态", 20),
    ("得分", 8),
]
CATEGORY_WIDTH = 12
MAX_CELL = 32_000  # Excel refuses more than 32,767 characters in a cell
_CHUNK = 5000
_SLOT = 987654321
_PROGRESS = dict(Progress.choices)
_REVIEW = dict(Review.choices)
_FLAGGED = {
    LinkState.DEAD: "［无法访问］",
    LinkState.CHANGED: "［内容已变化］",
    LinkState.REFUSED: "［地址不允许访问］",
}


#: How often build_ledger reports its progress, in rows.
PROGRESS_EVERY = 5000


def expected_rows(plan: Plan, unit_ids: set[int] | None) -> int:
    """How many rows build_ledger will write: the active assignments of active tasks."""
    qs = Assignment.objects.filter(task__plan=plan, active=True, task__status=TaskStatus.ACTIVE)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.count()


def evidence_path(pk: int) -> str:
    """Where an evidence file is served (the evidence view checks who may download it)."""
    return reverse("work:evidence", args=[pk])


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "台账"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


# -- what goes in the cells -------------------------------------------------------------------


@dataclass
class TaskInfo:
    path: list[str]
    requirement: str
    deadline: str
    leads: list[str] = field(default_factory=list)


@dataclass
class Line:
    """One checkpoint of the row's assignment."""

    pk: int
    label: str
    due: dt.date
    status: str
    review: str
    finished_on: dt.date | None
    report_id: int | None
    text: str


@dataclass
class Row:
    task_id: int
    unit_id: int
    lines: list[Line]


class Sources:
    """Everything the ledger needs besides the checkpoints, read once (bounded queries)."""

    def __init__(
        self,
        plan: Plan,
        unit_ids: set[int] | None,
        check: QuarterCheck | None,
        base_url: str,
    ) -> None:
        self.plan, self.unit_ids, self.check, self.base_url = plan, unit_ids, check, base_url
        self.tasks: dict[int, TaskInfo] = {}
        for pk, path, requirement, deadline, rules in (
            plan.tasks.filter(status=TaskStatus.ACTIVE)
            .order_by("order", "pk")
            .values_list("pk", "path", "requirement", "deadline", "time_rules")
        ):
            words = deadline or "；".join(summaries(rules if isinstance(rules, list) else []))
            self.tasks[pk] = TaskInfo([str(p) for p in path or []], requirement, words)
        leads = (
            Assignment.objects.filter(task__plan=plan, active=True, is_lead=True)
            .order_by("unit__name")
            .values_list("task_id", "unit__name")
        )
        for task_id, name in leads:
            if task_id in self.tasks:
                self.tasks[task_id].leads.append(name)
        units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=unit_ids)
        self.units: dict[int, str] = dict(units.values_list("pk", "name"))
        self.depth = max((len(t.path) for t in self.tasks.values()), default=1) or 1
        self.evidence = self._evidence()
        self.scores: dict[int, str] = {}
        self.points: dict[str, Any] = {}
        if check is not None:
            scores = Score.objects.filter(quarter_check=check)
            if unit_ids is not None:
                scores = scores.filter(checkpoint__unit_id__in=unit_ids)
            self.scores = dict(scores.values_list("checkpoint_id", "result").iterator(_CHUNK))
            points = check.rubric.points
            self.points = points if isinstance(points, dict) else {}

    def _evidence(self) -> dict[int, list[str]]:
        """Links of each checkpoint's latest report, by report id: URLs with their check
        flag, files as "name：download path"."""
        rows = Evidence.objects.filter(
            report__checkpoint__plan_id=self.plan.pk,
            report__checkpoint__latest_report_id=F("report_id"),
        )
        if self.unit_ids is not None:
            rows = rows.filter(report__checkpoint__unit_id__in=self.unit_ids)
        values = rows.order_by("report_id", "pk").values_list(
            "pk", "report_id", "kind", "url", "filename", "link_state"
        )
        # reverse once, then fill in each id (a million reverse() calls would cost seconds)
        pattern = self.base_url.rstrip("/") + evidence_path(_SLOT)
        out: dict[int, list[str]] = defaultdict(list)
        for pk, report_id, kind, url, filename, state in values.iterator(_CHUNK):
            if kind == EvidenceKind.FILE:
                out[report_id].append(f"{filename}：{pattern.replace(str(_SLOT), str(pk))}")
            else:
                out[report_id].append(url + _FLAGGED.get(LinkState(state), "") if state else url)
        return out

    def links(self, report_id: int | None) -> list[str]:
        return self.evidence.get(report_id or 0, [])

    def row_score(self, lines: list[Line]) -> float | str | None:
        """The row's score in the chosen check: its checkpoints' average points (one task,
        one category, one weight), 不适用 if all were not applicable."""
        results = [self.scores[ln.pk] for ln in lines if ln.pk in self.scores]
        if not results:
            return None
        counted = [r for r in results if r != Result.NOT_APPLICABLE]
        if not counted:
            return Result.NOT_APPLICABLE.label
        total = sum((Decimal(str(self.points.get(r, 0))) for r in counted), Decimal(0))
        return float((total / len(counted)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _lines(source: Sources, row: Row, today: dt.date) -> list[Any]:
    """The cell values after the category columns."""
    task = source.tasks[row.task_id]
    many = len(row.lines) > 1
    due = [f"{ln.label}：{ln.due:%Y-%m-%d}" for ln in row.lines]
    timing = "\n".join([task.deadline, *due] if task.deadline else due)
    progress, links, states = [], [], []
    for ln in row.lines:
        if ln.text:
            progress.append(f"【{ln.label}】{ln.text}" if many else ln.text)
        links.extend(source.links(ln.report_id))
        state = _PROGRESS.get(ln.status, ln.status)
        if ln.review not in (Review.NONE, ""):
            state += f"（{_REVIEW.get(ln.review, ln.review)}）"
        if ln.finished_on is None and ln.due < today:
            state += "，逾期"
        states.append(f"{ln.label}：{state}" if many else state)
    return [
        task.requirement,
        "、".join(task.leads),
        source.units.get(row.unit_id, ""),
        timing,
        "\n".join(progress)[:MAX_CELL],
        "\n".join(links)[:MAX_CELL],
        "\n".join(states),
        source.row_score(row.lines),
    ]


def _rows(source: Sources, *, by_unit: bool) -> Iterator[Row]:
    """One streamed query; consecutive checkpoints of one assignment make a row."""
    qs = Checkpoint.objects.live().filter(
        plan_id=source.plan.pk,
        assignment__active=True,
        task__status=TaskStatus.ACTIVE,
    )
    if source.unit_ids is not None:
        qs = qs.filter(unit_id__in=source.unit_ids)
    if by_unit:
        order = ["unit__name", "unit_id", "task__order", "task_id", "due", "pk"]
    else:
        order = ["task__order", "task_id", "-assignment__is_lead", "unit__name", "unit_id"]
        order += ["due", "pk"]
    values = qs.order_by(*order).values_list(
        "assignment_id",
        "task_id",
        "unit_id",
        "pk",
        "label",
        "due",
        "status",
        "review",
        "finished_on",
        "latest_report_id",
        "latest_report__text",
    )
    current: Row | None = None
    current_assignment = None
    for (
        assignment_id,
        task_id,
        unit_id,
        pk,
        label,
        due,
        status,
        review,
        finished,
        rid,
        text,
    ) in values.iterator(_CHUNK):
        if task_id not in source.tasks:
            continue
        if assignment_id != current_assignment:
            if current is not None:
                yield current
            current, current_assignment = Row(task_id, unit_id, []), assignment_id
        assert current is not None
        current.lines.append(
            Line(pk, label, due, status, review, finished, rid, (text or "").strip())
        )
    if current is not None:
        yield current


# -- writing ----------------------------------------------------------------------------------


class _Styles:
    """Prototype cells whose style arrays are copied onto every written cell (fast)."""

    def __init__(self, ws: Any) -> None:
        thin = Side(style="thin", color="808080")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)

        def proto(**style: Any) -> Any:
            cell: Any = WriteOnlyCell(ws)
            for name, value in style.items():
                setattr(cell, name, value)
            return copy(cell._style)

        self.title = proto(
            font=Font(name="宋体", size=16, bold=True),
            alignment=Alignment(horizontal="center", vertical="center"),
        )
        self.note = proto(font=Font(name="宋体", size=10), alignment=Alignment(horizontal="left"))
        self.header = proto(
            font=Font(name="黑体", size=11, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=box,
            fill=PatternFill("solid", fgColor="E7EEF7"),
        )
        self.body = proto(
            font=Font(name="宋体", size=10),
            alignment=Alignment(vertical="top", wrap_text=True),
            border=box,
        )
        self.center = proto(
            font=Font(name="宋体", size=10),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=box,
        )

    def cell(self, ws: Any, value: Any, style: Any) -> Any:
        cell: Any = WriteOnlyCell(ws, value)
        cell._style = copy(style)
        return cell


class _Sheet:
    """One worksheet being streamed: title, header, rows, and the merges as groups close."""

    def __init__(
        self, wb: Workbook, styles: _Styles | None, title: str, heading: str, depth: int
    ) -> None:
        # Any: openpyxl's stubs miss what Worksheet._setup() gives write-only sheets
        # (column_dimensions, page_setup, merged_cells...), though they are there and used.
        ws: Any = wb.create_sheet(title)
        self.ws: Any = ws
        self.depth = depth
        self.styles = styles or _Styles(ws)
        self.width = depth + len(COLUMNS)
        for i in range(depth):
            ws.column_dimensions[get_column_letter(i + 1)].width = CATEGORY_WIDTH
        for i, (_, width) in enumerate(COLUMNS, start=depth + 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A3"
        ws.print_title_rows = "1:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        s = self.styles
        ws.append([s.cell(ws, heading, s.title)])
        self._merge(1, 1, 1, self.width)
        header = [s.cell(ws, "工作任务", s.header)]
        header += [s.cell(ws, None, s.header) for _ in range(depth - 1)]
        header += [s.cell(ws, name, s.header) for name, _ in COLUMNS]
        ws.append(header)
        if depth > 1:
            self._merge(2, 1, 2, depth)
        self.row = 2
        # One styled cell per column, reused for every row: the write-only sheet writes a
        # row's cells as soon as it is appended, so only values change (a third faster
        # than new cells).
        center = (*range(depth), depth + 1, depth + 2, depth + 7)
        self.cells = [
            s.cell(ws, None, s.center if col in center else s.body) for col in range(self.width)
        ]
        # open groups: per category level (key, first row); the task (id, first row)
        self.levels: list[tuple[tuple[str, ...], int] | None] = [None] * depth
        self.task: tuple[int, int] | None = None

    def _merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if r2 > r1 or c2 > c1:
            self.ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))

    def _close_levels(self, start: int) -> None:
        for level in range(start, self.depth):
            group = self.levels[level]
            if group is not None:
                self._merge(group[1], level + 1, self.row, level + 1)
            self.levels[level] = None

    def _close_task(self) -> None:
        if self.task is not None:
            for col in (self.depth + 1, self.depth + 2):  # 具体要求, 牵头单位
                self._merge(self.task[1], col, self.row, col)
        self.task = None

    def add(self, task_id: int, path: list[str], values: list[Any]) -> None:
        nrow = self.row + 1
        row: list[Any] = []
        # a category cell continues the group above while the path up to its level is equal
        changed = self.depth
        for level in range(self.depth):
            key = tuple(path[: level + 1]) if level < len(path) else None
            group = self.levels[level]
            if group is None or key is None or group[0] != key:
                changed = level
                break
        self._close_levels(changed)
        for level in range(self.depth):
            if changed <= level < len(path):
                self.levels[level] = (tuple(path[: level + 1]), nrow)
                row.append(path[level])
            else:
                row.append(None)
        same_task = self.task is not None and self.task[0] == task_id
        if not same_task:
            self._close_task()
            self.task = (task_id, nrow)
        row.extend(values)
        if same_task:  # 具体要求 and 牵头单位 are merged over the task's rows
            row[self.depth] = row[self.depth + 1] = None
        for cell, value in zip(self.cells, row, strict=True):
            _put(cell, value)
        self.ws.append(self.cells)
        self.row = nrow

    def finish(self) -> None:
        self._close_levels(0)
        self._close_task()


def _put(cell: Any, value: Any) -> None:
    """Set a reused cell's value as Cell.value would, without its per-call checks."""
    if value is None or isinstance(value, str):
        cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL] if value else None
        cell.data_type = "s" if value else "n"
    else:
        cell._value, cell.data_type = value, "n"


def _heading(plan: Plan, unit: str, check: QuarterCheck | None) -> str:
    words = f"{plan.year}年{plan.name}工作台账"
    if unit:
        words += f"（{unit}）"
    if check is not None:
        words += f"（得分：{check.year}年第{check.quarter}季度检查）"
    return words


def build_ledger(
    plan: Plan,
    *,
    out: IO[bytes],
    unit_ids: set[int] | None = None,
    per_unit: bool = False,
    check: QuarterCheck | None = None,
    base_url: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the ledger of `plan` as .xlsx to `out`; returns the number of rows written.

    unit_ids: the units to include (None: all). per_unit: one sheet per unit, else one
    sheet for all. check: fill 得分 from this quarter check. base_url ("https://host"):
    prefix of the evidence download paths, which are site-relative without it. progress:
    called with the number of rows written so far, every PROGRESS_EVERY rows.
    """
    source = Sources(plan, unit_ids, check, base_url)
    today = timezone.localdate()
    results: dict[int, UnitResult] = {}
    if check is not None and per_unit:
        from gongkai.work.scoring import results_of

        results = {r.unit_id: r for r in results_of(check)}
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    styles: _Styles | None = None
    sheet: _Sheet | None = None
    sheet_unit: int | None = None
    count = 0
    for row in _rows(source, by_unit=per_unit):
        if sheet is None or (per_unit and row.unit_id != sheet_unit):
            if sheet is not None:
                sheet.finish()
            name = source.units.get(row.unit_id, "") if per_unit else ""
            if unit_ids is not None and len(unit_ids) == 1:
                name = source.units.get(next(iter(unit_ids)), "")
            heading = _heading(plan, name, check)
            if row.unit_id in results and per_unit:
                r = results[row.unit_id]
                heading += f" 单位得分：{r.score if r.score is not None else '—'}"
                heading += f"，第{r.rank}名" if r.rank else ""
            title = sheet_title(
                source.units.get(row.unit_id, "台账") if per_unit else "台账", taken
            )
            sheet = _Sheet(wb, styles, title, heading, source.depth)
            styles, sheet_unit = sheet.styles, row.unit_id
        task = source.tasks[row.task_id]
        sheet.add(row.task_id, task.path, _lines(source, row, today))
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if sheet is None:  # nothing to list: an empty ledger with its header
        sheet = _Sheet(wb, styles, "台账", _heading(plan, "", check), source.depth)
    sheet.finish()
    wb.save(out)
    return count


def build_results(check: QuarterCheck, results: list[UnitResult], out: IO[bytes]) -> None:
    """The quarter check's ranking as .xlsx (small: one row per unit, normal mode)."""
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "检查结果"
    headers = ["排名", "单位", "得分", "完成", "部分完成", "未完成", "不适用", "未评分"]
    state = "" if check.is_published else "（未发布，结果为当前评分情况）"
    ws.append(
        [f"{check.plan.year}年{check.plan.name} {check.year}年第{check.quarter}季度检查结果{state}"]
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for r in results:
        c = r.counts
        ws.append(
            [
                r.rank,
                r.unit,
                r.score,
                c.get(Result.DONE, 0),
                c.get(Result.PARTLY, 0),
                c.get(Result.NOT_DONE, 0),
                c.get(Result.NOT_APPLICABLE, 0),
                c.get("unscored", 0),
            ]
        )
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(headers)):
        for cell in row:
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if cell.row == 2:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (8, 30, 10, 8, 10, 8, 8, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    wb.save(out)
