"""Recording an inspection's result, in one transaction: the findings with what each cost, the
score, and the tickets.

Tickets, by the finding's key (its type and URL) on the site:
- a key without a ticket → a new open ticket for the unit owning the page (owners.py), due in
  N working days (clock.py), linked to the matching checkpoint (linking.py);
- an open ticket found again → still open (last seen now); its unit follows the owner rules;
- a fixed ticket found again → reopened (a regression), with a new due date;
- a dismissed ticket found again → stays dismissed;
- an open ticket not found → fixed, but only when this inspection finished normally and
  checked the ticket's type, and, for page-level types, crawled the whole site (a crawl cut
  short by the page cap did not look at every page, so not finding a problem proves nothing).
Every ticket created or moved between states is written to its history and the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_create, record_transition
from gongkai.holidays.calendar import office_calendar
from gongkai.inspect.findings import Finding
from gongkai.inspect.scoring import NATIONAL_2019, RUBRICS, score
from gongkai.inspection.clock import due_date
from gongkai.inspection.linking import CheckpointFinder
from gongkai.inspection.models import (
    OPEN_STATUSES,
    UNFINISHED,
    EventKind,
    Inspection,
    InspectionFinding,
    InspectionStatus,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from gongkai.inspection.owners import Owners
from gongkai.inspection.types import SITE_LEVEL_TYPES
from gongkai.workdays import WorkdayCalendar

#: Scrapy's reasons for a crawl that ended as planned (the page cap is planned, but partial).
NORMAL_FINISH = ("finished", "closespider_pagecount")


def _parse_time(raw: Any, default: dt.datetime) -> dt.datetime:
    if not raw:
        return default
    try:
        moment = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        return default
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def coverage(inspection: Inspection, data: Mapping[str, Any]) -> tuple[bool, bool]:
    """(finished normally, covered the whole site) from the result's figures."""
    stats = data.get("stats") or {}
    reason = stats.get("finish_reason") if isinstance(stats, Mapping) else None
    normal = reason is None or reason in NORMAL_FINISH
    cap = int(inspection.site.max_pages)
    pages = int(data.get("pages_crawled") or 0)
    whole = normal and reason != "closespider_pagecount" and pages < cap
    if isinstance(stats, Mapping) and stats.get("truncated"):
        whole = False
    return normal, whole


class _Recorder:
    def __init__(self, inspection: Inspection, now: dt.datetime) -> None:
        self.inspection = inspection
        self.site = inspection.site
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar: WorkdayCalendar = office_calendar()
        self.owners = Owners(self.site)
        self.finder = CheckpointFinder(self.today)
        self.tickets = {t.key: t for t in Ticket.objects.select_for_update().filter(site=self.site)}
        self.counts = {"new": 0, "still_open": 0, "reopened": 0, "fixed": 0, "dismissed_seen": 0}
        self.events: list[TicketEvent] = []

    def _event(self, ticket: Ticket, kind: EventKind, note: str = "") -> None:
        self.events.append(
            TicketEvent(
                ticket=ticket, kind=kind, at=self.now, inspection=self.inspection, note=note[:300]
            )
        )

    def _due(self, ticket: Ticket) -> None:
        ticket.opened_on = self.today
        ticket.due_on, ticket.due_problem = due_date(self.today, self.calendar)

    def ticket_for(self, finding: Finding, unit_id: int) -> Ticket:
        key = finding.key
        ticket = self.tickets.get(key)
        if ticket is None:
            ticket = Ticket(
                site=self.site,
                key=key,
                type=finding.type,
                severity=str(finding.severity),
                url=finding.url,
                detail=finding.detail,
                unit_id=unit_id,
                first_seen=self.inspection,
                last_seen=self.inspection,
                checkpoint=self.finder.find(unit_id, finding.type),
                created_at=self.now,
                updated_at=self.now,
            )
            self._due(ticket)
            ticket.save()
            self.tickets[key] = ticket
            self._event(ticket, EventKind.OPENED, f"首次发现：{finding.detail}")
            record_create(None, ticket, comment=f"{self.inspection} 发现问题，派单")
            self.counts["new"] += 1
            return ticket
        ticket.last_seen = self.inspection
        ticket.detail = finding.detail
        ticket.severity = str(finding.severity)
        ticket.updated_at = self.now
        if ticket.status == TicketStatus.DISMISSED:
            self.counts["dismissed_seen"] += 1
        elif ticket.status == TicketStatus.FIXED:
            old = ticket.status
            ticket.status = TicketStatus.REOPENED
            ticket.reopened_count += 1
            ticket.fixed_at = None
            ticket.fixed_in = None
            self._due(ticket)
            self._move(ticket, unit_id)
            self._event(ticket, EventKind.REOPENED, "已销号的问题再次出现")
            record_transition(None, ticket, "status", old, ticket.status, "复查发现复发")
            self.counts["reopened"] += 1
        else:
            self._move(ticket, unit_id)
            self.counts["still_open"] += 1
        if ticket.checkpoint_id is None and ticket.is_open:
            ticket.checkpoint = self.finder.find(int(ticket.unit_id), ticket.type)
        ticket.save()
        return ticket

    def _move(self, ticket: Ticket, unit_id: int) -> None:
        """The owner rules now give another unit: the open ticket goes to it."""
        if int(ticket.unit_id) == unit_id:
            return
        old = ticket.unit_id
        ticket.unit_id = unit_id
        ticket.checkpoint = self.finder.find(unit_id, ticket.type)
        self._event(ticket, EventKind.MOVED, "按责任单位规则调整")
        record_transition(None, ticket, "unit", old, unit_id, "按责任单位规则调整责任单位")

    def close_unseen(self, seen: set[str], closable: set[str]) -> None:
        for key, ticket in self.tickets.items():
            if key in seen or ticket.status not in OPEN_STATUSES or ticket.type not in closable:
                continue
            old = ticket.status
            ticket.status = TicketStatus.FIXED
            ticket.fixed_at = self.now
            ticket.fixed_in = self.inspection
            ticket.updated_at = self.now
            ticket.save(update_fields=["status", "fixed_at", "fixed_in", "updated_at"])
            self._event(ticket, EventKind.FIXED, "复查未再发现该问题")
            record_transition(None, ticket, "status", old, ticket.status, "复查通过，销号")
            self.counts["fixed"] += 1


