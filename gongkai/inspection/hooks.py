"""Wiring into the other apps: a calendar change recomputes open tickets' due dates, the
tickets and scores are evidence on matching task-list checkpoints (gongkai.work.linked), and
units hear of new and overdue tickets in their daily digests."""

from __future__ import annotations


def connect() -> None:
    from gongkai.holidays.hooks import register_recompute
    from gongkai.inspection import reminders
    from gongkai.inspection.clock import recompute
    from gongkai.inspection.linking import SOURCE
    from gongkai.work.linked import register_linked_source
    from gongkai.work.reminders import register_digest_source

    register_recompute(recompute)
    register_linked_source(SOURCE)
    register_digest_source(reminders.SOURCE)
