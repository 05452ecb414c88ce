"""Comments: sent by the public through the form while the window is open, or entered by staff
when they came by e-mail or post; moderated before anything is shown; each approved one given
its outcome (采纳 / 部分采纳 / 未采纳) for the feedback report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_change, record_transition, snapshot
from gongkai.consult.access import require_editor
from gongkai.consult.actions.base import (
    MAX_COMMENT,
    MAX_CONTACT,
    MAX_NAME,
    MAX_REASON,
    MAX_TOPIC,
    ConsultRejected,
    actor,
    catch_up,
    end_window_if_due,
    lock,
    require_state,
    text,
    today,
)
from gongkai.consult.models import (
    WORKING_STATES,
    Comment,
    CommentChannel,
    Consultation,
    ConsultState,
    Moderation,
    Outcome,
)
from gongkai.privacy import find_hits

MAX_MODERATION_REASON = 300


@dataclass
class CommentInput:
    body: str
    contact: str
    name: str = ""


def _clean(data: CommentInput) -> dict[str, str]:
    body = text(data.body, MAX_COMMENT, "意见内容")
    if not body:
        raise ConsultRejected("请填写意见内容")
    contact = text(data.contact, MAX_CONTACT, "联系方式")
    if not contact:
        raise ConsultRejected("请填写联系方式（电话、电子邮箱或通信地址），它不会公开")
    return {"body": body, "contact": contact, "name": text(data.name, MAX_NAME, "姓名或称呼")}


def _closed_message(c: Consultation, day: dt.date) -> str:
    if c.not_started(day) and c.opens_on is not None:
        return f"本次意见征集将于 {c.opens_on.isoformat()} 开始，请届时再提交意见"
    if c.closes_on is not None and c.state != ConsultState.DRAFT and day > c.closes_on:
        return f"本次意见征集已于 {c.closes_on.isoformat()} 截止，不再接收意见"
    return "本次意见征集不接收意见"


def submit_comment(consultation: Consultation, data: CommentInput) -> Comment:
    """A comment from the public form: accepted only while the window is open (the office's
    today within opens_on..closes_on) and the consultation takes comments online; pending
    until moderated."""
    fields = _clean(data)
    with transaction.atomic():
        c = lock(consultation)
        day = today()
        if not c.accepts_comments(day):
            raise ConsultRejected(_closed_message(c, day))
        if not c.accepts_online:
            raise ConsultRejected(
                "本次意见征集不接受网上提交，请通过页面列出的电子邮箱或通信地址提交意见"
            )
        made = Comment.objects.create(consultation=c, channel=CommentChannel.ONLINE, **fields)
        record(
            None,
            AuditAction.CREATE,
            made,
            changes=diff(None, snapshot(made)),
            actor_name="公众（网上提交）",
            comment="收到意见",
        )
    return made


def record_comment(
    user: Any,
    consultation: Consultation,
    data: CommentInput,
    *,
    channel: str,
    received_on: dt.date,
) -> Comment:
    """A comment that came by e-mail, post or otherwise, entered by staff; moderated like the
    rest. Whether a letter posted in time but arriving late counts is the office's call."""
    require_editor(user, consultation)
    if channel not in CommentChannel.values or channel == CommentChannel.ONLINE:
        raise ConsultRejected("请选择意见的来源：电子邮件、信函或其他")
    fields = _clean(data)
    catch_up(consultation)
    with transaction.atomic():
        c = lock(consultation)
        day = today()
        end_window_if_due(c, day)
        require_state(c, WORKING_STATES, "登记意见")
        if received_on > day:
            raise ConsultRejected("收到日期不能晚于今天")
        if c.opens_on is not None and received_on < c.opens_on:
            raise ConsultRejected(f"收到日期不能早于征求意见开始日期 {c.opens_on.isoformat()}")
        made = Comment.objects.create(
            consultation=c,
            channel=channel,
            received_on=received_on,
            recorded_by=actor(user),
            **fields,
        )
        record(
            user,
            AuditAction.CREATE,
            made,
            changes=diff(None, snapshot(made)),
            comment="登记" + CommentChannel(channel).label + "意见",
        )
    return made


def _lock_comment(comment: Comment) -> tuple[Comment, Consultation]:
    """The comment and its consultation, both locked; the window caught up."""
    c = lock(comment.consultation)
    end_window_if_due(c, today())
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    locked.consultation = c
    return locked, c


def moderate_comment(user: Any, comment: Comment, *, approve: bool, reason: str = "") -> Comment:
    """Approve a comment for showing (personal numbers in it are masked wherever it is shown),
    or keep it from the public with a reason. The decision may be changed until the feedback
    report is published."""
    require_editor(user, comment.consultation)
    why = text(reason, MAX_MODERATION_REASON, "理由")
    if not approve and not why:
        raise ConsultRejected("不予公开的意见须填写理由（如：与本次征求意见无关、含侮辱性内容）")
    catch_up(comment.consultation)
    with transaction.atomic():
        found, c = _lock_comment(comment)
        require_state(c, WORKING_STATES, "审核意见（反馈报告已发布）")
        old = found.moderation
        new = Moderation.APPROVED if approve else Moderation.REJECTED
        found.moderation = new
        found.moderation_reason = "" if approve else why
        found.moderated_by = actor(user)
        found.moderated_at = timezone.now()
        found.privacy_hits = len(find_hits(found.body)) + len(find_hits(found.name))
        found.save()
        note = why
        if approve and found.privacy_hits:
            note = f"含个人信息 {found.privacy_hits} 处，公开时自动遮盖"
        record_transition(user, found, "moderation", old, new.value, note)
    return found


def set_outcome(
    user: Any, comment: Comment, *, outcome: str, reason: str = "", topic: str = ""
) -> Comment:
    """Record whether an approved comment was adopted, and why. A partly adopted or not
    adopted one may be saved without its reason for now; the report waits for it."""
    require_editor(user, comment.consultation)
    if outcome not in Outcome.values:
        raise ConsultRejected("请选择采纳情况：采纳、部分采纳或未采纳")
    why = text(reason, MAX_REASON, "理由")
    label = text(topic, MAX_TOPIC, "议题")
    catch_up(comment.consultation)
    with transaction.atomic():
        found, c = _lock_comment(comment)
        require_state(c, WORKING_STATES, "填写采纳情况（反馈报告已发布）")
        if found.moderation != Moderation.APPROVED:
            raise ConsultRejected("只有已审核公开的意见需要填写采纳情况")
        before = snapshot(found)
        found.outcome = outcome
        found.outcome_reason = why
        found.topic = label
        found.outcome_by = actor(user)
        found.outcome_at = timezone.now()
        found.save()
        record_change(user, found, before, "填写采纳情况")
    return found
