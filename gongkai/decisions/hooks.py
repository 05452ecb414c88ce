"""Wiring into the other apps: the catalogue's figures are evidence on the checkpoints of tasks
about major decisions (gongkai.work.linked)."""

from __future__ import annotations


def connect() -> None:
    from gongkai.decisions.linked import SOURCE
    from gongkai.work.linked import register_linked_source

    register_linked_source(SOURCE)
