"""Every write to the unit directory: office only, validated, atomic, audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.audit.record import record_change, record_create, snapshot
from gongkai.units.importing import ImportPreview, RowAction
from gongkai.units.models import Unit

#: The fields `update_unit` may change.
UNIT_FIELDS = frozenset({"name", "short_name", "aliases", "kind", "parent", "code", "active"})


class ImportRejected(Exception):
    """The file has errors; nothing was written. The message lists them."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _require_office(user: Any) -> None:
    if not getattr(user, "is_office", False):
        raise PermissionDenied("单位名录由公开办维护")


@transaction.atomic
def create_unit(
    user: Any,
    *,
    name: str,
    kind: str,
    short_name: str = "",
    aliases: list[str] | None = None,
    parent: Unit | None = None,
    code: str = "",
    active: bool = True,
    comment: str = "",
) -> Unit:
    """A new unit. Raises ValidationError (duplicate name, unknown kind …)."""
    _require_office(user)
    unit = Unit(
        name=name.strip(),
        kind=kind,
        short_name=short_name.strip(),
        aliases=list(aliases or []),
        parent=parent,
        code=code.strip(),
        active=active,
    )
    unit.full_clean()
    unit.save()
    record_create(user, unit, comment=comment)
    return unit


@transaction.atomic
def update_unit(user: Any, unit: Unit, *, comment: str = "", **fields: Any) -> Unit:
    """Change some of a unit's fields; returns the saved unit. Raises ValidationError.

    Works on a fresh, locked copy of the row, so the audit event's "before" is what was
    stored, whatever the caller's object holds.
    """
    _require_office(user)
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"update_unit() got unexpected fields: {sorted(unknown)}")
    fresh = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(fresh)
    for name, value in fields.items():
        setattr(fresh, name, value.strip() if isinstance(value, str) else value)
    fresh.full_clean()
    if snapshot(fresh) != before:
        fresh.save()
    record_change(user, fresh, before, comment=comment)
    return fresh


@transaction.atomic
def import_units(user: Any, preview: ImportPreview, *, comment: str = "") -> ImportResult:
    """Apply a preview: all rows or, when any row has an error, none."""
    _require_office(user)
    if preview.has_errors:
        raise ImportRejected("导入文件有错误，未写入任何数据：\n" + preview.error_summary())
    comment = comment or f"从文件「{preview.filename}」导入"
    by_name = {u.name: u for u in Unit.objects.select_for_update()}
    for row in preview.writes_in_order():
        values = dict(row.values)
        if "parent" in values:
            parent_name = values["parent"]
            if parent_name and parent_name not in by_name:
                raise ImportRejected(f"第 {row.line} 行：上级单位「{parent_name}」已不存在")
            values["parent"] = by_name[parent_name] if parent_name else None
        if row.action == RowAction.CREATE:
            by_name[row.name] = create_unit(user, name=row.name, comment=comment, **values)
        elif row.name in by_name:
            by_name[row.name] = update_unit(user, by_name[row.name], comment=comment, **values)
        else:
            raise ImportRejected(f"第 {row.line} 行：单位「{row.name}」已不存在")
    return ImportResult(
        created=preview.count(RowAction.CREATE),
        updated=preview.count(RowAction.UPDATE),
        unchanged=preview.count(RowAction.UNCHANGED),
    )
