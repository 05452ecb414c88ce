"""The staff list's tabs and filters, read from GET parameters.

tab: alerts (逾期/告警: overdue or past the 60-day alarm — the office's first tab), new
(待分办), doing (办理中: routed or drafting), soon (due within SOON_DAYS working days, not yet
late), overdue, review (待审核), published, answered (answered without publishing), invalid,
all. Filters: unit (id), year (of receipt), simple (1), q (a number, or words of the title).
A value that does not parse is ignored and reported in `errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from gongkai.interact.models import QuestionQuerySet, QuestionState
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

TABS = {
    "alerts": "逾期/告警",
    "new": "待分办",
    "doing": "办理中",
    "soon": "即将到期",
    "overdue": "已逾期",
    "review": "待审核",
    "published": "已发布",
    "answered": "已答复未公开",
    "invalid": "无效",
    "all": "全部",
}
#: "Due soon": within this many working days.
SOON_DAYS = 3


def _int(raw: str | None, low: int, high: int) -> int | None:
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    value = int(text)
    return value if low <= value <= high else None


@dataclass
class QuestionFilter:
    tab: str = "all"
    unit: int | None = None
    year: int | None = None
    simple: bool = False
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, Any], default_tab: str) -> QuestionFilter:
        f = cls()

        def get(name: str) -> str | None:
            value = query.get(name)
            return str(value).strip() if value not in (None, "") else None

        tab = get("tab") or default_tab
        f.tab = tab if tab in TABS else default_tab
        for name, low, high, label in (("unit", 1, 2**62, "单位"), ("year", 2000, 2100, "年度")):
            raw = get(name)
            value = _int(raw, low, high)
            if raw is not None and value is None:
                f.errors.append(f"筛选条件「{label}」的值“{raw[:20]}”无效，已忽略")
            setattr(f, name, value)
        f.simple = (get("simple") or "") in ("1", "on", "true")
        f.q = (get("q") or "")[:100]
        return f

    def apply(
        self, qs: QuestionQuerySet, today: dt.date, calendar: WorkdayCalendar
    ) -> QuestionQuerySet:
        match self.tab:
            case "alerts":
                qs = qs.needing_attention(today)
            case "new":
                qs = qs.filter(state=QuestionState.RECEIVED)
            case "doing":
                qs = qs.filter(state__in=[QuestionState.ROUTED, QuestionState.DRAFTING])
            case "soon":
                try:
                    limit = calendar.add_workdays(today, SOON_DAYS)
                except CalendarUnavailable as exc:
                    self.errors.append(f"无法筛选即将到期的留言：{exc}")
                    qs = qs.none()
                else:
                    qs = qs.due_by(today, limit)
            case "overdue":
                qs = qs.overdue(today)
            case "review":
                qs = qs.filter(state=QuestionState.REVIEW)
            case "published":
                qs = qs.filter(state=QuestionState.PUBLISHED)
            case "answered":
                qs = qs.filter(state=QuestionState.ANSWERED)
            case "invalid":
                qs = qs.filter(state=QuestionState.REJECTED)
        if self.unit:
            qs = qs.filter(unit_id=self.unit)
        if self.year:
            qs = qs.filter(received_on__year=self.year)
        if self.simple:
            qs = qs.filter(simple=True)
        if self.q:
            qs = qs.filter(self._search())
        return qs

    def _search(self) -> Q:
        text = self.q
        if text.upper().startswith(str(settings.QUESTION_PREFIX).upper() + "-"):
            return Q(tracking_no__startswith=text.upper())
        return Q(tracking_no=text.upper()) | Q(title__icontains=text)

    def ordered(self, qs: QuestionQuerySet) -> QuestionQuerySet:
        """Open ones by deadline; replied ones newest first."""
        if self.tab in ("published", "answered"):
            return qs.order_by(F("replied_on").desc(nulls_last=True), "-pk")
        if self.tab in ("invalid", "all"):
            return qs.order_by("-received_at", "-pk")
        return qs.order_by(F("due_on").asc(nulls_last=True), "received_at", "pk")

    def query(self, **override: Any) -> dict[str, str]:
        """The filter as GET parameters (for links), with some values replaced."""
        values: dict[str, Any] = {
            "tab": self.tab,
            "unit": self.unit,
            "year": self.year,
            "simple": "1" if self.simple else None,
            "q": self.q,
        } | override
        return {k: str(v) for k, v in values.items() if v not in (None, "")}
