"""Which audit events a user may read.

The office and evaluators read all; others their own units' events and their own actions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongkai.audit.models import AuditEvent, AuditQuerySet


def events_for_user(user: Any) -> AuditQuerySet:
    if not getattr(user, "is_authenticated", False):
        return AuditEvent.objects.none()
    if user.sees_all_units:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(Q(unit_id__in=user.unit_ids()) | Q(actor=user))
