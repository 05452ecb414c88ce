"""Checkpoints, progress reports and reviews over JSON, with the pages' access rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from gongkai.work import actions
from gongkai.work.access import (
    can_report,
    checkpoints_for_user,
    get_checkpoint_for_user,
    get_report_for_user,
)
from gongkai.work.filters import CheckpointFilter
from gongkai.work.models import Checkpoint, Evidence, QuarterCheck, Report
from gongkai.work.scoring import checks_for_user, get_check_for_user, results_of

router = Router()

MAX_PAGE = 500
#: Past this, no page has rows; a bigger number would overflow the database's integer.
MAX_OFFSET = 10**9


class EvidenceOut(Schema):
    id: int
    kind: str
    url: str
    filename: str
    size: int
    sha256: str
    link_state: str
    http_status: int | None
    final_url: str
    title: str
    fetched_at: dt.datetime | None


class ReportOut(Schema):
    id: int
    checkpoint_id: int
    status: str
    text: str
    na_reason: str
    author: str
    submitted_at: dt.datetime
    review: str
    reviewer: str
    reviewed_at: dt.datetime | None
    review_comment: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_author(obj: Report) -> str:
        return obj.author.get_username() if obj.author else ""

    @staticmethod
    def resolve_reviewer(obj: Report) -> str:
        return obj.reviewer.get_username() if obj.reviewer else ""

    @staticmethod
    def resolve_evidence(obj: Report) -> list[Evidence]:
        return list(obj.evidence.all())


class CheckpointOut(Schema):
    id: int
    plan_id: int
    task_id: int
    unit_id: int
    unit: str
    category: str
    kind: str
    label: str
    rule_text: str
    standing: bool
    nominal: dt.date
    due: dt.date
    status: str
    review: str
    finished_on: dt.date | None
    cancelled: bool
    overdue: bool

    @staticmethod
    def resolve_unit(obj: Checkpoint) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_overdue(obj: Checkpoint) -> bool:
        return obj.is_overdue(timezone.localdate())


class CheckpointDetailOut(CheckpointOut):
    requirement: str
    reports: list[ReportOut]

    @staticmethod
    def resolve_requirement(obj: Checkpoint) -> str:
        return obj.task.requirement

    @staticmethod
    def resolve_reports(obj: Checkpoint) -> list[Report]:
        return list(obj.reports.select_related("author", "reviewer").prefetch_related("evidence"))


class CheckpointPage(Schema):
    count: int
    offset: int
    items: list[CheckpointOut]


class ReviewIn(Schema):
    accept: bool
    comment: str = ""


@router.get(
    "/checkpoints",
    response=CheckpointPage,
    summary="任务节点（联络员只能看到本单位的）；筛选参数同“任务落实”页面",
)
def list_checkpoints(request: HttpRequest, offset: int = 0, limit: int = 100) -> dict[str, Any]:
    f = CheckpointFilter.from_query(request.GET)
    if f.errors:
        raise HttpError(400, "；".join(f.errors))
    qs = f.apply(checkpoints_for_user(request.user)).select_related("unit").order_by("due", "pk")
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, min(offset, MAX_OFFSET))
    return {"count": qs.count(), "offset": offset, "items": list(qs[offset : offset + limit])}


@router.get(
    "/checkpoints/{int:checkpoint_id}", response=CheckpointDetailOut, summary="一个任务节点及其报送"
)
def get_checkpoint(request: HttpRequest, checkpoint_id: int) -> Checkpoint:
    return get_checkpoint_for_user(request.user, checkpoint_id)


def _rejected(exc: Exception) -> HttpError:
    if isinstance(exc, actions.ReviewConflict):
        return HttpError(409, str(exc))
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc) or "没有权限")
    return HttpError(400, str(exc))


@router.post(
    "/checkpoints/{int:checkpoint_id}/reports",
    response={201: ReportOut},
    summary="报送进展（表单字段：status、text、na_reason、urls 每行一个；文件字段 files 可多个）",
)
def post_report(
    request: HttpRequest,
    checkpoint_id: int,
    status: Form[str] = "",  # checked after access, so "not yours" is a 404, not a 422
    text: Form[str] = "",
    na_reason: Form[str] = "",
    urls: Form[str] = "",
    files: File[list[UploadedFile] | None] = None,  # inside File[], or ninja reads a query
) -> Status[Report]:
    checkpoint = get_checkpoint_for_user(request.user, checkpoint_id)
    if not can_report(request.user, checkpoint):
        raise HttpError(403, "只有本单位联络员可以报送进展")
    data = actions.ReportInput(
        status=status,
        text=text,
        na_reason=na_reason,
        urls=[u for u in urls.splitlines() if u.strip()],
        files=list(files or []),
    )
    try:
        report = actions.submit_report(request.user, checkpoint, data)
    except actions.WorkRejected as exc:
        raise _rejected(exc) from exc
    return Status(201, report)


def _review_input(request: HttpRequest) -> ReviewIn:
    """The decision, as JSON ({"accept": true, "comment": "…"}) or as form fields."""
    content_type = request.META.get("CONTENT_TYPE", "")
    try:
        if content_type.startswith("application/json"):
            data: Any = json.loads(request.body or b"{}")
        else:
            data = {k: request.POST.get(k) for k in ("accept", "comment") if k in request.POST}
        if not isinstance(data, dict) or "accept" not in data:
            raise ValueError
        accept = data["accept"]
        if isinstance(accept, str):
            accept = {"true": True, "1": True, "false": False, "0": False}[accept.lower()]
        if not isinstance(accept, bool):
            raise ValueError
        return ReviewIn(accept=accept, comment=str(data.get("comment") or ""))
    except (ValueError, KeyError):
        raise HttpError(
            400, "请提交审核结论：accept 为 true（通过）或 false（退回），以及 comment"
        ) from None


@router.post(
    "/reports/{int:report_id}/review",
    response=ReportOut,
    summary="审核报送：通过或退回（退回须填写意见）；他人已先审核时返回 409",
    description='请求体：JSON `{"accept": true, "comment": "…"}`，或同名表单字段。',
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": ReviewIn.json_schema()}},
            "required": True,
        }
    },
)
def review(request: HttpRequest, report_id: int) -> Report:
    # The body is read here, after the access check, so a report of another unit is a 404
    # whatever was posted, and a form post is read as a form (not a JSON parse error).
    report = get_report_for_user(request.user, report_id)
    payload = _review_input(request)
    try:
        return actions.review_report(
            request.user, report, accept=payload.accept, comment=payload.comment
        )
    except (actions.WorkRejected, PermissionDenied) as exc:
        raise _rejected(exc) from exc


# -- quarterly checks (read only) ---------------------------------------------------------------


class UnitResultOut(Schema):
    unit_id: int
    unit: str
    score: float | None
    rank: int | None
    counts: dict[str, int]


class QuarterCheckOut(Schema):
    id: int
    plan_id: int
    year: int
    quarter: int
    rubric: str
    state: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_rubric(obj: QuarterCheck) -> str:
        return str(obj.rubric)


class QuarterCheckDetailOut(QuarterCheckOut):
    results: list[UnitResultOut]

    @staticmethod
    def resolve_results(obj: QuarterCheck) -> list[dict[str, Any]]:
        return [r.to_dict() for r in results_of(obj)]


@router.get(
    "/quarters",
    response=list[QuarterCheckOut],
    summary="季度检查（公开办和评估人员看全部；联络员和分管领导只看已发布的）",
)
def list_checks(request: HttpRequest) -> list[QuarterCheck]:
    return list(checks_for_user(request.user).order_by("-year", "-quarter", "pk"))


@router.get(
    "/quarters/{int:check_id}",
    response=QuarterCheckDetailOut,
    summary="一次季度检查及各单位得分、排名（已发布的为发布时冻结的结果）",
)
def get_check(request: HttpRequest, check_id: int) -> QuarterCheck:
    return get_check_for_user(request.user, check_id)
