"""Recording an inspection's result, in one transaction: the findings with what each cost, the
score, and the tickets.

Tickets, by the finding's key (its type and URL) on the site:
- a key without a ticket → a new open ticket for the unit owning the page (owners.py), due in
  N working days (clock.py), linked to the matching checkpoint (linking.py);
- an open ticket found again → still open (last seen now); its unit follows the owner rules;
- a fixed ticket found again → reopened (a regression), with a new due date;
- a dismissed ticket found again → stays dismissed; its findings are kept, marked dismissed,
  and cost nothing (a dismissed veto does not veto);
- an open ticket not found → fixed, only on evidence (evidence.py): its check ran without
  error, the home page answered, and the inspection reached the ticket's page.
Every ticket created or moved between states is written to its history and the audit trail.

The work is done in bulk (a bounded number of queries whatever the number of findings): the
site's tickets are read and locked once, new ones inserted together, changed ones updated
together, findings, history lines and audit events inserted together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from gongkai.audit.context import current_origin
from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.audit.record import diff, record_transition, snapshot
from gongkai.holidays.calendar import office_calendar
from gongkai.inspect.findings import Finding
from gongkai.inspect.scoring import NATIONAL_2019, RUBRICS, score
from gongkai.inspection.clock import due_date
from gongkai.inspection.evidence import Evidence, read_evidence, stored_stats
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
from gongkai.newmedia.inspecting import owners_by_address
from gongkai.workdays import WorkdayCalendar

BATCH = 500
#: Ticket fields a recording may change on an existing ticket.
TICKET_FIELDS = [
    "last_seen", "detail", "severity", "source_urls", "updated_at", "status", "reopened_count",
    "fixed_at", "fixed_in", "opened_on", "due_on", "due_problem", "unit", "checkpoint",
    "notified_on", "reminded_overdue_on", "office_alerted_on",
]  # fmt: skip


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


class _Audit:
    """Audit events built in memory and inserted together (as gongkai.audit.record would)."""

    def __init__(self) -> None:
        self.origin = current_origin()
        self.events: list[AuditEvent] = []

    def add(
        self, action: AuditAction, obj: models.Model, changes: dict[str, Any], note: str
    ) -> None:
        self.events.append(
            AuditEvent(
                actor=None,
                actor_name="系统",
                action=action,
                channel=self.origin.channel,
                ip=self.origin.ip,
                changes=changes,
                comment=note,
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                unit_id=getattr(obj, "unit_id", None),
            )
        )

    def save(self) -> None:
        AuditEvent.objects.bulk_create(self.events, batch_size=BATCH)


class _Recorder:
    def __init__(self, inspection: Inspection, now: dt.datetime) -> None:
        self.inspection = inspection
        self.site = inspection.site
        self.now = now
        self.today = timezone.localdate(now)
        # Locked first, so the due dates below are computed while no one else (the calendar
        # recompute included) can change these rows.
        self.tickets = {
            t.key: t for t in Ticket.objects.select_for_update(of=("self",)).filter(site=self.site)
        }
        self.calendar: WorkdayCalendar = office_calendar()
        self.owners = Owners(self.site, accounts=owners_by_address(int(self.site.unit_id)))
        self.finder = CheckpointFinder(self.today)
        self.counts = {"new": 0, "still_open": 0, "reopened": 0, "fixed": 0, "dismissed_seen": 0}
        self.events: list[TicketEvent] = []
        self.created: list[Ticket] = []
        #: Existing tickets: changed beyond last seen (bulk_update), only seen again, closed.
        self.changed: dict[int, Ticket] = {}
        self.touched: set[int] = set()
        self.fixed: list[int] = []
        self.audit = _Audit()
        self._later: list[tuple[AuditAction, Ticket, dict[str, Any], str]] = []

    def _event(self, ticket: Ticket, kind: EventKind, note: str = "") -> None:
        self.events.append(
            TicketEvent(
                ticket=ticket, kind=kind, at=self.now, inspection=self.inspection, note=note[:300]
            )
        )

    def _due(self, ticket: Ticket) -> None:
        """(Re)open the ticket's clock; its unit and the office hear of this episode afresh."""
        ticket.opened_on = self.today
        ticket.due_on, ticket.due_problem = due_date(self.today, self.calendar)
        ticket.notified_on = ticket.reminded_overdue_on = ticket.office_alerted_on = None

    def _transition(self, ticket: Ticket, name: str, old: Any, new: Any, note: str) -> None:
        self._later.append((AuditAction.TRANSITION, ticket, {name: [old, new]}, note))

    def is_dismissed(self, key: str) -> bool:
        ticket = self.tickets.get(key)
        return ticket is not None and ticket.status == TicketStatus.DISMISSED

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
                source_urls=list(finding.source_urls),
                detail=finding.detail,
                unit_id=unit_id,
                first_seen=self.inspection,
                last_seen=self.inspection,
                checkpoint=self.finder.find(unit_id, finding.type),
                created_at=self.now,
                updated_at=self.now,
            )
            self._due(ticket)
            self.tickets[key] = ticket
            self.created.append(ticket)
            self._event(ticket, EventKind.OPENED, f"首次发现：{finding.detail}")
            self.counts["new"] += 1
            return ticket
        before = self._state(ticket)
        ticket.last_seen = self.inspection
        ticket.detail = finding.detail
        ticket.severity = str(finding.severity)
        ticket.source_urls = list(finding.source_urls)
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
            self._transition(ticket, "status", old, ticket.status, "复查发现复发")
            self.counts["reopened"] += 1
        else:
            self._move(ticket, unit_id)
            self.counts["still_open"] += 1
        if ticket.checkpoint_id is None and ticket.is_open:
            ticket.checkpoint = self.finder.find(int(ticket.unit_id), ticket.type)
        if self._state(ticket) == before:
            self.touched.add(ticket.pk)  # only last seen: one UPDATE for all of these
        else:
            self.changed[ticket.pk] = ticket
        return ticket

    @staticmethod
    def _state(ticket: Ticket) -> tuple[Any, ...]:
        """What a recording may change on a ticket besides when it was last seen."""
        return tuple(
            getattr(ticket, name)
            for name in (
                "detail", "severity", "source_urls", "status", "reopened_count", "fixed_at",
                "fixed_in_id", "opened_on", "due_on", "due_problem", "unit_id", "checkpoint_id",
            )
        )  # fmt: skip

    def also_seen(self, ticket: Ticket, finding: Finding) -> None:
        """The same key reported twice in one result: keep every page it was seen on."""
        merged = list(dict.fromkeys([*ticket.source_urls, *finding.source_urls]))
        if merged != ticket.source_urls:
            ticket.source_urls = merged
            if ticket.pk is not None:
                self.touched.discard(ticket.pk)
                self.changed[ticket.pk] = ticket

    def _move(self, ticket: Ticket, unit_id: int) -> None:
        """The owner rules now give another unit: the open ticket goes to it."""
        if int(ticket.unit_id) == unit_id:
            return
        old = ticket.unit_id
        ticket.unit_id = unit_id
        ticket.notified_on = ticket.reminded_overdue_on = None  # the new unit has not been told
        ticket.checkpoint = self.finder.find(unit_id, ticket.type)
        self._event(ticket, EventKind.MOVED, "按责任单位规则调整")
        self._transition(ticket, "unit", old, unit_id, "按责任单位规则调整责任单位")

    def close_unseen(self, seen: set[str], evidence: Evidence) -> None:
        for key, ticket in self.tickets.items():
            if key in seen or ticket.status not in OPEN_STATUSES:
                continue
            if not evidence.may_close(ticket.type, ticket.url, ticket.source_urls):
                continue
            old = ticket.status
            ticket.status = TicketStatus.FIXED
            ticket.fixed_at = self.now
            ticket.fixed_in = self.inspection
            ticket.updated_at = self.now
            self.fixed.append(ticket.pk)
            self._event(ticket, EventKind.FIXED, "复查未再发现该问题")
            self._transition(ticket, "status", old, ticket.status, "复查通过，销号")
            self.counts["fixed"] += 1

    def save(self) -> None:
        Ticket.objects.bulk_create(self.created, batch_size=BATCH)
        Ticket.objects.bulk_update(list(self.changed.values()), TICKET_FIELDS, batch_size=BATCH)
        touched = sorted(self.touched)
        for start in range(0, len(touched), BATCH):
            Ticket.objects.filter(pk__in=touched[start : start + BATCH]).update(
                last_seen=self.inspection, updated_at=self.now
            )
        for start in range(0, len(self.fixed), BATCH):
            Ticket.objects.filter(pk__in=self.fixed[start : start + BATCH]).update(
                status=TicketStatus.FIXED,
                fixed_at=self.now,
                fixed_in=self.inspection,
                updated_at=self.now,
            )
        for ticket in self.created:
            note = f"{self.inspection} 发现问题，派单"
            self.audit.add(AuditAction.CREATE, ticket, diff(None, snapshot(ticket)), note)
        for action, ticket, changes, note in self._later:
            self.audit.add(action, ticket, changes, note)
        TicketEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.audit.save()


