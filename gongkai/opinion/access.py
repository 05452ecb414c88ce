"""The one way staff views load 政务舆情 events.

- The office and evaluators see every unit's events; liaisons and leaders only their units'.
  Another unit's event is a 404, the same as a missing one.
- Registering an event: the office for any unit, a liaison for their own units.
- Recording responses: a liaison of the event's unit, or the office (others 403).
- Reassigning the event, changing its level, and closing it with a stage still unmet: the office
  only. Closing an event whose stages are all met: the unit's liaison or the office.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.accounts.models import Role
from gongkai.opinion.models import Event, EventQuerySet


def may_register(user: Any) -> bool:
    return is_office(user) or getattr(user, "role", None) == Role.LIAISON


def can_work(user: Any, event: Event) -> bool:
    """May record responses on the event."""
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and event.unit_id in user.unit_ids()


def events_for_user(user: Any) -> EventQuerySet:
    qs = Event.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_event_for_user(user: Any, pk: int, *, write: bool = False) -> Event:
    event = events_for_user(user).select_related("unit").filter(pk=pk).first()
    if event is None:
        raise Http404("没有找到该舆情")
    if write and not can_work(user, event):
        raise PermissionDenied("只有责任单位的联络员或公开办可以办理该舆情")
    return event
