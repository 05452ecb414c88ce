"""The access walk's entries for proposals's URLs (merged into tests/test_access_walk.py), and
the factory the proposal tests share.

PUBLIC: routes anyone may open; RECORDS: routes naming a record, with a function making one
that belongs to 司法局 (cast.justice) and returning its pk; UNSCOPED: routes naming a record
that is not any one unit's, with the reason in a comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from gongkai.proposals.models import Kind, Level, Proposal
from tests.conftest import Cast


def make_proposal(cast: Cast, number: str = "第0001号", **fields: Any) -> Proposal:
    """A district proposal of this year led by 司法局, received today, registered directly."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "year": today.year,
        "level": Level.DISTRICT,
        "kind": Kind.PROPOSAL,
        "number": number,
        "title": "关于加强社区法律援助服务的提案",
        "deputies": "王某某",
        "unit": cast.justice,
        "received_on": today,
        "due_on": today + dt.timedelta(days=90),
        **fields,
    }
    return Proposal.objects.create(**values)


def _proposal_of_justice(cast: Cast) -> int:
    return make_proposal(cast).pk


PUBLIC: set[str] = {
    # 建议提案办理's public pages (gongkai/proposals/views/public.py).
    "portal/jyta/",
    "portal/jyta/<int:pk>/",
}
RECORDS: dict[str, Callable[[Cast], int]] = {
    "proposals/<int:pk>/": _proposal_of_justice,
    "proposals/<int:pk>/edit/": _proposal_of_justice,
    "proposals/<int:pk>/reply/": _proposal_of_justice,
    "proposals/<int:pk>/publish/": _proposal_of_justice,
    "proposals/<int:pk>/letter": _proposal_of_justice,
}
UNSCOPED: set[str] = {
    # A published reply is everyone's; any other is a 404 (test_proposals_pages.py).
    "portal/jyta/<int:pk>/",
}
