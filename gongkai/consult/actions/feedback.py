"""The feedback report and the end of a consultation: the office's summary, the checks before
the report is published (window over, every comment moderated, every approved one with its
outcome and the reason it needs), publishing it, and closing — never before the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, snapshot
from gongkai.consult.access import require_editor, require_office
from gongkai.consult.actions.base import (
    MAX_SUMMARY,
    ConsultRejected,
    actor,
    catch_up,
    end_window_if_due,
    lock,
    move,
    require_state,
    text,
    today,
)
from gongkai.consult.models import (
    REASON_NEEDED,
    WORKING_STATES,
    Consultation,
    ConsultState,
    FeedbackReport,
)


def report_of(consultation: Consultation) -> FeedbackReport | None:
    return FeedbackReport.objects.filter(consultation=consultation).first()


def save_report(user: Any, consultation: Consultation, summary: str) -> FeedbackReport:
    """Write or rewrite the summary of the feedback report, until it is published."""
    require_editor(user, consultation)
    body = text(summary, MAX_SUMMARY, "总体情况说明")
    if not body:
        raise ConsultRejected("请填写反馈报告的总体情况说明")
    catch_up(consultation)
    with transaction.atomic():
        c = lock(consultation)
        end_window_if_due(c, today())
        require_state(c, WORKING_STATES, "修改反馈报告")
        report = FeedbackReport.objects.select_for_update().filter(consultation=c).first()
        if report is None:
            report = FeedbackReport.objects.create(consultation=c, summary=body)
            record_create(user, report, "起草意见反馈报告")
        else:
            before = snapshot(report)
            report.summary = body
            report.save()
            record_change(user, report, before, "修改意见反馈报告")
    return report


def report_problems(consultation: Consultation, day: dt.date) -> list[str]:
    """Everything that stops the feedback report from being published today."""
    c = consultation
    if c.state == ConsultState.DRAFT:
        return ["征求意见稿尚未发布"]
    if c.state not in WORKING_STATES:
        return ["反馈报告已发布"]
    problems = []
    if c.closes_on is not None and day <= c.closes_on:
        problems.append(f"征求意见截止日期为 {c.closes_on.isoformat()}，截止后才能发布反馈报告")
    comments = c.comments.all()
    if pending := comments.pending().count():
        problems.append(f"还有 {pending} 条意见待审核")
    approved = comments.approved()
    if missing := approved.filter(outcome="").count():
        problems.append(f"{missing} 条已公开的意见尚未填写采纳情况")
    # set_outcome trims reasons, so a blank one is stored empty
    if n := approved.filter(outcome__in=REASON_NEEDED, outcome_reason="").count():
        problems.append(f"{n} 条部分采纳或未采纳的意见尚未说明理由")
    report = report_of(c)
    if report is None or not report.summary.strip():
        problems.append("请先填写并保存反馈报告的总体情况说明")
    return problems


def publish_report(user: Any, consultation: Consultation) -> FeedbackReport:
    """Publish the feedback report (the office); the consultation becomes "concluded"."""
    require_office(user)
    catch_up(consultation)
    with transaction.atomic():
        c = lock(consultation)
        day = today()
        end_window_if_due(c, day)
        if problems := report_problems(c, day):
            raise ConsultRejected("不能发布反馈报告：" + "；".join(problems))
        report = FeedbackReport.objects.select_for_update().get(consultation=c)
        before = snapshot(report)
        report.published_at = timezone.now()
        report.published_by = actor(user)
        report.save()
        record_change(user, report, before, "发布意见反馈报告")
        move(user, c, ConsultState.CONCLUDED, "发布意见反馈报告")
    return report


def close_problems(consultation: Consultation) -> list[str]:
    state = consultation.state
    if state == ConsultState.CLOSED:
        return ["该意见征集已办结"]
    if state == ConsultState.DRAFT:
        return ["征求意见稿尚未发布，不需要办结"]
    if state != ConsultState.CONCLUDED:
        return ["意见反馈报告发布前不能办结"]
    return []


def close(user: Any, consultation: Consultation) -> Consultation:
    """Close the consultation (the office), only once its feedback report is published."""
    require_office(user)
    catch_up(consultation)
    with transaction.atomic():
        c = lock(consultation)
        end_window_if_due(c, today())
        if problems := close_problems(c):
            raise ConsultRejected("不能办结：" + "；".join(problems))
        c.closed_at = timezone.now()
        c.save(update_fields=["closed_at", "updated_at"])
        move(user, c, ConsultState.CLOSED, "办结")
    return c
