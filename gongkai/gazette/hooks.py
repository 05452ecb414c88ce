"""Wiring into the other apps: the gazette's figures are evidence on checkpoints of tasks about
the 政府公报."""

from __future__ import annotations


def connect() -> None:
    from gongkai.gazette.linked import SOURCE
    from gongkai.work.linked import register_linked_source

    register_linked_source(SOURCE)
