"""The dashboard's figures: headline counts, by unit, by category, by week, unit × month.

Everything comes from three GROUP BY queries on Checkpoint's own columns (unit, category, due,
finished_on, review, cancelled), never one query per unit:
- (unit, due): totals, finished and awaiting review; overdue is the unfinished of a due date
  before today. Plans have few distinct due dates (quarter ends, 年底前…), so this is units ×
  dates rows, and it gives the by-unit bars, the heat map, the headline and the due trend.
- (category): the by-category bars.
- (finished_on): the finished trend.

Over a million checkpoints these take seconds, not milliseconds (docs/performance.md), so the
figures are kept in the shared cache under a key of the viewer's scope and filters, together
with the version they were computed at: the newest audit event and the day (overdue is
relative to it). Every change to a checkpoint (a report, a review, an assignment edit,
a re-import) is audited in the same transaction, so a committed change makes the stored
figures stale; the page then shows them marked with their time while a worker computes new
ones (`figures`). One gap: on PostgreSQL two writers can commit their audit rows out of id
order, and figures computed between the two commits count as fresh until the next change.

"Overdue" is Checkpoint.objects.overdue(today); "finished" has finished_on set; "awaiting
review" is review=pending. Cancelled checkpoints count nowhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.units.models import Unit
from gongkai.work.filters import NO_CATEGORY, CheckpointFilter, first_categories
from gongkai.work.models import Checkpoint, CheckpointQuerySet, Review
from gongkai.work.schedule import month_end

TOP_UNITS = 20
HEAT_UNITS = 20
#: Figures are kept a day at most (a new day makes a new key anyway: overdue depends on it).
KEEP_SECONDS = 24 * 3600
#: A refresh that has not finished in this time (a lost task) may be asked for again.
REFRESH_LOCK_SECONDS = 120


@dataclass(frozen=True)
class Counts:
    total: int = 0
    finished: int = 0
    overdue: int = 0
    pending: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.total + other.total,
            self.finished + other.finished,
            self.overdue + other.overdue,
            self.pending + other.pending,
        )

    @property
    def rate(self) -> float:
        """Completion rate in per cent: finished of all."""
        return round(100 * self.finished / self.total, 1) if self.total else 0.0

    @property
    def not_due(self) -> int:
        """Neither finished nor overdue: due today or later."""
        return self.total - self.finished - self.overdue


@dataclass(frozen=True)
class Week:
    monday: dt.date
    due: int
    finished: int
    #: Finished so far (to this week's end) of all checkpoints, in per cent.
    rate: float

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


@dataclass
class Figures:
    """What the three queries say, for one scope and filter: cached as a whole."""

    headline: Counts
    #: (unit id, name, counts), most overdue first.
    units: list[tuple[int, str, Counts]]
    categories: list[tuple[str, Counts]]
    weeks: list[Week]
    #: First days of the months that have overdue checkpoints.
    months: list[dt.date]
    #: unit id → {month's first day: overdue count}.
    heat: dict[int, dict[dt.date, int]]
    #: First categories of the plan's tasks, for the filter.
    category_choices: list[str] = field(default_factory=list)
    #: When they were computed, and whether a change has been committed since (the page says
    #: so while a worker computes the new ones).
    computed_at: dt.datetime | None = None
    stale: bool = False


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _base(scope: set[int] | None, f: CheckpointFilter, today: dt.date) -> CheckpointQuerySet:
    qs = Checkpoint.objects.live()
    if scope is not None:
        qs = qs.of_units(scope)
    return f.apply(qs, today).order_by()  # no default ordering: it would join the GROUP BY


def compute(scope: set[int] | None, f: CheckpointFilter, today: dt.date) -> Figures:
    """The figures, straight from the database (five queries)."""
    base = _base(scope, f, today)
    finished = Q(finished_on__isnull=False)
    pending = Q(review=Review.PENDING)
    per_unit: dict[int, Counts] = defaultdict(Counts)
    per_due: dict[dt.date, int] = defaultdict(int)
    heat: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    rows = base.values_list("unit_id", "due").annotate(
        n=Count("pk"), done=Count("pk", filter=finished), waiting=Count("pk", filter=pending)
    )
    for unit_id, due, n, done, waiting in rows:
        late = n - done if due < today else 0
        per_unit[unit_id] += Counts(n, done, late, waiting)
        per_due[due] += n
        if late:
            heat[unit_id][due.replace(day=1)] += late
    categories = [
        (category, Counts(n, done, late, waiting))
        for category, n, done, late, waiting in base.values_list("category")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=finished),
            late=Count("pk", filter=Q(finished_on__isnull=True, due__lt=today)),
            waiting=Count("pk", filter=pending),
        )
        .order_by("category")
    ]
    finished_days = dict(
        base.filter(finished).values_list("finished_on").annotate(n=Count("pk")).order_by()
    )
    names = dict(Unit.objects.filter(pk__in=per_unit).values_list("pk", "name"))
    headline = sum(per_unit.values(), Counts())
    units = sorted(
        ((uid, names.get(uid, str(uid)), c) for uid, c in per_unit.items()),
        key=lambda row: (-row[2].overdue, -row[2].not_due, row[1]),
    )
    return Figures(
        headline=headline,
        units=units,
        categories=sorted(categories, key=lambda row: (-row[1].total, row[0])),
        weeks=_weeks(per_due, finished_days, headline.total),
        months=sorted({m for cells in heat.values() for m in cells}),
        heat={uid: dict(cells) for uid, cells in heat.items()},
        category_choices=first_categories(f.plan),
    )


def _weeks(
    per_due: dict[dt.date, int], finished_days: dict[dt.date, int], total: int
) -> list[Week]:
    due: dict[dt.date, int] = defaultdict(int)
    done: dict[dt.date, int] = defaultdict(int)
    for day, n in per_due.items():
        due[_monday(day)] += n
    for day, n in finished_days.items():
        done[_monday(day)] += n
    if not due and not done:
        return []
    week, last = min([*due, *done]), max([*due, *done])
    weeks, so_far = [], 0
    while week <= last:
        so_far += done.get(week, 0)
        rate = round(100 * so_far / total, 1) if total else 0.0
        weeks.append(Week(week, due.get(week, 0), done.get(week, 0), rate))
        week += dt.timedelta(days=7)
    return weeks


def data_version() -> str:
    """Changes whenever a change to the work is committed (see the module's docstring)."""
    newest = AuditEvent.objects.order_by("-pk").values_list("pk", "at").first()
    return f"{newest[0]}@{newest[1].timestamp()}" if newest else "0"


def _key(scope: set[int] | None, f: CheckpointFilter) -> str:
    # Not the date: it is part of the version (_version), so on a new day yesterday's
    # figures are served, marked, while they are recounted — no cold start each morning.
    parts = [
        sorted(scope) if scope is not None else "all",
        [f.plan, f.year, f.quarter, f.unit, f.category],
    ]
    raw = json.dumps(parts, ensure_ascii=False, default=str)
    return "work:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()


def _version(today: dt.date) -> str:
    """What the figures depend on besides the filters: the data, and the day (overdue)."""
    return f"{data_version()}|{today.isoformat()}"


def _store(key: str, version: str, fig: Figures) -> Figures:
    fig = replace(fig, computed_at=timezone.now(), stale=False)
    cache.set(key, (version, fig), KEEP_SECONDS)
    return fig


def refresh(scope: set[int] | None, f: CheckpointFilter, today: dt.date) -> Figures:
    """Compute the figures now and store them under the data version read before computing,
    so a change committed meanwhile leaves them marked stale."""
    key = _key(scope, f)
    version = _version(today)
    try:
        return _store(key, version, compute(scope, f, today))
    finally:
        cache.delete(key + ":refreshing")


def figures(scope: set[int] | None, f: CheckpointFilter, today: dt.date) -> Figures:
    """The figures, served from the shared cache (settings.CACHES).

    Fresh: computed since the last committed change. Stale: a change has been committed since;
    the stale figures are shown (marked, with their time) and one worker is asked to compute
    new ones — at most one at a time per scope and filter, so a busy morning of reports does
    not queue a recompute per report. Missing: computed here, once.
    """
    key = _key(scope, f)
    version = _version(today)
    entry = cache.get(key)
    if entry is None:
        return _store(key, version, compute(scope, f, today))
    stored_version, fig = cast(tuple[str, Figures], entry)
    if stored_version == version:
        return fig
    if cache.add(key + ":refreshing", True, REFRESH_LOCK_SECONDS):
        from gongkai.work.tasks import refresh_dashboard_task

        refresh_dashboard_task.delay(
            sorted(scope) if scope is not None else None,
            f.query(state=None),
            today.isoformat(),
        )
        again = cache.get(key)  # a worker running inline (eager mode) has already refreshed
        if again is not None and again[0] == version:
            return cast(Figures, again[1])
    return replace(fig, stale=True)


def dashboard_filter(query: Any) -> CheckpointFilter:
    """The dashboard's filters (plan, year, quarter, unit, category) from GET parameters."""
    full = CheckpointFilter.from_query(query)
    return CheckpointFilter(
        plan=full.plan,
        year=full.year,
        quarter=full.quarter,
        unit=full.unit,
        category=full.category,
        state="all",
        errors=full.errors,
    )


# -- links to the list behind each figure -------------------------------------------------


class Links:
    """Links to the checkpoint list (work:list) under the dashboard's filters."""

    def __init__(self, f: CheckpointFilter, today: dt.date) -> None:
        self.f = f
        self.today = today
        self.base = reverse("work:list")

    def to(self, **override: Any) -> str:
        if override.get("category") == "":  # the uncategorised tasks, not every category
            override["category"] = NO_CATEGORY
        params = self.f.query(**override)
        if self.f.plan is None:  # all plans: say so, or the list picks the newest plan
            params["plan"] = ""
        return self.base + "?" + urlencode(params)

    def counts(self, **override: Any) -> dict[str, str]:
        """Total, finished, overdue and awaiting review, each as a link."""
        return {
            "total": self.to(state="live", **override),
            "finished": self.to(state="finished", **override),
            "overdue": self.to(state="overdue", **override),
            "pending": self.to(state="finished", review=Review.PENDING, **override),
            "not_due": self.to(state="unfinished", due_from=self.today.isoformat(), **override),
        }

    def month(self, unit_id: int, month: dt.date) -> str:
        return self.to(
            state="overdue",
            unit=unit_id,
            due_from=month.isoformat(),
            due_to=month_end(month.year, month.month).isoformat(),
        )

    def week(self, week: Week) -> str:
        return self.to(
            state="live", due_from=week.monday.isoformat(), due_to=week.sunday.isoformat()
        )


def chart_data(fig: Figures, links: Links, *, all_units: bool) -> dict[str, Any]:
    """What dashboard.js draws; each point carries the URL a click opens."""
    shown = fig.units if all_units else fig.units[:TOP_UNITS]
    unit_links = [links.counts(unit=uid) for uid, _, _ in shown]
    cat_links = [links.counts(category=name) for name, _ in fig.categories]
    heat_units = [row for row in fig.units if row[0] in fig.heat][:HEAT_UNITS]
    return {
        "units": {
            "names": [name for _, name, _ in shown],
            "finished": [c.finished for _, _, c in shown],
            "overdue": [c.overdue for _, _, c in shown],
            "not_due": [c.not_due for _, _, c in shown],
            "links": {k: [u[k] for u in unit_links] for k in ("finished", "overdue", "not_due")},
        },
        "categories": {
            "names": [name or "（未分类）" for name, _ in fig.categories],
            "finished": [c.finished for _, c in fig.categories],
            "overdue": [c.overdue for _, c in fig.categories],
            "not_due": [c.not_due for _, c in fig.categories],
            "links": {k: [u[k] for u in cat_links] for k in ("finished", "overdue", "not_due")},
        },
        "trend": {
            "labels": [w.label for w in fig.weeks],
            "due": [w.due for w in fig.weeks],
            "finished": [w.finished for w in fig.weeks],
            "rate": [w.rate for w in fig.weeks],
            "links": [links.week(w) for w in fig.weeks],
        },
        "heat": {
            "units": [name for _, name, _ in heat_units],
            "months": [f"{m.year}年{m.month}月" for m in fig.months],
            "cells": [
                [x, y, fig.heat[uid].get(m, 0)]
                for y, (uid, _, _) in enumerate(heat_units)
                for x, m in enumerate(fig.months)
            ],
            "links": [[links.month(uid, m) for m in fig.months] for uid, _, _ in heat_units],
        },
    }
