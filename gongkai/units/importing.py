"""Previewing a unit directory file: what importing it would create, change, or refuse.

`preview` only reads. The writes are `actions.import_units(user, preview)`, which refuses a
preview with any error row, so a file is imported whole or not at all.

Columns absent from the file leave those fields alone; a present but empty cell clears the
field (except 类型 and 在用, where empty keeps the current value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from gongkai.units.columns import (
    COLUMNS,
    LABELS,
    find_header,
    format_active,
    format_aliases,
    kind_choices_text,
    parse_active,
    parse_kind,
    split_aliases,
)
from gongkai.units.models import Unit, UnitKind
from gongkai.units.sheets import SheetError, read_table

MAX_ROWS = 5000


class RowAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "更新"
    UNCHANGED = "unchanged", "无变化"
    ERROR = "error", "有错误"


@dataclass
class RowPreview:
    line: int  # the row number a spreadsheet program shows
    name: str
    #: Parsed new values of the columns present (parent as a name, "" for none).
    values: dict[str, Any] = field(default_factory=dict)
    action: RowAction = RowAction.ERROR
    #: field → (before, after), as shown to people; only for updates.
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def shown(self, field_name: str) -> str:
        return _shown(field_name, self.values.get(field_name, ""))

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        return [(LABELS[f], before, after) for f, (before, after) in self.changes.items()]


@dataclass
class ImportPreview:
    filename: str
    fields: list[str]
    rows: list[RowPreview]

    @property
    def present(self) -> list[str]:
        """The file's columns in the directory's column order."""
        return [c.field for c in COLUMNS if c.field in self.fields]

    @property
    def headers(self) -> list[str]:
        return [LABELS[name] for name in self.present]

    @property
    def table(self) -> list[tuple[RowPreview, list[str]]]:
        """Each row with its cells as shown, for the preview page."""
        return [
            (row, [row.name if f == "name" else row.shown(f) for f in self.present])
            for row in self.rows
        ]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[RowPreview]:
        return [row for row in self.rows if row.errors]

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in RowAction}

    def error_summary(self, limit: int = 10) -> str:
        lines = [f"第 {r.line} 行：{'；'.join(r.errors)}" for r in self.error_rows]
        more = f"……共 {len(lines)} 行有错误" if len(lines) > limit else ""
        return "\n".join([*lines[:limit], more]).strip()

    def writes_in_order(self) -> list[RowPreview]:
        """Rows to create or update, each after the row that creates or moves its parent."""
        pending = {r.name: r for r in self.rows if r.action in (RowAction.CREATE, RowAction.UPDATE)}
        ordered: list[RowPreview] = []
        done: set[str] = set()
        for row in pending.values():
            chain: list[RowPreview] = []
            current: RowPreview | None = row
            while current is not None and current.name not in done:
                chain.append(current)
                done.add(current.name)
                current = pending.get(current.values.get("parent") or "")
            ordered.extend(reversed(chain))
        return ordered


def preview(data: bytes, filename: str) -> ImportPreview:
    """What importing this file would do. Raises SheetError when it is not a readable table."""
    table = read_table(data, filename, max_rows=MAX_ROWS)
    header_index, columns = find_header(table)
    rows = [
        _parse_row(header_index + offset + 2, cells, columns)
        for offset, cells in enumerate(table[header_index + 1 :])
        if any(cell for cell in cells)
    ]
    if not rows:
        raise SheetError("文件中没有数据行（表头下方为空）")
    existing = {u.name: u for u in Unit.objects.select_related("parent")}
    _check_duplicates(rows)
    _check_parents(rows, existing)
    _check_cycles(rows, existing)
    for row in rows:
        _decide(row, existing.get(row.name))
    return ImportPreview(filename=filename, fields=list(columns), rows=rows)


def _max_length(name: str) -> int:
    field = Unit._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> RowPreview:
    def cell(name: str) -> str:
        col = columns.get(name)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    row = RowPreview(line=line, name=cell("name"))
    if not row.name:
        row.errors.append("名称不能为空")
    for name in ("name", "short_name", "code"):
        if len(cell(name)) > _max_length(name):
            row.errors.append(f"{LABELS[name]}超过 {_max_length(name)} 个字")
    for name in ("short_name", "code", "parent"):
        if name in columns:
            row.values[name] = cell(name)
    if "aliases" in columns:
        row.values["aliases"] = split_aliases(cell("aliases"))
    if cell("kind"):
        kind = parse_kind(cell("kind"))
        if kind is None:
            row.errors.append(f"类型「{cell('kind')}」无法识别，可填：{kind_choices_text()}")
        else:
            row.values["kind"] = kind.value
    if cell("active"):
        active = parse_active(cell("active"))
        if active is None:
            row.errors.append(f"在用「{cell('active')}」无法识别，请填“是”或“否”")
        else:
            row.values["active"] = active
    return row


def _check_duplicates(rows: list[RowPreview]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if not row.name:
            continue
        if row.name in first:
            row.errors.append(f"名称与第 {first[row.name]} 行重复")
        else:
            first[row.name] = row.line


def _check_parents(rows: list[RowPreview], existing: dict[str, Unit]) -> None:
    in_file = {row.name for row in rows}
    for row in rows:
        parent = row.values.get("parent")
        if not parent:
            continue
        if parent == row.name:
            row.errors.append("上级单位不能是本单位")
        elif parent not in existing and parent not in in_file:
            row.errors.append(f"上级单位「{parent}」既不是现有单位，也不在本文件中")


def _check_cycles(rows: list[RowPreview], existing: dict[str, Unit]) -> None:
    """Refuse rows whose parent chain, after the import, would lead back to themselves."""
    parents = {name: (u.parent.name if u.parent else "") for name, u in existing.items()}
    for row in rows:
        if "parent" in row.values and row.name:
            parents[row.name] = row.values["parent"]
    for row in rows:
        if row.errors or not row.name:
            continue
        chain = [row.name]
        current = parents.get(row.name, "")
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current, "")
        if current == row.name and len(chain) > 1:
            row.errors.append("上级单位关系形成循环：" + " → ".join([*chain, row.name]))


def _decide(row: RowPreview, unit: Unit | None) -> None:
    if row.errors:
        row.action = RowAction.ERROR
        return
    if unit is None:
        if "kind" not in row.values:
            row.errors.append("新建单位必须填写类型")
            row.action = RowAction.ERROR
        else:
            row.action = RowAction.CREATE
        return
    current = _current_values(unit)
    for name, value in row.values.items():
        if current[name] != value:
            row.changes[name] = (_shown(name, current[name]), _shown(name, value))
    row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED


def _current_values(unit: Unit) -> dict[str, Any]:
    return {
        "short_name": unit.short_name,
        "aliases": list(unit.aliases),
        "kind": unit.kind,
        "parent": unit.parent.name if unit.parent else "",
        "code": unit.code,
        "active": unit.active,
    }


def _shown(name: str, value: Any) -> str:
    if name == "aliases":
        return format_aliases(value or [])
    if name == "kind":
        return str(UnitKind(value).label) if value else ""
    if name == "active":
        return format_active(value) if isinstance(value, bool) else ""
    return str(value or "")
