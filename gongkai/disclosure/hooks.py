"""Wiring into the other apps: calendar changes recompute every open request's deadline."""

from __future__ import annotations


def connect() -> None:
    from gongkai.disclosure.clock import recompute_open
    from gongkai.holidays.hooks import register_recompute

    register_recompute(recompute_open)
