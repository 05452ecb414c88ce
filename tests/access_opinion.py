"""The access walk's entries for opinion's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from gongkai.opinion.actions import EventInput, register_event
from gongkai.opinion.models import Level
from tests.conftest import Cast


def _event_of_justice(cast: Cast) -> int:
    data = EventInput(
        unit=cast.justice,
        title="网传司法所调解室关闭",
        source="微博",
        detected_at=timezone.now() - dt.timedelta(hours=1),
        level=Level.SERIOUS,
    )
    return int(register_event(cast.office, data).pk)


PUBLIC: set[str] = set()
RECORDS: dict[str, Callable[[Cast], int]] = {
    "opinion/<int:pk>/": _event_of_justice,
    "opinion/<int:pk>/respond/": _event_of_justice,
    "opinion/<int:pk>/level/": _event_of_justice,
    "opinion/<int:pk>/assign/": _event_of_justice,
    "opinion/<int:pk>/close/": _event_of_justice,
    "api/opinion/events/<int:event_id>": _event_of_justice,
    "api/opinion/events/<int:event_id>/responses": _event_of_justice,
}
UNSCOPED: set[str] = set()
