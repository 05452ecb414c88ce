"""Wiring into the other apps: consultations whose window is over are listed in their units'
daily reminder digests."""

from __future__ import annotations


def connect() -> None:
    from gongkai.consult.reminders import SOURCE
    from gongkai.work.reminders import register_digest_source

    register_digest_source(SOURCE)
