"""Excel .xlsx: each visible sheet as one table, merged ranges as continued cells.

- Hidden sheets are skipped with a warning: they hold drop-down lists and scratch data, not
  the task list people see.
- Values read as displayed, near enough: integers without ".0", percentages, dates in the
  Chinese form when the cell's format is Chinese (2023年6月30日), else ISO.
- Rows and columns with no value of their own are dropped; each row keeps its Excel row number
  as its line (Table.row_lines).
- Rows above the table with a single value (附件1, the title spanning the columns) become
  paragraphs, and so do such rows below it (notes); a workbook of several sheets gets each
  sheet's name as a heading unless it is a default name (Sheet1, 工作表1).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from bisect import bisect_left, bisect_right
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.tasklist.blocks import Block, Cell, Paragraph, RawDocument
from gongkai.tasklist.readers import errors
from gongkai.tasklist.readers.grid import make_table
from gongkai.tasklist.readers.limits import CellBudget, Limits, check_zip, sniff_ooxml

NAME = "xlsx"

_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.IGNORECASE)
_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")


def sniff(head: bytes, suffix: str) -> int:
    return sniff_ooxml(head, suffix, b"xl/", b"xl/workbook.xml", (".xlsx", ".xlsm", ".xltx"))


def read(path: Path, limits: Limits) -> RawDocument:
    check_zip(path, limits)
    try:
        with warnings.catch_warnings():  # "extension not supported" and the like: not ours to show
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl and zipfile raise many kinds on a broken workbook
        raise errors.corrupt(exc) from exc
    budget = CellBudget(limits)
    blocks: list[Block] = []
    notes: list[str] = []
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            notes.append(f"已跳过隐藏的工作表：{ws.title} (hidden sheet skipped)")
    for ws in visible:
        if len(visible) > 1 and not _DEFAULT_SHEET.match(ws.title.strip()):
            blocks.append(Paragraph(ws.title.strip(), line=None, heading_level=1))
        blocks.extend(_sheet(ws, budget))
    title = (workbook.properties.title or "").strip() or None
    return RawDocument(source=path.name, blocks=blocks, warnings=notes, title=title)


def _sheet(ws: Worksheet, budget: CellBudget) -> list[Block]:
    values: dict[tuple[int, int], str] = {}
    # Only the cells the file holds: iterating ws.iter_rows() would walk the whole used range,
    # a million rows when one far cell carries a style.
    for (r, c), cell in ws._cells.items():
        text = display(cell.value, cell.number_format)
        if text:
            values[(r, c)] = text
    if not values:
        return []
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    budget.take(len(rows) * len(cols))
    row_at = {r: i for i, r in enumerate(rows)}
    col_at = {c: i for i, c in enumerate(cols)}
    grid = [[Cell("") for _ in cols] for _ in rows]
    for (r, c), text in values.items():
        grid[row_at[r]][col_at[c]] = Cell(text)
    for merged in ws.merged_cells.ranges:
        text = values.get((merged.min_row, merged.min_col), "")
        for r in rows[bisect_left(rows, merged.min_row) : bisect_right(rows, merged.max_row)]:
            for c in cols[bisect_left(cols, merged.min_col) : bisect_right(cols, merged.max_col)]:
                if (r, c) != (merged.min_row, merged.min_col):
                    grid[row_at[r]][col_at[c]] = Cell(text, continued=True)
    return _split_margins(grid, rows)


def _split_margins(grid: list[list[Cell]], lines: list[int]) -> list[Block]:
    """Single-value rows above and below the table as paragraphs, the rest as the table."""

    def single(row: list[Cell]) -> str | None:
        # One value, merged across the row at most: a cell merged down from above (the path
        # of the last task) carries another text and keeps the row in the table.
        own = [c.text for c in row if c.text and not c.continued]
        return own[0] if len(own) == 1 and {c.text for c in row if c.text} == {own[0]} else None

    start, end = 0, len(grid)
    while start < end and single(grid[start]) is not None:
        start += 1
    while end > start and single(grid[end - 1]) is not None:
        end -= 1
    if start == end:  # no row has two values: a list, not a table
        start, end = len(grid), len(grid)
    blocks: list[Block] = [Paragraph(single(grid[i]) or "", line=lines[i]) for i in range(start)]
    table = make_table(grid[start:end], lines[start:end])
    if table is not None:
        blocks.append(table)
    blocks.extend(Paragraph(single(grid[i]) or "", line=lines[i]) for i in range(end, len(grid)))
    return blocks


def display(value: object, number_format: str) -> str:
    """A cell value as Excel would show it, near enough for reading a task list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, number_format)
    if isinstance(value, int | float):
        if "%" in number_format:
            match = _PERCENT_DECIMALS.search(number_format)
            return f"{value * 100:.{len(match.group(1)) if match else 0}f}%"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}" if isinstance(value, float) else str(value)
    return str(value).strip()


def _date(value: dt.datetime | dt.date | dt.time, number_format: str) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if value.second == 0 else value.isoformat()
    chinese = "年" in number_format or "月" in number_format
    has_time = isinstance(value, dt.datetime) and value.time() != dt.time(0)
    if chinese:
        if "年" in number_format:
            text = f"{value.year}年{value.month}月{value.day}日"
        else:
            text = f"{value.month}月{value.day}日"
    else:
        text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if has_time and isinstance(value, dt.datetime):
        text += " " + value.strftime("%H:%M")
    return text
