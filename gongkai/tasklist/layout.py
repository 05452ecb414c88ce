"""Tables written as text, put back on a grid.

A text rendering of a Word table loses its merges, in one of two ways:

- EXPLICIT (cells separated by tabs or blank lines, seeds 000 and 004): every cell is there,
  a vertically merged one as an empty cell; a row with fewer cells than the widest has a
  horizontally merged cell. The columns after the requirement are aligned on the right, the
  category cells before it on the left, and the last category cell spans what is missing —
  the way such tables are drawn (工作任务 over three category columns; 依申请公开 with two).
- OMITTED (cells separated by `|`, seed 002): a merged cell is simply not there. Which cell is
  the requirement is read from the cells' words (a sentence, not a units list, not a short
  label); the cells after it fill the units and deadline columns that fit them best; the
  category cells before it are the deepest levels (higher levels being merged from above),
  except right after a header row, where nothing can be merged from above, and for a text
  already seen as a top-level category, which starts a new branch.

Either way the result is a full grid whose empty cells stand for "same as above or nothing":
the interpreter decides which (blocks.py). A row's line is its requirement cell's line.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from gongkai.tasklist import cells as signals
from gongkai.tasklist.blocks import Cell, Table
from gongkai.tasklist.headers import (
    Columns,
    Role,
    classify,
    column_roles,
    header_key,
    is_header_row,
)
from gongkai.tasklist.noise import squeeze

HEADER_SEARCH_ROWS = 6


class Merges(enum.Enum):
    EXPLICIT = "explicit"
    OMITTED = "omitted"


@dataclass
class TextRow:
    cells: list[str]
    lines: list[int] = field(default_factory=list)  # the source line of each cell


@dataclass
class _Placed:
    cells: dict[int, Cell]
    line: int | None


def build_table(rows: list[TextRow], merges: Merges) -> Table:
    """A full grid from text rows of uneven length."""
    rows = [r for r in rows if any(c.strip() for c in r.cells)]
    if not rows:
        return Table(rows=[])
    width = max(len(r.cells) for r in rows)
    header_at = next(
        (i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_header_row(r.cells)), None
    )
    if header_at is None:
        return _table([_right_aligned(r, width) for r in rows], width)
    header = rows[header_at]
    data_width = max((len(r.cells) for r in rows if not _same_header(r, header)), default=1)
    width = max(data_width, len(header.cells))
    header_cells = _header_cells(header.cells, width)
    columns = column_roles([[(c.text, c.continued) for c in header_cells]])
    placer = _Placer(columns, width, merges)
    kinds = [_kind(i, row, header_at, header) for i, row in enumerate(rows)]
    if merges == Merges.OMITTED:  # learn the top-level categories from rows that show them
        for row, after_header in _data_rows(rows, kinds):
            placer.learn(row, after_header)
    data = {id(row): after for row, after in _data_rows(rows, kinds)}
    placed: list[_Placed] = []
    for row, kind in zip(rows, kinds, strict=True):
        if kind == "header":
            placed.append(_Placed(dict(enumerate(header_cells)), _first_line(row)))
        elif kind == "title":
            placed.append(_left_spanning(row, width))
        else:
            placed.append(placer.place(row, data[id(row)]))
    return _table(placed, width)


def _kind(index: int, row: TextRow, header_at: int, header: TextRow) -> str:
    if index == header_at or (index > header_at and _same_header(row, header)):
        return "header"
    return "title" if index < header_at else "data"


def _data_rows(rows: list[TextRow], kinds: list[str]) -> list[tuple[TextRow, bool]]:
    """The data rows, each with whether it comes right after a header row."""
    out: list[tuple[TextRow, bool]] = []
    previous = ""
    for row, kind in zip(rows, kinds, strict=True):
        if kind == "data":
            out.append((row, previous == "header"))
        previous = kind
    return out


def _table(placed: list[_Placed], width: int) -> Table:
    grid = [[p.cells.get(col, Cell("")) for col in range(width)] for p in placed]
    lines = [p.line for p in placed]
    first = next((line for line in lines if line is not None), None)
    known = [line if line is not None else (first or 0) for line in lines]
    return Table(rows=grid, line=first, row_lines=known if first is not None else None)


def _same_header(row: TextRow, header: TextRow) -> bool:
    """A header repeated on a later page: the same words, spaces and script aside."""
    ours = [c for c in row.cells if c.strip()]
    theirs = [c for c in header.cells if c.strip()]
    if not ours or len(ours) != len(theirs) or any(len(c) > 40 for c in ours):
        return False
    return [header_key(c) for c in ours] == [header_key(c) for c in theirs]


def _header_cells(texts: list[str], width: int) -> list[Cell]:
    """The header on `width` columns: the category (or requirement) cell spans what is missing."""
    missing = width - len(texts)
    if missing <= 0:
        return [Cell(t.strip()) for t in texts]
    roles = [classify(t) for t in texts]
    spanning = next((i for i, r in enumerate(roles) if r in (Role.TASK, Role.PATH)), None)
    if spanning is None:
        spanning = next((i for i, r in enumerate(roles) if r == Role.REQUIREMENT), 0)
    out: list[Cell] = []
    for i, text in enumerate(texts):
        out.append(Cell(text.strip()))
        if i == spanning:
            out.extend(Cell(text.strip(), continued=True) for _ in range(missing))
    return out


def _first_line(row: TextRow) -> int | None:
    return row.lines[0] if row.lines else None


def _line_of(row: TextRow, index: int) -> int | None:
    return row.lines[index] if index < len(row.lines) else _first_line(row)


def _right_aligned(row: TextRow, width: int) -> _Placed:
    offset = width - len(row.cells)
    cells = {offset + i: Cell(text.strip()) for i, text in enumerate(row.cells)}
    return _Placed(cells, _first_line(row))


def _left_spanning(row: TextRow, width: int) -> _Placed:
    """Cells from the left, the last spanning to the end (a title or section row)."""
    cells = {i: Cell(text.strip()) for i, text in enumerate(row.cells)}
    last = row.cells[-1].strip() if row.cells else ""
    for col in range(len(row.cells), width):
        cells[col] = Cell(last, continued=True)
    return _Placed(cells, _first_line(row))


class _Placer:
    """Places data rows under a known header."""

    def __init__(self, columns: Columns, width: int, merges: Merges) -> None:
        self.columns = columns
        self.width = width
        self.merges = merges
        req = columns.requirement
        self.req = req if req is not None else width - 1
        self.front = list(range(self.req))
        self.tail = list(range(self.req + 1, width))
        serial = columns.indices(Role.SERIAL)
        self.serial = self.front[0] if self.front and self.front[0] in serial else None
        self.path = [c for c in self.front if c != self.serial]
        self.top_level: set[str] = set()  # texts seen in the first category column
        self.last_start = self.path[-1] if self.path else None

    def learn(self, row: TextRow, after_header: bool) -> None:
        """Note the top-level category of a row that shows every level, or follows a header."""
        texts = [t.strip() for t in row.cells]
        r, _ = self._choose(texts)
        front = texts[:r]
        if self.serial is not None and front and signals.is_serial(front[0]):
            front = front[1:]
        if front and front[0] and (after_header or len(front) == len(self.path)):
            self.top_level.add(squeeze(front[0]))

    def place(self, row: TextRow, after_header: bool) -> _Placed:
        texts = [t.strip() for t in row.cells]
        if self.merges == Merges.EXPLICIT:
            r = len(texts) - 1 - len(self.tail)
            if r < 0:
                return _left_spanning(row, self.width)
            tail_cols = self.tail
        else:
            r, tail_cols = self._choose(texts)
        cells: dict[int, Cell] = {self.req: Cell(texts[r])}
        for col, text in zip(tail_cols, texts[r + 1 :], strict=False):
            cells[col] = Cell(text)
        cells.update(self._front(texts[:r], after_header))
        return _Placed(cells, _line_of(row, r))

    # -- the cells before the requirement ----------------------------------------------------

    def _front(self, front: list[str], after_header: bool) -> dict[int, Cell]:
        cells: dict[int, Cell] = {}
        if self.serial is not None and front and (signals.is_serial(front[0]) or not front[0]):
            cells[self.serial] = Cell(front[0])
            front = front[1:]
        path = self.path
        if not front or not path:
            return cells
        front = front[-len(path) :]
        k = len(front)
        top = after_header or squeeze(front[0]) in self.top_level
        if k == len(path) or self.merges == Merges.EXPLICIT or top:
            start = path[0]
        else:  # deeper levels; the higher ones are merged from above
            anchor = self.last_start if self.last_start is not None else path[-1]
            start = max(path[0], anchor - k + 1)
        for i, text in enumerate(front):
            cells[start + i] = Cell(text)
        last_col = start + k - 1
        for col in range(last_col + 1, path[-1] + 1):  # the last category cell spans the rest
            cells[col] = Cell(front[-1], continued=True)
        if start == path[0] and front[0]:
            self.top_level.add(squeeze(front[0]))
        self.last_start = last_col
        return cells

    # -- which cell is the requirement (OMITTED) ---------------------------------------------

    def _choose(self, texts: list[str]) -> tuple[int, list[int]]:
        best: tuple[float, int, list[int]] | None = None
        for r in range(len(texts)):
            k, t = r, len(texts) - 1 - r
            if k > len(self.front) or t > len(self.tail):
                continue
            tail_score, tail_cols = self._tail_fit(texts[r + 1 :])
            front_score = sum(
                1.0 if signals.is_serial(x) else signals.category_score(x) for x in texts[:r]
            )
            score = signals.requirement_score(texts[r]) + front_score + tail_score
            if best is None or score > best[0]:
                best = (score, r, tail_cols)
        if best is None:  # more cells than the header has columns: keep them in order
            r = min(len(self.front), len(texts) - 1)
            return r, self.tail
        return best[1], best[2]

    def _tail_fit(self, tail: list[str]) -> tuple[float, list[int]]:
        """The best run of tail columns for the cells after the requirement, and its score."""
        if not tail:
            return 0.0, []
        best: tuple[float, list[int]] | None = None
        for offset in range(len(self.tail) - len(tail) + 1):
            cols = self.tail[offset : offset + len(tail)]
            score = sum(self._fit(text, col) for text, col in zip(tail, cols, strict=True))
            if best is None or score > best[0]:
                best = (score, cols)
        return best if best is not None else (0.0, self.tail)

    def _fit(self, text: str, col: int) -> float:
        role = self.columns.roles[col]
        if role in (Role.LEAD, Role.RESPONSIBLE, Role.UNITS):
            return 2 * signals.unit_score(text)
        if role == Role.DEADLINE:
            return 2 * signals.deadline_score(text)
        return 0.0
