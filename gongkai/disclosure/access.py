"""The one way views and the API load requests and what hangs off them.

- The office and evaluators see every unit's requests; liaisons and leaders only their units'.
  Another unit's request is a 404, the same as a missing one.
- Working a request (recording events, drafting the reply, uploading): a liaison of its unit, or
  the office. Evaluators and leaders read only (403).
- Reviewing draft replies, extensions (the head of the office approves them), transfers between
  units, appeals and letter templates: the office only (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.accounts.models import Role
from gongkai.disclosure.models import (
    Appeal,
    Attachment,
    Letter,
    ReplyReview,
    Request,
    RequestQuerySet,
)


def can_work(user: Any, request: Request) -> bool:
    if getattr(user, "is_office", False):
        return True
    return getattr(user, "role", None) == Role.LIAISON and request.unit_id in user.unit_ids()


def requests_for_user(user: Any) -> RequestQuerySet:
    qs = Request.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_request_for_user(user: Any, pk: int, *, write: bool = False) -> Request:
    request = requests_for_user(user).select_related("unit").filter(pk=pk).first()
    if request is None:
        raise Http404("没有找到该申请")
    if write and not can_work(user, request):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该申请")
    return request


def _visible(user: Any, unit_id: int) -> bool:
    return sees_all(user) or (
        getattr(user, "is_authenticated", False) and unit_id in user.unit_ids()
    )


def get_attachment_for_user(user: Any, pk: int) -> Attachment:
    found = Attachment.objects.select_related("request").filter(pk=pk).first()
    if found is None or not _visible(user, found.request.unit_id):
        raise Http404("没有找到该文件")
    return found


def get_letter_for_user(user: Any, pk: int) -> Letter:
    found = Letter.objects.select_related("request").filter(pk=pk).first()
    if found is None or not _visible(user, found.request.unit_id):
        raise Http404("没有找到该文书")
    return found


def get_review_for_user(user: Any, pk: int) -> ReplyReview:
    """A draft reply filed for review, if its request is visible to the user."""
    found = (
        ReplyReview.objects.select_related("request", "request__unit")
        .filter(pk=pk, request__in=requests_for_user(user))
        .first()
    )
    if found is None:
        raise Http404("没有找到该答复审核")
    return found


def appeals_for_user(user: Any) -> models.QuerySet[Appeal]:
    qs = Appeal.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_id__in=user.unit_ids())


def get_appeal_for_user(user: Any, pk: int) -> Appeal:
    found = appeals_for_user(user).select_related("request", "unit").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该复议或诉讼记录")
    return found
