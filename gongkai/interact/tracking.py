"""Question numbers and the asker's 查询码.

A number reads `HD-2026-00042`: the prefix (GONGKAI_QUESTION_PREFIX), the year of receipt and
a serial within the year. The serial is the year's counter row bumped by one
`UPDATE … SET last = last + 1` inside the transaction that stores the question, so concurrent
askers queue on the row (PostgreSQL) or the write lock (SQLite) and never share a serial; the
unique constraint on Question.tracking_no is the last guard.

The 查询码 is shown once with the number; only its sha256 is kept, so a leaked database does
not let anyone read another asker's reply.
"""

from __future__ import annotations

from django.conf import settings

from gongkai.interact.models import QuestionCounter
from gongkai.serials import bump, new_secret, secret_matches

__all__ = ["matches", "new_secret", "next_number"]

#: A lookup code against its stored digest.
matches = secret_matches


def next_number(year: int) -> str:
    """The next number of `year`; call inside the transaction that saves the question."""
    return f"{settings.QUESTION_PREFIX}-{year}-{bump(QuestionCounter, year=year):05d}"
