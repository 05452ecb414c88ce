"""Periodic work of 政务舆情, sent by beat every 30 seconds (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.opinion.send_alerts")
def send_alerts_task() -> int:
    """Send the half-time and deadline alerts now due (alerts.send_alerts); safe to run twice
    or on two workers at once, since each alert is claimed by one conditional UPDATE."""
    from gongkai.opinion.alerts import send_alerts

    return send_alerts()
