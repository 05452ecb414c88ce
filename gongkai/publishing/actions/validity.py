"""Validity (有效性) of published policy documents, and the yearly cleanup (清理) that changes
many at once and publishes the result list. The office's acts.

Every change is a ValidityChange row (the history on the document page, and what Table 二's
现行有效件数 is judged from), the document's current fields, the search index's validity
filter and the audit trail. Changes are kept in the order they take effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, record_transition, snapshot
from gongkai.publishing.access import require_office
from gongkai.publishing.actions.base import (
    PublishRejected,
    _actor,
    _today,
    audit_change,
    audit_create,
    lock,
    safe_snapshot,
    sync,
)
from gongkai.publishing.models import (
    CLEANUP_VALIDITY,
    POLICY_KINDS,
    Cleanup,
    CleanupItem,
    CleanupOutcome,
    DocState,
    Document,
    Validity,
    ValidityChange,
)
from gongkai.publishing.search_index import index_document

MAX_REASON = 300
MAX_TITLE = 200


def _require_policy(document: Document) -> None:
    if document.kind not in POLICY_KINDS:
        raise PublishRejected(
            f"「{document.get_kind_display()}」类信息没有有效性，只有规章、行政规范性文件和其他政策文件有"
        )
    if document.state != DocState.PUBLISHED:
        raise PublishRejected(
            f"只有已发布的文件可以变更有效性（该文件当前为「{document.get_state_display()}」）"
        )


@transaction.atomic
def change_validity(
    user: Any,
    document: Document,
    *,
    validity: str,
    effective_on: dt.date,
    changed_by_document: Document | None = None,
    reason: str = "",
) -> Document:
    """Mark a published policy document 已修改 / 已废止 / 失效 (or 有效 again), keep the history."""
    require_office(user)
    original, document = document, lock(document)
    _require_policy(document)
    if validity not in Validity.values:
        raise PublishRejected("请选择有效性")
    new = Validity(validity)
    if new == document.validity:
        raise PublishRejected(f"该文件已是「{new.label}」")
    if isinstance(effective_on, dt.datetime) or not isinstance(effective_on, dt.date):
        raise PublishRejected("请填写生效日期")
    if effective_on > _today():
        raise PublishRejected("生效日期不能晚于今天：请在该日期到来后再登记")
    if document.published_on is not None and effective_on < document.published_on:
        raise PublishRejected(
            f"生效日期不能早于该文件的发布日期（{document.published_on:%Y-%m-%d}）"
        )
    last = document.validity_changes.order_by("-effective_on", "-pk").first()
    if last is not None and effective_on < last.effective_on:
        raise PublishRejected(
            f"生效日期不能早于上一次有效性变更的生效日期（{last.effective_on:%Y-%m-%d}）"
        )
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise PublishRejected(f"说明不能超过 {MAX_REASON} 字")
    if changed_by_document is not None:
        if changed_by_document.pk == document.pk:
            raise PublishRejected("变更依据文件不能是该文件自身")
        if changed_by_document.state != DocState.PUBLISHED:
            raise PublishRejected(f"变更依据文件「{changed_by_document.title}」尚未发布")
    before = safe_snapshot(document)
    change = ValidityChange.objects.create(
        document=document,
        old=document.validity,
        new=new,
        effective_on=effective_on,
        changed_by_document=changed_by_document,
        reason=reason,
        recorded_by=_actor(user),
    )
    audit_create(user, change, comment=reason)
    document.validity = new
    document.validity_since = effective_on
    document.validity_changed_by = changed_by_document
    document.validity_note = reason
    document.save(
        update_fields=[
            "validity",
            "validity_since",
            "validity_changed_by",
            "validity_note",
            "updated_at",
        ]
    )
    audit_change(
        user, document, before, comment=f"有效性变更为「{new.label}」，{effective_on:%Y-%m-%d} 起"
    )
    index_document(document)
    return sync(original, document)


# -- the yearly cleanup ------------------------------------------------------------------------


def _require_open(cleanup: Cleanup) -> None:
    if cleanup.published_at is not None:
        raise PublishRejected("该清理结果已发布，不能再修改")


@transaction.atomic
def create_cleanup(user: Any, *, year: int, title: str, note: str = "") -> Cleanup:
    require_office(user)
    title = " ".join((title or "").split())
    if not title:
        raise PublishRejected("请填写清理结果的标题")
    if len(title) > MAX_TITLE:
        raise PublishRejected(f"标题不能超过 {MAX_TITLE} 字")
    if not isinstance(year, int) or not 2000 <= year <= _today().year:
        raise PublishRejected("清理年度应在 2000 年至今年之间")
    if Cleanup.objects.filter(year=year).exists():
        raise PublishRejected(f"{year} 年度的文件清理已存在")
    try:
        with transaction.atomic():
            cleanup = Cleanup.objects.create(
                year=year, title=title, note=(note or "").strip(), created_by=_actor(user)
            )
    except IntegrityError:  # created by a colleague a moment ago
        raise PublishRejected(f"{year} 年度的文件清理已存在") from None
    record_create(user, cleanup, comment="新建文件清理")
    return cleanup


def _lock_cleanup(cleanup: Cleanup) -> Cleanup:
    return Cleanup.objects.select_for_update().get(pk=cleanup.pk)


def _check_outcome(document: Document, outcome: CleanupOutcome) -> None:
    if outcome == CleanupOutcome.KEEP and not document.in_force:
        raise PublishRejected(
            f"「{document.title}」已{document.get_validity_display()}，清理结果不能为“继续有效”"
        )


@transaction.atomic
def set_cleanup_item(
    user: Any, cleanup: Cleanup, document: Document, *, outcome: str, note: str = ""
) -> CleanupItem:
    """Add a document to the cleanup list, or change its outcome."""
    require_office(user)
    cleanup = _lock_cleanup(cleanup)
    _require_open(cleanup)
    document = lock(document)
    _require_policy(document)
    if outcome not in CleanupOutcome.values:
        raise PublishRejected("请选择清理结果")
    _check_outcome(document, CleanupOutcome(outcome))
    note = " ".join((note or "").split())
    if len(note) > MAX_REASON:
        raise PublishRejected(f"说明不能超过 {MAX_REASON} 字")
    item = CleanupItem.objects.filter(cleanup=cleanup, document=document).first()
    if item is None:
        item = CleanupItem.objects.create(
            cleanup=cleanup, document=document, outcome=outcome, note=note
        )
        record_create(user, item, comment=f"{cleanup.title}：列入清理")
    else:
        before = snapshot(item)
        item.outcome, item.note = outcome, note
        item.save(update_fields=["outcome", "note"])
        record_change(user, item, before, comment=f"{cleanup.title}：修改清理结果")
    return item


@transaction.atomic
def publish_cleanup(user: Any, cleanup: Cleanup, *, effective_on: dt.date) -> Cleanup:
    """Apply each item's outcome to its document's validity and publish the result list."""
    require_office(user)
    cleanup = _lock_cleanup(cleanup)
    _require_open(cleanup)
    items = list(cleanup.items.select_related("document").order_by("pk"))
    if not items:
        raise PublishRejected("清理结果中还没有文件")
    for item in items:
        document = item.document
        wanted = CLEANUP_VALIDITY[CleanupOutcome(item.outcome)]
        if item.outcome == CleanupOutcome.KEEP:
            _check_outcome(document, CleanupOutcome.KEEP)
            continue  # in force stays in force: an amended document is not made 有效 again
        if document.validity == wanted:
            continue
        reason = f"{cleanup.title}：{item.get_outcome_display()}"
        if item.note:
            reason += f"（{item.note}）"
        change_validity(
            user, document, validity=wanted, effective_on=effective_on, reason=reason[:MAX_REASON]
        )
    cleanup.published_at = timezone.now()
    cleanup.save(update_fields=["published_at"])
    record_transition(user, cleanup, "published_at", None, cleanup.published_at, "发布清理结果")
    return cleanup
