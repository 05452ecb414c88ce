"""The access walk's entries for newmedia's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = {
    # The portal's 政务新媒体 page (gongkai/newmedia/views/public.py).
    "portal/xmt/",
}


def _account(cast: Cast) -> int:
    from gongkai.newmedia.actions import AccountInput, register_account
    from gongkai.newmedia.models import Platform

    made = register_account(
        cast.justice_liaison,
        AccountInput(platform=Platform.WECHAT, name="司法局公众号", unit=cast.justice),
    )
    return made.pk


RECORDS: dict[str, Callable[[Cast], int]] = {
    "newmedia/<int:pk>/": _account,
    "newmedia/<int:pk>/edit/": _account,
    "newmedia/<int:pk>/post/": _account,
    "newmedia/<int:pk>/fetch/": _account,
}
UNSCOPED: set[str] = set()
