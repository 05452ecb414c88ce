"""What every act on a document shares: the refusal, the row lock, the state move and an audit
snapshot that leaves the body out."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import Snapshot, diff, record, record_transition, snapshot
from gongkai.publishing.models import DocState, Document


class PublishRejected(Exception):
    """Nothing was changed; the message says why, in Chinese."""


class ReviewConflict(PublishRejected):
    """Someone else decided this stage first; their decision stands."""


#: Fields a drafter may set through create_document / update_document.
EDITABLE_FIELDS = (
    "kind", "category", "topic", "title", "body_html", "doc_number", "written_on",
    "publisher", "is_repost", "source", "source_url", "needs_interpretation", "interprets",
)  # fmt: skip

#: Long texts kept out of the audit trail: they may hold the very personal data the privacy
#: gate is there to stop, and the trail cannot be redacted afterwards. Their length and a
#: fingerprint show that (and when) they changed.
_SUMMARISED = ("body_html", "body_text", "text")


def _today() -> dt.date:
    return timezone.localdate()


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def safe_snapshot(obj: models.Model) -> Snapshot:
    data = snapshot(obj)
    for name in _SUMMARISED:
        value = data.get(name)
        if isinstance(value, str) and value:
            digest = hashlib.sha256(value.encode()).hexdigest()[:12]
            data[name] = f"（{len(value)} 字，摘要 {digest}）"
    return data


def audit_create(user: Any, obj: models.Model, comment: str = "") -> None:
    record(user, AuditAction.CREATE, obj, changes=diff(None, safe_snapshot(obj)), comment=comment)


def audit_change(user: Any, obj: models.Model, before: Snapshot, comment: str = "") -> None:
    changes = diff(before, safe_snapshot(obj))
    changes.pop("updated_at", None)
    if changes or comment:
        record(user, AuditAction.CHANGE, obj, changes=changes, comment=comment)


def audit_delete(user: Any, obj: models.Model, comment: str = "") -> None:
    record(user, AuditAction.DELETE, obj, changes=diff(safe_snapshot(obj), None), comment=comment)


def lock(document: Document) -> Document:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the
    file). `of=("self",)`: PostgreSQL refuses FOR UPDATE on the nullable side of a join."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("unit", "category", "interprets")
        .get(pk=document.pk)
    )


def require_state(document: Document, allowed: Sequence[str], act: str) -> None:
    if document.state not in allowed:
        raise PublishRejected(f"该信息当前状态为「{document.get_state_display()}」，不能{act}")


def move(user: Any, document: Document, state: DocState, comment: str = "") -> None:
    old = document.state
    if old == state:
        return
    document.state = state
    document.save(update_fields=["state", "updated_at"])
    record_transition(user, document, "state", old, state.value, comment)


def sync(original: Document, current: Document) -> Document:
    """Bring the caller's copy up to date with the row an act changed (and return the row), so
    a page that goes on using its copy sees the new state."""
    if original is not current:
        for field in original._meta.concrete_fields:
            setattr(original, field.attname, getattr(current, field.attname))
    return current
