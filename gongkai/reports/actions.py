"""Changes to annual reports: creating, editing, and the workflow
draft → submitted → returned / approved → published. Each is one transaction, audited.

Only the office acts (access.require_office). A report is edited while a draft or returned;
approving and publishing are refused while a check that is not a warning fails; publishing
stores the built report, and nothing changes after that.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, record_transition, snapshot
from gongkai.disclosure.text import plain_text
from gongkai.reports.access import require_office
from gongkai.reports.build import Built, build_annual, table2_values
from gongkai.reports.checks import blocking
from gongkai.reports.models import AnnualReport, ReportState
from gongkai.reports.tables import TEXT_SECTIONS
from gongkai.units.models import Unit

EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


class ReportRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


def _locked(report: AnnualReport) -> AnnualReport:
    """The row again, locked for this transaction."""
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=report.pk)
    )


def _require_editable(report: AnnualReport) -> None:
    if report.locked:
        raise ReportRejected("报告已发布，不能再修改")
    if report.state not in EDITABLE:
        raise ReportRejected(
            f"报告当前为“{report.get_state_display()}”，不能修改；如需修改请先退回"
        )


@transaction.atomic
def create_report(
    user: Any, year: int, unit: Unit | None, *, include_children: bool = False
) -> AnnualReport:
    require_office(user)
    if AnnualReport.objects.filter(year=year, unit=unit).exists():
        raise ReportRejected(f"{year}年{unit.name if unit else '全部单位'}的年度报告已存在")
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                year=year, unit=unit, include_children=include_children, updated_by=user
            )
    except IntegrityError:  # created by a colleague a moment ago
        raise ReportRejected(f"{year}年的该年度报告已存在") from None
    record_create(user, report, comment="新建年度报告")
    return report


@transaction.atomic
def save_sections(user: Any, report: AnnualReport, texts: dict[str, str]) -> AnnualReport:
    """Store the office's text of sections 一, 五 and 六 (an empty text means: use the
    pre-filled one)."""
    require_office(user)
    report = _locked(report)
    _require_editable(report)
    before = snapshot(report)
    sections = dict(report.sections or {})
    for number in TEXT_SECTIONS:
        if number in texts:
            text = plain_text(texts[number].replace("\r\n", "\n")).strip()
            if text:
                sections[number] = text
            else:
                sections.pop(number, None)
    report.sections, report.updated_by = sections, user
    report.save()
    record_change(user, report, before, comment="修改年度报告正文")
    return report


@transaction.atomic
def save_table2(user: Any, report: AnnualReport, figures: dict[str, Any]) -> AnnualReport:
    """Store the hand-entered Table 二 (counts as integers, the fee in 万元 as text)."""
    require_office(user)
    report = _locked(report)
    _require_editable(report)
    before = snapshot(report)
    report.table2, report.updated_by = table2_values(figures), user
    report.save()
    record_change(user, report, before, comment="修改表二数据")
    return report


def _move(user: Any, report: AnnualReport, new: ReportState, comment: str = "") -> None:
    old = report.state
    report.state, report.updated_by = new, user
    report.save()
    record_transition(user, report, "state", old, new, comment=comment)


def _require_checks_pass(report: AnnualReport, what: str) -> Built:
    built = build_annual(report.year, report.unit, report.include_children, report=report)
    failed = blocking(built["checks"])
    if failed:
        names = "、".join(f"{c['id']}（{c['title']}）" for c in failed)
        raise ReportRejected(f"核对未通过，不能{what}：{names}。请先更正登记簿中的记录或报告数据")
    return built


@transaction.atomic
def submit_report(user: Any, report: AnnualReport) -> AnnualReport:
    require_office(user)
    report = _locked(report)
    if report.state not in EDITABLE:
        raise ReportRejected(f"报告当前为“{report.get_state_display()}”，不能报送审核")
    _move(user, report, ReportState.SUBMITTED, "报送审核")
    return report


@transaction.atomic
def return_report(user: Any, report: AnnualReport, comment: str) -> AnnualReport:
    require_office(user)
    comment = comment.strip()
    if not comment:
        raise ReportRejected("退回时请填写审核意见")
    report = _locked(report)
    if report.state not in (ReportState.SUBMITTED, ReportState.APPROVED):
        raise ReportRejected(f"报告当前为“{report.get_state_display()}”，不能退回")
    report.comment = comment
    _move(user, report, ReportState.RETURNED, comment)
    return report


@transaction.atomic
def approve_report(user: Any, report: AnnualReport) -> AnnualReport:
    require_office(user)
    report = _locked(report)
    if report.state != ReportState.SUBMITTED:
        raise ReportRejected(f"报告当前为“{report.get_state_display()}”，不能审定")
    _require_checks_pass(report, "审定")
    _move(user, report, ReportState.APPROVED, "审定")
    return report


@transaction.atomic
def publish_report(user: Any, report: AnnualReport) -> AnnualReport:
    """Publish: the built report is stored as it is now and shown from then on."""
    require_office(user)
    report = _locked(report)
    if report.state != ReportState.APPROVED:
        raise ReportRejected(f"报告当前为“{report.get_state_display()}”，审定后才能发布")
    built = _require_checks_pass(report, "发布")
    report.published, report.published_at = built, timezone.now()
    _move(user, report, ReportState.PUBLISHED, "发布")
    return report


TRANSITIONS = {
    "submit": submit_report,
    "approve": approve_report,
    "publish": publish_report,
}
