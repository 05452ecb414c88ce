"""Tracking numbers and the applicant's secret.

A tracking number reads `YSQ-2025-00042`: the prefix (GONGKAI_REQUEST_PREFIX), the year of
registration and a serial within the year. The serial comes from one row per year bumped with
a single `UPDATE … SET last = last + 1` inside the registering transaction, so two registrations
never get the same serial: on PostgreSQL the row lock queues them, on SQLite the write lock
does. The unique constraint on Request.tracking_no is the last guard.

The secret is shown to the applicant once, with the tracking number; only its sha256 is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from gongkai.disclosure.models import TrackingCounter

SECRET_BYTES = 9  # 12 characters of URL-safe base64; typed from a receipt, so kept short


def prefix() -> str:
    return str(settings.REQUEST_PREFIX)


def next_tracking_no(year: int) -> str:
    """The next number of `year`; call inside the transaction that saves the request."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    if not TrackingCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TrackingCounter.objects.create(year=year, last=1)
        except IntegrityError:  # another registration created the year's row first
            TrackingCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = TrackingCounter.objects.get(year=year).last
    return f"{prefix()}-{year}-{last:05d}"


def new_secret() -> tuple[str, str]:
    """(secret for the applicant, digest to store)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return secret, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(secret: str, stored: str) -> bool:
    return bool(stored) and hmac.compare_digest(digest(secret), stored)
