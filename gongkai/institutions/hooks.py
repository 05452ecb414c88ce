"""Wiring into the other apps: the register's state is evidence on matching task-list
checkpoints (gongkai.work.linked)."""

from __future__ import annotations


def connect() -> None:
    from gongkai.institutions.status import SOURCE
    from gongkai.work.linked import register_linked_source

    register_linked_source(SOURCE)
