"""Wiring into the other apps: stale accounts are listed in their units' daily reminder
digests, and the register is evidence on the checkpoints of the 政务新媒体 tasks."""

from __future__ import annotations


def connect() -> None:
    from gongkai.newmedia.linked import SOURCE as LINKED
    from gongkai.newmedia.reminders import SOURCE
    from gongkai.work.linked import register_linked_source
    from gongkai.work.reminders import register_digest_source

    register_digest_source(SOURCE)
    register_linked_source(LINKED)
