"""The work list ("my work" for a liaison, the office's overview), a checkpoint with its
reports and review, the review queue, and the office's assignment edits."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.models import AuditEvent
from gongkai.plans.access import get_plan_for_user, tasks_for_user
from gongkai.plans.models import Plan, Task
from gongkai.units.access import units_for_user
from gongkai.work import actions
from gongkai.work.access import (
    can_report,
    checkpoints_for_user,
    get_assignment_for_user,
    get_checkpoint_for_user,
    get_report_for_user,
    require_office,
    sees_all,
)
from gongkai.work.filters import STATES, CheckpointFilter, path_prefixes
from gongkai.work.forms import (
    AddAssignmentForm,
    MoveAssignmentForm,
    RemoveAssignmentForm,
    ReportForm,
    ReviewForm,
)
from gongkai.work.linked import linked_evidence
from gongkai.work.models import (
    Assignment,
    Checkpoint,
    Progress,
    Report,
    Review,
)

PAGE_SIZE = 50
#: Lists count at most this many rows: past it the page says "more than", and the clerk
#: narrows the filter. Counting every overdue row of a million is what made the list slow.
COUNT_CAP = 5000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that stops counting at COUNT_CAP rows (`capped` says it did)."""

    capped = False

    @cached_property
    def count(self) -> int:
        rows = cast(QuerySet[Any], self.object_list)
        counted = rows[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)


def _paths(plan_id: int | None) -> list[str]:
    """The plan's category paths and their ancestors, for the filter (from its tasks)."""
    if plan_id is None:
        return []
    tasks = Task.objects.filter(plan_id=plan_id).order_by("order")
    return path_prefixes([list(p) for p in tasks.values_list("path", flat=True) if p])


@require_GET
@login_required
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    """Checkpoints the user may see, due date first (so the overdue come first among the open)."""
    f = CheckpointFilter.from_query(request.GET)
    plans = list(Plan.objects.order_by("-year", "name").values("pk", "name", "year"))
    if f.plan is None and plans and "plan" not in request.GET:
        f.plan = plans[0]["pk"]  # the newest plan, unless "all plans" was chosen
    today = timezone.localdate()
    qs = f.apply(checkpoints_for_user(request.user), today)
    qs = (
        qs.select_related("unit", "task")
        .only(
            "pk",
            "label",
            "due",
            "status",
            "review",
            "finished_on",
            "cancelled",
            "category",
            "standing",
            "kind",
            "unit__name",
            "task__requirement",
            "task__path",
            "task_id",
            "unit_id",
        )
        .order_by("due", "pk")
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(units_for_user(request.user).order_by("name").values("pk", "name"))
    mine = not sees_all(request.user)
    context: dict[str, Any] = {
        "page": page,
        "f": f,
        "today": today,
        "plans": plans,
        "units": units if len(units) > 1 else [],
        "paths": _paths(f.plan),
        "states": STATES,
        "statuses": Progress.choices,
        "reviews": Review.choices,
        "mine": mine,
        "query": f.query(),
    }
    return render(request, "work/list.html", context)


def _trail(checkpoint: Checkpoint) -> Any:
    report_ids = [str(pk) for pk in checkpoint.reports.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Checkpoint), object_id=str(checkpoint.pk))
        | Q(content_type=ContentType.objects.get_for_model(Report), object_id__in=report_ids)
    ).order_by("-at", "-pk")


def _checkpoint_page(
    request: HttpRequest,
    checkpoint: Checkpoint,
    *,
    report_form: ReportForm | None = None,
    review_form: ReviewForm | None = None,
    review_target: Report | None = None,
    status: int = 200,
) -> HttpResponse:
    reports = list(
        checkpoint.reports.select_related("author", "reviewer").prefetch_related("evidence")
    )
    pending = next((r for r in reports if r.review == Review.PENDING), None)
    writable = can_report(request.user, checkpoint) and checkpoint.is_open and pending is None
    context = {
        "c": checkpoint,
        "task": checkpoint.task,
        "assignment": checkpoint.assignment,
        "reports": reports,
        "pending": pending,
        # The report the review form posts to: the pending one, or after a conflict the one
        # this reviewer tried to decide (their comment stays in the form, shown beside the
        # decision that won).
        "review_target": pending or review_target,
        "today": timezone.localdate(),
        "report_form": report_form
        or (ReportForm(initial={"status": checkpoint.status}) if writable else None),
        "review_form": None
        if checkpoint.cancelled
        else review_form
        or (ReviewForm() if pending and getattr(request.user, "is_office", False) else None),
        "events": _trail(checkpoint),
        "can_recheck": can_report(request.user, checkpoint),
        "linked": linked_evidence(checkpoint),
    }
    return render(request, "work/checkpoint.html", context, status=status)


@require_GET
@login_required
def checkpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _checkpoint_page(request, get_checkpoint_for_user(request.user, pk))


