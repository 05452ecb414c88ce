"""Building the annual report from the registers: the JSON every renderer and check reads.

The shape is documented in docs/reports.md. Table 三 takes six aggregate queries whatever the
number of requests (five rows or row families of this year, one row of last year for T3-5),
Table 四 one, the processing fee one. Table 二's 规章 and 行政规范性文件 rows come from the
document register (six queries); its other rows are the office's hand-entered figures.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from gongkai.disclosure.models import Request
from gongkai.proposals.summary import Figures, year_figures
from gongkai.publishing.counts import table2_counts
from gongkai.reports import texts
from gongkai.reports.checks import blocking, run_checks
from gongkai.reports.counting import (
    EFFECTIVE_OUTCOME,
    Scope,
    concluded,
    effective_result,
    filed,
    row_requests,
    year_bounds,
)
from gongkai.reports.models import AnnualReport, ReportState
from gongkai.reports.tables import (
    APPLICANT_COLUMNS,
    OUTCOME_KEYS,
    RESULT_COLUMNS,
    SECTION_TABLES,
    SECTIONS,
    TABLE2,
    TABLE2_DECIMAL,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TEXT_SECTIONS,
    TOTAL_COLUMN,
)
from gongkai.units.models import Unit

Built = dict[str, Any]


def _by_column(pairs: list[tuple[str, int]]) -> list[int]:
    """Seven values from (applicant_type, count) pairs; 总计 counts every pair, so a request
    of an unknown applicant type shows as a row whose columns do not add up (T3-3)."""
    counts = dict(pairs)
    values = [counts.get(t, 0) for t in APPLICANT_COLUMNS]
    return [*values, sum(n for _, n in pairs)]


def _count_row(qs: QuerySet[Request]) -> list[int]:
    grouped = qs.order_by().values("applicant_type").annotate(n=Count("pk"))
    return _by_column([(g["applicant_type"], g["n"]) for g in grouped])


def table3_values(
    scope: Scope, year: int
) -> tuple[dict[str, list[int]], dict[str, int], list[int]]:
    """Row key → seven values; the concluded requests no row takes (by outcome value); and last
    year's carriedForward row (for T3-5)."""
    qs = scope.requests()
    rows = {
        key: _count_row(row_requests(qs, year, key))
        for key in ("newReceived", "carriedOver", "totalProcessed", "carriedForward")
    }
    pairs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    grouped = (
        concluded(qs, year)
        .annotate(report_outcome=EFFECTIVE_OUTCOME)
        .order_by()
        .values("report_outcome", "applicant_type")
        .annotate(n=Count("pk"))
    )
    for g in grouped:
        pairs[g["report_outcome"]].append((g["applicant_type"], g["n"]))
    for key in OUTCOME_KEYS:
        rows[key] = _by_column(pairs.get(key, []))
    unclassified = {k: sum(n for _, n in v) for k, v in pairs.items() if k not in OUTCOME_KEYS}
    previous = _count_row(row_requests(qs, year - 1, "carriedForward"))
    return rows, unclassified, previous


def table4_values(scope: Scope, year: int) -> dict[str, list[int]]:
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = defaultdict(int)
    grouped = (
        filed(scope.appeals(), year)
        .annotate(report_result=effective_result(year))
        .order_by()
        .values("kind", "report_result")
        .annotate(n=Count("pk"))
    )
    for g in grouped:
        counts[g["kind"], g["report_result"]] = g["n"]
        totals[g["kind"]] += g["n"]
    return {
        kind: [*[counts.get((kind, r), 0) for r in RESULT_COLUMNS], totals[kind]]
        for kind, _ in TABLE4_GROUPS
    }


