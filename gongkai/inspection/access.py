"""The one way views load sites, inspections and tickets.

- Sites and their inspections: the office and evaluators see every site; liaisons and leaders
  the sites their units run. Another unit's site is a 404, the same as a missing one.
- Tickets: the office and evaluators see every ticket; liaisons and leaders their units'
  tickets, whichever site they are on.
- Registering and editing sites, owner rules, starting inspections and dismissing tickets: the
  office only (403 for the others who can see the record). Evaluators read only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.inspection.models import (
    InspectedSite,
    InspectedSiteQuerySet,
    Inspection,
    OwnerRule,
    Ticket,
    TicketQuerySet,
)


def sites_for_user(user: Any) -> InspectedSiteQuerySet:
    qs = InspectedSite.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_site_for_user(user: Any, pk: int, *, write: bool = False) -> InspectedSite:
    site = sites_for_user(user).select_related("unit").filter(pk=pk).first()
    if site is None:
        raise Http404("没有找到该网站")
    if write:
        require_office(user)
    return site


def get_inspection_for_user(user: Any, pk: int) -> Inspection:
    found = (
        Inspection.objects.select_related("site", "site__unit", "job", "started_by")
        .filter(pk=pk, site__in=sites_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该次检查")
    return found


def get_rule_for_user(user: Any, pk: int) -> OwnerRule:
    found = OwnerRule.objects.select_related("site").filter(pk=pk, site__in=sites_for_user(user))
    rule = found.first()
    if rule is None:
        raise Http404("没有找到该规则")
    require_office(user)
    return rule


def tickets_for_user(user: Any) -> TicketQuerySet:
    qs = Ticket.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_ticket_for_user(user: Any, pk: int, *, write: bool = False) -> Ticket:
    ticket = (
        tickets_for_user(user)
        .select_related("site", "unit", "first_seen", "last_seen", "fixed_in", "checkpoint")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404("没有找到该工单")
    if write:
        require_office(user)
    return ticket
