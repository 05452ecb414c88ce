"""The one way views load annual reports.

Who may do what:
- The office and evaluators see every report; liaisons and leaders see the reports of their
  own units only. Another unit's report, or the whole organisation's, is a 404 for them — the
  same as a report that does not exist.
- Creating, editing and moving a report through its workflow: the office only (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts import access

# Re-exported: the app's views and actions ask these of the app's access module.
from gongkai.accounts.access import sees_all as sees_all
from gongkai.reports.models import AnnualReport
from gongkai.units.models import Unit


def require_office(user: Any) -> None:
    access.require_office(user, "只有公开办可以编辑和审定年度报告")


def reports_for_user(user: Any) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.select_related("unit")
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_id__in=user.unit_ids())


def get_report_for_user(user: Any, pk: int, *, write: bool = False) -> AnnualReport:
    report = reports_for_user(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该年度报告")
    if write:
        require_office(user)
    return report


def get_scope_unit_for_user(user: Any, unit_id: int | None) -> Unit | None:
    """The unit a preview is for; the whole organisation (None) and other units' figures only
    for those who see all units (404 otherwise, as for a unit that does not exist)."""
    if unit_id is None:
        if sees_all(user):
            return None
        raise Http404("没有找到该单位")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not (sees_all(user) or unit.pk in user.unit_ids()):
        raise Http404("没有找到该单位")
    return unit
