"""The one way views and the API load plans, tasks and drafts.

Who may do what:
- Plans are the whole organisation's: anyone signed in may list them and open one, so a
  plan id is not scoped by unit (a missing plan is 404 for everybody).
- Tasks: the office and evaluators see every task; liaisons and leaders only the tasks
  assigned to one of their units (directly or through a group), on the pages and the API.
- A version's source file: the office and evaluators (403 for others): the list may hold
  other units' tasks and internal notes.
- Importing (upload, draft edits, confirm) and fixing units: the office only (403). Drafts
  are shared by the office: any office user may continue a colleague's import.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts import access
from gongkai.plans.models import Plan, PlanDraft, PlanVersion, Task, TaskQuerySet


def require_office(user: Any) -> None:
    access.require_office(user, "任务清单由公开办导入和维护")


def sees_all_tasks(user: Any) -> bool:
    return bool(getattr(user, "sees_all_units", False))


def plans_for_user(user: Any) -> QuerySet[Plan]:
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    return Plan.objects.all()


def get_plan_for_user(user: Any, pk: int, *, write: bool = False) -> Plan:
    plan = plans_for_user(user).select_related("current_version").filter(pk=pk).first()
    if plan is None:
        raise Http404("没有找到该任务清单")
    if write:
        require_office(user)
    return plan


def tasks_for_user(user: Any, plan: Plan) -> TaskQuerySet:
    """The plan's tasks the user may see, removed ones included (filter with .active())."""
    tasks = Task.objects.filter(plan=plan)
    if sees_all_tasks(user):
        return tasks
    if not getattr(user, "is_authenticated", False):
        return tasks.none()
    return tasks.of_units(user.unit_ids())


def get_version_for_user(
    user: Any, plan: Plan, number: int, *, source: bool = False
) -> PlanVersion:
    version = PlanVersion.objects.filter(plan=plan, number=number).first()
    if version is None:
        raise Http404("没有找到该版本")
    if source and not sees_all_tasks(user):
        raise PermissionDenied("源文件仅供公开办和评估人员下载")
    return version


def get_draft_for_user(user: Any, pk: int) -> PlanDraft:
    require_office(user)
    draft = PlanDraft.objects.select_related("plan", "job").filter(pk=pk).first()
    if draft is None:
        raise Http404("没有找到该导入草稿")
    return draft
