"""The access walk's entries for decisions's URLs (merged into tests/test_access_walk.py).

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cast

PUBLIC: set[str] = {
    # The published catalogues (gongkai/decisions/views/public.py).
    "portal/zdjc/",
    "portal/zdjc/<int:year>/",
}


def _item_of_justice(cast: Cast) -> int:
    from gongkai.decisions.actions import CatalogueInput, ItemInput, add_item, create_catalogue

    catalogue = create_catalogue(cast.office, 2026, CatalogueInput())
    item = add_item(cast.office, catalogue, ItemInput("司法局的决策事项", cast.justice, "2026年"))
    return int(item.pk)


RECORDS: dict[str, Callable[[Cast], int]] = {
    f"decisions/items/<int:pk>/{act}": _item_of_justice
    for act in ("", "edit/", "remove/", "consultation/", "hearing/", "decision/", "evaluation/")
}
UNSCOPED: set[str] = {
    # A catalogue is the government's, not one unit's: every signed-in user may read it, only
    # the office changes it (403 for others, test_decisions_rules.py); its items are scoped.
    "decisions/<int:pk>/",
    "decisions/<int:pk>/edit/",
    "decisions/<int:pk>/publish/",
    "decisions/<int:pk>/items/",
    # A published catalogue is everyone's; a draft is a 404 (test_decisions_rules.py).
    "portal/zdjc/<int:year>/",
}
