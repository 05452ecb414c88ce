"""The quarterly check's pages and the ledger (台账) export.

Who sees what (scoring.checks_for_user): the office scores, prescores and publishes;
evaluators read every check; liaisons and leaders open published checks only, with their
own units' rows and the whole ranking. Ledger: the office and evaluators export any unit;
liaisons and leaders only their units (another unit is a 404, "all" means all of theirs).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.jobs.access import get_job_for_user
from gongkai.jobs.models import JobKind, JobStatus
from gongkai.plans.access import get_plan_for_user, plans_for_user
from gongkai.plans.models import Plan
from gongkai.units.models import Unit
from gongkai.work.access import require_office, sees_all
from gongkai.work.exports import LedgerRequest, start_ledger_job, stored_file
from gongkai.work.filters import parse_id
from gongkai.work.ledger import build_ledger, build_results, evidence_path, expected_rows
from gongkai.work.models import (
    Checkpoint,
    Evidence,
    EvidenceKind,
    QuarterCheck,
    Result,
    Rubric,
    Score,
)
from gongkai.work.scoring import (
    ScoreRejected,
    checks_for_user,
    get_check_for_user,
    in_scope,
    prescore,
    progress_of,
    publish,
    results_of,
    set_score,
    start_check,
    suggested_result,
)

ROWS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units_of(user: Any) -> set[int]:
    return set() if sees_all(user) else set(user.unit_ids())


# -- the list and starting a check ------------------------------------------------------------


class StartForm(forms.Form):
    plan = forms.ModelChoiceField(Plan.objects.order_by("-year", "name"), label="任务清单")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)]
    )
    rubric = forms.ModelChoiceField(
        Rubric.objects.order_by("name", "-version"),
        label="评分标准",
        required=False,
        empty_label="（默认评分标准的最新版本）",
    )


@require_http_methods(["GET", "POST"])
@login_required
def quarter_list(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None)
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                check = start_check(
                    request.user, data["plan"], data["year"], data["quarter"], data["rubric"]
                )
            except ScoreRejected as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已开始{check}")
                return redirect("work:quarter", pk=check.pk)
    checks = checks_for_user(request.user).order_by("-year", "-quarter", "plan__name")
    return render(request, "work/quarter_list.html", {"checks": checks, "form": form})


# -- the scoring page -------------------------------------------------------------------------


@dataclass
class Link:
    text: str
    url: str
    flagged: bool = False
    state: str = ""


@dataclass
class ScoreRow:
    checkpoint: Checkpoint
    score: Score | None
    suggestion: Result
    links: list[Link] = field(default_factory=list)
    url: str = ""
    error: str = ""
    saved: bool = False


def _checkpoint_url(pk: int) -> str:
    try:
        return reverse("work:checkpoint", args=[pk])
    except NoReverseMatch:  # the checkpoint page is registered by views/mywork.py
        return ""


def _score_rows(check: QuarterCheck, checkpoints: list[Checkpoint]) -> list[ScoreRow]:
    """Rows for a page of checkpoints: two queries (scores, evidence), whatever the count."""
    ids = [c.pk for c in checkpoints]
    scores = {
        s.checkpoint_id: s for s in Score.objects.filter(quarter_check=check, checkpoint_id__in=ids)
    }
    report_ids = [c.latest_report_id for c in checkpoints if c.latest_report_id]
    links: dict[int, list[Link]] = defaultdict(list)
    for e in Evidence.objects.filter(report_id__in=report_ids).order_by("pk"):
        if e.kind == EvidenceKind.FILE:
            links[e.report_id].append(Link(e.filename, evidence_path(e.pk)))
        else:
            links[e.report_id].append(
                Link(e.title or e.url, e.url, e.flagged, e.get_link_state_display())
            )
    return [
        ScoreRow(
            c,
            scores.get(c.pk),
            suggested_result(c.status, c.review),
            links.get(c.latest_report_id or 0, []),
            _checkpoint_url(c.pk),
        )
        for c in checkpoints
    ]


def _page_checkpoints(request: HttpRequest, check: QuarterCheck) -> tuple[Any, dict[str, Any]]:
    user = request.user
    scope = in_scope(check)
    mine = _units_of(user)
    if not sees_all(user):
        scope = scope.of_units(mine)
    filters: dict[str, Any] = {"unit": None, "category": request.GET.get("category", "")}
    unit = parse_id(request.GET.get("unit"))
    if unit is not None:
        filters["unit"] = unit
        scope = scope.filter(unit_id=unit)
    if filters["category"]:
        scope = scope.filter(category=filters["category"])
    rows = scope.select_related("task", "unit", "latest_report").order_by(
        "unit__name", "unit_id", "task__order", "task_id", "due", "pk"
    )
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return page, filters


@require_GET
@login_required
def quarter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_check_for_user(request.user, pk)
    page, filters = _page_checkpoints(request, check)
    rows = _score_rows(check, list(page.object_list))
    groups = [(unit, list(items)) for unit, items in groupby(rows, key=lambda r: r.checkpoint.unit)]
    units = Unit.objects.filter(pk__in=in_scope(check).values("unit_id"))
    if not sees_all(request.user):
        units = units.filter(pk__in=_units_of(request.user))
    context: dict[str, Any] = {
        "check": check,
        "page": page,
        "groups": groups,
        "filters": filters,
        "units": units.order_by("name").values_list("pk", "name"),
        "categories": in_scope(check)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct(),
        "results": results_of(check) if check.is_published else [],
        "mine": _units_of(request.user),
        "choices": Result.choices,
        "editable": getattr(request.user, "is_office", False) and not check.is_published,
    }
    if sees_all(request.user) and not check.is_published:
        scored, total = progress_of(check)
        context.update(scored=scored, total=total, missing=total - scored)
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "work/quarter_detail.html", context)


@require_POST
@login_required
def quarter_score(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: save one row's result and comment; answers with the row, showing any refusal."""
    require_office(request.user)
    check = get_check_for_user(request.user, pk, write=True)
    wanted = parse_id(request.POST.get("checkpoint"))
    checkpoint = (
        in_scope(check).select_related("task", "unit", "latest_report").filter(pk=wanted).first()
        if wanted is not None
        else None
    )
    if checkpoint is None:
        raise Http404("该节点不在本季度检查范围内")
    error = ""
    try:
        set_score(
            request.user,
            check,
            checkpoint,
            request.POST.get("result", ""),
            request.POST.get("comment", ""),
        )
    except ScoreRejected as exc:
        error = str(exc)
    check.refresh_from_db()
    row = _score_rows(check, [checkpoint])[0]
    row.error, row.saved = error, not error
    context = {
        "check": check,
        "row": row,
        "choices": Result.choices,
        "editable": not check.is_published,
    }
    return render(request, "work/quarter_row.html", context)


