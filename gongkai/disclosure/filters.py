"""The request list's filters, read from GET parameters (the list page and the API).

tab (open: still owed, the default | unconfirmed: receipt day not fixed | soon | overdue |
review: drafts with the office | all), state (RequestState value), unit (id), soon (working days,
default 3: owed and due within that many working days), overdue (1), year (of the receipt day,
or of arrival while the receipt day is not fixed), applicant (ApplicantType value), q (tracking
number, applicant, or words of the description). Every filter uses an indexed column or narrows
what the others already chose; a value that does not parse is ignored and reported in `errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q

from gongkai.disclosure.models import ApplicantType, RequestQuerySet, RequestState
from gongkai.disclosure.tracking import prefix
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

TABS = {
    "open": "办理中",
    "unconfirmed": "待确认收到",
    "soon": "即将到期",
    "overdue": "已逾期",
    "review": "待审核",
    "all": "全部",
}
DEFAULT_SOON = 3
MAX_SOON = 60


def _int(raw: str | None, low: int, high: int) -> int | None:
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


@dataclass
class RequestFilter:
    tab: str = "open"
    state: str = ""
    unit: int | None = None
    soon: int | None = None
    overdue: bool = False
    year: int | None = None
    applicant: str = ""
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> RequestFilter:
        f = cls()

        def get(name: str) -> str | None:
            value = query.get(name)
            return str(value).strip() if value not in (None, "") else None

        tab = get("tab") or "open"
        f.tab = tab if tab in TABS else "open"
        state = get("state") or ""
        f.state = state if state in RequestState.values else ""
        applicant = get("applicant") or ""
        f.applicant = applicant if applicant in ApplicantType.values else ""
        for name, low, high, label in (
            ("unit", 1, 2**62, "单位"),
            ("year", 2000, 2100, "年度"),
            ("soon", 0, MAX_SOON, "即将到期天数"),
        ):
            raw = get(name)
            value = _int(raw, low, high)
            if raw is not None and value is None:
                f.errors.append(f"筛选条件「{label}」的值“{raw[:20]}”无效，已忽略")
            setattr(f, name, value)
        if f.tab == "soon" and f.soon is None:
            f.soon = DEFAULT_SOON
        f.overdue = f.tab == "overdue" or (get("overdue") or "") in ("1", "true", "on")
        f.q = (get("q") or "")[:100]
        return f

    def apply(
        self, qs: RequestQuerySet, today: dt.date, calendar: WorkdayCalendar
    ) -> RequestQuerySet:
        if self.tab == "open" and not self.state:  # a chosen state replaces "still owed"
            qs = qs.open()
        elif self.tab == "unconfirmed":
            qs = qs.filter(state=RequestState.RECEIVED)
        elif self.tab == "review":
            qs = qs.filter(state=RequestState.REVIEW)
        if self.state:
            qs = qs.filter(state=self.state)
        if self.overdue:
            qs = qs.overdue(today)
        if self.soon is not None:
            try:
                limit = calendar.add_workdays(today, self.soon)
            except CalendarUnavailable as exc:
                self.errors.append(f"工作日历缺少所需年份，无法筛选即将到期的申请：{exc}")
            else:
                qs = qs.due_by(today, limit)
        if self.unit:
            qs = qs.filter(unit_id=self.unit)
        if self.year:
            first, last = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
            qs = qs.filter(
                Q(received_on__gte=first, received_on__lte=last)
                | Q(received_on__isnull=True, arrived_on__gte=first, arrived_on__lte=last)
            )
        if self.applicant:
            qs = qs.filter(applicant_type=self.applicant)
        if self.q:
            qs = qs.filter(self._search())
        return qs

    def _search(self) -> Q:
        """A tracking number by its start (the unique index), else applicant or description."""
        text = self.q
        if text.upper().startswith(prefix().upper() + "-"):
            return Q(tracking_no__startswith=text.upper())
        return (
            Q(tracking_no=text.upper())
            | Q(applicant_name__icontains=text)
            | Q(description__icontains=text)
        )

    def ordered(self, qs: RequestQuerySet) -> RequestQuerySet:
        """Deadline first, the requests without one after, then by id."""
        return qs.order_by(F("deadline").asc(nulls_last=True), "id")

    def query(self, **override: Any) -> dict[str, str]:
        """The filter as GET parameters (for links), with some values replaced."""
        values: dict[str, Any] = {
            "tab": self.tab,
            "state": self.state,
            "unit": self.unit,
            "soon": self.soon if self.tab != "soon" or self.soon != DEFAULT_SOON else None,
            "overdue": "1" if self.overdue and self.tab != "overdue" else None,
            "year": self.year,
            "applicant": self.applicant,
            "q": self.q,
        } | override
        return {k: str(v) for k, v in values.items() if v not in (None, "")}
