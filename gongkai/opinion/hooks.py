"""Wiring into the other apps: the alerts render under their own heading in reminder messages,
and a task about 政务舆情 shows the register's figures as evidence on its checkpoints."""

from __future__ import annotations


def connect() -> None:
    from gongkai.opinion.alerts import BLOCK
    from gongkai.opinion.evidence import SOURCE
    from gongkai.work.linked import register_linked_source
    from gongkai.work.notify import register_block

    register_block(BLOCK)
    register_linked_source(SOURCE)
