"""Wiring into the other apps: the self-check and the negative list are evidence on matching
task-list checkpoints (gongkai.work.linked)."""

from __future__ import annotations


def connect() -> None:
    from gongkai.withheld.linking import SOURCE
    from gongkai.work.linked import register_linked_source

    register_linked_source(SOURCE)
