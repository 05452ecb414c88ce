"""Validity changes of published policy documents (with their history and the search index),
and the yearly cleanup that applies many at once and is frozen once published."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import AuditEvent
from gongkai.publishing import actions
from gongkai.publishing.actions import PublishRejected
from gongkai.publishing.models import (
    CleanupOutcome,
    DocKind,
    Document,
    Validity,
    ValidityChange,
)
from gongkai.search.models import SearchEntry
from tests.conftest import Cast
from tests.test_publishing_actions import D, at, draft, published

pytestmark = pytest.mark.django_db


def normative(cast: Cast, day: str = "2026-03-02", **fields: Any) -> Document:
    with at(day):
        return published(cast, draft(cast, written_on=D(day), **fields))


def test_a_repeal_is_recorded_shown_and_searchable_by_validity(cast: Cast) -> None:
    old = normative(cast, title="旧办法")
    new = normative(cast, "2026-05-06", title="新办法")
    with at("2026-06-01"):
        changed = actions.change_validity(
            cast.office,
            old,
            validity=Validity.REPEALED,
            effective_on=D("2026-06-01"),
            changed_by_document=new,
            reason="被新办法废止",
        )
    assert changed.validity == Validity.REPEALED and not changed.in_force
    assert (changed.validity_since, changed.validity_changed_by) == (D("2026-06-01"), new)
    assert changed.validity_note == "被新办法废止"
    [history] = ValidityChange.objects.filter(document=old)
    assert (history.old, history.new, history.recorded_by) == ("valid", "repealed", cast.office)
    entry = SearchEntry.objects.get(source="document", object_id=str(old.pk))
    assert entry.validity == "repealed"
    assert AuditEvent.objects.filter(object_id=str(old.pk), action="change").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda c: draft(c), "只有已发布的文件可以变更有效性"),
        (lambda c: normative(c, kind=DocKind.NEWS, doc_number=""), "没有有效性"),
    ],
)
def test_only_published_policy_documents_have_a_validity(
    cast: Cast, make: object, message: str
) -> None:
    with at("2026-03-10"):
        document = make(cast)  # type: ignore[operator]  # the parametrized makers take the cast
        with pytest.raises(PublishRejected, match=message):
            actions.change_validity(
                cast.office, document, validity=Validity.EXPIRED, effective_on=D("2026-03-10")
            )


def test_bad_validity_changes_are_refused(cast: Cast) -> None:
    document = normative(cast, "2026-03-02")
    with at("2026-04-01"):
        for kwargs, message in [
            ({"validity": Validity.VALID, "effective_on": D("2026-04-01")}, "已是「有效」"),
            ({"validity": "gone", "effective_on": D("2026-04-01")}, "请选择有效性"),
            ({"validity": Validity.REPEALED, "effective_on": D("2026-04-02")}, "不能晚于今天"),
            (
                {"validity": Validity.REPEALED, "effective_on": D("2026-03-01")},
                "不能早于该文件的发布日期",
            ),
            (
                {
                    "validity": Validity.AMENDED,
                    "effective_on": D("2026-04-01"),
                    "changed_by_document": document,
                },
                "不能是该文件自身",
            ),
        ]:
            with pytest.raises(PublishRejected, match=message):
                actions.change_validity(cast.office, document, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied):
            actions.change_validity(
                cast.justice_liaison,
                document,
                validity=Validity.REPEALED,
                effective_on=D("2026-04-01"),
            )
        actions.change_validity(
            cast.office, document, validity=Validity.AMENDED, effective_on=D("2026-03-20")
        )
        with pytest.raises(PublishRejected, match="不能早于上一次有效性变更"):
            actions.change_validity(
                cast.office, document, validity=Validity.REPEALED, effective_on=D("2026-03-19")
            )
    assert ValidityChange.objects.filter(document=document).count() == 1


def test_the_yearly_cleanup_applies_its_outcomes_and_is_then_frozen(cast: Cast) -> None:
    keep = normative(cast, title="继续有效的文件")
    amend = normative(cast, title="需要修改的文件")
    repeal = normative(cast, title="废止的文件")
    expire = normative(cast, title="失效的文件")
    with at("2026-11-30"):
        with pytest.raises(PermissionDenied):
            actions.create_cleanup(cast.justice_liaison, year=2026, title="清理结果")
        cleanup = actions.create_cleanup(
            cast.office, year=2026, title="2026年度行政规范性文件清理结果"
        )
        with pytest.raises(PublishRejected, match="已存在"):
            actions.create_cleanup(cast.office, year=2026, title="重复")
        with pytest.raises(PublishRejected, match="清理结果中还没有文件"):
            actions.publish_cleanup(cast.office, cleanup, effective_on=D("2026-11-30"))
        for document, outcome in [
            (keep, CleanupOutcome.KEEP),
            (amend, CleanupOutcome.AMEND),
            (repeal, CleanupOutcome.KEEP),  # changed below
            (expire, CleanupOutcome.EXPIRE),
        ]:
            actions.set_cleanup_item(cast.office, cleanup, document, outcome=outcome)
        actions.set_cleanup_item(
            cast.office, cleanup, repeal, outcome=CleanupOutcome.REPEAL, note="上位法已废止"
        )
        assert cleanup.items.count() == 4

        actions.publish_cleanup(cast.office, cleanup, effective_on=D("2026-11-30"))

        states = {
            d.title: d.validity
            for d in Document.objects.filter(pk__in=[keep.pk, amend.pk, repeal.pk, expire.pk])
        }
        assert states == {
            "继续有效的文件": "valid",
            "需要修改的文件": "amended",
            "废止的文件": "repealed",
            "失效的文件": "expired",
        }
        reason = ValidityChange.objects.get(document=repeal).reason
        assert reason == "2026年度行政规范性文件清理结果：废止（上位法已废止）"
        assert not ValidityChange.objects.filter(document=keep).exists()
        cleanup.refresh_from_db()
        assert cleanup.published_at is not None
        with pytest.raises(PublishRejected, match="已发布，不能再修改"):
            actions.set_cleanup_item(cast.office, cleanup, keep, outcome=CleanupOutcome.REPEAL)
        with pytest.raises(PublishRejected, match="已发布，不能再修改"):
            actions.publish_cleanup(cast.office, cleanup, effective_on=D("2026-11-30"))


def test_a_repealed_document_cannot_be_kept_by_a_cleanup(cast: Cast) -> None:
    gone = normative(cast)
    with at("2026-11-30"):
        actions.change_validity(
            cast.office, gone, validity=Validity.REPEALED, effective_on=D("2026-11-30")
        )
        cleanup = actions.create_cleanup(cast.office, year=2026, title="清理")
        with pytest.raises(PublishRejected, match="不能为“继续有效”"):
            actions.set_cleanup_item(cast.office, cleanup, gone, outcome=CleanupOutcome.KEEP)
        with pytest.raises(PublishRejected, match="只有已发布的文件"):
            actions.set_cleanup_item(
                cast.office, cleanup, draft(cast, title="草稿"), outcome=CleanupOutcome.REPEAL
            )
