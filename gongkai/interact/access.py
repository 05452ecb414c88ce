"""The one way staff views load questions.

- The office and evaluators see every question, the unrouted ones (待分办) included; liaisons
  and leaders only their units'. Another unit's question is a 404, the same as a missing one.
- Drafting the reply, and giving a misrouted question back to the office: a liaison of the
  question's unit, or the office (403 for leaders and evaluators, who only read).
- Routing, transferring, marking invalid, reviewing, masking and the privacy override: the office
  only (403).
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
from gongkai.interact.models import Question, QuestionQuerySet


def can_work(user: Any, question: Question) -> bool:
    """May draft the reply (or give the question back to the office)."""
    if is_office(user):
        return True
    if getattr(user, "role", None) != Role.LIAISON or question.unit_id is None:
        return False
    return question.unit_id in user.unit_ids()


def questions_for_user(user: Any) -> QuestionQuerySet:
    qs = Question.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_question_for_user(user: Any, pk: int, *, write: bool = False) -> Question:
    question = questions_for_user(user).select_related("unit", "reply_unit").filter(pk=pk).first()
    if question is None:
        raise Http404("没有找到该留言")
    if write and not can_work(user, question):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该留言")
    return question
