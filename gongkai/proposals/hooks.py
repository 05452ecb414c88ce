"""Wiring into the other apps: replies due soon or overdue in the daily digests, and the
register's figures as evidence on the checkpoints of tasks about 建议提案."""

from __future__ import annotations


def connect() -> None:
    from gongkai.proposals.reminders import SOURCE
    from gongkai.proposals.tracking import SOURCE as LINKED
    from gongkai.work.linked import register_linked_source
    from gongkai.work.reminders import register_digest_source

    register_digest_source(SOURCE)
    register_linked_source(LINKED)
