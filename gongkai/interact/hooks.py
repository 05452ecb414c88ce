"""Wiring into the other apps: a calendar change recomputes the questions' reply deadlines, and
questions are listed in the units' (and the office's) daily reminder digests."""

from __future__ import annotations


def connect() -> None:
    from gongkai.holidays.hooks import register_recompute
    from gongkai.interact.clock import recompute
    from gongkai.interact.reminders import SOURCE
    from gongkai.work.reminders import register_digest_source

    register_recompute(recompute)
    register_digest_source(SOURCE)
