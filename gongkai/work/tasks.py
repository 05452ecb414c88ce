"""Periodic work of the work app, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.work.reminders")
def reminders_task() -> None:
    """Make today's digests once the reminder hour has come, and send what is due."""
    from gongkai.work.reminders import run_reminders

    run_reminders()


@shared_task(name="gongkai.work.recheck_links")
def recheck_links_task() -> None:
    """Check again the evidence links whose weekly re-check has come."""
    from gongkai.work.linkcheck import recheck_due_links

    recheck_due_links()


@shared_task(name="gongkai.work.check_links")
def check_links_task(evidence_ids: list[int]) -> None:
    """Check new evidence links now (queued when a report is submitted)."""
    from gongkai.work.linkcheck import check_links

    check_links(evidence_ids)


@shared_task(name="gongkai.work.refresh_dashboard")
def refresh_dashboard_task(scope: list[int] | None, filters: dict[str, str], today: str) -> None:
    """Compute a dashboard's figures after a change (dashboard.figures asks for it)."""
    import datetime as dt

    from gongkai.work.dashboard import dashboard_filter, refresh

    refresh(
        set(scope) if scope is not None else None,
        dashboard_filter(filters),
        dt.date.fromisoformat(today),
    )
