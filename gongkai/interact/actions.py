"""Everything that changes a question: one function per act, one transaction each, audited
(gongkai.audit) and written to the question's history (QuestionEvent).

Views, the demo and tests call these; none of them writes the models directly. A refused act
raises QuestionRejected with the reason in Chinese and changes nothing.

The flow (QuestionState): asked (received, 待分办) → routed to a unit by the office (routed) →
the unit's liaison drafts (drafting) → files the draft (review) → the office approves: published
when the asker agreed to publication, else answered without publishing; or returns it with a
comment (drafting). The office may transfer an open question to another unit, and mark one
invalid (rejected); a liaison may give a misrouted question back to the office. Publication
passes the privacy gate (privacy.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import record, record_change, record_create, record_transition, snapshot
from gongkai.disclosure.text import plain_text
from gongkai.interact import clock, privacy, stats, tracking
from gongkai.interact.access import can_work, require_office
from gongkai.interact.models import (
    DRAFTABLE_STATES,
    EventKind,
    InvalidReason,
    Question,
    QuestionEvent,
    QuestionState,
    ReviewDecision,
)
from gongkai.privacy import mask_text
from gongkai.units.models import Unit

MAX_NAME = 64
MAX_CONTACT = 254
MAX_TITLE = 100
MAX_BODY = 3000
MAX_REPLY = 5000
MAX_NOTE = 500


class QuestionRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


class ReviewConflict(QuestionRejected):
    """Another reviewer decided this draft first; their decision stands."""


# -- input cleaning ---------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-—()（）]")
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
#: Area code and number (0533-2000001), with an optional extension; or a local number alone.
_LANDLINE = re.compile(r"(?:0\d{2,3})?[2-9]\d{6,7}(?:(?:转|ext\.?|#)\d{1,6})?", re.IGNORECASE)


def clean_contact(raw: str) -> str:
    """A phone number or an e-mail address, as typed (trimmed); QuestionRejected otherwise."""
    value = plain_text(raw).strip()
    if not value:
        raise QuestionRejected("请填写联系方式（手机号码、固定电话或电子邮箱）")
    if len(value) > MAX_CONTACT:
        raise QuestionRejected(f"联系方式不能超过 {MAX_CONTACT} 个字符")
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise QuestionRejected("电子邮箱格式不正确，请检查后重新填写") from None
        return value
    digits = _PHONE_SEPARATORS.sub("", value)
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return value
    raise QuestionRejected("联系方式应为手机号码、固定电话（可带区号）或电子邮箱")


def clean_line(raw: str) -> str:
    """One line of plain text: control characters dropped, whitespace runs collapsed."""
    return re.sub(r"\s+", " ", plain_text(raw)).strip()


def clean_text(raw: str) -> str:
    """Plain text kept as typed, line breaks normalised, control characters dropped."""
    return plain_text(raw.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _bounded(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise QuestionRejected(f"{what}不能超过 {limit} 个字（现有 {len(value)} 个字）")
    return value


# -- shared steps -----------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _lock(question: Question) -> Question:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the file)."""
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("unit", "reply_unit")
        .get(pk=question.pk)
    )


def _require_state(question: Question, allowed: Sequence[str], act: str) -> None:
    if question.state not in allowed:
        raise QuestionRejected(f"该留言当前状态为「{question.get_state_display()}」，不能{act}")


def _require_worker(user: Any, question: Question) -> None:
    if not can_work(user, question):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该留言")


def _event(
    user: Any,
    question: Question,
    kind: EventKind,
    now: dt.datetime,
    note: str = "",
    *,
    from_unit: Unit | None = None,
) -> QuestionEvent:
    stats.invalidate()  # every act may change a published figure
    return QuestionEvent.objects.create(
        question=question,
        kind=kind,
        at=now,
        actor=_actor(user),
        from_unit=from_unit,
        to_unit_id=question.unit_id,
        note=note[:1000],
    )


def _move(user: Any, question: Question, state: QuestionState, comment: str = "") -> None:
    old = question.state
    if old == state:
        return
    question.state = state
    question.save(update_fields=["state", "updated_at"])
    record_transition(user, question, "state", old, state.value, comment)


