"""Table 四 from the appeals register: filed in the year, result as of 31 December."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.disclosure.models import Appeal
from gongkai.reports.build import build_annual
from gongkai.reports.counting import Scope, table4_cell
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for

D = dt.date


def appeal(unit: Unit, kind: str, filed: dt.date, result: str, decided: dt.date | None) -> Appeal:
    return Appeal.objects.create(
        unit=unit,
        kind=kind,
        filed_on=filed,
        result=result,
        decided_on=decided,
        case_no=f"案{filed}",
    )


def make_appeals(cast: Cast) -> dict[str, Appeal]:
    j = cast.justice
    return {
        "upheld": appeal(j, "reconsideration", D(2025, 3, 1), "upheld", D(2025, 5, 1)),
        # Decided after the year end: 尚未审结 in 2025's report.
        "late": appeal(j, "reconsideration", D(2025, 11, 1), "corrected", D(2026, 1, 10)),
        "pending": appeal(j, "reconsideration", D(2025, 12, 1), "pending", None),
        # A result without a decision day is not yet decided either.
        "undated": appeal(j, "litigation_direct", D(2025, 6, 1), "upheld", None),
        "direct": appeal(j, "litigation_direct", D(2025, 4, 1), "other", D(2025, 9, 1)),
        "after": appeal(j, "litigation_after", D(2025, 2, 1), "upheld", D(2025, 12, 31)),
        "old": appeal(j, "reconsideration", D(2024, 12, 31), "upheld", D(2025, 2, 1)),
        "finance": appeal(
            cast.finance, "litigation_after", D(2025, 5, 1), "corrected", D(2025, 6, 1)
        ),
    }


def groups(built: dict[str, object]) -> list[list[int]]:
    return [g["values"] for g in built["table4"]["groups"]]  # type: ignore[index]


@pytest.mark.django_db
def test_table_four_counts_late_decisions_as_pending(cast: Cast) -> None:
    make_appeals(cast)
    built = build_annual(2025)
    assert groups(built) == [
        [1, 0, 0, 2, 3],  # 行政复议: upheld | late, pending
        [0, 0, 1, 1, 2],  # 未经复议直接起诉: direct | undated
        [1, 1, 0, 0, 2],  # 复议后起诉: after (31 Dec) | finance
    ]
    assert next(c for c in built["checks"] if c["id"] == "T4-1")["ok"]
    assert groups(build_annual(2025, cast.justice))[2] == [1, 0, 0, 0, 1]
    # In 2026 the late decision is not counted again: it was filed in 2025.
    assert groups(build_annual(2026)) == [[0] * 5] * 3


@pytest.mark.django_db
def test_an_unknown_result_fails_t4_1(cast: Cast) -> None:
    cases = make_appeals(cast)
    Appeal.objects.filter(pk=cases["upheld"].pk).update(result="withdrawn")
    check = next(c for c in build_annual(2025)["checks"] if c["id"] == "T4-1")
    assert not check["ok"] and "行政复议" in check["detail"]


@pytest.mark.django_db
def test_drill_down_of_a_table_four_cell_lists_its_cases(cast: Cast) -> None:
    cases = make_appeals(cast)
    pending = table4_cell(Scope().appeals(), 2025, "reconsideration", 3)
    assert set(pending.values_list("pk", flat=True)) == {cases["late"].pk, cases["pending"].pk}
    page = client_for(cast.office).get(
        "/reports/annual/cell/?year=2025&table=4&row=reconsideration&col=3"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert f"案{cases['late'].filed_on}" in text and f"案{cases['upheld'].filed_on}" not in text
    assert page.context["page"].paginator.count == 2
