"""The one way staff views load consultations and what hangs off them.

- The office and evaluators see every unit's consultations, drafts included; liaisons and
  leaders only their units'. Another unit's consultation is a 404, the same as a missing one.
- Drafting, editing, moderating comments, recording the outcome of each and drafting the
  feedback: a liaison of the consultation's unit, or the office (others 403).
- Publishing, extending the window, publishing the feedback report and closing: the office (403).
- Evaluators and leaders read only.

The public pages (views/public.py) load only published consultations, by their own query.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import is_office as is_office
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.models import Role
from gongkai.consult.models import Attachment, Comment, Consultation, ConsultationQuerySet


def may_draft(user: Any) -> bool:
    """May start a consultation (for one of the user's units; the office for any unit)."""
    return is_office(user) or getattr(user, "role", None) == Role.LIAISON


def can_edit(user: Any, consultation: Consultation) -> bool:
    if is_office(user):
        return True
    return getattr(user, "role", None) == Role.LIAISON and consultation.unit_id in user.unit_ids()


def require_editor(user: Any, consultation: Consultation) -> None:
    if not can_edit(user, consultation):
        raise PermissionDenied("只有起草单位的联络员或公开办可以办理该意见征集")


def consultations_for_user(user: Any) -> ConsultationQuerySet:
    qs = Consultation.objects.all()
    if getattr(user, "sees_all_units", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_consultation_for_user(user: Any, pk: int, *, write: bool = False) -> Consultation:
    found = consultations_for_user(user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该意见征集")
    if write:
        require_editor(user, found)
    return found


def get_comment_for_user(user: Any, pk: int, *, write: bool = False) -> Comment:
    found = (
        Comment.objects.select_related("consultation", "consultation__unit")
        .filter(pk=pk, consultation__in=consultations_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该意见")
    if write:
        require_editor(user, found.consultation)
    return found


def get_attachment_for_user(user: Any, pk: int, *, write: bool = False) -> Attachment:
    found = (
        Attachment.objects.select_related("consultation")
        .filter(pk=pk, consultation__in=consultations_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该附件")
    if write:
        require_editor(user, found.consultation)
    return found