def _active_unit(unit: Unit | None) -> Unit:
    if unit is None or not unit.active:
        raise QuestionRejected("请选择在用的办理单位")
    return unit


def _forget_unit_notices(question: Question) -> None:
    """A question that changes hands: its new unit hears the reminders and alarm afresh."""
    question.reminded_soon_on = question.reminded_overdue_on = None
    question.alarm60_unit_on = None


# -- the public asks --------------------------------------------------------------------------


@dataclass(frozen=True)
class AskInput:
    contact: str
    title: str
    body: str
    agree_publish: bool = False
    asker_name: str = ""


def ask(data: AskInput, now: dt.datetime | None = None) -> tuple[Question, str]:
    """Store a question from the public: (the question, its 查询码, shown once)."""
    now = _now(now)
    name = _bounded(clean_line(data.asker_name), MAX_NAME, "姓名")
    contact = clean_contact(data.contact)
    title = _bounded(clean_line(data.title), MAX_TITLE, "标题")
    body = _bounded(clean_text(data.body), MAX_BODY, "留言内容")
    if not title:
        raise QuestionRejected("请填写留言标题")
    if not body:
        raise QuestionRejected("请填写留言内容")
    received_on = timezone.localdate(now)
    secret, digest = tracking.new_secret()
    with transaction.atomic():
        question = Question.objects.create(
            tracking_no=tracking.next_number(received_on.year),
            secret_digest=digest,
            asker_name=name,
            contact=contact,
            title=title,
            body=body,
            agree_publish=data.agree_publish,
            received_at=now,
            received_on=received_on,
        )
        clock.refresh(question)
        _event(None, question, EventKind.RECEIVED, now, "公众在线留言")
        record_create(None, question, comment="公众在线留言")
    return question, secret


# -- the office routes, transfers, rejects ----------------------------------------------------


def route(
    user: Any,
    question: Question,
    unit: Unit | None,
    *,
    simple: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> Question:
    """分办: the office sends a new question to the unit that will reply, marking it 简单 when
    the shorter reply period applies."""
    require_office(user)
    unit = _active_unit(unit)
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, [QuestionState.RECEIVED], "分办")
        before = snapshot(question)
        question.unit, question.simple = unit, simple
        _forget_unit_notices(question)
        question.save()
        clock.refresh(question)
        record_change(user, question, before, comment=f"分办至{unit.name}")
        text = f"分办至{unit.name}" + ("（简单咨询）" if simple else "")
        note = clean_line(note)[:MAX_NOTE]
        _event(user, question, EventKind.ROUTED, now, f"{text}：{note}" if note else text)
        _move(user, question, QuestionState.ROUTED)
    return question


def transfer(
    user: Any,
    question: Question,
    unit: Unit | None,
    *,
    reason: str,
    simple: bool | None = None,
    now: dt.datetime | None = None,
) -> Question:
    """转办: the office moves an open question to another unit; the reply period still runs
    from the day of receipt. The draft, if any, stays for the new unit to use or rewrite."""
    require_office(user)
    unit = _active_unit(unit)
    reason = clean_line(reason)[:MAX_NOTE]
    if not reason:
        raise QuestionRejected("请填写转办理由")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, DRAFTABLE_STATES, "转办")
        if question.unit_id == unit.pk:
            raise QuestionRejected(f"该留言已由{unit.name}办理，无需转办")
        old_unit = question.unit
        before = snapshot(question)
        question.unit = unit
        if simple is not None:
            question.simple = simple
        _forget_unit_notices(question)
        question.save()
        clock.refresh(question)
        source = old_unit.name if old_unit else "公开办"
        record_change(user, question, before, comment=f"由{source}转办至{unit.name}：{reason}")
        _event(user, question, EventKind.TRANSFERRED, now, reason, from_unit=old_unit)
        _move(user, question, QuestionState.ROUTED, reason)
    return question


def give_back(
    user: Any, question: Question, *, reason: str, now: dt.datetime | None = None
) -> Question:
    """The unit says the question is not its business: back to the office to route again."""
    _require_worker(user, question)
    reason = clean_line(reason)[:MAX_NOTE]
    if not reason:
        raise QuestionRejected("请说明退回理由，便于公开办重新分办")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, DRAFTABLE_STATES, "退回重新分办")
        old_unit = question.unit
        before = snapshot(question)
        question.unit = None
        _forget_unit_notices(question)
        question.save()
        record_change(user, question, before, comment=f"退回公开办重新分办：{reason}")
        _event(user, question, EventKind.GIVEN_BACK, now, reason, from_unit=old_unit)
        _move(user, question, QuestionState.RECEIVED, reason)
    return question


