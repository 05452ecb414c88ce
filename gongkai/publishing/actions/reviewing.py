"""The review chain (三审): which stages a kind needs, submitting, and deciding a stage.

Each submission starts a round (1, 2, …). In a round the stages run in STAGE_ORDER, each decided
once (the unique constraint on document, round and stage backs that up). A return ends the
round and sends the document back to the drafter; the last approval makes it 待发布.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from gongkai.publishing.access import can_act, can_edit, can_review
from gongkai.publishing.actions.base import (
    PublishRejected,
    ReviewConflict,
    _actor,
    audit_create,
    lock,
    move,
    require_state,
    sync,
)
from gongkai.publishing.actions.drafting import check_ready
from gongkai.publishing.models import (
    STAGE_ORDER,
    DocState,
    Document,
    ReviewDecision,
    ReviewPolicy,
    ReviewStage,
    ReviewStep,
)

MAX_COMMENT = 2000


def stages_for(document: Document) -> list[ReviewStage]:
    """The review stages this document's kind needs, in order (ReviewPolicy, else all three)."""
    policy = ReviewPolicy.objects.filter(kind=document.kind).first()
    wanted = set(policy.stages) if policy is not None and isinstance(policy.stages, list) else set()
    stages = [s for s in STAGE_ORDER if s.value in wanted]
    return stages or list(STAGE_ORDER)


def next_stage(document: Document) -> ReviewStage | None:
    """The stage waiting for a decision in the current round, or None when none is."""
    if document.state != DocState.REVIEW:
        return None
    approved = set(
        ReviewStep.objects.filter(
            document_id=document.pk,
            round=document.review_round,
            decision=ReviewDecision.APPROVED,
        ).values_list("stage", flat=True)
    )
    return next((s for s in stages_for(document) if s.value not in approved), None)


@transaction.atomic
def submit(user: Any, document: Document) -> Document:
    """Draft or returned → 审核中 (a new round starts)."""
    original, document = document, lock(document)
    require_state(document, (DocState.DRAFT, DocState.RETURNED), "送审")
    if not can_edit(user, document):
        raise PermissionDenied("只有本单位联络员或公开办可以送审")
    check_ready(document)
    document.review_round += 1
    document.save(update_fields=["review_round", "updated_at"])
    move(user, document, DocState.REVIEW, f"第 {document.review_round} 轮送审")
    return sync(original, document)


def _deny(stage: ReviewStage) -> PermissionDenied:
    who = {
        ReviewStage.INITIAL: "本单位联络员或公开办",
        ReviewStage.LEADER: "本单位分管领导或公开办",
        ReviewStage.FINAL: "公开办",
    }[stage]
    return PermissionDenied(f"「{stage.label}」只能由{who}审核")


def review(
    user: Any,
    document: Document,
    *,
    approve: bool,
    comment: str = "",
    stage: str | None = None,
) -> ReviewStep:
    """Decide the waiting stage. A return needs a comment and sends the document back to the
    drafter; the last approval makes it 待发布. Who may decide: initial — a liaison of the unit
    (or the office); leader — a leader of the unit (or the office); final — the office.

    `stage`: the stage the reviewer saw on the page. When another decision came first (that
    stage is decided, the document was returned, a new round began) ReviewConflict is raised
    and the other decision stands. Without it, the stage waiting when the call began is used.
    """
    if not can_act(user, document):
        raise PermissionDenied("您不能审核该信息")
    seen_state, seen_round = document.state, document.review_round
    expected = ReviewStage(stage) if stage else next_stage(document)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise PublishRejected("退回时请填写审核意见")
    if len(comment) > MAX_COMMENT:
        raise PublishRejected(f"审核意见不能超过 {MAX_COMMENT} 字")
    with transaction.atomic():
        locked = lock(document)
        if locked.state != DocState.REVIEW or locked.review_round != seen_round:
            if seen_state == DocState.REVIEW:
                raise ReviewConflict(
                    f"该信息已由他人处理，当前状态为「{locked.get_state_display()}」，"
                    "您的决定未保存"
                )
            require_state(locked, (DocState.REVIEW,), "审核")
        waiting = next_stage(locked)
        if waiting is None:
            raise PublishRejected("该信息当前没有等待审核的环节")
        if expected is not None and waiting != expected:
            raise ReviewConflict(
                f"「{expected.label}」已由他人作出决定，当前等待「{waiting.label}」，您的决定未保存"
            )
        if not can_review(user, locked, waiting):
            raise _deny(waiting)
        decision = ReviewDecision.APPROVED if approve else ReviewDecision.RETURNED
        try:
            with transaction.atomic():
                step = ReviewStep.objects.create(
                    document=locked,
                    round=locked.review_round,
                    stage=waiting,
                    decision=decision,
                    comment=comment,
                    reviewer=_actor(user),
                )
        except IntegrityError:  # the constraint caught what the lock did not (never on PG)
            raise ReviewConflict(f"「{waiting.label}」已由他人作出决定，您的决定未保存") from None
        audit_create(user, step, comment=f"{waiting.label}：{decision.label}")
        if not approve:
            move(user, locked, DocState.RETURNED, f"{waiting.label}退回：{comment}"[:1000])
        elif next_stage(locked) is None:
            move(user, locked, DocState.APPROVED, f"{waiting.label}通过，审核完成")
    sync(document, locked)
    return step
