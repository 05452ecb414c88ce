"""The self-check and the negative list as evidence on the matching task-list checkpoints
(gongkai.work.linked): seed 001's and 004's 「定期对本单位不予公开的信息以及依申请公开较为集中的
信息进行全面自查」 and 004's 「探索建立政务公开负面清单」.

Bare 自查 is not a keyword: it also names the 「回头看」 tasks (逐项对照自查落实情况), which
this register does not answer. Traditional forms are listed for seed 003's kind of text.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from gongkai.withheld.models import (
    CheckItem,
    Decision,
    NegativeEntry,
    SelfCheck,
    last_adjusted,
)
from gongkai.work.linked import LinkedLine, LinkedSource

KEYWORDS = (
    "不予公开",
    "负面清单",
    "依申请公开较为集中",
    "全面自查",
    "不予公開",
    "負面清單",
    "依申請公開較為集中",
)


def _check_lines(unit_id: int, year: int) -> list[LinkedLine]:
    """The unit's own check of the year, else the whole organisation's with this unit's items."""
    check = SelfCheck.objects.filter(year=year, unit_id=unit_id).first()
    items = CheckItem.objects.none()
    if check is not None:
        items = check.items.all()
    else:
        check = SelfCheck.objects.filter(year=year, unit__isnull=True).first()
        if check is not None:
            items = check.items.filter(unit_id=unit_id)
    if check is None:
        return [LinkedLine(f"{year} 年不予公开自查尚未开展", reverse("withheld:index"), True)]
    # The lines know no viewer, so the link must open for everyone who sees the unit's
    # checkpoint: the organisation-wide check shows a unit's liaison its own items (access.py).
    url = reverse("withheld:check", args=[check.pk])
    state = check.get_state_display()
    when = f"，{check.closed_at:%Y-%m-%d} 完成" if check.closed_at else ""
    counts = items.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(decision=Decision.PENDING)),
        kept=Count("pk", filter=Q(decision=Decision.KEEP)),
        moved=Count("pk", filter=Q(decision=Decision.MOVE)),
    )
    reviewed = counts["total"] - counts["pending"]
    return [
        LinkedLine(f"{check}：{state}{when}", url, problem=check.is_open),
        LinkedLine(
            f"自查项目 {counts['total']} 项，已审查 {reviewed} 项"
            f"（继续不予公开 {counts['kept']} 项，转为主动公开 {counts['moved']} 项），"
            f"待审查 {counts['pending']} 项",
            url,
            problem=counts["pending"] > 0,
        ),
    ]


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    entries = NegativeEntry.objects.for_unit(unit_id)
    active = entries.active().count()
    adjusted = last_adjusted(entries)
    when = f"，最近调整 {adjusted:%Y-%m-%d}" if adjusted else ""
    entry_line = LinkedLine(
        f"政务公开负面清单在用事项 {active} 项{when}", reverse("withheld:index"), problem=not active
    )
    return [*_check_lines(unit_id, year), entry_line]


SOURCE = LinkedSource("不予公开自查", KEYWORDS, linked_lines)
