"""The access walk's entries for institutions's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = {
    "portal/jgzn/",
    "portal/jgzn/<int:unit_pk>/",
    "portal/jgzn/photos/<int:pk>",
}


def _unit_of_justice(cast: Cast) -> int:
    """The staff pages are keyed by the unit; a profile with one leader exists for it."""
    _leader_of_justice(cast)
    return cast.justice.pk


def _leader_of_justice(cast: Cast) -> int:
    from gongkai.institutions import actions

    leader = actions.save_leader(
        cast.justice_liaison, cast.justice, None, {"name": "王某", "title": "局长"}
    )
    return leader.pk


def _photo_of_justice(cast: Cast) -> int:
    from gongkai.institutions import actions
    from gongkai.institutions.demo import portrait_png as png

    return actions.store_photo(cast.justice_liaison, cast.justice, png()).pk


RECORDS: dict[str, Callable[[Cast], int]] = {
    "institutions/<int:unit_pk>/": _unit_of_justice,
    "institutions/<int:unit_pk>/edit/": _unit_of_justice,
    "institutions/<int:unit_pk>/leaders/new/": _unit_of_justice,
    "institutions/<int:unit_pk>/submit/": _unit_of_justice,
    "institutions/<int:unit_pk>/review/": _unit_of_justice,
    "institutions/<int:unit_pk>/confirm/": _unit_of_justice,
    "institutions/leaders/<int:pk>/edit/": _leader_of_justice,
    "institutions/leaders/<int:pk>/remove/": _leader_of_justice,
    "institutions/photos/<int:pk>": _photo_of_justice,
}
UNSCOPED: set[str] = {
    # The portal shows each unit's approved version to everyone; a unit with none, and a photo
    # no published version shows, are 404 (test_institutions_public.py).
    "portal/jgzn/<int:unit_pk>/",
    "portal/jgzn/photos/<int:pk>",
}
