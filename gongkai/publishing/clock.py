"""The interpretation clock (政策解读): a published policy document marked 需要解读 is owed its
interpretation within N working days (settings.INTERPRETATION_WORKDAYS, default 3) after its
发布日期, counted with the office calendar (the publication day not counted; N = 0 means the
same day).

`interpretation_due` is derived from two facts on the row (the 发布日期 and the flag) and the
calendar, so `refresh_due` can recompute it whenever the calendar changes (`recompute_open`,
registered with gongkai.holidays.hooks). A due date in a year without a published holiday
schedule is left empty, and `interpretation_problem` says why: never guessed.

The first published interpretation stamps `interpretation_published_on` on the policy
document; it is on time when that date is on or before the due date.

`linked_lines` shows, on a task-tracking checkpoint about interpretation (解读), the unit's
policy documents of the plan year that needed one, with their due and actual dates.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record
from gongkai.holidays.calendar import office_calendar
from gongkai.publishing.models import POLICY_KINDS, DocState, Document
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

if TYPE_CHECKING:
    from gongkai.work.linked import LinkedLine

log = logging.getLogger(__name__)

_FIELDS = ["interpretation_due", "interpretation_problem"]


def workdays() -> int:
    return int(settings.INTERPRETATION_WORKDAYS)


def due_date(published_on: dt.date, calendar: WorkdayCalendar) -> tuple[dt.date | None, str]:
    """(due date, "") or (None, why it cannot be computed)."""
    try:
        return calendar.add_workdays(published_on, workdays()), ""
    except CalendarUnavailable as exc:
        return None, f"无法计算解读应发布日期：{exc}"[:300]


def owes_interpretation(document: Document) -> bool:
    return (
        document.needs_interpretation
        and document.kind in POLICY_KINDS
        and document.state == DocState.PUBLISHED
        and document.published_on is not None
    )


def refresh_due(document: Document, calendar: WorkdayCalendar | None = None) -> bool:
    """Recompute the document's due date and save it; whether it changed. A due date that moved
    to today or later may be alerted again."""
    before = (document.interpretation_due, document.interpretation_problem)
    if owes_interpretation(document):
        assert document.published_on is not None
        due, problem = due_date(document.published_on, calendar or office_calendar())
    else:
        due, problem = None, ""
    document.interpretation_due, document.interpretation_problem = due, problem
    if (due, problem) == before:
        return False
    fields = list(_FIELDS)
    if due is not None and due >= timezone.localdate() and document.interpretation_alerted_at:
        document.interpretation_alerted_at = None
        document.interpretation_office_alerted_at = None
        fields += ["interpretation_alerted_at", "interpretation_office_alerted_at"]
    document.save(update_fields=fields)
    return True


def _open() -> list[Document]:
    """Published documents still waiting for their interpretation."""
    return list(
        Document.objects.filter(
            state=DocState.PUBLISHED,
            needs_interpretation=True,
            kind__in=POLICY_KINDS,
            interpretation_published_on__isnull=True,
        )
    )


def recompute_open(calendar: WorkdayCalendar, changed: list[dt.date]) -> int:
    """A calendar change: recompute the due date of every interpretation still owed; audit and
    return how many moved."""
    moved = 0
    for document in _open():
        before = document.interpretation_due
        if refresh_due(document, calendar) and document.interpretation_due != before:
            moved += 1
            record(
                None,
                AuditAction.CHANGE,
                document,
                changes={"interpretation_due": [_iso(before), _iso(document.interpretation_due)]},
                comment="工作日历调整，重新计算解读应发布日期",
            )
    if moved:
        log.info("calendar change moved %s interpretation due dates", moved)
    return moved


def refresh_open() -> int:
    """Recompute the due dates still owed that could not be computed (the calendar's data
    has since gained the year); run daily by beat. How many changed."""
    waiting = [d for d in _open() if d.interpretation_due is None]
    if not waiting:
        return 0
    calendar = office_calendar()
    return sum(1 for d in waiting if refresh_due(d, calendar))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- where things stand ----------------------------------------------------------------------


def interpretation_status(document: Document, today: dt.date | None = None) -> str:
    """A short Chinese phrase for pages and evidence: 按时发布 / 逾期发布 / 已逾期 / 待发布 /
    无法计算期限 ("" when the document needs none)."""
    if not document.needs_interpretation or document.kind not in POLICY_KINDS:
        return ""
    today = today or timezone.localdate()
    due, done = document.interpretation_due, document.interpretation_published_on
    if done is not None:
        if due is None:
            return "已发布"
        return "按时发布" if done <= due else "逾期发布"
    if document.state != DocState.PUBLISHED:
        return ""
    if due is None:
        return "无法计算期限"
    return "已逾期" if due < today else "待发布"


def is_problem(document: Document, today: dt.date | None = None) -> bool:
    return interpretation_status(document, today) in ("逾期发布", "已逾期")


def _link(document: Document) -> str:
    try:
        return reverse("publishing:detail", args=[document.pk])
    except NoReverseMatch:  # the staff pages are not mounted (a stripped-down deployment)
        return ""


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    """The unit's policy documents published in `year` that needed an interpretation, as
    evidence lines for a checkpoint about 解读; late and overdue ones are problems."""
    from gongkai.work.linked import LinkedLine

    today = timezone.localdate()
    found = Document.objects.filter(
        unit_id=unit_id,
        state=DocState.PUBLISHED,
        kind__in=POLICY_KINDS,
        needs_interpretation=True,
        published_on__year=year,
    ).order_by("published_on", "pk")
    lines: list[LinkedLine] = []
    for document in found:
        status = interpretation_status(document, today)
        due = _iso(document.interpretation_due) or "（工作日历缺少该年放假安排，无法计算）"
        done = _iso(document.interpretation_published_on) or "尚未发布"
        number = f"（{document.index_number}）" if document.index_number else ""
        text = (
            f"《{document.title}》{number}{document.published_on:%Y-%m-%d} 发布，"
            f"解读应于 {due} 前发布，实际 {done}：{status}"
        )
        lines.append(LinkedLine(text, _link(document), problem=is_problem(document, today)))
    return lines
