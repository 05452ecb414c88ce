"""Writing the unit directory in the import's own columns, so export → import changes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.units.columns import COLUMNS, format_active, format_aliases
from gongkai.units.models import Unit
from gongkai.units.sheets import TableFormat, write_table


def unit_row(unit: Unit) -> list[str]:
    return [
        unit.name,
        unit.short_name,
        format_aliases(unit.aliases),
        str(unit.get_kind_display()),
        unit.parent.name if unit.parent else "",
        unit.code,
        format_active(unit.active),
    ]


def export_units(units: Iterable[Unit], fmt: TableFormat) -> bytes:
    """The units as a file; pass a queryset with select_related("parent")."""
    return write_table(fmt, [c.label for c in COLUMNS], (unit_row(u) for u in units))
