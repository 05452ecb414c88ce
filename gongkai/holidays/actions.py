"""Changing the office's calendar. Each change is audited and recomputes open deadlines.

Only the office (公开办) may change the calendar. A local adjustment must differ from the
national schedule, and its year must have a national schedule at all: an adjustment cannot
stand in for an unpublished year (CalendarUnavailable).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.accounts import access
from gongkai.audit.record import record_create, record_delete
from gongkai.holidays.models import AdjustmentKind, LocalAdjustment
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import start_job
from gongkai.workdays import national_calendar

REASON_MAX = LocalAdjustment._meta.get_field("reason").max_length or 200


def require_office(user: Any) -> None:
    access.require_office(user, "只有公开办可以调整工作日历")


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写调整原因（例如本地政府的放假通知）")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"原因最多 {REASON_MAX} 个字")
    return reason


def check_adjustment(day: dt.date, kind: AdjustmentKind | str) -> AdjustmentKind:
    """The kind, if a local adjustment of `day` to it is allowed; else ValidationError.

    Raises CalendarUnavailable when the year has no national schedule.
    """
    try:
        kind = AdjustmentKind(kind)
    except ValueError:
        raise ValidationError("调整类型只能是“放假”或“上班”") from None
    national_workday = national_calendar().is_workday(day)
    if kind == AdjustmentKind.HOLIDAY and not national_workday:
        raise ValidationError(f"{day:%Y-%m-%d} 按全国日历本来就不上班，无需登记为放假")
    if kind == AdjustmentKind.WORKDAY and national_workday:
        raise ValidationError(f"{day:%Y-%m-%d} 按全国日历本来就是工作日，无需登记为上班")
    if LocalAdjustment.objects.filter(date=day).exists():
        raise _already_adjusted(day)
    return kind


def _already_adjusted(day: dt.date) -> ValidationError:
    return ValidationError(f"{day:%Y-%m-%d} 已有本地调整；如需更改，请先删除原调整")


def _recompute(user: Any, day: dt.date) -> Job:
    return start_job(JobKind.CALENDAR_RECOMPUTE, user=user, params={"dates": [day.isoformat()]})


def add_adjustment(
    user: Any, date: dt.date, kind: AdjustmentKind | str, reason: str
) -> LocalAdjustment:
    """Make `date` a local holiday or working day; open deadlines recompute after commit."""
    require_office(user)
    reason = clean_reason(reason)
    with transaction.atomic():
        kind = check_adjustment(date, kind)
        try:
            with transaction.atomic():
                adjustment = LocalAdjustment.objects.create(
                    date=date, kind=kind, reason=reason, created_by=user
                )
        except IntegrityError:  # another request added the same date since the check
            raise _already_adjusted(date) from None
        record_create(user, adjustment, comment=reason)
        _recompute(user, date)
    return adjustment


def remove_adjustment(user: Any, adjustment: LocalAdjustment, reason: str) -> None:
    """Return the date to its national status; open deadlines recompute after commit."""
    require_office(user)
    reason = clean_reason(reason)
    with transaction.atomic():
        day = adjustment.date
        record_delete(user, adjustment, comment=reason)
        adjustment.delete()
        _recompute(user, day)
