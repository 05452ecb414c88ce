"""The register's figures as evidence on the checkpoints of tasks about 政务舆情
(gongkai.work.linked): the unit's events of the plan year, how many met each deadline, how many
were late, and the open ones, an overdue one marked as a problem.

The keywords match the seed task lines about 政务舆情回应 (seeds 000, 002, 004, and 001's
statistics-opinion line), and seed 003, which is in traditional characters.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.opinion.models import STAGES_OF_LEVEL, Event, Level, Stage
from gongkai.work.linked import LinkedLine, LinkedSource

KEYWORDS = ("舆情", "輿情")


def lines(unit_id: int, year: int) -> list[LinkedLine]:
    now = timezone.now()
    events = list(Event.objects.filter(unit_id=unit_id).of_year(year).order_by("detected_at"))
    if not events:
        return [LinkedLine(f"{year}年未登记政务舆情")]
    serious = sum(1 for e in events if e.level == Level.SERIOUS)
    out = [
        LinkedLine(
            f"{year}年登记政务舆情 {len(events)} 起"
            f"（特别重大、重大突发事件 {serious} 起，其他 {len(events) - serious} 起）",
            reverse("opinion:index") + "?tab=all",
        )
    ]
    stages = list(Stage.objects.required().filter(event__in=events))
    for kind in (*STAGES_OF_LEVEL[Level.SERIOUS], *STAGES_OF_LEVEL[Level.OTHER]):
        mine = [s for s in stages if s.kind == kind]
        if not mine:
            continue
        on_time = sum(1 for s in mine if s.met_at is not None and s.met_at <= s.deadline)
        late = sum(1 for s in mine if s.met_at is not None and s.met_at > s.deadline)
        missed = sum(1 for s in mine if s.met_at is None and s.deadline <= now)
        running = len(mine) - on_time - late - missed
        text = f"{mine[0].label}：应完成 {len(mine)} 起，按时 {on_time} 起"
        if late:
            text += f"，逾期完成 {late} 起"
        if missed:
            text += f"，超时未完成 {missed} 起"
        if running:
            text += f"，计时中 {running} 起"
        out.append(LinkedLine(text, problem=bool(late or missed)))
    overdue_ids = {s.event_id for s in stages if s.met_at is None and s.deadline <= now}
    open_events = [e for e in events if e.is_open]
    out.append(LinkedLine(f"处置中 {len(open_events)} 起"))
    for e in open_events:
        if e.pk in overdue_ids:
            out.append(LinkedLine(f"「{e.title}」已超过回应时限", e.get_absolute_url(), True))
    return out


SOURCE = LinkedSource("政务舆情", KEYWORDS, lines)
