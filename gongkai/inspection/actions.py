"""Every change to sites, owner rules, inspections started and tickets dismissed by hand: one
function per act, atomic and audited. Recording an inspection's result is in recording.py.

A refused act raises InspectionRejected with the reason in Chinese and changes nothing; acting
without the right raises PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, record_delete, record_transition
from gongkai.audit.record import snapshot as audit_snapshot
from gongkai.inspect.config import InspectConfig, NewMediaAccount
from gongkai.inspection.access import require_office
from gongkai.inspection.models import (
    UNFINISHED,
    EventKind,
    InspectedSite,
    Inspection,
    InspectionStatus,
    OwnerRule,
    Schedule,
    Ticket,
    TicketEvent,
    TicketStatus,
    Trigger,
)
from gongkai.inspection.types import ran_types
from gongkai.jobs.models import Job, JobKind, JobStatus
from gongkai.jobs.runner import start_job

#: Fields of a site the office sets through create_site / update_site.
SITE_FIELDS = (
    "name", "base_url", "extra_hosts", "unit", "is_portal", "external_services",
    "respect_robots", "max_pages", "schedule", "next_run", "check_options", "rubric", "bonus",
    "allow_private", "new_media", "terms", "domain_exempt", "active",
)  # fmt: skip
MAX_REASON = 300


class InspectionRejected(Exception):
    """Nothing was changed; the message says why, in Chinese."""


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# -- sites ------------------------------------------------------------------------------------


def _apply(site: InspectedSite, data: dict[str, Any]) -> None:
    for name in SITE_FIELDS:
        if name in data:
            setattr(site, name, data[name])
    if not site.is_portal:
        site.bonus = 0  # 加分 is for portals only
    if site.schedule == Schedule.NONE:
        site.next_run = None
        site.anchor_day = None
    else:
        if site.next_run is None:
            site.next_run = timezone.now()  # the first scheduled run: the next beat
        if "next_run" in data or "schedule" in data or site.anchor_day is None:
            # Monthly runs keep to the day of the month the office chose.
            site.anchor_day = timezone.localtime(site.next_run).day


@transaction.atomic
def create_site(user: Any, data: dict[str, Any]) -> InspectedSite:
    require_office(user)
    site = InspectedSite()
    _apply(site, data)
    site.save()
    record_create(_actor(user), site)
    return site


@transaction.atomic
def update_site(user: Any, site: InspectedSite, data: dict[str, Any]) -> InspectedSite:
    require_office(user)
    site = InspectedSite.objects.select_for_update(of=("self",)).get(pk=site.pk)
    before = audit_snapshot(site)
    _apply(site, data)
    site.updated_at = timezone.now()
    site.save()
    before["updated_at"] = audit_snapshot(site)["updated_at"]  # not a change worth a line
    record_change(_actor(user), site, before)
    return site


@transaction.atomic
def add_rule(user: Any, site: InspectedSite, *, kind: str, pattern: str, unit: Any) -> OwnerRule:
    require_office(user)
    pattern = pattern.strip()
    if not pattern:
        raise InspectionRejected("请填写路径前缀或栏目名称")
    if OwnerRule.objects.filter(site=site, kind=kind, pattern=pattern).exists():
        raise InspectionRejected(f"已有「{pattern}」的规则")
    rule = OwnerRule.objects.create(site=site, kind=kind, pattern=pattern, unit=unit)
    record_create(_actor(user), rule, comment=f"网站「{site.name}」新增责任单位规则")
    return rule


@transaction.atomic
def remove_rule(user: Any, rule: OwnerRule) -> None:
    require_office(user)
    record_delete(_actor(user), rule, comment=f"网站「{rule.site.name}」删除责任单位规则")
    rule.delete()


# -- inspections ------------------------------------------------------------------------------


def _new_media(site: InspectedSite) -> list[NewMediaAccount]:
    """The site's own list, then the 政务新媒体 register's open accounts of the site's unit and
    the units under it; an account whose URL is already listed is taken once."""
    from gongkai.newmedia.inspecting import accounts_for_unit

    accounts = [NewMediaAccount(**dict(a)) for a in site.new_media or []]
    seen = {a.url for a in accounts if a.url}
    # A unit's liaison types the register's addresses, not the office: the inspection may
    # reach private addresses for this site's sake, but never for theirs. Where it would, the
    # account is judged by the date the register's own (guarded) daily read found.
    readable = not site.allow_private or settings.FETCH_ALLOW_PRIVATE
    for account in accounts_for_unit(site.unit_id):
        if account.url:
            if account.url in seen:
                continue
            seen.add(account.url)
            if not readable:
                account.url = ""
        accounts.append(account)
    return accounts


def _checks(site: InspectedSite) -> dict[str, dict[str, Any]]:
    """The site's check options, with the register's stale-days rule
    (GONGKAI_NEWMEDIA_STALE_DAYS) where it is stricter than the site's."""
    from gongkai.newmedia.models import stale_days

    checks = {str(k): dict(v) for k, v in (site.check_options or {}).items()}
    stale = checks.get("new_media_stale", {})
    try:
        days = int(stale.get("days", 14))
    except (TypeError, ValueError):
        days = 14
    if stale_days() < days:
        checks["new_media_stale"] = {**stale, "days": stale_days()}
    return checks


