"""The reply: the draft filed with the office, its review, the answer, delivery, closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_create, record_transition
from gongkai.clocks import Delivery
from gongkai.disclosure import clock
from gongkai.disclosure.access import require_office
from gongkai.disclosure.actions.base import (
    WORKING,
    RequestRejected,
    ReviewConflict,
    _actor,
    _check_day,
    _conclude,
    _event,
    _lock,
    _move,
    _require_state,
    _require_worker,
    _working_state,
)
from gongkai.disclosure.models import (
    ENDED_WITHOUT_REPLY,
    EventKind,
    Outcome,
    ReplyReview,
    Request,
    RequestState,
    ReviewDecision,
)


def _valid_outcome(outcome: str, separated: bool) -> Outcome:
    if separated:
        return Outcome.PARTIAL  # Art. 37: a separated reply counts only as 部分公开
    if outcome not in Outcome.values:
        raise RequestRejected("请选择办理结果")
    if outcome in ENDED_WITHOUT_REPLY:
        raise RequestRejected("逾期不补正、逾期不缴费由相应的登记操作结束，不通过答复")
    return Outcome(outcome)


def submit_reply(
    user: Any,
    request: Request,
    *,
    outcome: str,
    draft: str,
    reasons: str = "",
    separated: bool = False,
) -> ReplyReview:
    """The unit files its draft reply with the office for review (seed 002)."""
    _require_worker(user, request)
    if not draft.strip():
        raise RequestRejected("请填写答复意见")
    chosen = _valid_outcome(outcome, separated)
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, WORKING, "报送答复审核")
        review = ReplyReview.objects.create(
            request=request,
            outcome=chosen.value,
            separated=separated or chosen == Outcome.PARTIAL,
            draft=draft.strip(),
            reasons=reasons.strip(),
            submitted_by=_actor(user),
            due_on=request.review_due,
        )
        record_create(user, review)
        _move(user, request, RequestState.REVIEW)
    return review


def decide_review(
    user: Any, review: ReplyReview, *, approve: bool, comment: str = ""
) -> ReplyReview:
    """The office approves the draft or returns it with a comment. The first decision wins:
    a second reviewer gets ReviewConflict naming who decided."""
    require_office(user)
    comment = comment.strip()
    if not approve and not comment:
        raise RequestRejected("退回时请填写审核意见")
    decision = ReviewDecision.APPROVED if approve else ReviewDecision.RETURNED
    now = timezone.now()
    with transaction.atomic():
        request = _lock(review.request)
        won = ReplyReview.objects.filter(pk=review.pk, decision=ReviewDecision.PENDING).update(
            decision=decision, decided_by=user, decided_at=now, comment=comment
        )
        review.refresh_from_db()
        if not won:
            who = review.decided_by or "其他审核人"
            when = (
                timezone.localtime(review.decided_at).strftime("%Y-%m-%d %H:%M")
                if review.decided_at
                else ""
            )
            raise ReviewConflict(
                f"该答复已由{who}于{when}审核（{review.get_decision_display()}），以其审核结果为准"
            )
        record_transition(
            user, review, "decision", ReviewDecision.PENDING.value, decision.value, comment
        )
        if not approve:
            _move(user, request, _working_state(request), comment)
    return review


def approved_review(request: Request) -> ReplyReview | None:
    latest = request.reviews.order_by("-submitted_at", "-id").first()
    if latest is not None and latest.decision == ReviewDecision.APPROVED:
        return latest
    return None


def answer(user: Any, request: Request, day: dt.date, note: str = "") -> Request:
    """The reply went out, as the office approved it."""
    _require_worker(user, request)
    _check_day(day, "答复日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.REVIEW], "答复")
        review = approved_review(request)
        if review is None:
            raise RequestRejected("答复意见尚未经公开办审核通过")
        if request.received_on is not None and day < request.received_on:
            raise RequestRejected("答复日期不能早于收到申请日期")
        request.reasons = review.reasons
        request.separated = review.separated
        _event(user, request, EventKind.ANSWERED, day, note=note)
        request.answered_on = day
        _conclude(user, request, Outcome(review.outcome), day, RequestState.ANSWERED)
    return request


def answer_on_the_spot(
    user: Any, request: Request, *, outcome: str, reasons: str = "", separated: bool = False
) -> Request:
    """Answered at the counter on the receipt day (A2): closed at once."""
    _require_worker(user, request)
    chosen = _valid_outcome(outcome, separated)
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.IN_PROGRESS], "当场答复")
        day = request.received_on
        if day is None or request.events.exclude(kind=EventKind.RECEIVED).exists():
            raise RequestRejected("只有收到当日尚未办理的申请可以当场答复")
        request.reasons = reasons.strip()
        request.separated = chosen == Outcome.PARTIAL
        _event(user, request, EventKind.ANSWERED, day, {"on_the_spot": True})
        request.answered_on = day
        request.delivered_on = day
        _conclude(user, request, chosen, day, RequestState.CLOSED, "当场答复")
    return request


def deliver(user: Any, request: Request, day: dt.date, method: Delivery, note: str = "") -> Request:
    """The reply was served: signed for, or handed to China Post (235号)."""
    _require_worker(user, request)
    _check_day(day, "送达日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.ANSWERED], "登记送达")
        if method == Delivery.OTHER_COURIER:
            raise RequestRejected(
                "交其他快递寄出不是有效送达（国办公开办函〔2016〕235号），"
                "请由申请人签收或交邮政企业寄送后再登记"
            )
        if request.answered_on and day < request.answered_on:
            raise RequestRejected("送达日期不能早于答复日期")
        _event(user, request, EventKind.DELIVERED, day, {"method": method.value}, note)
        request.delivered_on = day
        request.save(update_fields=["delivered_on"])
        _move(user, request, RequestState.DELIVERED)
        clock.refresh(request)
    return request


def close(user: Any, request: Request, comment: str = "") -> Request:
    """File the served request away (归档)."""
    _require_worker(user, request)
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.DELIVERED], "办结归档")
        _move(user, request, RequestState.CLOSED, comment)
    return request
