"""Everything that changes a request: one function per act, one transaction each, audited.

Views, the API, the public form and tests call these; none of them writes the models directly.
A refused act raises `RequestRejected` with the reason in Chinese and changes nothing.

The flow (RequestState): registered (received) → the receipt day fixed (in progress) →
(awaiting correction) → (consulting) → (extended) → (awaiting fee) → the unit files its draft reply
with the office (review) → approved → answered → delivered → closed. Returned drafts go back to
the unit. A correction or fee that lapses closes the request with its Table 三 outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_create, record_transition, snapshot
from gongkai.clocks import MAX_EXTENSION_WORKDAYS, Channel, Consulted, Delivery, receipt_date
from gongkai.disclosure import clock
from gongkai.disclosure.access import can_work, require_office
from gongkai.disclosure.files import FileRejected, delete_request_file, save_upload
from gongkai.disclosure.models import (
    ENDED_WITHOUT_REPLY,
    OPEN_STATES,
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Attachment,
    AttachmentRole,
    DeliveryWanted,
    EventKind,
    FeeMethod,
    FormWanted,
    Outcome,
    ReplyReview,
    Request,
    RequestChannel,
    RequestEvent,
    RequestState,
    ReviewDecision,
    Source,
    Transfer,
    TransferKind,
)
from gongkai.disclosure.text import plain_text
from gongkai.disclosure.tracking import new_secret, next_tracking_no
from gongkai.holidays.calendar import office_calendar
from gongkai.units.models import Unit

MAX_FILES = 10
MAX_DESCRIPTION = 5000


class RequestRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


class ReviewConflict(RequestRejected):
    """Someone else decided the draft first; their decision stands."""


#: While the reply is being prepared: the states a request returns to after a pause.
WORKING = (RequestState.IN_PROGRESS, RequestState.EXTENDED)
#: The states in which the office may still extend the reply period (once).
EXTENDABLE = (
    RequestState.IN_PROGRESS,
    RequestState.CONSULTING,
    RequestState.AWAITING_FEE,
    RequestState.REVIEW,
)


def _today() -> dt.date:
    return timezone.localdate()


def _check_day(day: dt.date, what: str) -> None:
    if day > _today():
        raise RequestRejected(f"{what}不能晚于今天")


def _require_state(request: Request, allowed: Sequence[str], act: str) -> None:
    if request.state not in allowed:
        raise RequestRejected(f"申请当前状态为「{request.get_state_display()}」，不能{act}")


def _require_worker(user: Any, request: Request) -> None:
    if not can_work(user, request):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该申请")


def _lock(request: Request) -> Request:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the file)."""
    return Request.objects.select_for_update(of=("self",)).select_related("unit").get(pk=request.pk)


def _working_state(request: Request) -> RequestState:
    extended = request.events.filter(kind=EventKind.EXTENDED).exists()
    return RequestState.EXTENDED if extended else RequestState.IN_PROGRESS


def _move(user: Any, request: Request, state: RequestState, comment: str = "") -> None:
    old = request.state
    if old == state:
        return
    request.state = state
    request.save(update_fields=["state", "updated_at"])
    record_transition(user, request, "state", old, state.value, comment)


def _event(
    user: Any,
    request: Request,
    kind: EventKind,
    day: dt.date,
    data: dict[str, Any] | None = None,
    note: str = "",
) -> RequestEvent:
    latest = request.events.order_by("-date").values_list("date", flat=True).first()
    if latest is not None and day < latest:
        raise RequestRejected(
            f"日期 {day.isoformat()} 早于本申请上一条办理记录的日期 {latest.isoformat()}，"
            "办理记录须按发生的先后登记"
        )
    row = RequestEvent.objects.create(
        request=request, kind=kind, date=day, data=data or {}, note=note[:500], actor=_actor(user)
    )
    record_create(user, row, note)
    return row


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# -- registering -----------------------------------------------------------------------------


@dataclass
class RequestInput:
    applicant_type: str
    applicant_name: str
    description: str
    channel: str
    arrived_on: dt.date
    unit: Unit
    id_number: str = ""
    contact_phone: str = ""
    email: str = ""
    address: str = ""
    form_wanted: str = FormWanted.PAPER
    delivery_wanted: str = DeliveryWanted.POST
    confirmed_on: dt.date | None = None
    contact_restored_on: dt.date | None = None


