"""Wiring into the other apps: the 索引号 scheme is checked at start-up; calendar changes
recompute open interpretation due dates; overdue interpretations go into the reminder
digests; the unit's interpretation record is evidence on matching task-tracking checkpoints."""

from __future__ import annotations

from django.conf import settings


def connect() -> None:
    from gongkai.holidays.hooks import register_recompute
    from gongkai.publishing.clock import linked_lines, recompute_open
    from gongkai.publishing.indexnumber import check_scheme
    from gongkai.publishing.reminders import SOURCE
    from gongkai.work.reminders import register_digest_source

    check_scheme(str(settings.INDEX_SCHEME))  # a bad scheme stops start-up, with the reason
    register_recompute(recompute_open)
    register_digest_source(SOURCE)
    try:
        from gongkai.work.linked import LinkedSource, register_linked_source
    except ImportError:  # task tracking without linked evidence: nothing to register
        return
    register_linked_source(LinkedSource("政策解读", ("解读",), linked_lines))
