"""The 「重大行政决策」 evidence on task-list checkpoints (gongkai.work.linked).

A checkpoint whose task speaks of the decision catalogue, 决策预公开 or 后评估 shows, for its
unit and its plan's year: whether the year's catalogue is published, the unit's items with their
progress, and the counts of consultations held, decisions published and evaluations done. The
E3 problems are marked: a planned time passed without a consultation, a comment period under
30 days without a reason, hearing materials late.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.decisions.models import Catalogue, Item
from gongkai.work.linked import LinkedLine, LinkedSource

#: The words of the seed tasks this answers (000 l.94 and l.100, 002 l.116 and l.118, 004 l.10,
#: l.16 and l.112), in simplified and traditional characters (seed 003 is traditional). Not
#: 「重大决策」 alone: the 「重大决策部署」 tasks are about reposting central decisions.
KEYWORDS = (
    "重大行政决策",
    "决策事项目录",
    "决策预公开",
    "决策草案",
    "后评估",
    "重大行政決策",
    "決策事項目錄",
    "決策預公開",
    "決策草案",
    "後評估",
)


def _progress(item: Item) -> str:
    steps = [
        "已公开征求意见" if item.consultation_held else "未公开征求意见",
        f"{item.decided_on:%Y-%m-%d} 已作出决策" if item.has_decision and item.decided_on else "",
        "已后评估" if item.has_evaluation else "",
    ]
    return "，".join(s for s in steps if s)


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    today = timezone.localdate()
    catalogue = Catalogue.objects.filter(year=year).first()
    if catalogue is None:
        return [LinkedLine(f"{year} 年度重大行政决策事项目录尚未编制", problem=True)]
    url = reverse("decisions:catalogue", args=[catalogue.pk])
    items = list(
        Item.objects.filter(catalogue=catalogue, unit_id=unit_id).with_links().order_by("number")
    )
    if catalogue.is_published and catalogue.published_on:
        head = f"{year} 年度目录已于 {catalogue.published_on:%Y-%m-%d} 发布"
        if catalogue.adjusted_on:
            head += f"（{catalogue.adjusted_on:%Y-%m-%d} 调整）"
    else:
        head = f"{year} 年度目录尚未发布"
    lines = [
        LinkedLine(
            f"{head}，列入本单位决策事项 {len(items)} 项",
            url,
            problem=not catalogue.is_published,
        )
    ]
    if not items:
        return lines
    held = sum(1 for i in items if i.consultation_held)
    decided = sum(1 for i in items if i.has_decision)
    evaluated = [i for i in items if i.has_evaluation]
    public = sum(1 for i in evaluated if i.evaluation_public)
    lines.append(
        LinkedLine(
            f"已公开征求意见 {held} 项，已公布决策 {decided} 项，"
            f"已完成后评估 {len(evaluated)} 项（结果已公开 {public} 项）",
            url,
        )
    )
    for item in items:
        item_url = reverse("decisions:item", args=[item.pk])
        lines.append(
            LinkedLine(f"「{item.title}」（计划 {item.planned_time}）：{_progress(item)}", item_url)
        )
        lines.extend(
            LinkedLine(f"「{item.title}」：{text}", item_url, problem=True)
            for text in item.problems(today)
        )
    return lines


SOURCE = LinkedSource("重大行政决策", KEYWORDS, linked_lines)
