"""Tickets and the task list, both ways.

- A ticket is linked to the checkpoint of its unit, in the plans of the current year, whose
  task's category path or requirement (gongkai.work.linked.task_text) holds the words for the
  ticket's type (types.TYPE_WORDS): the task matching most of the words, and of its checkpoints
  the first still owed on or after the day, else the last one.
- The 「网站检查」 linked source shows, on the checkpoints of tasks about the website, the unit's
  sites' latest scores and its open and fixed tickets (computed when the page is shown).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from gongkai.inspection.models import (
    InspectedSite,
    Inspection,
    InspectionStatus,
    Ticket,
    TicketStatus,
)
from gongkai.inspection.types import TYPE_WORDS, type_name
from gongkai.work.linked import LinkedLine, LinkedSource, task_text


class CheckpointFinder:
    """Finds checkpoints for tickets; caches each unit's checkpoints for one recording."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._by_unit: dict[int, list[tuple[Any, str]]] = {}

    def _checkpoints(self, unit_id: int) -> list[tuple[Any, str]]:
        if unit_id not in self._by_unit:
            from gongkai.work.models import Checkpoint

            found = (
                Checkpoint.objects.live()
                .filter(unit_id=unit_id, plan__year=self.today.year)
                .select_related("task")
                .order_by("due", "pk")
            )
            self._by_unit[unit_id] = [(cp, task_text(cp.task)) for cp in found]
        return self._by_unit[unit_id]

    def find(self, unit_id: int, finding_type: str) -> Any:
        words = TYPE_WORDS.get(finding_type, ())
        if not words:
            return None
        best: list[Any] = []
        best_hits = 0
        for checkpoint, text in self._checkpoints(unit_id):
            hits = sum(1 for word in words if word in text)
            if hits > best_hits:
                best, best_hits = [checkpoint], hits
            elif hits and hits == best_hits:
                best.append(checkpoint)
        if not best:
            return None
        # Of the best task(s)' checkpoints: the first still owed from today, else the last.
        owed = [cp for cp in best if cp.due >= self.today and cp.finished_on is None]
        return owed[0] if owed else best[-1]


# -- evidence on checkpoints ----------------------------------------------------------------


def _tickets_url(**query: Any) -> str:
    return reverse("inspection:tickets") + "?" + urlencode(query)


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    today = timezone.localdate()
    lines: list[LinkedLine] = []
    for site in InspectedSite.objects.filter(unit_id=unit_id, active=True).order_by("name"):
        last = (
            Inspection.objects.filter(site=site, status=InspectionStatus.FINISHED)
            .order_by("-finished", "-pk")
            .first()
        )
        if last is None:
            lines.append(LinkedLine(f"「{site.name}」尚未完成过网站检查"))
            continue
        shown = f"{last.result:g} 分" if last.result is not None else "单项否决"
        when = timezone.localtime(last.finished).date() if last.finished else today
        lines.append(
            LinkedLine(
                f"「{site.name}」最近一次检查（{when:%Y-%m-%d}）：{shown}，{last.grade}",
                reverse("inspection:run", args=[last.pk]),
                problem=last.grade != "合格",
            )
        )
    tickets = Ticket.objects.filter(unit_id=unit_id)
    open_by_type = Counter(tickets.open().values_list("type", flat=True))
    overdue = Counter(tickets.open().filter(due_on__lt=today).values_list("type", flat=True))
    for finding_type, n in sorted(open_by_type.items()):
        late = f"，其中逾期 {overdue[finding_type]} 件" if overdue[finding_type] else ""
        lines.append(
            LinkedLine(
                f"待整改「{type_name(finding_type)}」工单 {n} 件{late}",
                _tickets_url(unit=unit_id, type=finding_type, status="open"),
                problem=True,
            )
        )
    fixed = tickets.filter(status=TicketStatus.FIXED, fixed_at__year=year).count()
    if fixed:
        lines.append(
            LinkedLine(
                f"{year} 年经复查已整改销号的工单 {fixed} 件",
                _tickets_url(unit=unit_id, status="fixed"),
            )
        )
    return lines


SOURCE = LinkedSource(
    "网站检查",
    ("网站", "断错链", "信息维护", "栏目", "新媒体", "IPv6"),
    linked_lines,
)
