"""Which records each cell of Tables 三 and 四 counts: one definition for the count and for the
drill-down list behind it.

Every row of Table 三 is its own filter on the request register (`row_requests`), so a broken
record does not vanish into a derived figure: it makes a check fail. The builder counts each row
with one GROUP BY applicant_type; the 21 outcome rows share one query grouped by applicant type
and effective outcome, which is the same filter as `row_requests` for each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from gongkai.disclosure.models import Appeal, AppealResult, Outcome, Request
from gongkai.reports.tables import (
    APPLICANT_COLUMNS,
    OUTCOME_KEYS,
    RESULT_COLUMNS,
    TABLE3_KEYS,
    TABLE4_GROUPS,
    TABLE4_TOTAL,
    TOTAL_COLUMN,
)
from gongkai.units.models import Unit, UnitKind

#: The day a request counts from: its receipt day (Art. 31). A request whose receipt was never
#: confirmed (an online submission nobody could confirm, spam) was never received: not counted.
START = F("received_on")
#: The outcome row a concluded request falls in: a separated reply counts only as 部分公开.
EFFECTIVE_OUTCOME = Case(
    When(separated=True, then=Value(Outcome.PARTIAL.value)),
    default=F("outcome"),
    output_field=CharField(),
)


class CellError(ValueError):
    """No such cell; the message says which part of the address is wrong."""


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class Scope:
    """Whose records a report counts: one unit, a unit and its subtree, or (None) everyone."""

    unit: Unit | None = None
    include_children: bool = False
    unit_ids: frozenset[int] | None = None
    unit_q: Q = field(default_factory=Q)  # the scope as a filter on unit_id (see _unit_filter)

    @classmethod
    def of(cls, unit: Unit | None, include_children: bool = False) -> Scope:
        if unit is None:
            return cls()
        ids = subtree_ids(unit.pk) if include_children else frozenset({unit.pk})
        return cls(unit, include_children, ids, _unit_filter(ids))

    @property
    def is_government(self) -> bool:
        """A government's report (Art. 50(四)): the whole organisation, or a government unit."""
        return self.unit is None or self.unit.kind == UnitKind.GOVERNMENT

    @property
    def subject(self) -> str:
        """Who the text of section 一 speaks of."""
        return "本级人民政府" if self.unit is None else self.unit.name

    @property
    def who(self) -> str:
        if self.unit is None:
            return "全部单位"
        return self.unit.name + ("（含下级单位）" if self.include_children else "")

    def requests(self) -> QuerySet[Request]:
        return Request.objects.filter(self.unit_q)

    def appeals(self) -> QuerySet[Appeal]:
        return Appeal.objects.filter(self.unit_q)


def _unit_filter(ids: frozenset[int]) -> Q:
    """Units `ids` as a filter on unit_id. A government's subtree is most of the directory: then
    "not in the few units outside it" checks far fewer ids per row than "in" the many inside,
    and the whole directory needs no filter at all."""
    outside = set(Unit.objects.values_list("pk", flat=True)) - ids
    if len(outside) < len(ids):
        return ~Q(unit_id__in=outside) if outside else Q()
    return Q(unit_id__in=ids)


def subtree_ids(root: int) -> frozenset[int]:
    """`root` and every unit below it through Unit.parent (one query, cycles ignored)."""
    children: dict[int, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


# -- Table 三 -------------------------------------------------------------------------------


def _with_start(qs: QuerySet[Request]) -> QuerySet[Request]:
    return qs.annotate(report_start=START)


def concluded(qs: QuerySet[Request], year: int) -> QuerySet[Request]:
    first, last = year_bounds(year)
    return qs.filter(concluded_on__gte=first, concluded_on__lte=last)


def row_requests(qs: QuerySet[Request], year: int, key: str) -> QuerySet[Request]:
    """The requests behind row `key` of Table 三 for `year`, out of `qs` (the scope)."""
    first, last = year_bounds(year)
    if key == "newReceived":
        return _with_start(qs).filter(Q(report_start__gte=first, report_start__lte=last))
    if key == "carriedOver":
        return _with_start(qs).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=first), Q(report_start__lt=first)
        )
    if key == "carriedForward":
        return _with_start(qs).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gt=last), Q(report_start__lte=last)
        )
    if key == "totalProcessed":
        return concluded(qs, year)
    if key in OUTCOME_KEYS:
        return (
            concluded(qs, year)
            .annotate(report_outcome=EFFECTIVE_OUTCOME)
            .filter(report_outcome=key)
        )
    raise CellError(f"表三没有“{key}”这一行")


def column_filter(col: int) -> Q:
    """The applicant column `col` (0–5); the 总计 column (6) takes every request of the row."""
    if col == TOTAL_COLUMN:
        return Q()
    if 0 <= col < TOTAL_COLUMN:
        return Q(applicant_type=APPLICANT_COLUMNS[col])
    raise CellError(f"表三没有第{col + 1}列")


def table3_cell(qs: QuerySet[Request], year: int, key: str, col: int) -> QuerySet[Request]:
    if key not in TABLE3_KEYS:
        raise CellError(f"表三没有“{key}”这一行")
    return row_requests(qs, year, key).filter(column_filter(col))


# -- Table 四 -------------------------------------------------------------------------------


def effective_result(year: int) -> Case:
    """The column of an appeal in `year`'s report: its result if decided by 31 December,
    else 尚未审结."""
    last = year_bounds(year)[1]
    return Case(
        When(
            Q(decided_on__isnull=False, decided_on__lte=last) & ~Q(result=AppealResult.PENDING),
            then=F("result"),
        ),
        default=Value(AppealResult.PENDING.value),
        output_field=CharField(),
    )


def filed(qs: QuerySet[Appeal], year: int) -> QuerySet[Appeal]:
    first, last = year_bounds(year)
    return qs.filter(filed_on__gte=first, filed_on__lte=last)


def table4_cell(qs: QuerySet[Appeal], year: int, kind: str, col: int) -> QuerySet[Appeal]:
    """The appeals behind group `kind`, column `col` (0–3 a result, 4 the 总计)."""
    if kind not in dict(TABLE4_GROUPS):
        raise CellError(f"表四没有“{kind}”这一组")
    cases = filed(qs, year).filter(kind=kind)
    if col == TABLE4_TOTAL:
        return cases
    if 0 <= col < TABLE4_TOTAL:
        return cases.annotate(report_result=effective_result(year)).filter(
            report_result=RESULT_COLUMNS[col]
        )
    raise CellError(f"表四没有第{col + 1}列")
