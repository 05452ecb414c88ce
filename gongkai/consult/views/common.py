"""What the staff pages share: the detail page, rendered after a GET or a refused POST."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.consult import actions
from gongkai.consult.access import can_edit, is_office
from gongkai.consult.display import feedback
from gongkai.consult.forms import (
    AttachmentForm,
    DecisionForm,
    ExtendForm,
    ModerateForm,
    OutcomeForm,
    PublishForm,
    RecordCommentForm,
)
from gongkai.consult.models import (
    WORKING_STATES,
    Attachment,
    Comment,
    Consultation,
    ConsultState,
    FeedbackReport,
    Moderation,
)
from gongkai.privacy import mask_text

#: Rows shown per moderation section of the detail page.
SECTION_CAP = 200

Bound = dict[str, forms.Form]


def trail(c: Consultation) -> QuerySet[AuditEvent]:
    """The audit events of the consultation and of everything hanging off it."""
    ct = ContentType.objects.get_for_model

    def ids(qs: QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    parts = Q(content_type=ct(Consultation), object_id=str(c.pk))
    parts |= Q(content_type=ct(Comment), object_id__in=ids(c.comments.all()))
    parts |= Q(content_type=ct(Attachment), object_id__in=ids(c.attachments.all()))
    parts |= Q(
        content_type=ct(FeedbackReport),
        object_id__in=ids(FeedbackReport.objects.filter(consultation=c)),
    )
    return AuditEvent.objects.filter(parts).order_by("-at", "-pk")


def _comment_rows(
    c: Consultation, moderation: str, editable: bool, bound: Bound
) -> tuple[list[dict[str, Any]], int]:
    qs = c.comments.filter(moderation=moderation).select_related("moderated_by", "outcome_by")
    total = qs.count()
    rows = []
    for comment in qs.order_by("submitted_at", "pk")[:SECTION_CAP]:
        row: dict[str, Any] = {"c": comment, "masked": mask_text(comment.body)}
        if editable:
            mkey, okey = f"m{comment.pk}", f"o{comment.pk}"
            row["moderate_form"] = bound.get(mkey) or ModerateForm(prefix=mkey)
            if moderation == Moderation.APPROVED:
                row["outcome_form"] = bound.get(okey) or OutcomeForm(
                    prefix=okey,
                    initial={
                        "outcome": comment.outcome,
                        "reason": comment.outcome_reason,
                        "topic": comment.topic,
                    },
                )
        rows.append(row)
    return rows, total


def render_detail(
    request: HttpRequest,
    c: Consultation,
    *,
    bound: Bound | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    editable = can_edit(user, c)
    office = is_office(user)
    working = c.state in WORKING_STATES
    sections: list[dict[str, Any]] = []
    for moderation in Moderation:
        rows, total = _comment_rows(c, moderation, editable and working, bound)
        sections.append(
            {"key": moderation.value, "label": moderation.label, "rows": rows, "total": total}
        )
    draft = c.state == ConsultState.DRAFT
    report = actions.report_of(c)
    context = {
        "c": c,
        "today": today,
        "phase": c.phase(today),
        "phase_label": c.phase_label(today),
        "window_days": c.window_days(),
        "days_left": c.days_left(today),
        "can_edit": editable,
        "is_office": office,
        "show_contact": editable,
        "problem": problem,
        "attachments": c.attachments.all(),
        "attachment_form": (bound.get("attachment") or AttachmentForm())
        if editable and draft
        else None,
        "publish_problems": actions.publish_problems(c, today) if draft else [],
        "publish_form": (bound.get("publish") or PublishForm()) if draft and office else None,
        "extend_form": (bound.get("extend") or ExtendForm())
        if office and c.state == ConsultState.OPEN and c.phase(today) == ConsultState.OPEN
        else None,
        "sections": sections,
        "record_form": (bound.get("record") or RecordCommentForm(initial={"received_on": today}))
        if editable and working
        else None,
        "report": report,
        "report_problems": actions.report_problems(c, today) if not draft else [],
        "close_problems": actions.close_problems(c) if not draft else [],
        "decision_form": (
            bound.get("decision")
            or DecisionForm(initial={"index_number": c.decision.index_number if c.decision else ""})
        )
        if editable and not draft
        else None,
        "trail": trail(c)[:200],
    }
    shown_forms = {id(v) for v in context.values() if isinstance(v, forms.Form)}
    shown_forms |= {
        id(f)
        for s in sections
        for row in s["rows"]
        for f in row.values()
        if isinstance(f, forms.Form)
    }
    hidden = [f for f in bound.values() if id(f) not in shown_forms]
    context["problem"] = "；".join([problem, *(_errors(f) for f in hidden)]).strip("；")
    return render(request, "consult/detail.html", context, status=status)


def _errors(form: forms.Form) -> str:
    """A refused form's messages, for when the page no longer shows that form (the act is no
    longer offered, say)."""
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def render_report(
    request: HttpRequest, c: Consultation, form: forms.Form, status: int = 200, problem: str = ""
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "c": c,
        "form": form,
        "problem": problem,
        "report": actions.report_of(c),
        "feedback": feedback(c),
        "report_problems": actions.report_problems(c, today),
        "can_edit": can_edit(request.user, c) and c.state in WORKING_STATES,
        "is_office": is_office(request.user),
        "phase_label": c.phase_label(today),
    }
    return render(request, "consult/report.html", context, status=status)
