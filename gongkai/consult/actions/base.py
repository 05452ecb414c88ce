"""What every act on a consultation shares: the refusal, the limits, the row lock, rich text
on the way in, and the move from "open" to "ended" once the window is over."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.audit.record import Snapshot, diff, record, record_transition, snapshot
from gongkai.consult.models import Consultation, ConsultState
from gongkai.disclosure.text import plain_text
from gongkai.publishing.sanitize import MAX_HTML, clean_html, text_to_html

MAX_TITLE = 200
MAX_NAME = 64
MAX_CONTACT = 128
#: Longest comment, in characters (the public form says so).
MAX_COMMENT = 5000
MAX_REASON = 2000
MAX_TOPIC = 64
MAX_SUMMARY = 20000
MAX_ATTACHMENTS = 10


class ConsultRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


def today() -> dt.date:
    """The office's today (settings.TIME_ZONE)."""
    return timezone.localdate()


def actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def lock(consultation: Consultation) -> Consultation:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the file)."""
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=consultation.pk)
    )


def text(value: str, limit: int, label: str) -> str:
    """Typed plain text, control characters dropped and trimmed; refused past `limit`."""
    cleaned = plain_text(value or "").strip()
    if len(cleaned) > limit:
        raise ConsultRejected(f"{label}不能超过 {limit} 字（现为 {len(cleaned)} 字）")
    return cleaned


_LOOKS_HTML = re.compile(r"</?[a-zA-Z][^>]*>")


def rich(raw: str, label: str) -> str:
    """A rich-text field as stored: pasted HTML cleaned by nh3, plain text made paragraphs."""
    value = plain_text(raw or "").strip()
    if len(value) > MAX_HTML:
        raise ConsultRejected(f"{label}过长，不能超过 {MAX_HTML} 字符")
    return clean_html(value) if _LOOKS_HTML.search(value) else text_to_html(value)


#: The draft's texts are kept out of the audit trail: the publication scan may find personal
#: data in them, which is then edited out of the draft, and the trail cannot be edited. Their
#: length and a fingerprint show that (and when) they changed.
_SUMMARISED = ("draft_html", "explanation_html", "interpretation_html")


def safe_snapshot(consultation: Consultation) -> Snapshot:
    data = snapshot(consultation)
    for name in _SUMMARISED:
        value = data.get(name)
        if isinstance(value, str) and value:
            digest = hashlib.sha256(value.encode()).hexdigest()[:12]
            data[name] = f"（{len(value)} 字符，摘要 {digest}）"
    return data


def audit_create(user: Any, consultation: Consultation, comment: str) -> AuditEvent:
    changes = diff(None, safe_snapshot(consultation))
    return record(user, AuditAction.CREATE, consultation, changes=changes, comment=comment)


def audit_change(
    user: Any, consultation: Consultation, before: Snapshot, comment: str
) -> AuditEvent | None:
    """Like record_change, with the draft's texts summarised; `before` from safe_snapshot."""
    changes = diff(before, safe_snapshot(consultation))
    if not changes and not comment:
        return None
    return record(user, AuditAction.CHANGE, consultation, changes=changes, comment=comment)


def move(user: Any, consultation: Consultation, state: ConsultState, comment: str = "") -> None:
    old = consultation.state
    if old == state:
        return
    consultation.state = state
    consultation.save(update_fields=["state", "updated_at"])
    record_transition(user, consultation, "state", old, state.value, comment)


def end_window_if_due(consultation: Consultation, day: dt.date) -> None:
    """Record that the window is over (an "open" row whose closes_on has passed), as the
    system's doing; nothing otherwise."""
    if consultation.state == ConsultState.OPEN and consultation.phase(day) == ConsultState.ENDED:
        closes = consultation.closes_on.isoformat() if consultation.closes_on else ""
        move(None, consultation, ConsultState.ENDED, f"征求意见期已于 {closes} 届满")


def catch_up(consultation: Consultation) -> None:
    """Record the end of a window that is over, in a transaction of its own: the window ended
    whatever becomes of the act that noticed it (a refused act changes nothing else)."""
    if consultation.phase(today()) != ConsultState.ENDED or consultation.state != ConsultState.OPEN:
        return
    with transaction.atomic():
        c = lock(consultation)
        end_window_if_due(c, today())
    consultation.state = c.state


def require_state(consultation: Consultation, allowed: tuple[str, ...], act: str) -> None:
    if consultation.state not in allowed:
        raise ConsultRejected(
            f"该意见征集当前状态为「{consultation.get_state_display()}」，不能{act}"
        )
