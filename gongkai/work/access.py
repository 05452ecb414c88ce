"""The one way views and the API load assignments, checkpoints, reports and evidence.

Who may do what:
- The office and evaluators see every unit's work; liaisons and leaders only their units'.
  A record of another unit is a 404, the same as a missing one.
- Reporting progress: a liaison of the checkpoint's unit, or the office (on a unit's behalf).
  Leaders and evaluators read only (403).
- Reviewing reports, editing assignments, scoring quarters, reminder settings of any unit:
  the office only (403).
- Evidence files are served only to those who may see the report they belong to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import require_office as require_office
from gongkai.accounts.access import sees_all as sees_all
from gongkai.accounts.models import Role
from gongkai.work.models import Assignment, Checkpoint, CheckpointQuerySet, Evidence, Report


def can_report(user: Any, checkpoint: Checkpoint) -> bool:
    if getattr(user, "is_office", False):
        return True
    return getattr(user, "role", None) == Role.LIAISON and checkpoint.unit_id in user.unit_ids()


def checkpoints_for_user(user: Any) -> CheckpointQuerySet:
    qs = Checkpoint.objects.all()
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.of_units(user.unit_ids())


def get_checkpoint_for_user(user: Any, pk: int, *, write: bool = False) -> Checkpoint:
    checkpoint = (
        checkpoints_for_user(user)
        .select_related("assignment", "task", "plan", "unit", "latest_report")
        .filter(pk=pk)
        .first()
    )
    if checkpoint is None:
        raise Http404("没有找到该任务节点")
    if write and not can_report(user, checkpoint):
        raise PermissionDenied("只有本单位联络员可以报送进展")
    return checkpoint


def get_report_for_user(user: Any, pk: int, *, review: bool = False) -> Report:
    report = (
        Report.objects.select_related("checkpoint", "checkpoint__task", "checkpoint__unit")
        .filter(pk=pk)
        .first()
    )
    if report is None or not (sees_all(user) or report.checkpoint.unit_id in user.unit_ids()):
        raise Http404("没有找到该报送")
    if review:
        require_office(user)
    return report


def get_evidence_for_user(user: Any, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("report__checkpoint").filter(pk=pk).first()
    if evidence is None or not (
        sees_all(user) or evidence.report.checkpoint.unit_id in user.unit_ids()
    ):
        raise Http404("没有找到该佐证材料")
    return evidence


def get_assignment_for_user(user: Any, pk: int, *, write: bool = False) -> Assignment:
    assignment = Assignment.objects.select_related("task", "unit").filter(pk=pk).first()
    if assignment is None or not (sees_all(user) or assignment.unit_id in user.unit_ids()):
        raise Http404("没有找到该分工")
    if write:
        require_office(user)
    return assignment
