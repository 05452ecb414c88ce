"""The parse result, shaped like the `gongkai parse --format json` contract (docs/tasklist.md)."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field
from typing import Any


class RuleKind(enum.StrEnum):
    WITHIN = "within"  # within N units of an event: 3个工作日内, 48小时内
    MINIMUM = "minimum"  # at least N units: 不少于30日
    RECURRING = "recurring"  # every period: 每季度, 每月, 至少2周内更新一次
    BY_DATE = "by_date"  # by a date: 年底前, 6月底前, 第一季度
    ONGOING = "ongoing"  # 持续推进, 常态化, 长期


class RuleUnit(enum.StrEnum):
    WORKDAY = "workday"
    DAY = "day"
    HOUR = "hour"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass
class TimeRule:
    kind: RuleKind
    text: str  # the words it came from, as written
    amount: int | None = None
    unit: RuleUnit | None = None
    date: str | None = None  # YYYY-MM-DD for by_date rules whose year is known


@dataclass
class ParsedTask:
    path: list[str]
    requirement: str
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    time_rules: list[TimeRule] = field(default_factory=list)
    notes: str | None = None
    line: int | None = None
    simplified: str | None = None  # the requirement in Simplified script, when it was Traditional


@dataclass
class ParsedPlan:
    source: str
    title: str | None = None
    issuer: str | None = None
    issued: str | None = None  # YYYY-MM-DD
    doc_number: str | None = None
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for task in data["tasks"]:
            if task["simplified"] is None:
                del task["simplified"]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