def build_config(site: InspectedSite, today: dt.date | None = None) -> InspectConfig:
    """What the crawler is asked to do for this site, as the site is set up now."""
    from django.conf import settings

    return InspectConfig(
        start_urls=[site.base_url],
        extra_hosts=[str(h) for h in site.extra_hosts or []],
        max_pages=int(site.max_pages),
        robots=bool(site.respect_robots),
        allow_private=bool(site.allow_private or settings.FETCH_ALLOW_PRIVATE),
        today=today,
        terms=[(str(a), str(b)) for a, b in site.terms or []],
        checks=_checks(site),
        domain_exempt=[str(h) for h in site.domain_exempt or []],
        new_media=_new_media(site),
    )


def queued_limit() -> dt.timedelta:
    """How long an inspection's job may wait in the queue before it counts as lost."""
    minutes = int(getattr(settings, "INSPECTION_QUEUED_STALE_MINUTES", 120))
    return dt.timedelta(minutes=max(1, minutes))


def _stop_queued_job(job_id: int | None, message: str) -> None:
    """A job that has not started will not: a worker that picks it up later finds nothing."""
    if job_id is None:
        return
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error=message, message="处理失败"
    )


def settle_stale(site: InspectedSite, now: dt.datetime | None = None) -> None:
    """Fail the unfinished inspections that will never finish, so they block nothing: those
    whose job has ended without recording them (a worker died and the sweep failed the job),
    and those whose job is still queued after queued_limit() (the queue lost it, or no worker
    ever ran)."""
    now = now or timezone.now()
    limit = queued_limit()
    cutoff = now - limit
    stale = Inspection.objects.filter(site=site, status__in=UNFINISHED).filter(
        Q(job__status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
        | Q(job__status=JobStatus.QUEUED, job__created_at__lt=cutoff)
        | Q(job__isnull=True, created_at__lt=cutoff)
    )
    for inspection in stale.select_related("job"):
        job = inspection.job
        if job is None or job.status == JobStatus.QUEUED:
            minutes = int(limit.total_seconds() // 60)
            message = f"后台任务排队超过 {minutes} 分钟仍未开始，本次检查作废"
            _stop_queued_job(inspection.job_id, message)
        else:
            message = job.error or ""
        fail_inspection(inspection.pk, message)


def fail_inspection(pk: int, message: str, user: Any = None) -> bool:
    """Mark an unfinished inspection failed with the reason; False when it had finished."""
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",)).select_related("site").get(pk=pk)
        )
        if inspection.status not in UNFINISHED:
            return False
        old = inspection.status
        inspection.status = InspectionStatus.FAILED
        inspection.finished = timezone.now()
        inspection.error = (message or "检查未能完成")[:2000]
        inspection.save(update_fields=["status", "finished", "error"])
        record_transition(
            _actor(user), inspection, "status", old, inspection.status, inspection.error
        )
    return True


@transaction.atomic
def cancel_inspection(user: Any, site: InspectedSite) -> Inspection:
    """取消检查: the office gives up on the site's queued or running inspection. It is failed
    at once (a running crawl's result, when it comes, is not recorded), and a job that has not
    started is stopped."""
    require_office(user)
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .filter(site=site, status__in=UNFINISHED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if inspection is None:
        raise InspectionRejected("该网站没有正在进行的检查")
    name = getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "")
    message = f"公开办{f'（{name}）' if name else ''}取消了本次检查"
    _stop_queued_job(inspection.job_id, message)
    fail_inspection(inspection.pk, message, user)
    inspection.refresh_from_db()
    return inspection


@transaction.atomic
def start_inspection(
    user: Any, site: InspectedSite, *, trigger: Trigger = Trigger.MANUAL
) -> Inspection:
    """Queue an inspection of the site as a background job (the job page shows progress)."""
    if trigger == Trigger.MANUAL:
        require_office(user)
    site = InspectedSite.objects.select_for_update(of=("self",)).get(pk=site.pk)
    if not site.active:
        raise InspectionRejected("该网站已停用，请先启用再检查")
    settle_stale(site)
    if Inspection.objects.filter(site=site, status__in=UNFINISHED).exists():
        raise InspectionRejected("该网站已有一次检查正在进行，请等它结束")
    config = build_config(site)
    # What it runs with is fixed now: recording scores and closes tickets by these, not by the
    # site's settings when the result comes back.
    inspection = Inspection.objects.create(
        site=site,
        trigger=trigger,
        started_by=_actor(user),
        rubric=site.rubric,
        checked_types=ran_types(config),
        config=config.to_json(),
        max_pages=config.max_pages,
        is_portal=site.is_portal,
        external_services=site.external_services,
        bonus=float(site.bonus) if site.is_portal else 0.0,
    )
    job = start_job(
        JobKind.INSPECTION,
        user=user,
        params={"inspection": inspection.pk, "site": site.name, "config": inspection.config},
        unit=site.unit,
    )
    inspection.job = job
    inspection.save(update_fields=["job"])
    record_create(_actor(user), inspection, comment=f"{trigger.label}网站检查")
    return inspection


# -- tickets by hand ------------------------------------------------------------------------


def _event(ticket: Ticket, kind: EventKind, user: Any, note: str) -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, actor=_actor(user), note=note[:300])


