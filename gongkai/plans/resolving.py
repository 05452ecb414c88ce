"""The units behind a draft's unit phrases: the directory's answer, or the office's pick.

A pick (phrase → unit id) applies to every row of the draft that has the phrase, so a typo
repeated down a column is fixed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.plans.models import UnitRole
from gongkai.plans.rows import DraftRow
from gongkai.units.resolve import Directory, Resolution, Status, resolve

PICKED_NOTE = "由公开办选定"


@dataclass(frozen=True)
class UnitRef:
    """One unit phrase of a row and what it stands for."""

    phrase: str
    role: UnitRole
    resolution: Resolution
    units: tuple[tuple[int, str], ...]  # (id, name) of the units it stands for
    group_name: str = ""
    picked: bool = False

    @property
    def resolved(self) -> bool:
        return self.resolution.resolved

    @property
    def is_group(self) -> bool:
        return self.resolution.status == Status.GROUP


class Resolver:
    """Resolves phrases against one directory snapshot, each phrase once."""

    def __init__(self, directory: Directory, picks: dict[str, int], threshold: int) -> None:
        self.directory = directory
        self.threshold = threshold
        self.names = {u.id: u.name for u in directory.units}
        self.active = {u.id for u in directory.units if u.active}
        self.group_names = {g.id: g.names[0] for g in directory.groups}
        self.picks = {p: uid for p, uid in picks.items() if uid in self.active}
        self._cache: dict[str, tuple[Resolution, bool]] = {}

    def resolution(self, phrase: str) -> tuple[Resolution, bool]:
        """The resolution and whether it came from a pick."""
        if phrase not in self._cache:
            if phrase in self.picks:
                found = Resolution(
                    phrase, Status.EXACT, (self.picks[phrase],), score=100, note=PICKED_NOTE
                )
                self._cache[phrase] = (found, True)
            else:
                self._cache[phrase] = (resolve(phrase, self.directory, self.threshold), False)
        return self._cache[phrase]

    def ref(self, phrase: str, role: UnitRole) -> UnitRef:
        found, picked = self.resolution(phrase)
        return UnitRef(
            phrase=phrase,
            role=role,
            resolution=found,
            units=tuple((i, self.names.get(i, f"#{i}")) for i in found.unit_ids),
            group_name=self.group_names.get(found.group_id, "")
            if found.group_id is not None
            else "",
            picked=picked,
        )

    def row(self, row: DraftRow) -> list[UnitRef]:
        return [
            *(self.ref(p, UnitRole.LEAD) for p in row.lead_units),
            *(self.ref(p, UnitRole.RESPONSIBLE) for p in row.responsible_units),
        ]

    def unresolved(self, rows: Iterable[DraftRow]) -> list[tuple[UnitRef, int]]:
        """Each unresolved phrase once, with how many rows use it, in order of appearance."""
        counts: dict[str, int] = {}
        refs: dict[str, UnitRef] = {}
        for row in rows:
            for ref in self.row(row):
                if not ref.resolved:
                    refs.setdefault(ref.phrase, ref)
                    counts[ref.phrase] = counts.get(ref.phrase, 0) + 1
        return [(refs[p], counts[p]) for p in refs]
