"""The access walk's entries for withheld's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = {
    # The published negative list (gongkai/withheld/views/public.py).
    "portal/fmqd/",
}


def _check_of_justice(cast: Cast) -> int:
    from gongkai.withheld.actions import open_check

    return open_check(cast.office, year=2025, unit=cast.justice).pk


def _item_of_justice(cast: Cast) -> int:
    from gongkai.withheld.models import CheckItem, ItemKind, SelfCheck

    check = SelfCheck.objects.get(pk=_check_of_justice(cast))
    item = CheckItem.objects.create(
        selfcheck=check, kind=ItemKind.DENIED, unit=cast.justice, description="某内部文件"
    )
    return item.pk


RECORDS: dict[str, Callable[[Cast], int]] = {
    "withheld/checks/<int:pk>/": _check_of_justice,
    "withheld/checks/<int:pk>/refresh/": _check_of_justice,
    "withheld/checks/<int:pk>/close/": _check_of_justice,
    "withheld/items/<int:pk>/decide/": _item_of_justice,
}
UNSCOPED: set[str] = {
    # The negative list is public and every signed-in user reads it; changing an entry is the
    # office's (403 for everyone else, tests/test_withheld_list.py).
    "withheld/entries/<int:pk>/edit/",
}
