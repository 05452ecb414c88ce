"""Everything that changes a catalogue or an item: one function per act, one transaction each,
audited. Views, the demo and tests call these; none of them writes the models directly.

A refused act raises `DecisionRejected` with the reason in Chinese and changes nothing; an act
the user may not do raises PermissionDenied (403).

The office drafts the year's catalogue, lists items, records the Party committee's agreement and
publishes (Art. 3). Items added or changed afterwards are 调整: the item and the catalogue carry
the day. A liaison of the item's unit (or the office) records the progress: the consultation
(flagged 重大行政决策, of the same unit), the hearing, the decision and the 后评估.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import (
    record_change,
    record_create,
    record_delete,
    record_transition,
    snapshot,
)
from gongkai.consult.models import Consultation
from gongkai.decisions.access import require_editor, require_office
from gongkai.decisions.models import Adjustment, Catalogue, CatalogueState, Item
from gongkai.decisions.planned import FORMS_HINT, period_end
from gongkai.disclosure.text import plain_text
from gongkai.publishing.models import DocState, Document
from gongkai.units.models import Unit

MAX_TITLE = 200
MAX_NOTE = 2000
MAX_PLANNED = 40
MAX_URL = 500
#: The years a catalogue may be drafted for, around today's.
YEARS_BACK, YEARS_AHEAD = 5, 1
OFFICE_ONLY = "只有公开办可以编制和发布重大行政决策事项目录"


class DecisionRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


@dataclass
class CatalogueInput:
    party_agreed_on: dt.date | None = None
    party_note: str = ""
    note: str = ""


@dataclass
class ItemInput:
    title: str
    unit: Unit
    planned_time: str
    basis: str = ""
    hearing: bool = False


@dataclass
class DecisionInput:
    decided_on: dt.date | None
    index_number: str = ""
    url: str = ""


@dataclass
class EvaluationInput:
    evaluated_on: dt.date | None
    summary: str = ""
    index_number: str = ""
    url: str = ""
    public: bool = False


def today() -> dt.date:
    return timezone.localdate()


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _text(value: str, limit: int, label: str) -> str:
    cleaned = plain_text(value or "").strip()
    if len(cleaned) > limit:
        raise DecisionRejected(f"{label}不能超过 {limit} 字（现为 {len(cleaned)} 字）")
    return cleaned


def _url(value: str, label: str) -> str:
    url = _text(value, MAX_URL, label)
    if url and not url.lower().startswith(("http://", "https://")):
        raise DecisionRejected(f"{label}应以 http:// 或 https:// 开头")
    return url


def _not_future(day: dt.date | None, label: str) -> None:
    if day is not None and day > today():
        raise DecisionRejected(f"{label}（{day:%Y-%m-%d}）不能晚于今天")


def _published_document(number: str, label: str) -> Document | None:
    number = _text(number, 128, label)
    if not number:
        return None
    found = Document.objects.filter(index_number=number, state=DocState.PUBLISHED).first()
    if found is None:
        raise DecisionRejected(f"没有找到索引号为「{number}」的已发布政府信息（{label}）")
    return found


def _lock_catalogue(catalogue: Catalogue) -> Catalogue:
    return Catalogue.objects.select_for_update().get(pk=catalogue.pk)


def _lock_item(item: Item) -> Item:
    # of=("self",): PostgreSQL refuses FOR UPDATE over the nullable joins of with_links().
    return Item.objects.select_for_update(of=("self",)).with_links().get(pk=item.pk)


# -- the catalogue ------------------------------------------------------------------------------


def create_catalogue(user: Any, year: int, data: CatalogueInput) -> Catalogue:
    """A new draft catalogue for `year` (the office)."""
    require_office(user, OFFICE_ONLY)
    now = today().year
    if not now - YEARS_BACK <= year <= now + YEARS_AHEAD:
        raise DecisionRejected(f"年度应在 {now - YEARS_BACK} 至 {now + YEARS_AHEAD} 年之间")
    fields = _catalogue_fields(data)
    with transaction.atomic():
        if Catalogue.objects.filter(year=year).exists():
            raise DecisionRejected(f"{year} 年度的目录已经存在，请在原目录中调整")
        made = Catalogue.objects.create(year=year, created_by=_actor(user), **fields)
        record_create(user, made, "编制重大行政决策事项目录")
    return made


def _catalogue_fields(data: CatalogueInput) -> dict[str, Any]:
    _not_future(data.party_agreed_on, "党委同意日期")
    return {
        "party_agreed_on": data.party_agreed_on,
        "party_note": _text(data.party_note, 300, "党委同意情况"),
        "note": _text(data.note, MAX_NOTE, "说明"),
    }


def edit_catalogue(user: Any, catalogue: Catalogue, data: CatalogueInput) -> Catalogue:
    require_office(user, OFFICE_ONLY)
    fields = _catalogue_fields(data)
    with transaction.atomic():
        c = _lock_catalogue(catalogue)
        if c.is_published and fields["party_agreed_on"] is None:
            raise DecisionRejected("目录已发布，党委同意日期不能清空")
        agreed = fields["party_agreed_on"]
        if c.is_published and c.published_on and agreed and agreed > c.published_on:
            # Art. 3: the catalogue is published after the Party committee agrees.
            raise DecisionRejected(
                f"目录已于 {c.published_on:%Y-%m-%d} 发布，党委同意日期不能晚于发布日期"
            )
        before = snapshot(c)
        for name, value in fields.items():
            setattr(c, name, value)
        c.save()
        record_change(user, c, before, "修改目录")
    return c


def publish_problems(catalogue: Catalogue) -> list[str]:
    """Why the catalogue cannot be published yet (empty: it can)."""
    problems = []
    if catalogue.party_agreed_on is None:
        problems.append("尚未登记党委同意日期（目录经同级党委同意后向社会公布）")
    if not catalogue.items.exists():
        problems.append("目录中还没有决策事项")
    return problems


def publish_catalogue(user: Any, catalogue: Catalogue) -> Catalogue:
    require_office(user, OFFICE_ONLY)
    with transaction.atomic():
        c = _lock_catalogue(catalogue)
        if c.is_published:
            raise DecisionRejected("目录已经发布")
        problems = publish_problems(c)
        if problems:
            raise DecisionRejected("暂不能发布：" + "；".join(problems))
        c.state = CatalogueState.PUBLISHED
        c.published_on = today()
        c.published_at = timezone.now()
        c.published_by = _actor(user)
        c.save()
        record_transition(
            user, c, "state", CatalogueState.DRAFT.value, c.state, "发布目录（门户网站公开）"
        )
    return c


# -- items (the office) -------------------------------------------------------------------------


def _item_fields(catalogue: Catalogue, data: ItemInput) -> dict[str, Any]:
    title = _text(data.title, MAX_TITLE, "决策事项名称")
    if not title:
        raise DecisionRejected("请填写决策事项名称")
    if not data.unit.active:
        raise DecisionRejected(f"单位「{data.unit.name}」已停用，不能作为承办单位")
    planned = _text(data.planned_time, MAX_PLANNED, "计划完成时间")
    if not planned:
        raise DecisionRejected("请填写计划完成时间")
    planned_by = period_end(planned, catalogue.year)
    if planned_by is None:
        raise DecisionRejected(f"看不懂计划完成时间「{planned}」，请写成{FORMS_HINT}等形式")
    return {
        "title": title,
        "unit": data.unit,
        "basis": _text(data.basis, MAX_NOTE, "决策依据和主要内容"),
        "planned_time": planned,
        "planned_by": planned_by,
        "hearing": bool(data.hearing),
    }


def _mark_adjusted(user: Any, catalogue: Catalogue, day: dt.date) -> None:
    before = snapshot(catalogue)
    catalogue.adjusted_on = day
    catalogue.save(update_fields=["adjusted_on", "updated_at"])
    record_change(user, catalogue, before, "目录调整")


def add_item(user: Any, catalogue: Catalogue, data: ItemInput) -> Item:
    """List an item; in a published catalogue this is an adjustment (调整增补) of today."""
    require_office(user, OFFICE_ONLY)
    fields = _item_fields(catalogue, data)
    with transaction.atomic():
        c = _lock_catalogue(catalogue)
        last = c.items.order_by("-number").values_list("number", flat=True).first() or 0
        day = today()
        adjusted = {"adjustment": Adjustment.ADDED, "adjusted_on": day} if c.is_published else {}
        made = Item.objects.create(
            catalogue=c, number=last + 1, created_by=_actor(user), **fields, **adjusted
        )
        record_create(user, made, "调整目录：增补决策事项" if adjusted else "列入决策事项")
        if adjusted:
            _mark_adjusted(user, c, day)
    return made


def edit_item(user: Any, item: Item, data: ItemInput) -> Item:
    """Change what the catalogue says of an item; once published, a 调整 of today."""
    require_office(user, OFFICE_ONLY)
    fields = _item_fields(item.catalogue, data)
    with transaction.atomic():
        i = _lock_item(item)
        if not fields["hearing"] and (i.hearing_on or i.materials_on):
            raise DecisionRejected("该事项已登记听证日期，不能改为不举行听证")
        if i.consultation is not None and fields["unit"].pk != i.consultation.unit_id:
            raise DecisionRejected("该事项已关联原承办单位的意见征集，变更承办单位前请先取消关联")
        before = snapshot(i)
        for name, value in fields.items():
            setattr(i, name, value)
        changed = any(before[k] != snapshot(i)[k] for k in ("title", "unit", "planned_time"))
        changed = changed or before["hearing"] != i.hearing or before["basis"] != i.basis
        adjusting = i.catalogue.is_published and changed
        if adjusting:
            i.adjusted_on = today()
            if i.adjustment != Adjustment.ADDED:
                i.adjustment = Adjustment.CHANGED
        i.save()
        record_change(user, i, before, "调整目录：变更决策事项" if adjusting else "修改决策事项")
        if adjusting:
            _mark_adjusted(user, _lock_catalogue(i.catalogue), today())
    return i


def remove_item(user: Any, item: Item) -> None:
    require_office(user, OFFICE_ONLY)
    with transaction.atomic():
        i = _lock_item(item)
        if i.catalogue.is_published:
            raise DecisionRejected("目录已发布，事项不能删除；如需调整，请修改事项内容")
        record_delete(user, i, "删除决策事项")
        i.delete()


# -- progress (the item's unit) -----------------------------------------------------------------


def link_consultation(user: Any, item: Item, consultation: Consultation | None) -> Item:
    """Link the item's 预公开 consultation (None: unlink)."""
    require_editor(user, item)
    if consultation is not None:
        if not consultation.is_major_decision:
            raise DecisionRejected(
                f"意见征集「{consultation.title}」未标注为重大行政决策事项，不能作为决策预公开关联；"
                "请关联标注为重大行政决策的意见征集"
            )
        if consultation.unit_id != item.unit_id:
            raise DecisionRejected(
                f"只能关联承办单位「{item.unit.name}」的意见征集"
                f"（「{consultation.title}」属于{consultation.unit.name}）"
            )
    with transaction.atomic():
        i = _lock_item(item)
        if consultation is not None:
            taken = (
                Item.objects.filter(consultation=consultation)
                .exclude(pk=i.pk)
                .select_related("catalogue")
                .first()
            )
            if taken is not None:
                raise DecisionRejected(
                    f"意见征集「{consultation.title}」已关联{taken.catalogue.year}年度目录的"
                    f"「{taken.title}」"
                )
        before = snapshot(i)
        i.consultation = consultation
        i.save()
        record_change(user, i, before, "关联意见征集" if consultation else "取消关联意见征集")
    return i