def fee_collected(scope: Scope, year: int) -> Decimal:
    first, last = year_bounds(year)
    paid = scope.requests().filter(fee_paid_on__gte=first, fee_paid_on__lte=last)
    total = paid.aggregate(total=Sum("fee_amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _cell_value(raw: Any, *, decimal: bool) -> Any:
    """A hand-entered Table 二 figure as stored in the JSON: int, decimal string for 万元; a
    value that is neither is kept as it is, for check T2-0 to name."""
    if raw is None or raw == "":
        return "0" if decimal else 0
    if isinstance(raw, bool):
        return raw
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return raw
    if decimal:
        return str(number.normalize()) if number.is_finite() else raw
    return int(number) if number.is_finite() and number == number.to_integral() else raw


def table2_values(raw: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    raw = raw if isinstance(raw, dict) else {}
    table: dict[str, dict[str, Any]] = {}
    for block in TABLE2:
        for key, _ in block.rows:
            given = raw.get(key)
            entered: dict[str, Any] = given if isinstance(given, dict) else {}
            table[key] = {
                field: _cell_value(entered.get(field), decimal=(key, field) == TABLE2_DECIMAL)
                for field in block.fields
            }
    return table


#: Table 二's rows the document register counts (gongkai.publishing.counts), by JSON key and
#: the register's row label; the office cannot type over them.
FROM_REGISTER = {"regulations": "规章", "normativeDocs": "行政规范性文件"}


def table2_register(scope: Scope, year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 made, repealed and in force in `year`, from the register."""
    counts = table2_counts(year, scope.unit_ids)
    return {
        key: {
            "made": counts[label]["made"],
            "repealed": counts[label]["repealed"],
            "inForce": counts[label]["in_force"],
        }
        for key, label in FROM_REGISTER.items()
    }


def _previous_report(year: int, unit: Unit | None) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year - 1, unit=unit).first()


def _previous_table2(before: AnnualReport | None) -> dict[str, Any] | None:
    if before is None:
        return None
    if before.state == ReportState.PUBLISHED and before.published:
        return dict(before.published.get("table2", {}))
    return table2_values(before.table2)


def _previous_forward(before: AnnualReport | None, computed: list[int]) -> tuple[list[int], str]:
    """Last year's carriedForward row: as published, when last year's report was; else as the
    registers give it today (which equals this year's carriedOver by definition)."""
    if before is not None and before.state == ReportState.PUBLISHED and before.published:
        for row in before.published.get("table3", {}).get("rows", []):
            if row.get("key") == "carriedForward":
                return list(row["values"]), "published"
    return computed, "registers"


def _sections(
    report: AnnualReport | None,
    scope: Scope,
    rows: dict[str, list[int]],
    fee: Decimal,
    proposals: Figures,
) -> list[dict[str, Any]]:
    written = report.sections if report is not None and isinstance(report.sections, dict) else {}
    prefill = {
        "一": texts.overview(
            scope.subject, rows, government=scope.is_government, total_column=TOTAL_COLUMN
        ),
        "五": texts.problems(),
        "六": texts.other_matters(fee, proposals),
    }
    sections = []
    for number, title in SECTIONS:
        own = str(written.get(number) or "").strip() if number in TEXT_SECTIONS else ""
        sections.append(
            {
                "number": number,
                "title": title,
                "text": own or prefill.get(number, ""),
                "prefilled": number in TEXT_SECTIONS and not own,
                "table": SECTION_TABLES.get(number),
            }
        )
    return sections


def build_annual(
    year: int,
    unit: Unit | None = None,
    include_children: bool = False,
    report: AnnualReport | None = None,
) -> Built:
    """The report of `year` for `unit` (None: the whole organisation; `include_children` adds
    the units below it) from the registers, with the office's saved text and Table 二 of
    `report` when given."""
    scope = Scope.of(unit, include_children)
    rows, unclassified, previous = table3_values(scope, year)
    table4 = table4_values(scope, year)
    fee = fee_collected(scope, year)
    before = _previous_report(year, unit)
    previous, previous_source = _previous_forward(before, previous)
    first, last = year_bounds(year)
    # Section 六 counts the proposals as they stood at the year's end (today, while it runs).
    proposals = year_figures(scope.unit_ids, year, min(timezone.localdate(), last))
    built: Built = {
        "year": year,
        "title": f"{year}年政府信息公开工作年度报告",
        "unit": None
        if unit is None
        else {"id": unit.pk, "name": unit.name, "includeChildren": include_children},
        "scope": scope.who,
        "government": scope.is_government,
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "builtAt": timezone.localtime().isoformat(timespec="seconds"),
        "sections": _sections(report, scope, rows, fee, proposals),
        "table2": {
            **table2_values(report.table2 if report is not None else None),
            **table2_register(scope, year),
        },
        "table3": {
            "columns": list(TABLE3_COLUMNS),
            "rows": [{"label": r.label, "key": r.key, "values": rows[r.key]} for r in TABLE3_ROWS],
            "unclassified": unclassified,
            "previousCarriedForward": previous,
            "previousSource": previous_source,
        },
        "table4": {
            "columns": list(TABLE4_COLUMNS),
            "groups": [
                {"key": kind, "label": label, "values": table4[kind]}
                for kind, label in TABLE4_GROUPS
            ],
        },
        "fees": {"processingFeeYuan": str(fee)},
        "previousTable2": _previous_table2(before),
    }
    return with_checks(built)


def with_checks(built: Built) -> Built:
    checks = run_checks(built)
    built["checks"] = checks
    built["ok"] = not blocking(checks)
    built["errors"] = [c["id"] for c in blocking(checks)]
    built["warnings"] = [c["id"] for c in checks if c["warning"] and not c["ok"]]
    return built


def current(report: AnnualReport) -> Built:
    """What the report page shows: the stored version once published, else a fresh build."""
    if report.state == ReportState.PUBLISHED and report.published:
        return dict(report.published)
    return build_annual(report.year, report.unit, report.include_children, report=report)