def record_result(inspection_id: int, data: Mapping[str, Any]) -> Inspection:
    """Store a finished crawl's result (the `gongkai inspect` JSON) for the inspection, score
    it with the site's rubric and update the tickets. Safe to call twice: an inspection that
    has already finished is returned unchanged."""
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("site", "site__unit")
            .get(pk=inspection_id)
        )
        if inspection.status not in UNFINISHED:
            return inspection
        site = inspection.site
        now = timezone.now()
        findings = [Finding.from_json(dict(f)) for f in data.get("findings") or []]
        rubric = RUBRICS.get(inspection.rubric or site.rubric, NATIONAL_2019)
        bonus = float(site.bonus) if site.is_portal else 0.0
        scored = score(
            findings,
            rubric,
            portal=site.is_portal,
            external_services=site.external_services,
            bonus=bonus,
        )
        normal, whole = coverage(inspection, data)
        checked = set(inspection.checked_types)
        stats = data.get("stats")
        if isinstance(stats, Mapping) and isinstance(stats.get("checks"), list):
            checked &= {str(t) for t in stats["checks"]}  # the crawler says what it ran
        closable = set() if not normal else checked if whole else checked & SITE_LEVEL_TYPES

        recorder = _Recorder(inspection, now)
        rows: list[InspectionFinding] = []
        seen: set[str] = set()
        for order, (finding, cost) in enumerate(zip(findings, scored.costs, strict=True)):
            unit_id = recorder.owners.unit_for(finding)
            key = finding.key
            if key in seen:
                ticket = recorder.tickets[key]
            else:
                seen.add(key)
                ticket = recorder.ticket_for(finding, unit_id)
            indicator = rubric.indicator_for(finding.type)
            rows.append(
                InspectionFinding(
                    inspection=inspection,
                    order=order,
                    key=key,
                    type=finding.type,
                    severity=str(finding.severity),
                    url=finding.url,
                    source_urls=list(finding.source_urls),
                    detail=finding.detail,
                    evidence=finding.evidence or "",
                    cost=cost,
                    indicator=indicator.code if indicator else "",
                    unit_id=unit_id,
                    ticket=ticket,
                )
            )
        InspectionFinding.objects.bulk_create(rows, batch_size=500)
        recorder.close_unseen(seen, closable)
        TicketEvent.objects.bulk_create(recorder.events, batch_size=500)

        old = inspection.status
        inspection.status = InspectionStatus.FINISHED
        inspection.started = _parse_time(data.get("started"), inspection.started or now)
        inspection.finished = _parse_time(data.get("finished"), now)
        inspection.pages_crawled = int(data.get("pages_crawled") or 0)
        inspection.links_checked = int(data.get("links_checked") or 0)
        inspection.score = {
            **scored.to_json(),
            "by_indicator": dict(scored.by_indicator),
            "bonus": bonus if site.is_portal else None,
            "rubric_name": rubric.name,
        }
        inspection.rubric = rubric.version
        inspection.result = scored.result
        inspection.grade = scored.grade
        inspection.deductions = scored.deductions
        inspection.veto = scored.veto
        inspection.complete = whole
        inspection.checked_types = sorted(checked)
        inspection.closable_types = sorted(closable)
        inspection.counts = {**recorder.counts, "findings": len(findings)}
        inspection.stats = dict(stats) if isinstance(stats, Mapping) else {}
        inspection.save()
        grade = f"{scored.result:g} 分，{scored.grade}" if scored.result is not None else "不合格"
        record_transition(None, inspection, "status", old, inspection.status, f"检查完成：{grade}")
    return inspection
