"""The rows of an import draft and the edits the office makes to them. Pure: no Django here.

A row starts as a ParsedTask and carries an `id` that stays the same while it is edited, so a
form can name the row it changes even after rows above it were split, merged or deleted.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from gongkai.plans.rules import summaries
from gongkai.tasklist.model import ParsedPlan, ParsedTask, TimeRule

#: Where a requirement may be cut in two: after a sentence or clause.
_CUT_AFTER = "。；;！!？?"
#: Separators accepted when the office types a path: 主动公开 / 基础信息公开 > 政策文件.
_PATH_SEPARATORS = re.compile(r"\s*[/>／＞→]\s*")
_ENDS_A_SENTENCE = "。；;！!？?，,、：:"


class RowNotFound(LookupError):
    """No row with that id: another edit removed it. The page should be reloaded."""


def new_row_id() -> str:
    return secrets.token_hex(4)


@dataclass
class DraftRow:
    id: str
    path: list[str]
    requirement: str
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    time_rules: list[dict[str, Any]] = field(default_factory=list)
    notes: str | None = None
    line: int | None = None

    @classmethod
    def from_parsed(cls, task: ParsedTask) -> DraftRow:
        return cls(
            id=new_row_id(),
            path=[str(p) for p in task.path],
            requirement=task.requirement,
            lead_units=list(task.lead_units),
            responsible_units=list(task.responsible_units),
            deadline=task.deadline,
            time_rules=[rule_dict(r) for r in task.time_rules],
            notes=task.notes,
            line=task.line,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DraftRow:
        return cls(
            id=str(data.get("id") or new_row_id()),
            path=[str(p) for p in data.get("path") or []],
            requirement=str(data.get("requirement") or ""),
            lead_units=[str(u) for u in data.get("lead_units") or []],
            responsible_units=[str(u) for u in data.get("responsible_units") or []],
            deadline=data.get("deadline") or None,
            time_rules=[r for r in data.get("time_rules") or [] if isinstance(r, dict)],
            notes=data.get("notes") or None,
            line=data.get("line") if isinstance(data.get("line"), int) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def phrases(self) -> list[str]:
        return [*self.lead_units, *self.responsible_units]

    def rule_summaries(self) -> list[str]:
        return summaries(self.time_rules)


def rule_dict(rule: TimeRule) -> dict[str, Any]:
    """A time rule in the contract's JSON shape."""
    return {
        "kind": str(rule.kind),
        "amount": rule.amount,
        "unit": str(rule.unit) if rule.unit is not None else None,
        "date": rule.date,
        "text": rule.text,
    }


def rows_from_plan(plan: ParsedPlan) -> list[DraftRow]:
    return [DraftRow.from_parsed(t) for t in plan.tasks]


def parse_path(text: str) -> list[str]:
    return [p for p in (part.strip() for part in _PATH_SEPARATORS.split(text)) if p]


def _index(rows: list[DraftRow], row_id: str) -> int:
    for i, row in enumerate(rows):
        if row.id == row_id:
            return i
    raise RowNotFound(row_id)


def edit_row(rows: list[DraftRow], row_id: str, **changes: Any) -> list[DraftRow]:
    """A copy of `rows` with one row's fields changed (path, requirement, units, deadline…)."""
    i = _index(rows, row_id)
    return [*rows[:i], replace(rows[i], **changes), *rows[i + 1 :]]


def delete_row(rows: list[DraftRow], row_id: str) -> list[DraftRow]:
    i = _index(rows, row_id)
    return [*rows[:i], *rows[i + 1 :]]


def split_row(rows: list[DraftRow], row_id: str, first: str, second: str) -> list[DraftRow]:
    """The row becomes two: same path, units and deadline; each keeps the time rules whose
    wording it still contains (rules from the deadline column stay with both)."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        raise ValueError("拆分后的两项都不能为空")
    i = _index(rows, row_id)
    row = rows[i]
    a = replace(row, requirement=first, time_rules=_rules_for(row, first))
    b = replace(
        row,
        id=new_row_id(),
        requirement=second,
        time_rules=_rules_for(row, second),
        lead_units=list(row.lead_units),
        responsible_units=list(row.responsible_units),
        path=list(row.path),
    )
    return [*rows[:i], a, b, *rows[i + 1 :]]


def _rules_for(row: DraftRow, text: str) -> list[dict[str, Any]]:
    def kept(rule: dict[str, Any]) -> bool:
        words = str(rule.get("text") or "")
        in_requirement = bool(words) and words in row.requirement
        return not in_requirement or words in text

    return [dict(r) for r in row.time_rules if kept(r)]


def merge_with_previous(rows: list[DraftRow], row_id: str) -> list[DraftRow]:
    """The row's text is appended to the row above; units and time rules are combined."""
    i = _index(rows, row_id)
    if i == 0:
        raise ValueError("第一项之前没有可合并的任务")
    above, row = rows[i - 1], rows[i]
    joiner = "" if not above.requirement or above.requirement[-1] in _ENDS_A_SENTENCE else "；"
    rules = list(above.time_rules)
    rules += [r for r in row.time_rules if r not in rules]
    notes = "\n".join(n for n in (above.notes, row.notes) if n) or None
    merged = replace(
        above,
        requirement=above.requirement + joiner + row.requirement,
        lead_units=_union(above.lead_units, row.lead_units),
        responsible_units=_union(above.responsible_units, row.responsible_units),
        deadline=above.deadline or row.deadline,
        time_rules=rules,
        notes=notes,
    )
    return [*rows[: i - 1], merged, *rows[i + 1 :]]


def _union(a: list[str], b: list[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def suggest_split(text: str) -> tuple[str, str]:
    """Where to cut a requirement by default: the sentence end nearest its middle.

    With no sentence end inside the text, everything stays in the first part.
    """
    text = text.strip()
    cuts = [i + 1 for i, ch in enumerate(text[:-1]) if ch in _CUT_AFTER]
    if not cuts:
        return text, ""
    middle = len(text) / 2
    cut = min(cuts, key=lambda i: (abs(i - middle), i))
    return text[:cut].strip(), text[cut:].strip()
