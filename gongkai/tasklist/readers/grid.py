"""Building full table grids from cells with spans, and tidying them.

Every reader of a structured format (docx, xlsx, pdf, html) ends up with cells that span rows
and columns. `GridBuilder` places them and fills the covered positions with continued cells;
`tidy` pads rows to one width and drops rows and columns that hold nothing of their own.
"""

from __future__ import annotations

from gongkai.tasklist.blocks import Cell, Table
from gongkai.tasklist.readers.limits import CellBudget

MAX_COLSPAN = 1000  # as browsers clip colspan (HTML: 1000)


class GridBuilder:
    """Places cells row by row; a spanning cell covers later positions with continued copies."""

    def __init__(self, budget: CellBudget) -> None:
        self.budget = budget
        self.rows: list[dict[int, Cell]] = []

    def new_row(self) -> int:
        self.rows.append({})
        return len(self.rows) - 1

    def next_free(self, row: int, col: int) -> int:
        """The first column at or after `col` not covered by a span from a row above."""
        taken = self.rows[row]
        while col in taken:
            col += 1
        return col

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """Put a cell at (row, col); rowspan may reach rows not yet made (they are made)."""
        colspan = max(1, min(colspan, MAX_COLSPAN))
        rowspan = max(1, rowspan)
        self.budget.take(rowspan * colspan)
        while len(self.rows) < row + rowspan:
            self.rows.append({})
        for dr in range(rowspan):
            for dc in range(colspan):
                covered = dr > 0 or dc > 0
                self.rows[row + dr].setdefault(col + dc, Cell(text, continued=covered))

    def continue_above(self, row: int, col: int, colspan: int = 1) -> None:
        """Mark (row, col…) as covered by the cell above (docx vMerge="continue")."""
        self.budget.take(colspan)
        for dc in range(max(1, min(colspan, MAX_COLSPAN))):
            above = self.rows[row - 1].get(col + dc) if row > 0 else None
            cell = Cell(above.text, continued=True) if above is not None else Cell("")
            self.rows[row].setdefault(col + dc, cell)

    def continue_left(self, row: int, col: int, colspan: int = 1) -> None:
        """Mark (row, col…) as covered by the cell to the left (docx hMerge="continue")."""
        self.budget.take(colspan)
        left = self.rows[row].get(col - 1)
        cell = Cell(left.text, continued=True) if left is not None else Cell("")
        for dc in range(max(1, min(colspan, MAX_COLSPAN))):
            self.rows[row].setdefault(col + dc, cell)

    def grid(self) -> list[list[Cell]]:
        width = max((max(r) + 1 for r in self.rows if r), default=0)
        return [[r.get(c, Cell("")) for c in range(width)] for r in self.rows]


def tidy(rows: list[list[Cell]], lines: list[int]) -> tuple[list[list[Cell]], list[int]]:
    """Pad rows to one width; drop rows and columns with no text of their own.

    A continued cell carries its merge's text but adds nothing, so a row made only of
    continued and empty cells goes, and so does such a column.
    """
    width = max((len(r) for r in rows), default=0)
    padded = [r + [Cell("")] * (width - len(r)) for r in rows]
    keep_rows = [i for i, r in enumerate(padded) if any(_own(c) for c in r)]
    keep_cols = [c for c in range(width) if any(_own(padded[i][c]) for i in keep_rows)]
    return (
        [[padded[i][c] for c in keep_cols] for i in keep_rows],
        [lines[i] for i in keep_rows],
    )


def _own(cell: Cell) -> bool:
    return not cell.continued and bool(cell.text.strip())


def make_table(rows: list[list[Cell]], lines: list[int]) -> Table | None:
    """A tidied Table, or None when nothing is left."""
    rows, lines = tidy(rows, lines)
    if not rows or not rows[0]:
        return None
    return Table(rows=rows, line=lines[0], row_lines=lines)


def flatten(rows: list[list[Cell]]) -> str:
    """A table as text for a cell that holds it: one line a row, cells joined by a space."""
    out = []
    for row in rows:
        line = " ".join(c.text.strip() for c in row if not c.continued and c.text.strip())
        if line:
            out.append(line)
    return "\n".join(out)
