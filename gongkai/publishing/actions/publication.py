"""Publication (the office's): the 索引号, the 发布日期, the interpretation clock, the search index;
and withdrawal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from gongkai.publishing import clock, indexnumber
from gongkai.publishing.access import require_office
from gongkai.publishing.actions.base import (
    PublishRejected,
    _today,
    audit_change,
    lock,
    move,
    require_state,
    safe_snapshot,
    sync,
)
from gongkai.publishing.actions.drafting import check_ready
from gongkai.publishing.gate import blocking, summary
from gongkai.publishing.models import DocKind, DocState, Document
from gongkai.publishing.search_index import index_document, remove_document

MAX_REASON = 500


def _check_date(document: Document, day: dt.date) -> None:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise PublishRejected("发布日期应为日期")
    if day > _today():
        raise PublishRejected("发布日期不能晚于今天")
    if document.written_on is not None and day < document.written_on:
        raise PublishRejected(f"发布日期不能早于成文日期（{document.written_on:%Y-%m-%d}）")


def _interpreted(document: Document, day: dt.date) -> Document | None:
    """The policy document an interpretation explains, locked, once checked."""
    if document.kind != DocKind.INTERPRETATION or document.interprets_id is None:
        return None
    target = lock(Document(pk=document.interprets_id))
    if target.state != DocState.PUBLISHED:
        raise PublishRejected(
            f"请先发布所解读的文件「{target.title}」，再发布其解读"
            f"（该文件当前为「{target.get_state_display()}」）"
        )
    if target.published_on is not None and day < target.published_on:
        raise PublishRejected(
            f"解读的发布日期不能早于所解读文件的发布日期（{target.published_on:%Y-%m-%d}）"
        )
    return target


@transaction.atomic
def publish(user: Any, document: Document, *, published_on: dt.date | None = None) -> Document:
    """待发布 → 已发布 (office only): refused while gate() is not empty. Assigns the 索引号,
    sets 发布日期, starts the interpretation clock, records an interpretation's publication on
    its policy document, and indexes the document for search."""
    require_office(user)
    original, document = document, lock(document)
    require_state(document, (DocState.APPROVED,), "发布（须先通过全部审核）")
    day = published_on or _today()
    _check_date(document, day)
    check_ready(document)
    blocked = blocking(document)
    if blocked:
        raise PublishRejected(
            f"隐私检查未通过，不能发布：{summary(blocked)}。"
            "请一键遮盖、上传处理后的文件，或由公开办审查后确认发布"
        )
    target = _interpreted(document, day)
    before = safe_snapshot(document)
    document.published_on = day
    document.published_at = timezone.now()
    if not document.publisher:
        document.publisher = document.unit.name[:128]
    document.index_number = indexnumber.next_index_number(document.unit, day.year)
    document.save()
    audit_change(user, document, before, comment=f"分配索引号 {document.index_number}")
    move(user, document, DocState.PUBLISHED, f"发布，发布日期 {day:%Y-%m-%d}")
    clock.refresh_due(document)
    if target is not None and (
        target.interpretation_published_on is None or day < target.interpretation_published_on
    ):
        was = safe_snapshot(target)
        target.interpretation_published_on = day
        target.save(update_fields=["interpretation_published_on", "updated_at"])
        audit_change(user, target, was, comment=f"解读「{document.title}」已发布")
    index_document(document)
    return sync(original, document)


@transaction.atomic
def withdraw(user: Any, document: Document, reason: str) -> Document:
    """Take a published document off the portal (office only), with a reason."""
    require_office(user)
    reason = (reason or "").strip()
    if not reason:
        raise PublishRejected("请填写撤回理由")
    if len(reason) > MAX_REASON:
        raise PublishRejected(f"撤回理由不能超过 {MAX_REASON} 字")
    original, document = document, lock(document)
    require_state(document, (DocState.PUBLISHED,), "撤回")
    document.withdrawn_reason = reason
    document.save(update_fields=["withdrawn_reason", "updated_at"])
    move(user, document, DocState.WITHDRAWN, f"撤回：{reason}")
    clock.refresh_due(document)
    remove_document(document)
    if document.kind == DocKind.INTERPRETATION and document.interprets_id is not None:
        _recount_interpretation(user, document.interprets_id)
    return sync(original, document)


def _recount_interpretation(user: Any, policy_id: int) -> None:
    """The policy document's interpretation date after one of its interpretations was
    withdrawn: the earliest still published, or none (its clock runs again)."""
    target = lock(Document(pk=policy_id))
    earliest = target.interpretations.filter(state=DocState.PUBLISHED).aggregate(
        day=Min("published_on")
    )["day"]
    if earliest == target.interpretation_published_on:
        return
    before = safe_snapshot(target)
    target.interpretation_published_on = earliest
    target.save(update_fields=["interpretation_published_on", "updated_at"])
    audit_change(user, target, before, comment="其解读已撤回，重新确定解读发布日期")
