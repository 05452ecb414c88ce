"""The import flow's pages, office only: upload → parsing → preview and edits → confirm.

Each edit is a plain form POST that redirects back to the preview (no script needed); only
the "still parsing" notice polls, with HTMX, and reloads the page when the job is done.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.plans.access import get_draft_for_user, require_office
from gongkai.plans.actions import ImportRejected
from gongkai.plans.diff import Change
from gongkai.plans.drafts import (
    confirm_draft,
    discard_draft,
    edit_rows,
    pick_unit,
    reset_rows,
    start_draft,
)
from gongkai.plans.forms import ConfirmForm, PickForm, RowForm, UploadForm, default_year
from gongkai.plans.models import DraftStatus, PlanDraft
from gongkai.plans.resolving import Resolver
from gongkai.plans.revision import compare, counts
from gongkai.plans.rows import RowNotFound, suggest_split
from gongkai.units.directory import load_directory
from gongkai.units.models import Unit

OPEN = (DraftStatus.PARSING, DraftStatus.READY, DraftStatus.FAILED)


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    initial = {"plan": request.GET.get("plan")}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        draft = start_draft(
            request.user, form.data_bytes, upload.name or "任务清单", form.cleaned_data["plan"]
        )
        return redirect("plans:draft", pk=draft.pk)
    drafts = PlanDraft.objects.filter(status__in=OPEN).select_related("plan", "created_by")[:50]
    return render(request, "plans/import.html", {"form": form, "drafts": drafts})


def _preview(draft: PlanDraft, confirm: ConfirmForm | None = None) -> dict[str, Any]:
    resolver = Resolver(load_directory(), draft.unit_picks(), settings.RESOLVE_THRESHOLD)
    rows = draft.draft_rows()
    unresolved = resolver.unresolved(rows)
    context: dict[str, Any] = {
        "draft": draft,
        "rows": [(row, resolver.row(row), suggest_split(row.requirement)) for row in rows],
        "unresolved": unresolved,
        "units": Unit.objects.active().order_by("name"),
    }
    if draft.plan is not None:
        old = list(draft.plan.tasks.active().order_by("order", "pk"))
        entries, shown = compare(old, rows)
        context["counts"] = counts(entries)
        context["changes"] = [c for c in shown if c.change != Change.UNCHANGED]
        context["unchanged"] = [c for c in shown if c.change == Change.UNCHANGED]
    context["confirm"] = confirm or ConfirmForm(
        new_plan=draft.plan is None,
        unresolved=len(unresolved),
        initial={
            "name": draft.meta.get("title") or "",
            "year": default_year(draft.meta),
        },
    )
    return context


@require_GET
@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    if draft.status == DraftStatus.IMPORTED and draft.plan_id is not None:
        return redirect("plans:detail", pk=draft.plan_id)
    context = _preview(draft) if draft.status == DraftStatus.READY else {"draft": draft}
    return render(request, "plans/draft.html", context)


@require_GET
@login_required
def draft_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while parsing; once it is over, tells HTMX to reload the whole page."""
    draft = get_draft_for_user(request.user, pk)
    response = render(request, "plans/_parsing.html", {"draft": draft})
    if draft.status != DraftStatus.PARSING or draft.job is None or draft.job.is_finished:
        response["HX-Refresh"] = "true"
    return response


def _back(draft: PlanDraft, anchor: str = "") -> HttpResponse:
    url = reverse("plans:draft", kwargs={"pk": draft.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@login_required
def draft_row(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    form = RowForm(request.POST)
    if not form.is_valid():
        errors = "；".join(str(m) for msgs in form.errors.values() for m in msgs)
        messages.error(request, f"未能修改：{errors}")
        return _back(draft, f"row-{request.POST.get('row', '')}")
    try:
        edit_rows(request.user, draft, form.edit())
    except RowNotFound:
        messages.error(request, "该任务已不存在，可能已被合并或删除，请查看最新内容")
    except (ValueError, ImportRejected) as exc:
        messages.error(request, str(exc))
    return _back(draft, f"row-{form.cleaned_data['row']}")


@require_POST
@login_required
def draft_pick(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    form = PickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择在用的单位")
        return _back(draft, "units")
    try:
        pick_unit(request.user, draft, form.cleaned_data["phrase"], form.cleaned_data["unit"])
    except ImportRejected as exc:
        messages.error(request, str(exc))
    return _back(draft, "units")


@require_POST
@login_required
def draft_reset(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    try:
        reset_rows(request.user, draft)
    except ImportRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已恢复为解析结果，之前的修改和单位选择已撤销")
    return _back(draft)


@require_POST
@login_required
def draft_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    if not draft.is_editable:
        messages.error(request, f"该草稿{draft.get_status_display()}，不能导入")
        return _back(draft)
    preview = _preview(draft)
    form = ConfirmForm(
        request.POST, new_plan=draft.plan is None, unresolved=len(preview["unresolved"])
    )
    if form.is_valid():
        try:
            result = confirm_draft(
                request.user,
                draft,
                name=form.cleaned_data.get("name") or "",
                year=form.cleaned_data.get("year"),
                allow_unresolved=form.cleaned_data["allow_unresolved"],
            )
        except ImportRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已导入{result.summary()}")
            return redirect("plans:detail", pk=result.plan.pk)
    return render(request, "plans/draft.html", {**preview, "confirm": form}, status=400)


@require_POST
@login_required
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request.user, pk)
    if draft.status == DraftStatus.IMPORTED:
        messages.error(request, "该草稿已导入，不能放弃")
        return _back(draft)
    discard_draft(request.user, draft)
    messages.success(request, f"已放弃导入「{draft.filename}」")
    return redirect("plans:import")
