"""Tracking numbers and the applicant's secret.

A tracking number reads `YSQ-2025-00042`: the prefix (GONGKAI_REQUEST_PREFIX), the year of
registration and a serial within the year. The serial comes from one row per year bumped with
a single `UPDATE … SET last = last + 1` inside the registering transaction, so two registrations
never get the same serial: on PostgreSQL the row lock queues them, on SQLite the write lock
does. The unique constraint on Request.tracking_no is the last guard.

The secret is shown to the applicant once, with the tracking number; only its sha256 is kept.
"""

from __future__ import annotations

from django.conf import settings

from gongkai.disclosure.models import TrackingCounter
from gongkai.serials import bump, new_secret, secret_matches

__all__ = ["new_secret", "next_tracking_no", "prefix", "secret_matches"]


def prefix() -> str:
    return str(settings.REQUEST_PREFIX)


def next_tracking_no(year: int) -> str:
    """The next number of `year`; call inside the transaction that saves the request."""
    return f"{prefix()}-{year}-{bump(TrackingCounter, year=year):05d}"
