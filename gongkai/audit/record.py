"""Writing audit events. Every action function that changes a business record calls these."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from gongkai.audit.context import current_origin
from gongkai.audit.models import AuditAction, AuditEvent

Snapshot = dict[str, Any]

#: Fields kept out of the audit trail: secrets and their digests are nobody's to read.
_NEVER_RECORDED = ("password", "secret_digest")


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, *, m2m: bool = True) -> Snapshot:
    """Field values of a saved or unsaved object; many-to-many as sorted id lists."""
    data: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in _NEVER_RECORDED:
            continue
        data[field.name] = _plain(field.value_from_object(obj))
    if m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def diff(before: Snapshot | None, after: Snapshot | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: [before.get(k), after.get(k)] for k in keys}


def _unit_of(obj: models.Model) -> int | None:
    """The owning unit's id, by convention a `unit` foreign key, or the unit itself."""
    from gongkai.units.models import Unit

    if isinstance(obj, Unit):
        return obj.pk
    unit_id = getattr(obj, "unit_id", None)
    return unit_id if isinstance(unit_id, int) else None


def record(
    actor: Any,
    action: AuditAction,
    obj: models.Model | None = None,
    *,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a user or None for the system."""
    where = current_origin()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_name=actor_name or (user.get_username() if user else "系统"),
        action=action,
        channel=where.channel,
        ip=where.ip,
        changes=changes or {},
        comment=comment,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(type(obj))
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
        event.unit_id = _unit_of(obj)
    event.save()
    return event


def record_create(actor: Any, obj: models.Model, comment: str = "") -> AuditEvent:
    return record(
        actor, AuditAction.CREATE, obj, changes=diff(None, snapshot(obj)), comment=comment
    )


def record_change(
    actor: Any, obj: models.Model, before: Snapshot, comment: str = ""
) -> AuditEvent | None:
    """Record the difference from `before`; nothing when nothing changed."""
    changes = diff(before, snapshot(obj))
    if not changes and not comment:
        return None
    return record(actor, AuditAction.CHANGE, obj, changes=changes, comment=comment)


def record_transition(
    actor: Any, obj: models.Model, field: str, old: Any, new: Any, comment: str = ""
) -> AuditEvent:
    return record(
        actor,
        AuditAction.TRANSITION,
        obj,
        changes={field: [_plain(old), _plain(new)]},
        comment=comment,
    )


def record_delete(actor: Any, obj: models.Model, comment: str = "") -> AuditEvent:
    return record(
        actor, AuditAction.DELETE, obj, changes=diff(snapshot(obj), None), comment=comment
    )