def save_hearing(
    user: Any, item: Item, hearing_on: dt.date | None, materials_on: dt.date | None
) -> Item:
    """Record the hearing's date and the day its materials reached the participants."""
    require_editor(user, item)
    if materials_on is not None and hearing_on is None:
        raise DecisionRejected("请先填写听证日期")
    if materials_on and hearing_on and materials_on > hearing_on:
        raise DecisionRejected("听证材料送达日期不能晚于听证日期")
    _not_future(materials_on, "听证材料送达日期")
    with transaction.atomic():
        i = _lock_item(item)
        if not i.hearing:
            raise DecisionRejected("目录未列明该事项举行听证，不能登记听证")
        before = snapshot(i)
        i.hearing_on, i.materials_on = hearing_on, materials_on
        i.save()
        record_change(user, i, before, "登记听证")
    return i


def record_decision(user: Any, item: Item, data: DecisionInput) -> Item:
    """Record the decision: its day and where it is published (a document, a URL or both);
    everything empty clears it."""
    require_editor(user, item)
    document = _published_document(data.index_number, "决策文件")
    url = _url(data.url, "决策文件网址")
    clearing = document is None and not url and data.decided_on is None
    if not clearing:
        if data.decided_on is None:
            raise DecisionRejected("请填写决策日期")
        if document is None and not url:
            raise DecisionRejected("请填写决策文件的索引号或网址")
        _not_future(data.decided_on, "决策日期")
    with transaction.atomic():
        i = _lock_item(item)
        if clearing and i.has_evaluation:
            raise DecisionRejected("已登记后评估，不能取消决策结果")
        before = snapshot(i)
        i.decided_on, i.decision_document, i.decision_url = data.decided_on, document, url
        i.save()
        record_change(user, i, before, "取消决策结果" if clearing else "登记决策结果")
    return i