def _clean_input(data: RequestInput) -> None:
    for name in ("applicant_name", "description", "id_number", "contact_phone", "email", "address"):
        setattr(data, name, plain_text(getattr(data, name)).strip())
    if not data.applicant_name:
        raise RequestRejected("请填写申请人姓名或名称")
    if not data.description:
        raise RequestRejected("请填写所需政府信息的名称、文号或其他特征性描述")
    if len(data.description) > MAX_DESCRIPTION:
        raise RequestRejected(f"所需信息描述不能超过 {MAX_DESCRIPTION} 字")
    if data.applicant_type not in ApplicantType.values:
        raise RequestRejected("请选择申请人类型")
    if data.channel not in RequestChannel.values:
        raise RequestRejected("请选择申请渠道")
    if (
        data.form_wanted not in FormWanted.values
        or data.delivery_wanted not in DeliveryWanted.values
    ):
        raise RequestRejected("请选择获取信息的载体形式和方式")
    if not (data.contact_phone.strip() or data.email.strip() or data.address.strip()):
        raise RequestRejected("请至少填写一种联系方式（电话、电子邮箱或通信地址）")
    if not data.unit.active:
        raise RequestRejected(f"单位「{data.unit.name}」已停用，不能办理申请")
    _check_day(data.arrived_on, "到达日期")
    for later, label in (
        (data.confirmed_on, "确认日期"),
        (data.contact_restored_on, "恢复联系日期"),
    ):
        if later is not None:
            _check_day(later, label)
            if later < data.arrived_on:
                raise RequestRejected(f"{label}不能早于到达日期")


def register_request(
    user: Any,
    data: RequestInput,
    files: Sequence[UploadedFile] = (),
    *,
    source: Source = Source.STAFF,
) -> tuple[Request, str]:
    """Register a request; the request and the applicant's secret (shown once).

    Staff register requests of their own unit (the office, any unit). The public form calls this
    with user None and source PUBLIC.
    """
    if source == Source.STAFF:
        may = getattr(user, "is_office", False) or getattr(user, "role", None) == Role.LIAISON
        if not getattr(user, "is_authenticated", False) or not may:
            raise PermissionDenied("只有公开办或单位联络员可以登记申请")
        if not user.is_office and data.unit.pk not in user.unit_ids():
            raise PermissionDenied("只能为本单位登记申请")
    _clean_input(data)
    if len(files) > MAX_FILES:
        raise RequestRejected(f"附件最多 {MAX_FILES} 个")
    stored = []
    try:
        for upload in files:
            stored.append(save_upload(upload))
        with transaction.atomic():
            made = _create(user, data, source, stored)
    except FileRejected as exc:
        for s in stored:
            delete_request_file(s.stored_name)
        raise RequestRejected(str(exc)) from None
    except BaseException:
        for s in stored:
            delete_request_file(s.stored_name)
        raise
    return made


def _create(
    user: Any, data: RequestInput, source: Source, stored: list[Any]
) -> tuple[Request, str]:
    secret, secret_digest = new_secret()
    received = receipt_date(
        Channel(data.channel), data.arrived_on, data.confirmed_on, data.contact_restored_on
    )
    request = Request.objects.create(
        tracking_no=next_tracking_no(_today().year),
        secret_digest=secret_digest,
        source=source,
        applicant_type=data.applicant_type,
        applicant_name=data.applicant_name[:128],
        id_number=data.id_number.strip()[:64],
        contact_phone=data.contact_phone.strip()[:64],
        email=data.email.strip(),
        address=data.address.strip()[:256],
        description=data.description,
        form_wanted=data.form_wanted,
        delivery_wanted=data.delivery_wanted,
        channel=data.channel,
        arrived_on=data.arrived_on,
        confirmed_on=data.confirmed_on,
        contact_restored_on=data.contact_restored_on,
        received_on=received,
        unit=data.unit,
        state=RequestState.IN_PROGRESS if received else RequestState.RECEIVED,
        created_by=_actor(user),
    )
    for s in stored:
        Attachment.objects.create(
            request=request,
            role=AttachmentRole.APPLICATION,
            name=s.filename,
            stored_name=s.stored_name,
            size=s.size,
            content_type=s.content_type,
            uploaded_by=_actor(user),
        )
    who = "" if source == Source.STAFF else "申请人（网上申请表）"
    record(
        user,
        AuditAction.CREATE,
        request,
        changes=diff(None, snapshot(request)),
        actor_name=who,
        comment="登记申请",
    )
    if received is not None:
        _event(user, request, EventKind.RECEIVED, received, {"channel": data.channel})
    clock.refresh(request)
    return request, secret