def reject(
    user: Any,
    question: Question,
    *,
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Question:
    """无效留言: spam, abuse, a duplicate or nothing to do with government; it leaves every
    clock, reminder and published figure."""
    require_office(user)
    if reason not in InvalidReason.values:
        raise QuestionRejected("请选择无效留言的原因")
    note = clean_line(note)[:MAX_NOTE]
    if reason == InvalidReason.DUPLICATE and not note:
        raise QuestionRejected("重复留言请在说明中写明此前留言的编号")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(
            question,
            [QuestionState.RECEIVED, *DRAFTABLE_STATES],
            "标记为无效留言（待审核的答复请先审核或退回）",
        )
        before = snapshot(question)
        question.invalid_reason, question.invalid_note = reason, note
        question.save()
        label = InvalidReason(reason).label
        record_change(user, question, before, comment=f"无效留言：{label}")
        _event(user, question, EventKind.REJECTED, now, f"{label}：{note}" if note else label)
        _move(user, question, QuestionState.REJECTED, label)
    return question


# -- the unit drafts --------------------------------------------------------------------------


def _clean_reply(reply: str) -> str:
    return _bounded(clean_text(reply), MAX_REPLY, "答复内容")


def save_draft(
    user: Any, question: Question, reply: str, now: dt.datetime | None = None
) -> Question:
    """Keep the reply being written, without filing it."""
    _require_worker(user, question)
    text = _clean_reply(reply)
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, DRAFTABLE_STATES, "起草答复")
        before = snapshot(question)
        question.reply, question.drafted_by = text, _actor(user)
        question.save()
        record_change(user, question, before, comment="保存答复草稿")
        _event(user, question, EventKind.DRAFTED, now)
        _move(user, question, QuestionState.DRAFTING)
    return question


def submit(user: Any, question: Question, reply: str, now: dt.datetime | None = None) -> Question:
    """File the reply with the office for review (a new review round)."""
    _require_worker(user, question)
    text = _clean_reply(reply)
    if not text:
        raise QuestionRejected("请填写答复内容")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, DRAFTABLE_STATES, "报送审核")
        before = snapshot(question)
        question.reply, question.drafted_by = text, _actor(user)
        question.submitted_at = now
        question.review_round += 1
        question.review_decision = question.review_comment = ""
        question.reviewed_by, question.reviewed_at = None, None
        # A new text needs a new look: an earlier override does not cover it.
        question.privacy_override_reason = ""
        question.privacy_override_by, question.privacy_override_at = None, None
        question.save()
        record_change(user, question, before, comment=f"第{question.review_round}次报送审核")
        _event(user, question, EventKind.SUBMITTED, now, f"第{question.review_round}次报送")
        _move(user, question, QuestionState.REVIEW)
    return question


# -- the office reviews -----------------------------------------------------------------------


def _conflict(question: Question, round_seen: int) -> ReviewConflict:
    if question.review_round == round_seen and question.reviewed_at is not None:
        who = question.reviewed_by or "其他审核人"
        when = timezone.localtime(question.reviewed_at).strftime("%Y-%m-%d %H:%M")
        decision = question.get_review_decision_display()
        return ReviewConflict(f"该答复已由{who}于{when}审核（{decision}），以其审核结果为准")
    return ReviewConflict("该留言的答复已变化（重新报送或已处理），请刷新页面后再审核")


