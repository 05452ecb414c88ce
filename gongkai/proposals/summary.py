"""The year's figures of 建议提案办理 (办理总体情况), for the staff summary page, the generated
summary text, the task evidence and section 六 of the annual report.

Whose: `unit_ids` None counts every proposal; a set counts those the units lead (主办) and,
separately, those they only co-handle (协办). Replied on time: replied on or before the due
date. 吸收采纳率: A and B results (解决或采纳, 列入计划逐步解决) over the replied proposals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from gongkai.proposals.models import ADOPTED, Kind, Level, Proposal, Result


@dataclass(frozen=True)
class Figures:
    year: int
    #: (level, kind) → count, every pair present.
    by_level_kind: dict[tuple[str, str], int] = field(default_factory=dict)
    led: int = 0
    cohandled: int = 0
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    #: result → count among the replied, every result present.
    results: dict[str, int] = field(default_factory=dict)
    disclosed: int = 0
    published: int = 0

    @property
    def received(self) -> int:
        return self.led

    def of_kind(self, kind: str) -> int:
        return sum(n for (_, k), n in self.by_level_kind.items() if k == kind)

    @property
    def suggestions(self) -> int:
        return self.of_kind(Kind.SUGGESTION)

    @property
    def proposals(self) -> int:
        return self.of_kind(Kind.PROPOSAL)

    @property
    def adopted(self) -> int:
        return sum(self.results.get(r, 0) for r in ADOPTED)

    @property
    def adoption_rate(self) -> str:
        """ "85.7%", or "—" while nothing is replied."""
        if not self.replied:
            return "—"
        return f"{self.adopted * 100 / self.replied:.1f}%"

    def table(self) -> list[tuple[str, list[int]]]:
        """Rows per level, columns per kind and the total: for the staff page."""
        rows = []
        for level in Level:
            counts = [self.by_level_kind.get((level.value, k.value), 0) for k in Kind]
            rows.append((str(level.label), [*counts, sum(counts)]))
        return rows

    def result_rows(self) -> list[tuple[str, int]]:
        return [(str(r.label), self.results.get(r.value, 0)) for r in Result]


def year_figures(unit_ids: Collection[int] | None, year: int, today: dt.date) -> Figures:
    """The figures of `year` for the units (None: everyone), as they stood on `today`: a reply
    made or published later is not counted yet, and a proposal unanswered by then is overdue
    if its due date had passed. The annual report passes the year's last day (or today, while
    the year runs), so a report built in January does not count January's replies."""
    qs = Proposal.objects.filter(year=year)
    led = qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)
    replied = Q(replied_on__lte=today)
    agg = led.aggregate(
        total=Count("pk"),
        replied=Count("pk", filter=replied),
        on_time=Count("pk", filter=replied & Q(replied_on__lte=F("due_on"))),
        overdue=Count("pk", filter=~replied & Q(due_on__lt=today)),
        disclosed=Count("pk", filter=replied & Q(disclose=True)),
    )
    pairs = {
        (row["level"], row["kind"]): row["n"]
        for row in led.order_by().values("level", "kind").annotate(n=Count("pk"))
    }
    results = {
        row["result"]: row["n"]
        for row in led.filter(replied).order_by().values("result").annotate(n=Count("pk"))
    }
    cohandled = 0
    if unit_ids is not None:
        cohandled = (
            qs.filter(co_units__in=list(unit_ids))
            .exclude(unit_id__in=unit_ids)
            .values("pk")
            .distinct()
            .count()
        )
    return Figures(
        year=year,
        by_level_kind={
            (lv.value, k.value): pairs.get((lv.value, k.value), 0) for lv in Level for k in Kind
        },
        led=agg["total"],
        cohandled=cohandled,
        replied=agg["replied"],
        on_time=agg["on_time"],
        overdue=agg["overdue"],
        results={r.value: results.get(r.value, 0) for r in Result},
        disclosed=agg["disclosed"],
        published=led.filter(replied).reply_public(on=today).count(),
    )


def summary_paragraphs(f: Figures, who: str) -> list[str]:
    """The text of the generated 办理总体情况, one paragraph a list item."""
    levels = "；".join(
        f"{label}：人大代表建议{counts[0]}件、政协委员提案{counts[1]}件"
        for label, counts in f.table()
        if counts[2]
    )
    return [
        f"{f.year}年，{who}共承办人大代表建议{f.suggestions}件、政协委员提案{f.proposals}件"
        + (f"（{levels}）" if levels else "")
        + "。",
        f"截至目前，已办复{f.replied}件，其中按期办复{f.on_time}件。",
        f"从办理结果看，所提问题已解决或采纳的{f.results.get(Result.SOLVED, 0)}件，"
        f"列入计划逐步解决的{f.results.get(Result.PLANNED, 0)}件，"
        f"留作参考的{f.results.get(Result.REFERENCE, 0)}件，"
        f"代表委员意见建议吸收采纳率为{f.adoption_rate}。",
        f"涉及公共利益、群众广泛关注的办理复文已在政府网站公开{f.published}件。",
    ]
