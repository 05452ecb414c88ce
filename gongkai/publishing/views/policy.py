"""The review policy per kind (the office's): which of 初审 / 复审 / 终审 a kind needs. 终审 by
the office is always required. A kind without a row needs all three (actions.stages_for).
The office and evaluators may open the page; only the office may post (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.audit.record import record_change, record_create, snapshot
from gongkai.publishing.models import DocKind, ReviewPolicy, ReviewStage

#: Stages a policy may leave out; 终审 stays.
OPTIONAL = (ReviewStage.INITIAL, ReviewStage.LEADER)
ALL_STAGES = [s.value for s in (ReviewStage.INITIAL, ReviewStage.LEADER, ReviewStage.FINAL)]


def stages_of(policies: dict[str, list[str]], kind: str) -> list[str]:
    return policies.get(kind, ALL_STAGES)


def set_review_policy(user: Any, kind: str, stages: list[str]) -> bool:
    """Store the stages one kind needs (in review order, 终审 always included); audited.
    False when nothing changed."""
    chosen = {s for s in stages if s in ReviewStage.values} | {ReviewStage.FINAL.value}
    ordered = [s for s in ALL_STAGES if s in chosen]
    with transaction.atomic():
        row = ReviewPolicy.objects.select_for_update().filter(kind=kind).first()
        if row is None:
            if ordered == ALL_STAGES:
                return False  # the default already
            row = ReviewPolicy.objects.create(kind=kind, stages=ordered)
            record_create(user, row, comment="设置审核环节")
            return True
        if list(row.stages) == ordered:
            return False
        before = snapshot(row)
        row.stages = ordered
        row.save(update_fields=["stages", "updated_at"])
        record_change(user, row, before, comment="修改审核环节")
        return True


def _rows(policies: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for kind, label in DocKind.choices:
        stages = stages_of(policies, kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "stages": [
                    {
                        "value": s.value,
                        "label": s.label,
                        "checked": s.value in stages,
                        "fixed": s == ReviewStage.FINAL,
                    }
                    for s in ReviewStage
                ],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def review_policy(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not getattr(user, "sees_all_units", False):
        raise PermissionDenied("审核规则由公开办设置")
    if request.method == "POST":
        if not getattr(user, "is_office", False):
            raise PermissionDenied("审核规则由公开办设置")
        changed = 0
        with transaction.atomic():
            for kind in DocKind.values:
                wanted = [s for s in request.POST.getlist(f"stages-{kind}") if s in OPTIONAL]
                changed += set_review_policy(user, kind, wanted)
        messages.success(
            request, f"审核规则已保存（{changed} 类有变化）" if changed else "没有变化"
        )
        return redirect("publishing:policy")
    policies = {p.kind: list(p.stages) for p in ReviewPolicy.objects.all()}
    context = {"rows": _rows(policies), "office": bool(getattr(user, "is_office", False))}
    return render(request, "publishing/policy.html", context)