def confirm_receipt(
    user: Any,
    request: Request,
    *,
    confirmed_on: dt.date | None = None,
    contact_restored_on: dt.date | None = None,
) -> Request:
    """Fix the receipt day of a letter or online request: the day both sides confirmed, or the
    day contact with an unreachable applicant was restored (A1)."""
    _require_worker(user, request)
    if confirmed_on is None and contact_restored_on is None:
        raise RequestRejected("请填写双方确认日期或恢复联系日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.RECEIVED], "确认收到")
        for day, label in ((confirmed_on, "确认日期"), (contact_restored_on, "恢复联系日期")):
            if day is not None:
                _check_day(day, label)
                if day < request.arrived_on:
                    raise RequestRejected(f"{label}不能早于到达日期")
        if (
            request.channel == RequestChannel.LETTER
            and confirmed_on not in (None, request.arrived_on)
            and contact_restored_on is None
        ):
            raise RequestRejected(
                "平信须在收到当日与申请人电话确认（国办公开办函〔2015〕207号）；"
                "当日无法联系的，请填写恢复联系日期"
            )
        before = snapshot(request)
        received = receipt_date(
            Channel(request.channel), request.arrived_on, confirmed_on, contact_restored_on
        )
        request.confirmed_on = confirmed_on or request.confirmed_on
        request.contact_restored_on = contact_restored_on or request.contact_restored_on
        request.received_on = received
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        assert received is not None
        _event(user, request, EventKind.RECEIVED, received, {"channel": request.channel})
        _move(user, request, RequestState.IN_PROGRESS)
        clock.refresh(request)
    return request


def void_unconfirmed(user: Any, request: Request, reason: str) -> Request:
    """Set aside a submission whose receipt was never confirmed (the applicant cannot be
    reached, or it is not an application at all). It was never received (Art. 31), so it has
    no outcome and no row of the annual report counts it; the reason is in the audit trail."""
    _require_worker(user, request)
    reason = plain_text(reason).strip()
    if not reason:
        raise RequestRejected("请填写作废理由")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.RECEIVED], "作废")
        _move(user, request, RequestState.CLOSED, f"未确认收到，作废：{reason[:480]}")
    return request


# -- the clock's events ----------------------------------------------------------------------