def record_result(inspection_id: int, data: Mapping[str, Any]) -> Inspection:
    """Store a finished crawl's result (the `gongkai inspect` JSON) for the inspection, score
    it with the rubric and settings the inspection was started with and update the tickets.
    Safe to call twice: an inspection that has already finished is returned unchanged."""
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
        # The settings the inspection was started with (older rows: the site's).
        portal = site.is_portal if inspection.is_portal is None else inspection.is_portal
        services = (
            site.external_services
            if inspection.external_services is None
            else inspection.external_services
        )
        bonus_set = site.bonus if inspection.bonus is None else inspection.bonus
        bonus = float(bonus_set or 0) if portal else 0.0
        evidence = read_evidence(inspection.checked_types, data)

        recorder = _Recorder(inspection, now)
        dismissed = [recorder.is_dismissed(f.key) for f in findings]
        counted = [f for f, out in zip(findings, dismissed, strict=True) if not out]
        scored = score(counted, rubric, portal=portal, external_services=services, bonus=bonus)
        costs = iter(scored.costs)

        rows: list[InspectionFinding] = []
        seen: set[str] = set()
        for order, (finding, out) in enumerate(zip(findings, dismissed, strict=True)):
            unit_id = recorder.owners.unit_for(finding)
            key = finding.key
            if key in seen:
                ticket = recorder.tickets[key]
                recorder.also_seen(ticket, finding)
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
                    cost=0.0 if out else next(costs),
                    dismissed=out,
                    indicator=indicator.code if indicator else "",
                    unit_id=unit_id,
                    ticket=ticket,
                )
            )
        recorder.close_unseen(seen, evidence)
        recorder.save()
        InspectionFinding.objects.bulk_create(rows, batch_size=BATCH)

        old = inspection.status
        inspection.status = InspectionStatus.FINISHED
        inspection.started = _parse_time(data.get("started"), inspection.started or now)
        inspection.finished = _parse_time(data.get("finished"), now)
        inspection.pages_crawled = int(data.get("pages_crawled") or 0)
        inspection.links_checked = int(data.get("links_checked") or 0)
        inspection.score = {
            **scored.to_json(),
            "by_indicator": dict(scored.by_indicator),
            "bonus": bonus if portal else None,
            "rubric_name": rubric.name,
            "dismissed": sum(dismissed),
            "evidence_notes": list(evidence.notes),
        }
        inspection.rubric = rubric.version
        inspection.result = scored.result
        inspection.grade = scored.grade
        inspection.deductions = scored.deductions
        inspection.veto = scored.veto
        inspection.complete = evidence.complete
        inspection.closable_types = sorted(evidence.judged)
        inspection.counts = {**recorder.counts, "findings": len(findings)}
        inspection.stats = stored_stats(data)
        inspection.save()
        grade = f"{scored.result:g} 分，{scored.grade}" if scored.result is not None else "不合格"
        record_transition(None, inspection, "status", old, inspection.status, f"检查完成：{grade}")
    return inspection
