"""Every change to the negative list and the self-checks, one function per act (atomic,
audited). A refused act raises `WithheldRejected` with the reason in Chinese and changes
nothing; acting without the right raises PermissionDenied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape

from gongkai.audit.record import record_change, record_create, record_transition, snapshot
from gongkai.publishing import actions as publishing
from gongkai.publishing.models import DocKind, Document
from gongkai.units.models import Unit
from gongkai.withheld import candidates
from gongkai.withheld.access import OFFICE_ONLY, require_office
from gongkai.withheld.models import (
    Basis,
    CheckItem,
    CheckState,
    Decision,
    EntryStatus,
    ItemKind,
    NegativeEntry,
    SelfCheck,
)

#: The draft's title: the description, on one line, cut to fit the register's title field.
TITLE_CHARS = 100


class WithheldRejected(Exception):
    """An act the rules refuse; the message says why, in Chinese."""


# -- the negative list ------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryInput:
    title: str
    basis: str
    description: str
    effective_on: dt.date
    basis_text: str = ""
    examples: str = ""
    unit: Unit | None = None
    status: str = EntryStatus.ACTIVE


def _clean_entry(data: EntryInput) -> dict[str, Any]:
    if data.basis not in Basis.values:
        raise WithheldRejected("请选择不予公开的依据")
    if data.status not in EntryStatus.values:
        raise WithheldRejected("请选择状态")
    if data.basis == Basis.OTHER_LAW and not data.basis_text.strip():
        raise WithheldRejected("依据为“其他法律、法规规定”时，请填写具体的法律、法规名称和条款")
    if not data.title.strip() or not data.description.strip():
        raise WithheldRejected("请填写类别名称和范围说明")
    return {
        "title": data.title.strip(),
        "basis": data.basis,
        "basis_text": data.basis_text.strip(),
        "description": data.description.strip(),
        "examples": data.examples.strip(),
        "unit": data.unit,
        "effective_on": data.effective_on,
        "status": data.status,
    }


@transaction.atomic
def create_entry(user: Any, data: EntryInput) -> NegativeEntry:
    require_office(user, OFFICE_ONLY)
    entry = NegativeEntry(**_clean_entry(data), adjusted_on=timezone.localdate())
    entry.save()
    record_create(user, entry, comment="新增负面清单事项")
    return entry


@transaction.atomic
def update_entry(user: Any, entry: NegativeEntry, data: EntryInput) -> NegativeEntry:
    """Change an entry (retiring it is a change of status); the list's adjusted date moves only
    when something did change."""
    require_office(user, OFFICE_ONLY)
    entry = NegativeEntry.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry)
    for name, value in _clean_entry(data).items():
        setattr(entry, name, value)
    changed = {k for k, v in snapshot(entry).items() if before.get(k) != v}
    if not changed:
        return entry
    entry.adjusted_on = timezone.localdate()
    entry.save()
    retired = "status" in changed and entry.status == EntryStatus.RETIRED
    record_change(
        user, entry, before, comment="停用负面清单事项" if retired else "调整负面清单事项"
    )
    return entry


# -- self-checks ------------------------------------------------------------------------------


def _take_in(check: SelfCheck) -> int:
    """Snapshot the requests and groups the check does not hold yet; the number added."""
    unit_id = check.unit_id
    held_denied: set[int] = set()
    held_grouped: set[int] = set()
    for kind, ids in check.items.values_list("kind", "request_ids"):
        (held_denied if kind == ItemKind.DENIED else held_grouped).update(ids)
    new: list[CheckItem] = []
    for r in candidates.denied_requests(check.year, unit_id):
        if r.pk not in held_denied:
            new.append(
                CheckItem(
                    selfcheck=check,
                    kind=ItemKind.DENIED,
                    unit_id=r.unit_id,
                    description=candidates.scrubbed(r),
                    tracking_nos=[r.tracking_no],
                    request_ids=[r.pk],
                    outcome=r.outcome,
                )
            )
    for group in candidates.frequent_groups(check.year, unit_id):
        # A group already taken in may have grown, or gained a request registered late with an
        # earlier arrival that now leads it; it is the same information, not a new item.
        if any(r.pk in held_grouped for r in group.members):
            continue
        new.append(
            CheckItem(
                selfcheck=check,
                kind=ItemKind.FREQUENT,
                unit_id=group.unit_id,
                description=candidates.scrubbed(group.first),
                tracking_nos=[r.tracking_no for r in group.members],
                request_ids=[r.pk for r in group.members],
                outcomes=group.outcomes(),
                requests=len(group.members),
                applicants=len(group.who),
            )
        )
    CheckItem.objects.bulk_create(new)
    return len(new)


def _counts(check: SelfCheck) -> dict[str, int]:
    decided = dict(check.items.values_list("decision").annotate(n=Count("pk")).order_by())
    return {k: decided.get(k, 0) for k in Decision.values}


def open_check(user: Any, *, year: int, unit: Unit | None) -> SelfCheck:
    """Start `year`'s self-check (of `unit`, or of the whole organisation) and take in its
    items."""
    require_office(user, OFFICE_ONLY)
    if not 2000 <= year <= timezone.localdate().year:
        raise WithheldRejected("自查年度应在 2000 年至今年之间")
    try:
        with transaction.atomic():
            check = SelfCheck.objects.create(year=year, unit=unit, opened_by=user)
            taken = _take_in(check)
            record_create(user, check, comment=f"开展不予公开自查，纳入 {taken} 项")
    except IntegrityError:
        who = unit.name if unit else "全机关"
        raise WithheldRejected(f"{who} {year} 年的不予公开自查已经开展，请打开已有的自查") from None
    return check


def _lock_open(check: SelfCheck, act: str) -> SelfCheck:
    check = (
        SelfCheck.objects.select_for_update(of=("self",)).select_related("unit").get(pk=check.pk)
    )
    if check.state != CheckState.OPEN:
        raise WithheldRejected(f"该自查已完成，不能{act}")
    return check


@transaction.atomic
def refresh_check(user: Any, check: SelfCheck) -> int:
    """Take in what the register gained since the check was opened; the number added."""
    require_office(user, OFFICE_ONLY)
    check = _lock_open(check, "刷新")
    before = snapshot(check)
    taken = _take_in(check)
    check.refreshed_at = timezone.now()
    check.save(update_fields=["refreshed_at"])
    record_change(user, check, before, comment=f"刷新自查项目，新增 {taken} 项")
    return taken


def _draft_for(user: Any, item: CheckItem, year: int) -> Document:
    """The publishing draft of a moved item: the information asked for, never who asked."""
    title = " ".join(item.description.split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1] + "…"
    body = (
        f"<p>本信息经 {year} 年度不予公开自查，确定转为主动公开。</p>"
        f"<p>申请所需信息：{escape(item.description)}</p>"
        "<p>请责任单位补充正文和附件后提交审核。</p>"
    )
    try:
        return publishing.create_document(
            user, unit=item.unit, kind=DocKind.OTHER, title=title, body_html=body
        )
    except publishing.PublishRejected as exc:
        raise WithheldRejected(f"不能生成主动公开草稿：{exc}") from None


@transaction.atomic
def decide_item(user: Any, item: CheckItem, decision: str, reason: str = "") -> CheckItem:
    """继续不予公开 (with the reason) or 转为主动公开 (a draft for the responsible unit, linked).
    A kept item may still be moved while the check is open; a moved one stays moved — its
    draft is in the publishing register."""
    require_office(user, OFFICE_ONLY)
    check = _lock_open(item.selfcheck, "审查项目")
    item = CheckItem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)
    reason = reason.strip()
    if decision == Decision.KEEP:
        if not reason:
            raise WithheldRejected("继续不予公开的，请写明理由和依据")
    elif decision != Decision.MOVE:
        raise WithheldRejected("请选择审查结论")
    if item.decision == Decision.MOVE:
        raise WithheldRejected("该项目已转为主动公开，草稿已交责任单位，不能再改")
    old = item.decision
    if decision == Decision.MOVE:
        item.document = _draft_for(user, item, check.year)
    item.decision = decision
    item.reason = reason
    item.decided_at = timezone.now()
    item.decided_by = user
    item.save()
    record_transition(user, item, "decision", old, decision, comment=reason)
    return item


@transaction.atomic
def close_check(user: Any, check: SelfCheck, note: str = "") -> SelfCheck:
    """Record the result; every item must have its conclusion first."""
    require_office(user, OFFICE_ONLY)
    check = _lock_open(check, "再次完成")
    counts = _counts(check)
    if counts[Decision.PENDING]:
        raise WithheldRejected(
            f"还有 {counts[Decision.PENDING]} 个项目未审查，请逐项作出结论后再完成自查"
        )
    before = snapshot(check)
    check.total = sum(counts.values())
    check.kept = counts[Decision.KEEP]
    check.moved = counts[Decision.MOVE]
    check.note = note.strip()
    check.state = CheckState.CLOSED
    check.closed_at = timezone.now()
    check.closed_by = user
    check.save()
    result = f"{check.total} 项，继续不予公开 {check.kept} 项，转为主动公开 {check.moved} 项"
    record_change(user, check, before, comment=f"完成自查：{result}")
    return check
