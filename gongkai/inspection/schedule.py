"""Scheduled inspections: beat calls `start_due` (tasks.start_due_task); each site whose next
run has come gets one inspection and its next run moved on by its period, claimed with a
conditional UPDATE so two beats (or a beat delivered twice) start it once."""

from __future__ import annotations

import calendar as months
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from gongkai.inspection.actions import InspectionRejected, start_inspection
from gongkai.inspection.models import InspectedSite, Schedule, Trigger

log = logging.getLogger(__name__)


def _add_month(moment: dt.datetime, anchor_day: int | None) -> dt.datetime:
    """The next calendar month, on the anchor day (the moment's own day when none), or the
    month's last day when it is shorter: 31 Jan → 28 Feb → 31 Mar."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = anchor_day or moment.day
    return moment.replace(year=year, month=month, day=min(day, months.monthrange(year, month)[1]))


def advance(moment: dt.datetime, schedule: str, anchor_day: int | None = None) -> dt.datetime:
    """One period later, in local time (a weekly run at 02:00 stays at 02:00); monthly runs
    keep to `anchor_day` of the month."""
    local = timezone.localtime(moment)
    if schedule == Schedule.DAILY:
        later = local + dt.timedelta(days=1)
    elif schedule == Schedule.WEEKLY:
        later = local + dt.timedelta(days=7)
    elif schedule == Schedule.MONTHLY:
        later = _add_month(local, anchor_day)
    else:
        raise ValueError(f"no period for schedule {schedule!r}")
    return timezone.make_aware(later.replace(tzinfo=None))


def next_after(
    moment: dt.datetime, schedule: str, now: dt.datetime, anchor_day: int | None = None
) -> dt.datetime:
    """The first run time after `now` on the schedule through `moment` (missed runs while the
    system was down are not made up one by one)."""
    later = advance(moment, schedule, anchor_day)
    while later <= now:
        later = advance(later, schedule, anchor_day)
    return later


def start_due(now: dt.datetime | None = None) -> int:
    """Start the inspections whose time has come; returns how many were started."""
    now = now or timezone.now()
    due = InspectedSite.objects.filter(active=True, next_run__lte=now).exclude(
        schedule=Schedule.NONE
    )
    started = 0
    for site in list(due.order_by("next_run", "pk")):
        assert site.next_run is not None
        following = next_after(site.next_run, site.schedule, now, site.anchor_day)
        with transaction.atomic():
            won = InspectedSite.objects.filter(pk=site.pk, next_run=site.next_run).update(
                next_run=following
            )
            if not won:
                continue  # another beat got there first
            try:
                start_inspection(None, site, trigger=Trigger.SCHEDULED)
            except InspectionRejected as exc:
                log.warning("scheduled inspection of %s not started: %s", site, exc)
                continue
            started += 1
    return started
