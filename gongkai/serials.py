"""What the registers share for numbering and lookups: a counter bumped inside the caller's
transaction, and the one-time lookup code (查询码) kept only as a digest.

`bump(Counter, key=…)` adds one to the counter row with that key (a model with a `last` field
and a unique key) by a single `UPDATE … SET last = last + 1`, creating the row at 1 when it is
missing. Called inside the transaction that saves the numbered record, two callers queue on the
row (PostgreSQL) or on the write lock (SQLite) and never get the same value. Used for request
numbers (YSQ-…), question numbers (HD-…) and 索引号.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

#: 12 characters of URL-safe base64: typed by hand from a receipt or a screen, so kept short.
SECRET_BYTES = 9


def bump(counter: type[models.Model], **key: Any) -> int:
    """The counter's new value; call inside the transaction that saves the numbered record."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    rows = counter._default_manager.filter(**key)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                counter._default_manager.create(**key, last=1)
        except IntegrityError:  # another caller created the row first
            rows.update(last=F("last") + 1)
    return int(rows.values_list("last", flat=True).get())


def new_secret() -> tuple[str, str]:
    """(the lookup code to show once, the digest to store)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return secret, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(secret: str, stored: str) -> bool:
    return bool(stored) and hmac.compare_digest(digest(secret), stored)
