"""The one way views load documents and what hangs off them, and who may do what.

- Reading: the office and evaluators see every unit's documents; liaisons and leaders only
  their units'. Another unit's document is a 404, the same as a missing one.
- Drafting (create, edit, attachments, submit): a liaison of the document's unit, or the
  office, while the document is a draft or has been returned.
- Reviewing the waiting stage: 初审 — a liaison of the unit or the office; 复审 — a leader of
  the unit (Role.LEADER) or the office; 终审 — the office.
- Publishing, withdrawing, overriding the privacy gate, validity changes and the yearly cleanup:
  the office. Evaluators read only.
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
from gongkai.publishing.models import (
    DocState,
    Document,
    DocumentAttachment,
    DocumentQuerySet,
    PrivacyCheck,
    ReviewStage,
)

#: States in which the drafter may still change the document.
EDITABLE_STATES = (DocState.DRAFT, DocState.RETURNED)


def _member(user: Any, unit_id: int, role: Role) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) == role
        and unit_id in user.unit_ids()
    )


def can_draft_for(user: Any, unit_id: int) -> bool:
    """May create documents for this unit: a liaison of it, or the office."""
    return is_office(user) or _member(user, unit_id, Role.LIAISON)


def can_edit(user: Any, document: Document) -> bool:
    return document.state in EDITABLE_STATES and can_draft_for(user, document.unit_id)


def can_review(user: Any, document: Document, stage: str | None = None) -> bool:
    """May decide `stage` (default: the stage waiting now) of this document."""
    if document.state != DocState.REVIEW:
        return False
    if stage is None:
        from gongkai.publishing.actions import next_stage

        stage = next_stage(document)
    if stage is None:
        return False
    if is_office(user):
        return True
    if stage == ReviewStage.INITIAL:
        return _member(user, document.unit_id, Role.LIAISON)
    if stage == ReviewStage.LEADER:
        return _member(user, document.unit_id, Role.LEADER)
    return False


def can_act(user: Any, document: Document) -> bool:
    """Anyone who may change something about the document in some state: the office, and the
    liaisons and leaders of its unit. Evaluators never."""
    if is_office(user):
        return True
    return _member(user, document.unit_id, Role.LIAISON) or _member(
        user, document.unit_id, Role.LEADER
    )


def documents_for_user(user: Any) -> DocumentQuerySet:
    qs = Document.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_document_for_user(user: Any, pk: int, *, write: bool = False) -> Document:
    """The document, or 404 when missing or not the user's to see. `write`: the user must be
    one who may act on it at all (can_act), else 403; each act checks its own rule too."""
    found = (
        documents_for_user(user)
        .select_related("unit", "category", "interprets", "validity_changed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有找到该政府信息")
    if write and not can_act(user, found):
        raise PermissionDenied("只有本单位联络员、分管领导或公开办可以办理该政府信息")
    return found


def get_attachment_for_user(user: Any, pk: int) -> DocumentAttachment:
    found = (
        DocumentAttachment.objects.select_related("document")
        .filter(pk=pk, document__in=documents_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该附件")
    return found


def get_check_for_user(user: Any, pk: int) -> PrivacyCheck:
    found = (
        PrivacyCheck.objects.select_related("document", "attachment")
        .filter(pk=pk, document__in=documents_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该隐私检查记录")
    return found
