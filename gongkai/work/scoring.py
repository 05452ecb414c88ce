"""The quarterly check (季度检查): which checkpoints it covers, scoring them, the unit ranking.

Scope: a check of plan P for quarter Q covers P's live checkpoints (not cancelled, on an
active assignment) whose due date falls in Q. A checkpoint finished late is judged in the
check of the quarter it was due in, never carried into the next one, so every checkpoint is
scored exactly once in the year.

Score of a unit: the weighted average of the points of its scored checkpoints, not
applicable ones left out; a checkpoint weighs what the rubric gives its first category (or
the rubric's default weight). 0–100 with one decimal. A unit whose checkpoints are all not
applicable has no score and is listed after the ranked units. Ties share a rank (1, 1, 3).

Rubrics are data with versions: once a published check used one it is never edited, a
change is a new version (new_rubric_version). Publishing freezes the results in the check
row; after that no score can change.

Every change is one transaction that first locks the check row (select_for_update), so two
office clerks scoring and publishing at once are serialised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record, record_change, record_create, record_transition, snapshot
from gongkai.plans.models import Plan, TaskStatus
from gongkai.units.models import Unit
from gongkai.work.access import require_office, sees_all
from gongkai.work.models import (
    Checkpoint,
    CheckpointQuerySet,
    CheckState,
    Progress,
    QuarterCheck,
    Result,
    Review,
    Rubric,
    Score,
)

DEFAULT_RUBRIC = "季度检查评分标准"
#: The largest weight Rubric.default_weight holds (six digits, two after the point).
MAX_WEIGHT = Decimal("9999.99")
DEFAULT_POINTS = {Result.DONE.value: 100, Result.PARTLY.value: 60, Result.NOT_DONE.value: 0}
SCORED = (Result.DONE, Result.PARTLY, Result.NOT_DONE)
_BATCH = 2000


class ScoreRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


class RubricLocked(ScoreRejected):
    """The rubric was used by a published check; a change must be a new version."""


# -- rubrics ------------------------------------------------------------------------------


def default_rubric() -> Rubric:
    """The newest version of the default rubric, created (version 1) on first use."""
    rubric = Rubric.objects.filter(name=DEFAULT_RUBRIC).order_by("-version").first()
    if rubric is not None:
        return rubric
    try:
        with transaction.atomic():
            rubric = Rubric.objects.create(
                name=DEFAULT_RUBRIC, version=1, points=dict(DEFAULT_POINTS), weights={}
            )
            record_create(None, rubric, comment="创建默认评分标准")
    except IntegrityError:  # created meanwhile by another request
        rubric = Rubric.objects.get(name=DEFAULT_RUBRIC, version=1)
    return rubric


def rubric_in_use(rubric: Rubric) -> bool:
    return rubric.checks.filter(state=CheckState.PUBLISHED).exists()


def _number(value: Any, what: str, *, high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ScoreRejected(f"{what}必须是数字") from None
    if not number.is_finite() or number < 0 or (high is not None and number > high):
        limit = f"0～{high}" if high is not None else "不小于0的数"
        raise ScoreRejected(f"{what}应为{limit}")
    return number


def _clean_rubric(
    points: dict[str, Any], weights: dict[str, Any], default_weight: Any
) -> tuple[dict[str, float], dict[str, float], Decimal]:
    labels = dict(Result.choices)
    clean_points = {
        r.value: float(_number(points.get(r.value), f"“{labels[r]}”的分值", high=Decimal(100)))
        for r in SCORED
    }
    clean_weights = {
        str(k).strip(): float(_number(v, f"类别“{k}”的权重", high=MAX_WEIGHT))
        for k, v in weights.items()
    }
    if "" in clean_weights:
        raise ScoreRejected("权重的类别名称不能为空")
    weight = _number(default_weight, "默认权重", high=MAX_WEIGHT).quantize(Decimal("0.01"))
    if weight == 0 and not any(clean_weights.values()):
        raise ScoreRejected("权重不能全部为0")
    return clean_points, clean_weights, weight


@transaction.atomic
def new_rubric_version(
    user: Any,
    name: str,
    points: dict[str, Any],
    weights: dict[str, Any] | None = None,
    default_weight: Any = 1,
) -> Rubric:
    """Version n+1 of the rubric called `name` (version 1 of a new name)."""
    require_office(user)
    name = name.strip()
    if not name:
        raise ScoreRejected("请填写评分标准名称")
    clean_points, clean_weights, weight = _clean_rubric(points, weights or {}, default_weight)
    last = Rubric.objects.select_for_update().filter(name=name).order_by("-version").first()
    rubric = Rubric.objects.create(
        name=name,
        version=(last.version + 1) if last else 1,
        points=clean_points,
        weights=clean_weights,
        default_weight=weight,
        created_by=user,
    )
    record_create(user, rubric, comment=f"新建评分标准第{rubric.version}版")
    return rubric


@transaction.atomic
def edit_rubric(
    user: Any,
    rubric: Rubric,
    *,
    points: dict[str, Any] | None = None,
    weights: dict[str, Any] | None = None,
    default_weight: Any = None,
) -> Rubric:
    """Correct a rubric no published check has used yet; a used one raises RubricLocked."""
    require_office(user)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric_in_use(rubric):
        raise RubricLocked(f"“{rubric}”已用于已发布的季度检查，不能修改；请新建评分标准的新版本")
    clean_points, clean_weights, weight = _clean_rubric(
        rubric.points if points is None else points,
        rubric.weights if weights is None else weights,
        rubric.default_weight if default_weight is None else default_weight,
    )
    before = snapshot(rubric)
    rubric.points, rubric.weights, rubric.default_weight = clean_points, clean_weights, weight
    rubric.save()
    record_change(user, rubric, before, comment="修改评分标准")
    return rubric


# -- the check and its scope ----------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)


def in_scope(check: QuarterCheck) -> CheckpointQuerySet:
    """The checkpoints this check covers (see the module docstring)."""
    first, last = quarter_bounds(check.year, check.quarter)
    return Checkpoint.objects.live().filter(
        plan_id=check.plan_id,
        due__gte=first,
        due__lte=last,
        assignment__active=True,
        task__status=TaskStatus.ACTIVE,
    )


def checks_for_user(user: Any) -> Any:
    """Checks a user may open: all for the office and evaluators, published ones for others."""
    qs = QuarterCheck.objects.select_related("plan", "rubric")
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(state=CheckState.PUBLISHED)


def get_check_for_user(user: Any, pk: int, *, write: bool = False) -> QuarterCheck:
    check: QuarterCheck | None = checks_for_user(user).filter(pk=pk).first()
    if check is None:
        raise Http404("没有找到该季度检查")
    if write:
        require_office(user)
    return check


@transaction.atomic
def start_check(
    user: Any, plan: Plan, year: int, quarter: int, rubric: Rubric | None = None
) -> QuarterCheck:
    require_office(user)
    if quarter not in (1, 2, 3, 4):
        raise ScoreRejected("季度应为1～4")
    if not 2000 <= year <= 2100:
        raise ScoreRejected("年度不正确")
    if QuarterCheck.objects.filter(plan=plan, year=year, quarter=quarter).exists():
        raise ScoreRejected(f"“{plan}”{year}年第{quarter}季度的检查已经创建")
    try:
        with transaction.atomic():
            check = QuarterCheck.objects.create(
                plan=plan,
                year=year,
                quarter=quarter,
                rubric=rubric or default_rubric(),
                created_by=user,
            )
    except IntegrityError:  # a colleague started it a moment ago
        raise ScoreRejected(f"“{plan}”{year}年第{quarter}季度的检查已经创建") from None
    record_create(user, check, comment=f"开始{year}年第{quarter}季度检查")
    return check


def _lock(check: QuarterCheck) -> QuarterCheck:
    locked = QuarterCheck.objects.select_for_update().get(pk=check.pk)
    if locked.is_published:
        raise ScoreRejected("该季度检查已发布，评分已冻结，不能再修改")
    return locked


# -- scoring --------------------------------------------------------------------------------


def suggested_result(status: str, review: str) -> Result:
    """What the checkpoint's reports suggest: accepted done → done, accepted not applicable →
    not applicable, reported or in progress (awaiting review, returned) → partly, nothing →
    not done."""
    if review == Review.ACCEPTED:
        return Result.NOT_APPLICABLE if status == Progress.NOT_APPLICABLE else Result.DONE
    if review in (Review.PENDING, Review.RETURNED) or status == Progress.IN_PROGRESS:
        return Result.PARTLY
    return Result.NOT_DONE


def set_score(
    user: Any, check: QuarterCheck, checkpoint: Checkpoint, result: str, comment: str = ""
) -> Score:
    require_office(user)
    if result not in Result.values:
        raise ScoreRejected("请选择评定结果")
    comment = comment.strip()
    if len(comment) > 500:
        raise ScoreRejected("说明最多500个字")
    with transaction.atomic():
        check = _lock(check)
        if not in_scope(check).filter(pk=checkpoint.pk).exists():
            raise ScoreRejected("该节点不在本季度检查范围内")
        score = Score.objects.filter(quarter_check=check, checkpoint_id=checkpoint.pk).first()
        label = f"评分：{checkpoint}"
        if score is None:
            score = Score.objects.create(
                quarter_check=check,
                checkpoint_id=checkpoint.pk,
                unit_id=checkpoint.unit_id,
                result=result,
                comment=comment,
                scored_by=user,
            )
            record_create(user, score, comment=label)
        elif (score.result, score.comment) != (result, comment):
            before = snapshot(score)
            score.result, score.comment = result, comment
            score.scored_by, score.scored_at = user, timezone.now()
            score.save()
            record_change(user, score, before, comment=label)
    return score


def prescore(user: Any, check: QuarterCheck) -> int:
    """按报送状态预评分: give every unscored checkpoint in scope its suggested result.
    Scores already given are left alone. Returns how many were filled."""
    require_office(user)
    with transaction.atomic():
        check = _lock(check)
        scored = Score.objects.filter(quarter_check=check, checkpoint_id=OuterRef("pk"))
        rows = (
            in_scope(check)
            .filter(~Exists(scored))
            .values_list("pk", "unit_id", "status", "review")
            .order_by("pk")
        )
        now = timezone.now()
        batch: list[Score] = []
        counts: dict[str, int] = defaultdict(int)
        filled = 0
        for pk, unit_id, status, review in rows.iterator(chunk_size=_BATCH):
            result = suggested_result(status, review)
            counts[result.label] += 1
            batch.append(
                Score(
                    quarter_check=check,
                    checkpoint_id=pk,
                    unit_id=unit_id,
                    result=result,
                    comment="按报送状态预评分",
                    scored_by=user,
                    scored_at=now,
                )
            )
            if len(batch) >= _BATCH:
                filled += len(Score.objects.bulk_create(batch))
                batch = []
        filled += len(Score.objects.bulk_create(batch))
        if filled:
            record(
                user,
                AuditAction.CHANGE,
                check,
                changes={"预评分": [None, dict(counts)]},
                comment=f"按报送状态预评分：{filled}个节点",
            )
    return filled


# -- results --------------------------------------------------------------------------------


@dataclass
class UnitResult:
    unit_id: int
    unit: str
    score: float | None
    rank: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitResult:
        return cls(
            unit_id=int(data["unit_id"]),
            unit=str(data["unit"]),
            score=None if data.get("score") is None else float(data["score"]),
            rank=None if data.get("rank") is None else int(data["rank"]),
            counts={str(k): int(v) for k, v in dict(data.get("counts") or {}).items()},
        )

    @property
    def unscored(self) -> int:
        return self.counts.get("unscored", 0)


def _weight(rubric: Rubric, category: str) -> Decimal:
    weights = rubric.weights if isinstance(rubric.weights, dict) else {}
    if category in weights:
        return Decimal(str(weights[category]))
    return Decimal(str(rubric.default_weight))


def rank(results: list[UnitResult]) -> list[UnitResult]:
    """Sort by score and give ranks; equal scores share a rank (1, 1, 3); no score, no rank."""
    ordered = sorted(results, key=lambda r: (r.score is None, -(r.score or 0.0), r.unit, r.unit_id))
    previous: float | None = None
    for position, result in enumerate(ordered, start=1):
        if result.score is None:
            result.rank = None
            continue
        if result.score != previous:
            result.rank, previous = position, result.score
        else:
            result.rank = ordered[position - 2].rank
    return ordered


def unit_results(check: QuarterCheck) -> list[UnitResult]:
    """Every unit with a checkpoint in scope, scored as it stands now, ranked. Two
    aggregate queries, whatever the number of units and checkpoints."""
    scope = in_scope(check)
    totals = {
        row["unit_id"]: row["n"]
        for row in scope.order_by().values("unit_id").annotate(n=Count("pk"))
    }
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {r.value: 0 for r in Result})
    points = check.rubric.points if isinstance(check.rubric.points, dict) else {}
    scored = (
        Score.objects.filter(quarter_check=check, checkpoint__in=scope)
        .order_by()
        .values("checkpoint__unit_id", "result", "checkpoint__category")
        .annotate(n=Count("pk"))
    )
    # By the checkpoint's unit as it is now: an assignment moved after it was scored counts
    # for the unit that holds it (Score.unit is the unit at scoring time).
    for row in scored:
        unit_id, result, n = row["checkpoint__unit_id"], row["result"], row["n"]
        counts[unit_id][result] += n
        if result == Result.NOT_APPLICABLE:
            continue
        weight = _weight(check.rubric, row["checkpoint__category"]) * n
        sums[unit_id][0] += weight * Decimal(str(points.get(result, 0)))
        sums[unit_id][1] += weight
    names = dict(Unit.objects.filter(pk__in=totals).values_list("pk", "name"))
    results: list[UnitResult] = []
    for unit_id, total in totals.items():
        weighted, weight = sums[unit_id]
        score = (
            float((weighted / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
            if weight > 0
            else None
        )
        unit_counts = counts[unit_id]
        unit_counts["unscored"] = total - sum(unit_counts.values())
        results.append(
            UnitResult(unit_id, names.get(unit_id, str(unit_id)), score, counts=unit_counts)
        )
    return rank(results)


def results_of(check: QuarterCheck) -> list[UnitResult]:
    """The frozen results of a published check, the live standings of a draft."""
    if check.is_published:
        return [UnitResult.from_dict(r) for r in check.results if isinstance(r, dict)]
    return unit_results(check)


def missing_count(check: QuarterCheck) -> int:
    scored = Score.objects.filter(quarter_check=check, checkpoint_id=OuterRef("pk"))
    return in_scope(check).filter(~Exists(scored)).count()


def progress_of(check: QuarterCheck) -> tuple[int, int]:
    """(scored, total) checkpoints in scope."""
    scored = Score.objects.filter(quarter_check=check, checkpoint_id=OuterRef("pk"))
    counts = in_scope(check).aggregate(total=Count("pk"), scored=Count("pk", filter=Exists(scored)))
    return counts["scored"], counts["total"]


def publish(user: Any, check: QuarterCheck) -> QuarterCheck:
    """Freeze the results. Every checkpoint in scope must have been scored."""
    require_office(user)
    with transaction.atomic():
        check = _lock(check)
        missing = missing_count(check)
        if missing:
            raise ScoreRejected(
                f"还有{missing}个节点未评分，全部评分后才能发布"
                "（可先用“按报送状态预评分”填入建议结果，再逐项核对）"
            )
        if not in_scope(check).exists():
            raise ScoreRejected("本季度没有需要检查的节点，无法发布")
        check.results = [r.to_dict() for r in unit_results(check)]
        check.state = CheckState.PUBLISHED
        check.published_by, check.published_at = user, timezone.now()
        check.save()
        record_transition(
            user,
            check,
            "state",
            CheckState.DRAFT.label,
            CheckState.PUBLISHED.label,
            comment=f"发布{check.year}年第{check.quarter}季度检查结果（{len(check.results)}个单位）",
        )
    return check


def unit_score_of(check: QuarterCheck, unit_id: int) -> UnitResult | None:
    for result in results_of(check):
        if result.unit_id == unit_id:
            return result
    return None
