"""The columns of the unit directory file, shared by import and export, and their cell formats."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.units.models import ALIAS_SEPARATORS, UnitKind
from gongkai.units.resolve import normalise
from gongkai.units.sheets import SheetError

#: Where to look for the header row: title rows above it are common in office spreadsheets.
HEADER_SEARCH_ROWS = 5
_ALIAS_SPLIT = re.compile("[" + re.escape(ALIAS_SEPARATORS) + "]+")


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    accepted: tuple[str, ...]


COLUMNS = (
    Column("name", "名称", ("单位名称", "name")),
    Column("short_name", "简称", ("单位简称", "short_name")),
    Column("aliases", "别名", ("其他名称", "aliases")),
    Column("kind", "类型", ("单位类型", "kind")),
    Column("parent", "上级单位", ("上级", "parent")),
    Column("code", "单位代码", ("代码", "code")),
    Column("active", "在用", ("是否在用", "active")),
)
LABELS = {c.field: c.label for c in COLUMNS}
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_HEADER_KEYS = {normalise(name): c.field for c in COLUMNS for name in (c.label, *c.accepted)}
_TRUE = {"是", "在用", "启用", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "停用", "不在用", "n", "no", "false", "0", "×", "✗"}
_KIND_WORDS = {
    "政府": UnitKind.GOVERNMENT,
    "办公室": UnitKind.GOVERNMENT,
    "镇": UnitKind.TOWN,
    "街道": UnitKind.TOWN,
    "镇街": UnitKind.TOWN,
    "县": UnitKind.COUNTY,
    "县市区": UnitKind.COUNTY,
}


def header_key(cell: str) -> str | None:
    """The field a header cell names: 名称, 名称*, 名称（必填）, Name, short_name …"""
    return _HEADER_KEYS.get(normalise(_BRACKETED.sub("", cell)))


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """(index of the header row, field → column index) among the first rows."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields: dict[str, int] = {}
        for col, cell in enumerate(row):
            field = header_key(cell)
            if field is not None and field not in fields:
                fields[field] = col
        if "name" in fields:
            return index, fields
    wanted = "、".join(c.label for c in COLUMNS)
    raise SheetError(
        f"前 {HEADER_SEARCH_ROWS} 行中没有找到表头：至少需要“名称”列（可用列：{wanted}）"
    )


def parse_kind(text: str) -> UnitKind | None:
    """A kind from its code (department) or Chinese label (部门, 县（市、区）); None if unknown."""
    key = normalise(text)
    for kind in UnitKind:
        if key in (kind.value, normalise(kind.label)):
            return kind
    return _KIND_WORDS.get(key)


def kind_choices_text() -> str:
    return "、".join(str(kind.label) for kind in UnitKind)


def parse_active(text: str) -> bool | None:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def format_active(active: bool) -> str:
    return "是" if active else "否"


def split_aliases(text: str) -> list[str]:
    found: list[str] = []
    for part in _ALIAS_SPLIT.split(text):
        alias = part.strip()
        if alias and alias not in found:
            found.append(alias)
    return found


def format_aliases(aliases: list[str]) -> str:
    return "、".join(aliases)
