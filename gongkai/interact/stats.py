"""The published statistics of 互动交流: received, replied, replied on time, and the average
time to reply in working and in calendar days, per year of receipt and per unit.

Only valid questions count: a message marked invalid (无效留言) appears in no figure. A
question counts in the year it was received; "replied" means the asker has the reply (published
or answered without publication). The times to reply are stored on the question when it is
answered (clock.refresh: working days after the day of receipt, and calendar days); a reply whose
period runs into a year without a calendar schedule has no working-day figure and is left out of
that average only.

Each year is aggregated over a range of the indexed receipt date, so no per-row date function
runs. The page is public, so the figures are cached (CACHE_SECONDS) and dropped after every act
on a question and every calendar recompute (invalidate(), after commit). Should the cache lose
the version counter, figures up to CACHE_SECONDS old may be shown once more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from gongkai.interact.models import REPLIED_STATES, Question

CACHE_SECONDS = 600
_VERSION_KEY = "gongkai:interact:stats-version"


@dataclass(frozen=True)
class Figures:
    """One row of the tables. Sums and counts are kept, not averages, so rows add up."""

    label: str
    received: int
    replied: int
    on_time: int
    workdays: int  # sum of working days to reply, over `with_workdays` replies
    with_workdays: int
    days: int  # sum of calendar days to reply, over `with_days` replies
    with_days: int

    @property
    def on_time_rate(self) -> str:
        if not self.replied:
            return "—"
        return f"{self.on_time * 100 / self.replied:.1f}%"

    @property
    def avg_workdays(self) -> float | None:
        return round(self.workdays / self.with_workdays, 1) if self.with_workdays else None

    @property
    def avg_days(self) -> float | None:
        return round(self.days / self.with_days, 1) if self.with_days else None

    def plus(self, other: Figures, label: str) -> Figures:
        return Figures(
            label,
            *(
                getattr(self, name) + getattr(other, name)
                for name in (
                    "received",
                    "replied",
                    "on_time",
                    "workdays",
                    "with_workdays",
                    "days",
                    "with_days",
                )
            ),
        )


def _measures() -> dict[str, Any]:
    replied = Q(state__in=REPLIED_STATES)
    return {
        "received": Count("pk"),
        "replied": Count("pk", filter=replied),
        "on_time": Count("pk", filter=replied & Q(on_time=True)),
        "workdays": Sum("reply_workdays", filter=replied),
        "with_workdays": Count("reply_workdays", filter=replied),
        "days": Sum("reply_days", filter=replied),
        "with_days": Count("reply_days", filter=replied),
    }


def _make(label: str, row: dict[str, Any]) -> Figures:
    return Figures(
        label,
        *(
            int(row[name] or 0)
            for name in (
                "received",
                "replied",
                "on_time",
                "workdays",
                "with_workdays",
                "days",
                "with_days",
            )
        ),
    )


def _sum(rows: list[Figures], label: str) -> Figures:
    found = Figures(label, 0, 0, 0, 0, 0, 0, 0)
    for row in rows:
        found = found.plus(row, label)
    return found


def _in_year(year: int) -> QuerySet[Question]:
    return Question.objects.valid().filter(
        received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
    )


def years() -> list[int]:
    """The years with valid questions, newest first."""
    span = Question.objects.valid().aggregate(first=Min("received_on"), last=Max("received_on"))
    if span["first"] is None:
        return []
    found = range(span["last"].year, span["first"].year - 1, -1)
    return [y for y in found if _in_year(y).exists()]


def by_year(known: list[int] | None = None) -> list[Figures]:
    """One row per year of receipt (`known`, default every year with questions), newest first."""
    return [_make(f"{y}年", _in_year(y).aggregate(**_measures())) for y in known or years()]


def by_unit(year: int) -> list[Figures]:
    """One row per unit for questions received in `year`; unrouted ones as 待分办."""
    rows = _in_year(year).values("unit__name").annotate(**_measures()).order_by("unit__name")
    found = [_make(str(row["unit__name"] or "待分办"), row) for row in rows]
    return sorted(found, key=lambda f: (f.label == "待分办", -f.received, f.label))


def total(year: int | None = None) -> Figures:
    qs = Question.objects.valid() if year is None else _in_year(year)
    return _make("合计", qs.aggregate(**_measures()))


@dataclass(frozen=True)
class Published:
    """Everything the statistics page shows for one chosen year."""

    years: list[int]
    year: int
    by_year: list[Figures]
    total: Figures
    by_unit: list[Figures]
    year_total: Figures


def published(year: int | None, today: dt.date) -> Published:
    """The page's figures, from the cache when nothing changed since they were counted."""
    version = cache.get(_VERSION_KEY, 0)
    key = f"gongkai:interact:stats:{version}:{year}"
    found = cache.get(key)
    if isinstance(found, Published):
        return found
    known = years()
    chosen = year if year in known else (known[0] if known else today.year)
    rows = by_year(known) if known else []
    units = by_unit(chosen)
    figures = Published(
        years=known,
        year=chosen,
        by_year=rows,
        total=_sum(rows, "合计"),
        by_unit=units,
        year_total=_sum(units, "合计"),
    )
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def invalidate() -> None:
    """Drop the cached figures once the current transaction commits."""

    def bump() -> None:
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:  # no version yet (or it expired): start one
            cache.set(_VERSION_KEY, 1, None)

    transaction.on_commit(bump)
