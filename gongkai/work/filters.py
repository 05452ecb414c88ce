"""The checkpoint list's filters, read from GET parameters (pages, API, dashboard links).

plan, year, quarter (1–4, by due date), unit (id), category (first category), path (a
category path "主动公开 / 政策文件": the tasks under it, at any depth), state
(open: not yet accepted | unfinished: not reported finished | overdue | finished | live: all
but cancelled | all; default open), status (progress value), review (review
value), due_from / due_to (YYYY-MM-DD). A value that does not parse is ignored and reported
in `errors`, so a hand-edited link shows everything rather than failing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongkai.plans.models import Task
from gongkai.work.models import CheckpointQuerySet, Progress, Review
from gongkai.work.schedule import quarter_end

#: The category value that asks for the tasks without a category.
NO_CATEGORY = "-"

STATES = {
    "open": "未通过审核",
    "unfinished": "未报送完成",
    "overdue": "已逾期",
    "finished": "已报送完成",
    "live": "全部（不含已取消）",
    "all": "全部",
}


#: The largest id a request may name (a 64-bit column holds it on every database).
MAX_ID = 2**62


def parse_id(raw: object) -> int | None:
    """A record id from a request: ASCII digits within MAX_ID, else None (never a 500 on
    "²" or a hundred digits)."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def _int(raw: str | None, low: int, high: int) -> int | None:
    if raw is None or not (raw.strip().isascii() and raw.strip().isdigit()):
        return None
    if len(raw.strip()) > 19:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


@dataclass
class CheckpointFilter:
    plan: int | None = None
    year: int | None = None
    quarter: int | None = None
    unit: int | None = None
    category: str = ""
    path: str = ""
    state: str = "open"
    status: str = ""
    review: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> CheckpointFilter:
        f = cls()

        def get(name: str) -> str | None:
            value = query.get(name)
            return str(value) if value not in (None, "") else None

        for name, low, high in (
            ("plan", 1, 2**62),
            ("year", 2000, 2100),
            ("quarter", 1, 4),
            ("unit", 1, 2**62),
        ):
            raw = get(name)
            value = _int(raw, low, high)
            if raw is not None and value is None:
                f.errors.append(f"筛选条件“{name}”的值无效，已忽略")
            setattr(f, name, value)
        f.category = (get("category") or "")[:200]
        f.path = (get("path") or "")[:500]
        state = get("state") or "open"
        f.state = state if state in STATES else "open"
        status, review = get("status") or "", get("review") or ""
        f.status = status if status in Progress.values else ""
        f.review = review if review in Review.values else ""
        for name in ("due_from", "due_to"):
            raw = get(name)
            day = _date(raw)
            if raw is not None and day is None:
                f.errors.append(f"日期“{raw}”格式应为 YYYY-MM-DD，已忽略")
            setattr(f, name, day)
        return f

    def apply(self, qs: CheckpointQuerySet, today: dt.date | None = None) -> CheckpointQuerySet:
        today = today or timezone.localdate()
        if self.state == "open":
            qs = qs.open()
        elif self.state == "overdue":
            qs = qs.overdue(today)
        elif self.state == "finished":
            qs = qs.live().filter(finished_on__isnull=False)
        elif self.state == "unfinished":
            qs = qs.live().filter(finished_on__isnull=True)
        elif self.state == "live":
            qs = qs.live()
        if self.plan:
            qs = qs.filter(plan_id=self.plan)
        if self.year and self.quarter:  # date ranges, so the due-date indexes serve them
            first = dt.date(self.year, 3 * self.quarter - 2, 1)
            qs = qs.filter(due__gte=first, due__lte=quarter_end(self.year, self.quarter))
        elif self.year:
            qs = qs.filter(due__gte=dt.date(self.year, 1, 1), due__lte=dt.date(self.year, 12, 31))
        elif self.quarter:
            months = (3 * self.quarter - 2, 3 * self.quarter)
            qs = qs.filter(due__month__gte=months[0], due__month__lte=months[1])
        if self.unit:
            qs = qs.filter(unit_id=self.unit)
        if self.category:
            qs = qs.filter(category="" if self.category == NO_CATEGORY else self.category)
        if self.path:
            qs = qs.filter(task_id__in=tasks_under(self.path, self.plan))
        if self.status:
            qs = qs.filter(status=self.status)
        if self.review:
            qs = qs.filter(review=self.review)
        if self.due_from:
            qs = qs.filter(due__gte=self.due_from)
        if self.due_to:
            qs = qs.filter(due__lte=self.due_to)
        return qs

    def query(self, **override: Any) -> dict[str, str]:
        """The filter as GET parameters (for links), with some values replaced."""
        values: dict[str, Any] = {
            "plan": self.plan,
            "year": self.year,
            "quarter": self.quarter,
            "unit": self.unit,
            "category": self.category,
            "path": self.path,
            "state": self.state,
            "status": self.status,
            "review": self.review,
            "due_from": self.due_from,
            "due_to": self.due_to,
        } | override
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


PATH_SEPARATOR = " / "


def path_prefixes(paths: list[list[str]]) -> list[str]:
    """Every category path and its ancestors, in list order: the choices of the path filter."""
    seen: dict[str, None] = {}
    for path in paths:
        for depth in range(1, len(path) + 1):
            seen.setdefault(PATH_SEPARATOR.join(str(p) for p in path[:depth]), None)
    return list(seen)


def first_categories(plan_id: int | None) -> list[str]:
    """A plan's first-level categories in list order (as Checkpoint.category holds them)."""
    if plan_id is None:
        return []
    seen: dict[str, None] = {}
    paths = Task.objects.filter(plan_id=plan_id).order_by("order").values_list("path", flat=True)
    for path in paths:
        if path:
            seen.setdefault(str(path[0])[:200], None)
    return list(seen)


def tasks_under(path: str, plan_id: int | None) -> list[int]:
    """Ids of the tasks whose category path starts with `path` (a plan has hundreds of tasks,
    so this is read in Python rather than as a JSON query each database spells differently)."""
    wanted = [p.strip() for p in path.split("/") if p.strip()]
    tasks = Task.objects.all() if plan_id is None else Task.objects.filter(plan_id=plan_id)
    return [
        pk
        for pk, task_path in tasks.values_list("pk", "path")
        if [str(p).strip() for p in (task_path or [])][: len(wanted)] == wanted
    ]


def overdue_q(today: dt.date) -> Q:
    return Q(cancelled=False, finished_on__isnull=True, due__lt=today)