@require_POST
@login_required
def quarter_prescore(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    check = get_check_for_user(request.user, pk, write=True)
    try:
        filled = prescore(request.user, check)
    except ScoreRejected as exc:
        messages.error(request, str(exc))
    else:
        if filled:
            messages.success(
                request, f"已按报送状态为{filled}个未评分的节点填入建议结果，请逐项核对"
            )
        else:
            messages.info(request, "没有未评分的节点")
    return redirect("work:quarter", pk=check.pk)


@require_POST
@login_required
def quarter_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    check = get_check_for_user(request.user, pk, write=True)
    try:
        publish(request.user, check)
    except ScoreRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "检查结果已发布，评分已冻结")
    return redirect("work:quarter", pk=check.pk)


@require_GET
@login_required
def quarter_print(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_check_for_user(request.user, pk)
    context = {"check": check, "results": results_of(check), "mine": _units_of(request.user)}
    return render(request, "work/quarter_print.html", context)


def _xlsx_response(build: Any, filename: str) -> FileResponse:
    # Spooled: small files stay in memory, a large ledger goes to a temporary file.
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115  FileResponse closes it
    build(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@require_GET
@login_required
def quarter_export(request: HttpRequest, pk: int) -> FileResponse:
    check = get_check_for_user(request.user, pk)
    results = results_of(check)
    name = f"{check.plan.name}{check.year}年第{check.quarter}季度检查结果.xlsx"
    return _xlsx_response(lambda out: build_results(check, results, out), name)


# -- the ledger -----------------------------------------------------------------------------


@require_GET
@login_required
def ledger_form(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = Unit.objects.active().order_by("name")
    if not sees_all(user):
        units = units.filter(pk__in=_units_of(user))
    context = {
        "plans": plans_for_user(user).order_by("-year", "name"),
        "units": units.values_list("pk", "name"),
        "checks": checks_for_user(user).order_by("-year", "-quarter"),
        "all_label": "全部单位" if sees_all(user) else "本人所属的全部单位",
    }
    return render(request, "work/ledger_form.html", context)


def _int(data: Any, name: str) -> int | None:
    return parse_id(data.get(name))


#: Above this many rows a ledger is offered as a background job first (a request writing it
#: would run longer than a proxy waits: about 0.15 ms a row, docs/performance.md).
BACKGROUND_ROWS = 20_000


@dataclass
class LedgerChoice:
    plan: Plan
    unit_ids: set[int] | None
    unit_name: str
    check: QuarterCheck | None
    per_unit: bool

    @property
    def filename(self) -> str:
        return f"{self.plan.year}年{self.plan.name}台账（{self.unit_name}）.xlsx"


def _ledger_choice(request: HttpRequest, data: Any) -> LedgerChoice | None:
    """What the form asks for, within what the user may export (404 for another unit's)."""
    user = request.user
    plan_id = _int(data, "plan")
    if plan_id is None:
        return None
    plan = get_plan_for_user(user, plan_id)
    unit_ids: set[int] | None = None if sees_all(user) else _units_of(user)
    unit_name = "全部单位"
    unit = data.get("unit", "all")
    if unit != "all":
        unit_id = _int(data, "unit") or 0
        found = Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first()
        if found is None or (unit_ids is not None and unit_id not in unit_ids):
            raise Http404("没有找到该单位")
        unit_ids, unit_name = {unit_id}, found
    check = None
    check_id = _int(data, "check")
    if check_id is not None:
        check = get_check_for_user(user, check_id)
        if check.plan_id != plan.pk:
            raise Http404("该季度检查不属于所选任务清单")
    return LedgerChoice(plan, unit_ids, unit_name, check, data.get("mode") == "per_unit")


@require_GET
@login_required
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    choice = _ledger_choice(request, request.GET)
    if choice is None:
        messages.error(request, "请选择任务清单")
        return redirect("work:ledger")
    rows = expected_rows(choice.plan, choice.unit_ids)
    if rows > BACKGROUND_ROWS and request.GET.get("direct") != "1":
        context = {"choice": choice, "rows": rows, "params": request.GET.items()}
        return render(request, "work/ledger_large.html", context)
    base = request.build_absolute_uri("/")

    def build(out: Any) -> None:
        build_ledger(
            choice.plan,
            out=out,
            unit_ids=choice.unit_ids,
            per_unit=choice.per_unit,
            check=choice.check,
            base_url=base,
        )

    return _xlsx_response(build, choice.filename)


@require_POST
@login_required
def ledger_background(request: HttpRequest) -> HttpResponse:
    """Start the ledger as a background job; its page shows progress and the download."""
    choice = _ledger_choice(request, request.POST)
    if choice is None:
        messages.error(request, "请选择任务清单")
        return redirect("work:ledger")
    job = start_ledger_job(
        request.user,
        LedgerRequest(
            plan=choice.plan.pk,
            unit_ids=sorted(choice.unit_ids) if choice.unit_ids is not None else None,
            per_unit=choice.per_unit,
            check=choice.check.pk if choice.check else None,
            base_url=request.build_absolute_uri("/"),
            filename=choice.filename,
        ),
    )
    messages.success(request, "台账正在后台生成，完成后可在本页下载")
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@login_required
def ledger_download(request: HttpRequest, pk: int) -> FileResponse:
    """A ledger a background job wrote, for those who may see the job (its starter, the
    office and evaluators)."""
    job = get_job_for_user(request.user, pk)
    result = job.result if isinstance(job.result, dict) else {}
    path = stored_file(str(result.get("file", ""))) if job.kind == JobKind.LEDGER_EXPORT else None
    if job.status != JobStatus.SUCCEEDED or path is None:
        raise Http404("没有找到该台账文件（可能已超过保存期限，请重新导出）")
    name = str(result.get("filename") or "台账.xlsx")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


urlpatterns: list[URLPattern | URLResolver] = [
    path("quarters/", quarter_list, name="quarters"),
    path("quarters/<int:pk>/", quarter_detail, name="quarter"),
    path("quarters/<int:pk>/score/", quarter_score, name="quarter_score"),
    path("quarters/<int:pk>/prescore/", quarter_prescore, name="quarter_prescore"),
    path("quarters/<int:pk>/publish/", quarter_publish, name="quarter_publish"),
    path("quarters/<int:pk>/print/", quarter_print, name="quarter_print"),
    path("quarters/<int:pk>/export.xlsx", quarter_export, name="quarter_export"),
    path("ledger/", ledger_form, name="ledger"),
    path("ledger/export/", ledger_export, name="ledger_export"),
    path("ledger/background/", ledger_background, name="ledger_background"),
    path("ledger/jobs/<int:pk>/download/", ledger_download, name="ledger_download"),
]
