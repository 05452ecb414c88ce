"""The unit directory as the resolver sees it: plain data loaded from the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from gongkai.units.models import Unit, UnitGroup
from gongkai.units.resolve import Directory, GroupEntry, Resolution, UnitEntry, resolve_many


def load_directory() -> Directory:
    """Every unit (inactive ones too, so the resolver can say a name is retired) and group."""
    units = tuple(
        UnitEntry(id=u.pk, names=tuple(u.names()), active=u.active)
        for u in Unit.objects.order_by("pk")
    )
    groups = tuple(
        GroupEntry(
            id=g.pk,
            names=tuple(g.names()),
            member_ids=tuple(g.resolve_members().order_by("pk").values_list("pk", flat=True)),
        )
        for g in UnitGroup.objects.order_by("pk")
    )
    return Directory(units=units, groups=groups)


def resolve_text(text: str, directory: Directory | None = None) -> list[Resolution]:
    """Resolve a units cell against the current directory at the configured threshold."""
    return resolve_many(text, directory or load_directory(), settings.RESOLVE_THRESHOLD)


@dataclass(frozen=True)
class Explained:
    """A resolution with the names behind its ids, for people."""

    resolution: Resolution
    units: list[tuple[int, str]]
    group_name: str


def explain(resolutions: list[Resolution], directory: Directory) -> list[Explained]:
    names = {u.id: u.name for u in directory.units}
    groups = {g.id: g.names[0] for g in directory.groups}
    return [
        Explained(
            resolution=r,
            units=[(i, names.get(i, f"#{i}")) for i in r.unit_ids],
            group_name=groups.get(r.group_id, "") if r.group_id is not None else "",
        )
        for r in resolutions
    ]
