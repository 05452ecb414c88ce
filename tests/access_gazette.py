"""The access walk's entries for gazette's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = set()
RECORDS: dict[str, Callable[[Cast], int]] = {}
UNSCOPED: set[str] = set()
