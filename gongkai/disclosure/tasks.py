"""Periodic work of the request register, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.disclosure.refresh_clocks")
def refresh_clocks_task() -> None:
    """Keep paused and newly late clocks current (clock.refresh_clocks)."""
    from gongkai.disclosure.clock import refresh_clocks

    refresh_clocks()
