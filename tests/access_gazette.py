"""The access walk's entries for gazette's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = {
    # The public gazette pages (gongkai/gazette/views/public.py): published issues only.
    "portal/gb/",
    "portal/gb/search/",
    "portal/gb/files/<int:pk>",
    "portal/gb/<int:year>/",
    "portal/gb/<int:year>/<int:number>/",
    "portal/gb/<int:year>/<int:number>/pdf",
}
RECORDS: dict[str, Callable[[Cast], int]] = {}
UNSCOPED: set[str] = {
    # The gazette is the government's, not one unit's (gongkai/gazette/access.py): every
    # signed-in user may read every issue; every change is the office's, 403 for liaisons
    # (test_gazette_pages.py).
    "gazette/<int:pk>/",
    "gazette/<int:pk>/edit/",
    "gazette/<int:pk>/items/",
    "gazette/<int:pk>/pdf/",
    "gazette/<int:pk>/pdf/remove/",
    "gazette/<int:pk>/pdf/file",
    "gazette/<int:pk>/publish/",
    "gazette/<int:pk>/withdraw/",
    "gazette/items/<int:pk>/remove/",
    "gazette/items/<int:pk>/file",
    # A published issue and its files are everyone's; a draft is a 404 (test_gazette_story.py,
    # test_gazette_pages.py).
    "portal/gb/files/<int:pk>",
    "portal/gb/<int:year>/",
    "portal/gb/<int:year>/<int:number>/",
    "portal/gb/<int:year>/<int:number>/pdf",
}