def record_evaluation(user: Any, item: Item, data: EvaluationInput) -> Item:
    """Record the 后评估 (everything empty clears it)."""
    require_editor(user, item)
    document = _published_document(data.index_number, "后评估报告")
    url = _url(data.url, "后评估报告网址")
    summary = _text(data.summary, MAX_NOTE, "后评估情况")
    clearing = data.evaluated_on is None and not (document or url or summary or data.public)
    if not clearing:
        if data.evaluated_on is None:
            raise DecisionRejected("请填写后评估日期")
        _not_future(data.evaluated_on, "后评估日期")
        if not summary:
            raise DecisionRejected("请简要填写后评估情况")
    with transaction.atomic():
        i = _lock_item(item)
        if not clearing and data.evaluated_on is not None:
            if not i.has_decision:
                raise DecisionRejected("尚未登记决策结果，不能登记后评估")
            if i.decided_on and data.evaluated_on < i.decided_on:
                raise DecisionRejected("后评估日期不能早于决策日期")
        before = snapshot(i)
        i.evaluated_on = data.evaluated_on
        i.evaluation_summary = summary
        i.evaluation_document, i.evaluation_url = document, url
        i.evaluation_public = bool(data.public) and not clearing
        i.save()
        record_change(user, i, before, "取消后评估" if clearing else "登记后评估")
    return i
