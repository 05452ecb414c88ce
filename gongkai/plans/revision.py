"""What importing rows into a plan would change: the diff of its active tasks and the rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from gongkai.plans.diff import Change, Entry, Item, Op, field_changes, match, text_diff
from gongkai.plans.models import Task
from gongkai.plans.rows import DraftRow

FIELD_LABELS = ("牵头单位", "责任单位", "时限", "备注")


def _item(
    path: list[str], requirement: str, lead: list[str], resp: list[str], deadline: str, notes: str
) -> Item:
    values = ("、".join(lead), "、".join(resp), deadline, notes)
    return Item(tuple(path), requirement, tuple(zip(FIELD_LABELS, values, strict=True)))


def task_item(task: Task) -> Item:
    return _item(
        task.path,
        task.requirement,
        task.lead_text,
        task.responsible_text,
        task.deadline,
        task.notes,
    )


def row_item(row: DraftRow) -> Item:
    return _item(
        row.path,
        row.requirement,
        row.lead_units,
        row.responsible_units,
        row.deadline or "",
        row.notes or "",
    )


@dataclass
class ChangeRow:
    """One line of a diff as shown to people and kept on the version (PlanVersion.changes)."""

    change: Change
    path: list[str]
    requirement: str  # the new text; the old one for a removed task
    before: str = ""  # the old text of a changed task, when it differs
    task: int | None = None  # the Task id, once there is one
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)

    def text_runs(self) -> list[tuple[Op, str]]:
        return text_diff(self.before, self.requirement) if self.before else []

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["change"] = self.change.value
        data["fields"] = [list(f) for f in self.fields]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeRow:
        return cls(
            change=Change(data["change"]),
            path=list(data.get("path") or []),
            requirement=str(data.get("requirement") or ""),
            before=str(data.get("before") or ""),
            task=data.get("task") if isinstance(data.get("task"), int) else None,
            fields=[(str(a), str(b), str(c)) for a, b, c in data.get("fields") or []],
        )


def compare(old: Sequence[Task], rows: Sequence[DraftRow]) -> tuple[list[Entry], list[ChangeRow]]:
    """The matching (indexes into `old` and `rows`) and the same as rows for display."""
    old_items = [task_item(t) for t in old]
    new_items = [row_item(r) for r in rows]
    entries = match(old_items, new_items)
    shown = []
    for e in entries:
        if e.new is None:
            assert e.old is not None
            task = old[e.old]
            shown.append(ChangeRow(e.change, task.path, task.requirement, task=task.pk))
            continue
        row = rows[e.new]
        if e.old is None:
            shown.append(ChangeRow(e.change, row.path, row.requirement))
            continue
        task = old[e.old]
        before = task.requirement if task.requirement != row.requirement else ""
        changed = field_changes(old_items[e.old], new_items[e.new])
        shown.append(ChangeRow(e.change, row.path, row.requirement, before, task.pk, changed))
    return entries, shown


def counts(entries: Sequence[Entry]) -> dict[str, int]:
    found = Counter(e.change for e in entries)
    return {c.value: found.get(c, 0) for c in Change}
