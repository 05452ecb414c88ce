"""Task tables: a header row names the columns, each row below is a task (docs/tasklist.md).

- The header is found by its words (headers.py) in the first rows; rows above it are titles.
  A second header row (责任单位 over 牵头单位 | 配合单位) refines the first. A table without a
  header continues the previous one when it has as many columns (a table split across PDF
  pages), else its columns are guessed from their contents, or it is not a task table.
- The category path comes from the category columns left to right: a merged cell reads as the
  cell it continues; an empty one carries the value from the row above, unless a higher level
  changed in this row. A row holding only categories sets them for the rows below. A row with
  one short text across the table (一、主动公开) is a section heading above the columns' path.
- Units: an empty units cell (all of a row's units cells empty) takes the units of the row
  above within the same top-level category — but only in tables whose readers could not mark
  merged cells (text layouts); where merges are marked, empty means empty.
- A row with only a requirement that continues an unfinished sentence (no final 。；) is the
  rest of the task above, cut by a page break.
- Repeated header rows (a header on every page) are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.tasklist import cells as signals
from gongkai.tasklist.blocks import Cell, Table
from gongkai.tasklist.headers import (
    SUB_LABEL,
    Columns,
    Role,
    classify,
    column_roles,
    header_key,
    is_header_row,
)
from gongkai.tasklist.noise import squeeze, tidy
from gongkai.tasklist.numbering import Style, find_marker, strip_numbering
from gongkai.tasklist.unitphrases import split_units, take_trailing_units

HEADER_SEARCH_ROWS = 6
SECTION_MAX_CHARS = 40
MIN_HEADERLESS_ROWS = 3
_TERMINAL = "。；;！!？?…）)」』”"
_PLAIN_NOTE_LABELS = ("备注", "说明", "備註", "說明")
_TICKS = frozenset("√✓✔☑●■是Yy")
_REMARK_STARTS = ("备注", "说明", "注：", "注:", "備註", "說明", "填表说明")


@dataclass
class Draft:
    """A task being read; finished into a ParsedTask by the interpreter."""

    path: list[str]
    requirement: str
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    notes: list[str] = field(default_factory=list)
    line: int | None = None
    unit_note: str | None = None  # a units sentence, carried down with the units


@dataclass
class _State:
    """What carries from row to row (and from a table to its continuation on the next page)."""

    columns: Columns
    width: int
    header_keys: list[str]
    path: dict[int, str | None] = field(default_factory=dict)
    sections: list[tuple[float, str]] = field(default_factory=list)
    last: Draft | None = None


class TableReader:
    """Reads the tables of one document in order, keeping state across page-split tables."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self.state: _State | None = None
        self.headings: list[str] = []

    def read(self, table: Table, index: int, headings: list[str] | None = None) -> list[Draft]:
        """The table's tasks; `headings` are the document's headings right above the table (a
        table per category), None to keep those of the table before (the same table, split)."""
        if headings is not None:
            self.headings = headings
        grid = _grid(table)
        if not grid or not grid[0]:
            return []
        start = self._start(grid, table, index)
        if start is None:
            return []
        state = self.state
        assert state is not None
        # Readers of Word, Excel, HTML and PDF mark vertical merges; where none is marked (a
        # table written as text), an empty units cell may be merged with the one above.
        carry = not any(
            cell.continued and not _spans_from_left(row, c)
            for row in grid[start:]
            for c, cell in enumerate(row)
        )
        drafts: list[Draft] = []
        for r in range(start, len(grid)):
            draft = self._row(grid[r], table.row_line(r), carry, r + 1)
            if draft is not None:
                drafts.append(draft)
        return drafts

    # -- finding the columns -----------------------------------------------------------------

    def _start(self, grid: list[list[Cell]], table: Table, index: int) -> int | None:
        """The first data row, after setting up the columns; None for a table of no tasks."""
        texts = [[c.text for c in row] for row in grid]
        for r, row_texts in enumerate(texts[:HEADER_SEARCH_ROWS]):
            if is_header_row(row_texts):
                header = [grid[r]]
                if r + 1 < len(grid) and _is_sub_header(grid[r], grid[r + 1]):
                    header.append(grid[r + 1])
                named = column_roles([[(c.text, c.continued) for c in cells] for cells in header])
                columns = self._refine(named, grid[r + len(header) :])
                keys = [header_key(t) for t in row_texts]
                self.state = _State(columns, len(grid[0]), keys)
                return r + len(header)
        previous = self.state
        if previous is not None and previous.width == len(grid[0]):
            return 0  # the same table, continued on the next page
        guessed = _guess_columns(grid)
        if guessed is None:
            if sum(1 for row in texts if any(signals.is_sentence(t) for t in row)) >= 3:
                self.warnings.append(
                    f"第{index}个表格没有可识别的表头，未读取其中的任务 (table without a header)"
                )
            return None
        self.warnings.append(f"第{index}个表格没有表头，按内容推断各列 (columns guessed)")
        self.state = _State(guessed, len(grid[0]), [])
        return 0

    def _refine(self, columns: Columns, rows: list[list[Cell]]) -> Columns:
        """Columns whose header words are unknown get a role from their contents."""
        roles = list(columns.roles)
        req = columns.requirement or 0
        for col, role in enumerate(roles):
            if role != Role.UNKNOWN:
                continue
            values = [row[col].text for row in rows if col < len(row) and row[col].text.strip()]
            guessed = _guess_role(values, before_requirement=col < req)
            roles[col] = guessed
            if values and guessed == Role.NOTES:
                label = columns.labels[col] or f"第{col + 1}列"
                self.warnings.append(f"未识别的列「{label}」，内容记入备注 (unknown column)")
        return Columns(_requirement_by_content(roles, rows), columns.labels)

    # -- one row -----------------------------------------------------------------------------

    def _row(self, row: list[Cell], line: int | None, carry: bool, number: int) -> Draft | None:
        state = self.state
        assert state is not None
        columns = state.columns
        texts = [tidy(c.text) for c in row]
        if not any(texts):
            return None
        if _is_repeated_header(texts, state.header_keys):
            return None  # the header again, on a new page
        req_col = columns.requirement
        if req_col is None or req_col >= len(row):
            return None
        if _is_remark(texts):
            return None
        if self._section(row, texts, columns):
            return None
        requirement = _requirement_text(texts[req_col])
        path, changed = self._path(row, texts, req_col)
        req_cell = row[req_col]
        if req_cell.continued and not _spans_from_left(row, req_col) and state.last is not None:
            self._add_units(state.last, row, texts)  # one requirement over several rows
            return None
        units_given = any(
            texts[c] for c in columns.indices(Role.LEAD, Role.RESPONSIBLE, Role.UNITS)
        )
        if not requirement:
            if units_given and not changed:
                self.warnings.append(
                    f"第{line or number}行有责任单位但没有工作要求，已跳过 (no requirement)"
                )
            return None
        last = state.last
        if (
            last is not None
            and not changed
            and not units_given
            and last.requirement
            and last.requirement[-1] not in _TERMINAL
            and find_marker(texts[req_col]) is None
            and not any(texts[c] for c in columns.indices(Role.DEADLINE, Role.SERIAL))
        ):
            last.requirement += requirement  # the rest of a sentence cut by a page break
            return None
        if last is not None and last.requirement == requirement and last.path == path:
            self._add_units(last, row, texts)  # a merged requirement cut at a page end, repeated
            return None
        draft = Draft(path=path, requirement=requirement, line=line)
        self._add_units(draft, row, texts)
        body, trailing = take_trailing_units(draft.requirement)
        if trailing is not None and body:
            draft.requirement = body
            if not (draft.lead or draft.responsible):
                draft.lead, draft.responsible = list(trailing.lead), list(trailing.responsible)
            draft.deadline = draft.deadline or trailing.deadline
        if carry and last is not None and _same_top(last.path, path):
            _carry_down(
                draft, last, units_given, any(texts[c] for c in columns.indices(Role.DEADLINE))
            )
        draft.notes += _notes(row, texts, columns)
        state.last = draft
        return draft

    def _add_units(self, draft: Draft, row: list[Cell], texts: list[str]) -> None:
        columns = self.state.columns if self.state else None
        if columns is None:
            return
        for col in columns.indices(Role.LEAD, Role.RESPONSIBLE, Role.UNITS, Role.DEADLINE):
            text = texts[col]
            if not text or (col > 0 and row[col].continued and texts[col - 1] == text):
                continue  # empty, or the same cell spanning from the left
            if columns.roles[col] == Role.DEADLINE:
                draft.deadline = draft.deadline or " ".join(text.split())
                continue
            found = split_units(text)
            if columns.roles[col] == Role.LEAD:
                _extend(draft.lead, found.lead + found.responsible)
            else:
                _extend(draft.lead, found.lead)
                _extend(draft.responsible, found.responsible)
            draft.unit_note = draft.unit_note or found.note
            draft.deadline = draft.deadline or found.deadline

    def _section(self, row: list[Cell], texts: list[str], columns: Columns) -> bool:
        """A row with one short text and nothing else: a heading over the rows below — across
        the table (一、主动公开 merged over every column), numbered as a heading, or beside a
        Chinese-numeral 序号 (一 | 主动公开)."""
        state = self.state
        assert state is not None
        filled = [c for c, t in enumerate(texts) if t]
        serials = set(columns.indices(Role.SERIAL))
        serial = next((texts[c] for c in filled if c in serials), "")
        rest = [c for c in filled if c not in serials]
        distinct = {texts[c] for c in rest}
        if not rest and serial and not signals.is_serial(serial):
            distinct, rest = {serial}, [c for c in filled if c in serials]
        if len(distinct) != 1 or len(row) < 2:
            return False
        text = texts[rest[0]]
        if signals.is_sentence(text) or len(text) > SECTION_MAX_CHARS or signals.is_serial(text):
            return False
        marker = find_marker(text) or (find_marker(serial + "、x") if serial else None)
        spans = len(rest) >= max(2, len(row) // 2)
        headed = marker is not None and marker.style <= Style.CHINESE_PAREN
        in_path = columns.roles[rest[0]] == Role.PATH and not spans
        if in_path or not (spans or headed or columns.roles[rest[0]] in (Role.SERIAL, Role.NOTES)):
            return False
        rank = float(marker.style) if marker else 0.0
        while state.sections and state.sections[-1][0] >= rank:
            state.sections.pop()
        state.sections.append((rank, _path_text(text)))
        state.path = {}
        return True

    def _path(self, row: list[Cell], texts: list[str], req_col: int) -> tuple[list[str], bool]:
        """The row's category path, and whether a category changed in this row."""
        state = self.state
        assert state is not None
        values: list[str | None] = []
        changed = False
        req_text = texts[req_col]
        for i, col in enumerate(state.columns.path):
            cell, text = row[col], texts[col]
            before = state.path.get(col)
            if i > 0 and cell.continued and texts[state.columns.path[i - 1]] == text:
                value = values[-1]  # the cell to the left spans this column
            elif text and text == req_text:  # the requirement spans into the categories
                value = before if i == 0 else None
                changed = changed or i > 0
            elif cell.continued:
                value = _path_text(text) or before
            elif not text:
                value = None if changed else before
            else:
                value = _path_text(text)
                changed = changed or value != before
            values.append(value)
        for col, value in zip(state.columns.path, values, strict=True):
            state.path[col] = value
        path = [*self.headings, *(title for _, title in state.sections)]
        for value in values:
            if value and (not path or path[-1] != value):
                path.append(value)
        return path, changed


# -- helpers -----------------------------------------------------------------------------------


def _notes(row: list[Cell], texts: list[str], columns: Columns) -> list[str]:
    """The other columns' contents, labelled: 公开依据：《条例》; ticks under a parent header
    gathered as 公开方式：主动、依申请; 备注 unlabelled."""
    notes: list[str] = []
    ticked: dict[str, list[str]] = {}
    for col in columns.indices(Role.NOTES, Role.UNKNOWN):
        text = texts[col]
        if not text or (row[col].continued and _spans_from_left(row, col)):
            continue
        label = columns.labels[col]
        parent, _, sub = label.partition(SUB_LABEL)
        if sub and text in _TICKS:
            ticked.setdefault(parent, []).append(sub)
        elif not label or label.startswith(_PLAIN_NOTE_LABELS):
            notes.append(text)
        else:
            notes.append(f"{label}：{text}")
    notes += [f"{parent}：{'、'.join(subs)}" for parent, subs in ticked.items()]
    return notes


def _is_remark(texts: list[str]) -> bool:
    """A 备注/说明 line across the foot of the table, not a task."""
    filled = [t for t in texts if t]
    return (
        len(set(filled)) == 1
        and len(filled) >= max(2, len(texts) // 2)
        and filled[0].startswith(_REMARK_STARTS)
    )


def _carry_down(draft: Draft, above: Draft, units_given: bool, deadline_given: bool) -> None:
    """Fill a row's empty units and deadline from the row above (cells merged in the original)."""
    if not units_given:
        draft.lead = draft.lead or list(above.lead)
        draft.responsible = draft.responsible or list(above.responsible)
        draft.unit_note = draft.unit_note or above.unit_note
    if not deadline_given:
        draft.deadline = draft.deadline or above.deadline


def _grid(table: Table) -> list[list[Cell]]:
    width = table.width
    return [row + [Cell("")] * (width - len(row)) for row in table.rows]


def _is_sub_header(header: list[Cell], row: list[Cell]) -> bool:
    own = [(c, cell.text.strip()) for c, cell in enumerate(row) if cell.text.strip()]
    own = [(c, t) for c, t in own if not row[c].continued]
    if len({t for _, t in own}) < 2:
        return False
    if any(len(t) > 12 or signals.is_sentence(t) for _, t in own):
        return False
    known = sum(1 for _, t in own if classify(t) not in (None, Role.UNKNOWN))
    under_span = sum(
        1
        for c, _ in own
        if header[c].continued or (c + 1 < len(header) and header[c + 1].continued)
    )
    return known >= len(own) / 2 or under_span == len(own)


def _requirement_by_content(roles: list[Role], rows: list[list[Cell]]) -> tuple[Role, ...]:
    """When the column the header calls the requirement holds labels and a notes column holds
    the sentences (项目 | 说明 | 责任单位), the sentences are the requirement."""
    if Role.REQUIREMENT not in roles or len(rows) < 2:
        return tuple(roles)
    req = roles.index(Role.REQUIREMENT)

    def sentences(col: int) -> float:
        values = [row[col].text for row in rows if col < len(row) and row[col].text.strip()]
        return sum(map(signals.is_sentence, values)) / len(values) if values else 0.0

    if sentences(req) >= 0.3:
        return tuple(roles)
    others = [c for c, r in enumerate(roles) if r in (Role.NOTES, Role.UNKNOWN)]
    best = max(others, key=sentences, default=None)
    if best is not None and sentences(best) >= 0.6:
        roles[req], roles[best] = (Role.PATH if req < best else Role.NOTES), Role.REQUIREMENT
    return tuple(roles)


def _guess_columns(grid: list[list[Cell]]) -> Columns | None:
    """Roles from contents, for a table without a header; None if it holds no tasks."""
    width = len(grid[0])
    columns = [[row[c].text for row in grid if row[c].text.strip()] for c in range(width)]
    if any(t.strip().endswith((":", "：")) for t in columns[0]):
        return None  # a label | value box (标题： …)
    sentences = [sum(signals.is_sentence(t) for t in col) for col in columns]
    best = max(range(width), key=lambda c: (sentences[c], -c))
    if sentences[best] < MIN_HEADERLESS_ROWS or sentences[best] < 0.5 * len(columns[best]):
        return None
    roles = [
        Role.REQUIREMENT if c == best else _guess_role(columns[c], before_requirement=c < best)
        for c in range(width)
    ]
    return Columns(tuple(roles), ("",) * width)


def _guess_role(values: list[str], before_requirement: bool) -> Role:
    if not values:
        return Role.IGNORE
    share = len(values)
    if sum(signals.is_serial(v) for v in values) >= 0.8 * share:
        return Role.SERIAL
    if before_requirement:
        return (
            Role.PATH
            if sum(signals.category_score(v) > 0 for v in values) >= 0.6 * share
            else Role.NOTES
        )
    if sum(signals.unit_score(v) >= 0.5 for v in values) >= 0.6 * share:
        return Role.RESPONSIBLE
    if sum(signals.deadline_score(v) > 0 for v in values) >= 0.6 * share:
        return Role.DEADLINE
    return Role.NOTES


def _is_repeated_header(texts: list[str], header: list[str]) -> bool:
    if not header or any(len(t) > 40 for t in texts):
        return False
    keys = [header_key(t) for t in texts]
    if keys == header:
        return True
    ours = {k for k in keys if k}
    return is_header_row(texts) and len(ours & set(header)) >= 0.6 * len(ours)


def _spans_from_left(row: list[Cell], col: int) -> bool:
    return col > 0 and row[col - 1].text == row[col].text


def _same_top(a: list[str], b: list[str]) -> bool:
    return (a[0] if a else None) == (b[0] if b else None)


def _path_text(text: str) -> str:
    return strip_numbering(squeeze(text)).rstrip("：:。；;，,")


def _requirement_text(text: str) -> str:
    """The cell's text without numbering, its lines joined back into sentences."""
    return join_lines(strip_numbering(text)) if text else ""


def join_lines(text: str) -> str:
    """Lines a narrow cell or page wrapped, joined; lines ending a sentence keep their break."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out[-1] in "。；;！!？?：:" or (out[-1].isascii() and line[0].isascii()):
            out += ("\n" if not out[-1].isascii() else " ") + line
        else:
            out += line
    return out


def _extend(names: list[str], more: list[str]) -> None:
    names.extend(n for n in more if n not in names)
