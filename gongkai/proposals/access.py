"""The one way staff views load proposals.

- The office and evaluators see every proposal; liaisons and leaders those their units lead
  or co-handle. Any other proposal is a 404, the same as a missing one.
- Recording the reply and making the public draft: a liaison of the lead unit, or the office
  (others 403). Co-handling units read only: their opinion goes to the lead unit.
- Registering, changing the registration and generating the yearly summary: the office (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.models import Role
from gongkai.proposals.models import Proposal, ProposalQuerySet


def can_reply(user: Any, proposal: Proposal) -> bool:
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and proposal.unit_id in user.unit_ids()


def require_replier(user: Any, proposal: Proposal) -> None:
    if not can_reply(user, proposal):
        raise PermissionDenied("只有主办单位的联络员或公开办可以办理该建议提案")


def proposals_for_user(user: Any) -> ProposalQuerySet:
    qs = Proposal.objects.all()
    if getattr(user, "sees_all_units", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    ids = user.unit_ids()
    return qs.filter(pk__in=Proposal.objects.filter(Q(unit_id__in=ids) | Q(co_units__in=ids)))


def get_proposal_for_user(user: Any, pk: int, *, write: bool = False) -> Proposal:
    found = proposals_for_user(user).select_related("unit", "document").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该建议提案")
    if write:
        require_replier(user, found)
    return found
