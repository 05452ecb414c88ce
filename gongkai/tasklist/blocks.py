"""What a reader produces: the document as paragraphs and tables, in reading order.

Tables are full grids: every row has the same number of cells. A position covered by a merged
cell holds a Cell with `continued=True` and the merged cell's text (so vertical merges read as
"same as above" and horizontal ones as "same as left"); the top-left position of the merge has
`continued=False`. Readers of text layouts, where an empty cell may stand for a merged one,
leave it empty with `continued=False`: the interpreter decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    text: str
    continued: bool = False  # covered by a merge from above or from the left


@dataclass
class Table:
    rows: list[list[Cell]]
    line: int | None = None  # 1-based line (text formats) or paragraph/row index where it starts
    # The line of each row, when rows are not consecutive from `line` (an xlsx row number after
    # empty rows were dropped, a pdf table joined across pages). None: row i is at line + i.
    row_lines: list[int] | None = None

    def row_line(self, index: int) -> int | None:
        if self.row_lines is not None and index < len(self.row_lines):
            return self.row_lines[index]
        return None if self.line is None else self.line + index

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Paragraph:
    text: str
    line: int | None = None
    heading_level: int | None = None  # from the document's styles (Heading 1 → 1), when known


Block = Paragraph | Table


@dataclass
class RawDocument:
    """A reader's output. `title` etc. come from file properties when the format has them."""

    source: str
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None


class ParseError(Exception):
    """The file cannot be read: missing, empty, encrypted, corrupt, unsupported, too large.

    The message is one line in Chinese (with an English gloss), shown to the user as is.
    """