@require_POST
@login_required
def checkpoint_report(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = get_checkpoint_for_user(request.user, pk, write=True)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _checkpoint_page(request, checkpoint, report_form=form, status=400)
    data = actions.ReportInput(
        status=form.cleaned_data["status"],
        text=form.cleaned_data["text"],
        na_reason=form.cleaned_data["na_reason"],
        urls=form.url_list(),
        files=form.cleaned_data["evidence_files"],
    )
    try:
        actions.submit_report(request.user, checkpoint, data)
    except actions.WorkRejected as exc:
        form.add_error(None, str(exc))
        return _checkpoint_page(request, checkpoint, report_form=form, status=400)
    messages.success(
        request,
        "进展已报送"
        + ("，等待公开办审核" if data.status in (Progress.DONE, Progress.NOT_APPLICABLE) else ""),
    )
    return redirect("work:checkpoint", pk=checkpoint.pk)


@require_POST
@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    checkpoint = get_checkpoint_for_user(request.user, report.checkpoint_id)
    if not form.is_valid():
        return _checkpoint_page(request, checkpoint, review_form=form, status=400)
    try:
        actions.review_report(
            request.user,
            report,
            accept=form.cleaned_data["decision"] == "accept",
            comment=form.cleaned_data["comment"],
        )
    except actions.ReviewConflict as exc:
        # Someone else decided first. Their decision stands; this reviewer keeps their text.
        messages.error(request, str(exc))
        checkpoint = get_checkpoint_for_user(request.user, report.checkpoint_id)
        return _checkpoint_page(
            request, checkpoint, review_form=form, review_target=report, status=409
        )
    except actions.WorkRejected as exc:
        form.add_error(None, str(exc))
        return _checkpoint_page(request, checkpoint, review_form=form, status=400)
    messages.success(
        request,
        "已审核通过" if form.cleaned_data["decision"] == "accept" else "已退回，单位将收到退回意见",
    )
    nxt = request.POST.get("next", "")
    if nxt == "queue":
        return redirect("work:reviews")
    return redirect("work:checkpoint", pk=report.checkpoint_id)


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    reports = (
        Report.objects.filter(review=Review.PENDING, checkpoint__cancelled=False)
        .select_related("checkpoint", "checkpoint__unit", "checkpoint__task", "author")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "work/reviews.html", {"page": page, "form": ReviewForm()})


# -- assignments ------------------------------------------------------------------------------


def _task_for_user(request: HttpRequest, pk: int) -> Task:
    task = Task.objects.select_related("plan").filter(pk=pk).first()
    if task is None:
        raise Http404("没有找到该任务")
    get_plan_for_user(request.user, task.plan_id)
    mine = task.assignments.filter(unit_id__in=_unit_ids(request)).exists()  # office-given
    if not (mine or tasks_for_user(request.user, task.plan).filter(pk=pk).exists()):
        raise Http404("没有找到该任务")
    return task


@require_GET
@login_required
def task_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for_user(request, pk)
    assignments = list(
        Assignment.objects.filter(task=task)
        .select_related("unit")
        .order_by("-active", "-is_lead", "unit__name")
    )
    if not sees_all(request.user):
        mine = _unit_ids(request)
        assignments = [a for a in assignments if a.unit_id in mine]
    checkpoints = (
        Checkpoint.objects.filter(assignment__in=assignments)
        .select_related("unit")
        .order_by("due", "unit__name")
    )
    ct = ContentType.objects.get_for_model(Assignment)
    events = AuditEvent.objects.filter(
        content_type=ct, object_id__in=[str(a.pk) for a in assignments]
    ).order_by("-at", "-pk")
    context = {
        "task": task,
        "assignments": assignments,
        "checkpoints": checkpoints,
        "add_form": AddAssignmentForm() if getattr(request.user, "is_office", False) else None,
        "move_form": MoveAssignmentForm(),
        "remove_form": RemoveAssignmentForm(),
        "events": events,
        "show_object": True,
        "today": timezone.localdate(),
    }
    return render(request, "work/assignments.html", context)


def _unit_ids(request: HttpRequest) -> set[int]:
    ids: set[int] = getattr(request.user, "unit_ids", set)()
    return ids


def _form_error(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_POST
@login_required
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for_user(request, pk)
    require_office(request.user)
    form = AddAssignmentForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    else:
        try:
            a = actions.add_assignment(
                request.user,
                task,
                form.cleaned_data["unit"],
                lead=form.cleaned_data["lead"],
                note=form.cleaned_data["note"],
            )
        except actions.WorkRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已将该任务分配给「{a.unit.name}」")
    return redirect("work:assignments", pk=task.pk)


@require_POST
@login_required
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, pk, write=True)
    form = RemoveAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销分工的理由")
    else:
        try:
            actions.remove_assignment(request.user, assignment, form.cleaned_data["reason"])
        except actions.WorkRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已撤销「{assignment.unit.name}」的分工")
    return redirect("work:assignments", pk=assignment.task_id)


@require_POST
@login_required
def assignment_move(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, pk, write=True)
    form = MoveAssignmentForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    else:
        try:
            actions.move_assignment(
                request.user, assignment, form.cleaned_data["unit"], form.cleaned_data["reason"]
            )
        except actions.WorkRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已调整为「{form.cleaned_data['unit'].name}」")
    return redirect("work:assignments", pk=assignment.task_id)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", checkpoint_list, name="list"),
    path("checkpoints/<int:pk>/", checkpoint_detail, name="checkpoint"),
    path("checkpoints/<int:pk>/report/", checkpoint_report, name="report"),
    path("reports/<int:pk>/review/", report_review, name="review"),
    path("reviews/", review_queue, name="reviews"),
    path("tasks/<int:pk>/assignments/", task_assignments, name="assignments"),
    path("tasks/<int:pk>/assignments/add/", assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/remove/", assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/move/", assignment_move, name="assignment_move"),
]