@transaction.atomic
def dismiss_ticket(user: Any, ticket: Ticket, reason: str) -> Ticket:
    """The office rules a ticket out (a false finding, an accepted exception): it is no longer
    owed and later inspections that find the same problem leave it dismissed."""
    require_office(user)
    reason = reason.strip()
    if not reason:
        raise InspectionRejected("请说明排除理由")
    if len(reason) > MAX_REASON:
        raise InspectionRejected(f"排除理由不能超过 {MAX_REASON} 字")
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if not ticket.is_open:
        raise InspectionRejected(f"工单当前为「{ticket.get_status_display()}」，不能排除")
    old = ticket.status
    ticket.status = TicketStatus.DISMISSED
    ticket.dismissed_reason = reason
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["status", "dismissed_reason", "updated_at"])
    _event(ticket, EventKind.DISMISSED, user, reason)
    record_transition(_actor(user), ticket, "status", old, ticket.status, reason)
    return ticket


@transaction.atomic
def restore_ticket(user: Any, ticket: Ticket) -> Ticket:
    """Undo a dismissal: the ticket is owed again, with a new due date from today."""
    from gongkai.holidays.calendar import office_calendar
    from gongkai.inspection.clock import due_date

    require_office(user)
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if ticket.status != TicketStatus.DISMISSED:
        raise InspectionRejected("只有已排除的工单可以恢复")
    old = ticket.status
    ticket.status = TicketStatus.OPEN
    ticket.dismissed_reason = ""
    ticket.opened_on = timezone.localdate()
    ticket.due_on, ticket.due_problem = due_date(ticket.opened_on, office_calendar())
    ticket.updated_at = timezone.now()
    ticket.save()
    _event(ticket, EventKind.RESTORED, user, "恢复为待整改")
    record_transition(_actor(user), ticket, "status", old, ticket.status, "恢复为待整改")
    return ticket
