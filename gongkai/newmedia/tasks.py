"""Periodic work of 政务新媒体, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.newmedia.fetch_due")
def fetch_due_task() -> int:
    """Read the accounts whose daily fetch has come (fetching.fetch_due); safe to run twice,
    since each account is claimed by one conditional UPDATE."""
    from gongkai.newmedia.fetching import fetch_due

    return fetch_due()
