"""Wiring into the other apps: calendar changes recompute every open request's deadline, and
open requests are listed in their units' daily reminder digests."""

from __future__ import annotations


def connect() -> None:
    from gongkai.disclosure.clock import recompute_open
    from gongkai.disclosure.reminders import SOURCE
    from gongkai.holidays.hooks import register_recompute
    from gongkai.work.reminders import register_digest_source

    register_recompute(recompute_open)
    register_digest_source(SOURCE)
