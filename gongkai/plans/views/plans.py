"""Pages of imported plans: the list, one plan, one version's changes, its source file.

Access rules are in gongkai.plans.access: plans are org-wide, tasks scoped by unit.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.plans.access import (
    get_plan_for_user,
    get_version_for_user,
    plans_for_user,
    sees_all_tasks,
    tasks_for_user,
)
from gongkai.plans.assign import UnitAssignRejected, assign_unit, unresolved_in_plan
from gongkai.plans.forms import PickForm
from gongkai.plans.models import Plan, PlanVersion, Task, TaskStatus
from gongkai.plans.revision import ChangeRow
from gongkai.plans.sources import MissingFile, source_path
from gongkai.units.models import Unit


@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    active = Q(tasks__status=TaskStatus.ACTIVE)
    plans = plans_for_user(request.user).annotate(
        version_count=Count("versions", distinct=True),
        task_count=Count("tasks", filter=active, distinct=True),
    )
    mine: dict[int, int] = {}
    if not sees_all_tasks(request.user):
        ids = request.user.unit_ids()  # type: ignore[union-attr]  # login_required: a User
        counted = Task.objects.active().of_units(ids).values("plan").annotate(n=Count("id"))
        mine = {row["plan"]: row["n"] for row in counted}
    rows = [(p, mine.get(p.pk, 0)) for p in plans.select_related("current_version")]
    context = {"rows": rows, "scoped": not sees_all_tasks(request.user)}
    return render(request, "plans/list.html", context)


def _grouped(tasks: list[Task]) -> list[tuple[str, list[Task]]]:
    return [
        (" / ".join(path), list(group))
        for path, group in groupby(tasks, key=lambda t: tuple(t.path))
    ]


def _trail(plan: Plan) -> Any:
    versions = [str(pk) for pk in plan.versions.values_list("pk", flat=True)]
    plan_ct = ContentType.objects.get_for_model(Plan)
    version_ct = ContentType.objects.get_for_model(PlanVersion)
    return AuditEvent.objects.filter(
        Q(content_type=plan_ct, object_id=str(plan.pk))
        | Q(content_type=version_ct, object_id__in=versions)
    ).order_by("-at", "-pk")


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    visible = (
        tasks_for_user(request.user, plan).prefetch_related("units__unit").order_by("order", "pk")
    )
    context: dict[str, Any] = {
        "plan": plan,
        "groups": _grouped(list(visible.filter(status=TaskStatus.ACTIVE))),
        "removed": list(visible.filter(status=TaskStatus.REMOVED)),
        "versions": plan.versions.select_related("imported_by").order_by("-number"),
        "scoped": not sees_all_tasks(request.user),
        "events": _trail(plan),
    }
    if getattr(request.user, "is_office", False):
        context["unresolved"] = unresolved_in_plan(plan)
        context["units"] = Unit.objects.active().order_by("name")
    return render(request, "plans/detail.html", context)


@require_POST
@login_required
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an unresolved unit phrase a unit, on every active task of the plan that has it."""
    plan = get_plan_for_user(request.user, pk, write=True)
    form = PickForm(request.POST)
    if not form.is_valid() or form.cleaned_data["unit"] is None:
        messages.error(request, "请选择单位")
        return redirect("plans:detail", pk=plan.pk)
    try:
        count = assign_unit(
            request.user, plan, form.cleaned_data["phrase"], form.cleaned_data["unit"]
        )
    except UnitAssignRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已为 {count} 项任务指定单位「{form.cleaned_data['unit'].name}」"
        )
    return redirect("plans:detail", pk=plan.pk)


@require_GET
@login_required
def version_changes(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    version = get_version_for_user(request.user, plan, number)
    entries = [ChangeRow.from_dict(e) for e in version.changes.get("entries", [])]
    scoped = not sees_all_tasks(request.user)
    if scoped:
        visible = set(tasks_for_user(request.user, plan).values_list("pk", flat=True))
        entries = [e for e in entries if e.task in visible]
    context = {"plan": plan, "version": version, "entries": entries, "scoped": scoped}
    return render(request, "plans/version.html", context)


@require_GET
@login_required
def version_source(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    plan = get_plan_for_user(request.user, pk)
    version = get_version_for_user(request.user, plan, number, source=True)
    try:
        path = source_path(version.source_name)
    except MissingFile:
        raise Http404("源文件已不存在") from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=version.filename)