def request_correction(
    user: Any, request: Request, day: dt.date, correct_by: dt.date, note: str = ""
) -> Request:
    """The one correction notice (补正, Art. 30), and the period it sets."""
    _require_worker(user, request)
    _check_day(day, "补正通知日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.IN_PROGRESS], "发出补正通知")
        if request.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise RequestRejected("补正通知只能一次性发出，本申请已经发出过")
        if request.received_on is None or day < request.received_on:
            raise RequestRejected("补正通知日期不能早于收到申请日期")
        if correct_by <= day:
            raise RequestRejected("补正期限应晚于通知日期")
        _event(
            user,
            request,
            EventKind.CORRECTION_REQUESTED,
            day,
            {"correct_by": correct_by.isoformat()},
            note,
        )
        _move(user, request, RequestState.AWAITING_CORRECTION)
        clock.refresh(request)
    return request


def receive_correction(user: Any, request: Request, day: dt.date, note: str = "") -> Request:
    """The corrected application arrived: the 20 working days restart from this day."""
    _require_worker(user, request)
    _check_day(day, "收到补正日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_CORRECTION], "登记收到补正")
        _event(user, request, EventKind.CORRECTION_RECEIVED, day, note=note)
        _move(user, request, RequestState.IN_PROGRESS)
        clock.refresh(request)
    return request


def correction_lapsed(user: Any, request: Request, day: dt.date, note: str = "") -> Request:
    """The applicant let the correction period pass: closed as 其他处理-1."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_CORRECTION], "按逾期未补正处理")
        notice = request.events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
        correct_by = (notice.data or {}).get("correct_by") if notice else None
        if correct_by and day <= dt.date.fromisoformat(correct_by):
            raise RequestRejected(f"补正期限 {correct_by} 尚未届满")
        _event(user, request, EventKind.CORRECTION_LAPSED, day, note=note)
        _conclude(user, request, Outcome.NO_CORRECTION, day, RequestState.CLOSED)
    return request


def start_consultation(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    party: Consulted,
    name: str,
    letter_received: dt.date | None = None,
    note: str = "",
) -> Request:
    """A consultation letter went to a third party (Art. 32) or another organ (Art. 34); the
    clock pauses until the answer or the 15-working-day lapse."""
    _require_worker(user, request)
    _check_day(day, "征求意见日期")
    if not name.strip():
        raise RequestRejected("请填写被征求意见的第三方或机关名称")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, WORKING, "征求意见")
        data: dict[str, Any] = {"party": party.value, "name": name.strip()[:200]}
        if letter_received is not None:
            if letter_received < day:
                raise RequestRejected("对方收到征求意见函的日期不能早于发函日期")
            data["letter_received"] = letter_received.isoformat()
        _event(user, request, EventKind.CONSULTATION_STARTED, day, data, note)
        _move(user, request, RequestState.CONSULTING)
        clock.refresh(request)
    return request


def end_consultation(
    user: Any, request: Request, day: dt.date, *, answered: bool, note: str = ""
) -> Request:
    """The consulted party answered, or its 15 working days lapsed; the clock runs again."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.CONSULTING], "结束征求意见")
        kind = EventKind.CONSULTATION_ANSWERED if answered else EventKind.CONSULTATION_LAPSED
        _event(user, request, kind, day, note=note)
        _move(user, request, _working_state(request))
        clock.refresh(request)
    return request


def extend(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    approver: str,
    notified: dt.date,
    workdays: int = MAX_EXTENSION_WORKDAYS,
    note: str = "",
) -> Request:
    """The head of the disclosure office approved an extension (Art. 33): once, at most 20
    working days, approved and told to the applicant before the current deadline."""
    require_office(user)
    _check_day(day, "批准日期")
    _check_day(notified, "告知申请人日期")
    if not approver.strip():
        raise RequestRejected("请填写批准延期的负责人")
    if not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise RequestRejected(f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, EXTENDABLE, "延期")
        if request.events.filter(kind=EventKind.EXTENDED).exists():
            raise RequestRejected("答复期限只能延长一次")
        if notified < day:
            raise RequestRejected("告知申请人日期不能早于批准日期")
        live = clock.state_of(request, office_calendar(), _today())
        current = live.deadline if live is not None else None
        if current is not None and notified > current:
            raise RequestRejected(f"延期须在答复期限 {current.isoformat()} 届满前批准并告知申请人")
        data = {
            "approver": approver.strip()[:64],
            "notified": notified.isoformat(),
            "workdays": workdays,
        }
        _event(user, request, EventKind.EXTENDED, day, data, note)
        if request.state == RequestState.IN_PROGRESS:
            _move(user, request, RequestState.EXTENDED)
        clock.refresh(request)
    return request


# -- fees ------------------------------------------------------------------------------------


def issue_fee_notice(
    user: Any,
    request: Request,
    day: dt.date,
    *,
    method: FeeMethod,
    pay_by: dt.date,
    pages: int | None = None,
) -> Request:
    """A fee notice under 国办函〔2020〕109号 (per request or per page, never both)."""
    from gongkai.disclosure.fees import quote

    _require_worker(user, request)
    _check_day(day, "收费通知日期")
    if method == FeeMethod.NONE:
        raise RequestRejected("请选择收费方式")
    if method == FeeMethod.PER_PAGE and not pages:
        raise RequestRejected("按量计收须填写页数")
    if pay_by <= day:
        raise RequestRejected("缴费期限应晚于通知日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, WORKING, "发出收费通知")
        if request.fee_paid_on is not None:
            raise RequestRejected("本申请已缴纳信息处理费，不能再次发出收费通知")
        priced = quote(request, method, pages)
        if priced.amount <= 0:
            raise RequestRejected(f"按{method.label}计算，本申请不收费：{priced.explanation}")
        before = snapshot(request)
        request.fee_method = method
        request.fee_pages = pages
        request.fee_amount = Decimal(priced.amount)
        request.fee_notice_on = day
        request.fee_pay_by = pay_by
        request.fee_paid_on = None
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        _move(user, request, RequestState.AWAITING_FEE)
    return request


def fee_paid(user: Any, request: Request, day: dt.date) -> Request:
    _require_worker(user, request)
    _check_day(day, "缴费日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_FEE], "登记缴费")
        before = snapshot(request)
        request.fee_paid_on = day
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        _move(user, request, _working_state(request))
    return request


def fee_lapsed(user: Any, request: Request, day: dt.date) -> Request:
    """Unpaid by the date in the notice: closed as 其他处理-2."""
    _require_worker(user, request)
    _check_day(day, "日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.AWAITING_FEE], "按逾期未缴费处理")
        if request.fee_pay_by and day <= request.fee_pay_by:
            raise RequestRejected(f"缴费期限 {request.fee_pay_by.isoformat()} 尚未届满")
        _conclude(user, request, Outcome.FEE_UNPAID, day, RequestState.CLOSED)
    return request


# -- the reply -------------------------------------------------------------------------------


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


def _conclude(
    user: Any,
    request: Request,
    outcome: Outcome,
    day: dt.date,
    state: RequestState,
    comment: str = "",
) -> None:
    before = snapshot(request)
    request.outcome = outcome.value
    request.concluded_on = day
    request.save()
    record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
    _move(user, request, state, comment)
    clock.refresh(request)


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


# -- moving between units ---------------------------------------------------------------------


def transfer(user: Any, request: Request, to_unit: Unit, reason: str) -> Request:
    """The office hands the request to another unit (转办)."""
    require_office(user)
    return _hand_over(user, request, to_unit, reason, TransferKind.TRANSFER)


def return_request(user: Any, request: Request, reason: str) -> Request:
    """The handling unit sends a transferred request back to the unit it came from (退回)."""
    _require_worker(user, request)
    last = request.transfers.filter(to_unit_id=request.unit_id).order_by("-at", "-id").first()
    if last is None:
        raise RequestRejected("该申请不是转办而来，不能退回；如非本单位职责请联系公开办")
    return _hand_over(user, request, last.from_unit, reason, TransferKind.RETURN)


def _hand_over(
    user: Any, request: Request, to_unit: Unit, reason: str, kind: TransferKind
) -> Request:
    reason = reason.strip()
    if not reason:
        raise RequestRejected("请填写理由")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, OPEN_STATES, kind.label)
        if to_unit.pk == request.unit_id:
            raise RequestRejected("新办理单位与原办理单位相同")
        if not to_unit.active:
            raise RequestRejected(f"单位「{to_unit.name}」已停用")
        moved = Transfer.objects.create(
            request=request,
            kind=kind,
            from_unit_id=request.unit_id,
            to_unit=to_unit,
            reason=reason[:500],
            by=_actor(user),
        )
        record_create(user, moved, reason)
        before = snapshot(request)
        request.unit = to_unit
        request.reminded_soon_on = None
        request.reminded_overdue_on = None
        request.save()
        record(
            user,
            AuditAction.CHANGE,
            request,
            changes=diff(before, snapshot(request)),
            comment=reason,
        )
    return request


# -- appeals ---------------------------------------------------------------------------------


@dataclass
class AppealInput:
    kind: str
    filed_on: dt.date
    unit: Unit
    request: Request | None = None
    follows: Appeal | None = None
    body: str = ""
    case_no: str = ""
    result: str = AppealResult.PENDING
    decided_on: dt.date | None = None
    note: str = ""


def _check_appeal(data: AppealInput) -> None:
    if data.kind not in AppealKind.values:
        raise RequestRejected("请选择复议或诉讼类型")
    if data.result not in AppealResult.values:
        raise RequestRejected("请选择结果")
    _check_day(data.filed_on, "申请（起诉）日期")
    if data.result == AppealResult.PENDING:
        data.decided_on = None
    elif data.decided_on is None:
        raise RequestRejected("已审结的案件请填写审结日期")
    elif data.decided_on < data.filed_on:
        raise RequestRejected("审结日期不能早于申请（起诉）日期")
    if data.follows is not None and data.kind != AppealKind.LITIGATION_AFTER:
        raise RequestRejected("只有复议后起诉的案件可以关联前置复议")
    if data.follows is not None and data.follows.kind != AppealKind.RECONSIDERATION:
        raise RequestRejected("前置复议须为行政复议案件")


def record_appeal(user: Any, data: AppealInput) -> Appeal:
    require_office(user)
    _check_appeal(data)
    with transaction.atomic():
        appeal = Appeal.objects.create(
            request=data.request,
            unit=data.request.unit if data.request else data.unit,
            kind=data.kind,
            follows=data.follows,
            filed_on=data.filed_on,
            body=data.body.strip()[:200],
            case_no=data.case_no.strip()[:100],
            result=data.result,
            decided_on=data.decided_on,
            note=data.note.strip(),
        )
        record_create(user, appeal)
    return appeal


def update_appeal(user: Any, appeal: Appeal, data: AppealInput) -> Appeal:
    require_office(user)
    _check_appeal(data)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        before = snapshot(appeal)
        appeal.request = data.request
        appeal.unit = data.request.unit if data.request else data.unit
        appeal.kind = data.kind
        appeal.follows = data.follows
        appeal.filed_on = data.filed_on
        appeal.body = data.body.strip()[:200]
        appeal.case_no = data.case_no.strip()[:100]
        appeal.result = data.result
        appeal.decided_on = data.decided_on
        appeal.note = data.note.strip()
        appeal.save()
        record(user, AuditAction.CHANGE, appeal, changes=diff(before, snapshot(appeal)))
    return appeal