def review(
    user: Any,
    question: Question,
    *,
    approve: bool,
    round_seen: int,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Question:
    """The office approves the draft (the question is answered, and published if the asker
    agreed) or returns it with a comment. The first decision on a draft wins: a second reviewer
    gets ReviewConflict naming who decided. Publication needs the privacy gate clear."""
    require_office(user)
    comment = clean_line(comment)[:1000]
    if not approve and not comment:
        raise QuestionRejected("退回时请填写审核意见")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        if question.state != QuestionState.REVIEW or question.review_round != round_seen:
            raise _conflict(question, round_seen)
        publish = approve and question.agree_publish
        if publish and (found := privacy.blocking(question)):
            raise QuestionRejected(
                f"发现个人信息，不能公开：{privacy.describe(found)}。"
                "请先一键遮蔽，或由公开办说明理由后放行"
            )
        if approve and question.unit_id is None:
            raise QuestionRejected("该留言尚无办理单位，不能审核通过")
        if approve:
            state = QuestionState.PUBLISHED if publish else QuestionState.ANSWERED
        else:
            state = QuestionState.DRAFTING
        decision = ReviewDecision.APPROVED if approve else ReviewDecision.RETURNED
        won = Question.objects.filter(
            pk=question.pk, state=QuestionState.REVIEW, review_round=round_seen
        ).update(
            state=state,
            review_decision=decision,
            reviewed_by=user,
            reviewed_at=now,
            review_comment=comment,
            updated_at=now,
        )
        if not won:  # decided between our read and our write (a second process, no row lock)
            question.refresh_from_db()
            raise _conflict(question, round_seen)
        question.refresh_from_db()
        record_transition(user, question, "state", QuestionState.REVIEW.value, state, comment)
        if not approve:
            _event(user, question, EventKind.RETURNED, now, comment)
            return question
        before = snapshot(question)
        question.replied_on = timezone.localdate(now)
        question.reply_unit = question.unit
        if publish:
            question.published_at = now
        question.save()
        clock.refresh(question)
        record_change(user, question, before, comment="答复审核通过")
        _event(user, question, EventKind.APPROVED, now, comment)
        kind = EventKind.PUBLISHED if publish else EventKind.ANSWERED
        note = "" if publish else "留言人未同意公开，答复不在网站公开"
        _event(user, question, kind, now, note)
    return question


def mask_personal_data(user: Any, question: Question, now: dt.datetime | None = None) -> Question:
    """One click: every hit in the title, question and reply replaced by its masked form.
    The audit records which fields changed and what kind of data was masked, not the data."""
    require_office(user)
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, [QuestionState.REVIEW], "遮蔽个人信息")
        found = privacy.scan(question)
        if not found:
            raise QuestionRejected("没有发现需要遮蔽的个人信息")
        for part in found:
            setattr(question, part.field, mask_text(getattr(question, part.field), part.hits))
        question.save()
        summary = privacy.describe(found)
        changes = {part.field: ["含个人信息", "已遮蔽"] for part in found}
        record(user, AuditAction.CHANGE, question, changes=changes, comment=f"一键遮蔽：{summary}")
        _event(user, question, EventKind.MASKED, now, summary)
    return question


def override_privacy(
    user: Any, question: Question, *, reason: str, now: dt.datetime | None = None
) -> Question:
    """The office lets the hits through (e.g. a published office phone number), with a reason."""
    require_office(user)
    reason = clean_line(reason)[:MAX_NOTE]
    if len(reason) < 4:
        raise QuestionRejected("请填写放行理由（至少 4 个字），说明为何这些信息可以公开")
    now = _now(now)
    with transaction.atomic():
        question = _lock(question)
        _require_state(question, [QuestionState.REVIEW], "放行个人信息")
        found = privacy.scan(question)
        if not found:
            raise QuestionRejected("没有发现个人信息，无需放行")
        before = snapshot(question)
        question.privacy_override_reason = reason
        question.privacy_override_by, question.privacy_override_at = _actor(user), now
        question.save()
        summary = privacy.describe(found)
        record_change(user, question, before, comment=f"个人信息放行（{summary}）：{reason}")
        _event(user, question, EventKind.PRIVACY_OVERRIDE, now, f"{summary}。理由：{reason}")
    return question


__all__ = [
    "MAX_BODY",
    "MAX_CONTACT",
    "MAX_NAME",
    "MAX_REPLY",
    "MAX_TITLE",
    "AskInput",
    "QuestionRejected",
    "ReviewConflict",
    "ask",
    "clean_contact",
    "give_back",
    "mask_personal_data",
    "override_privacy",
    "reject",
    "review",
    "route",
    "save_draft",
    "submit",
    "transfer",
]
