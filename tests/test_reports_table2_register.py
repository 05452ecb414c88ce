"""Table 二's 规章 and 行政规范性文件 rows come from the document register: made, repealed and in
force (judged from the validity history as of 31 December), per unit or for everyone; the
report page shows them and does not let the office type over them; the JSON keeps its shape."""

from __future__ import annotations

import json
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest
from django.core.management import call_command

from gongkai.publishing import actions
from gongkai.publishing.counts import table2_counts
from gongkai.publishing.models import DocKind, Document, Validity
from gongkai.reports.build import build_annual
from gongkai.reports.models import AnnualReport
from gongkai.reports.tables import TABLE2
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post
from tests.test_publishing_actions import D, at, draft, published

pytestmark = pytest.mark.django_db


def made(
    cast: Cast, day: str, kind: str = DocKind.NORMATIVE, unit: Unit | None = None, **kw: Any
) -> Document:
    with at(day):
        fields: dict[str, Any] = {"kind": kind, "written_on": D(day), **kw}
        if unit is not None:
            document = draft(cast, user=cast.office, unit=unit, **fields)
        else:
            document = draft(cast, **fields)
        return published(cast, document)


def change(cast: Cast, document: Document, validity: str, day: str) -> None:
    with at(day):
        actions.change_validity(cast.office, document, validity=validity, effective_on=D(day))


@pytest.fixture
def register(cast: Cast) -> dict[str, Document]:
    """2025: 司法局 makes 规章 R and 规范性文件 A, B; 财政局 makes F. B is repealed in 2025,
    A only in 2026; R is amended in 2026 (still in force). 2026: 司法局 makes C. Not counted:
    a withdrawn one, a draft, an 其他政策文件, a 规章 published in 2026 and 已废止 in 2026."""
    docs = {
        "R": made(cast, "2025-04-01", DocKind.RULE, title="规章R"),
        "A": made(cast, "2025-03-03", title="A"),
        "B": made(cast, "2025-06-02", title="B"),
        "F": made(cast, "2025-05-06", unit=cast.finance, title="F"),
        "W": made(cast, "2025-07-01", title="W"),
        "P": made(cast, "2025-07-01", DocKind.POLICY, title="P"),
    }
    with at("2025-08-01"):
        actions.withdraw(cast.office, docs["W"], "误发")
        draft(cast, title="草稿", written_on=D("2025-08-01"))
    change(cast, docs["B"], Validity.REPEALED, "2025-10-09")
    docs["C"] = made(cast, "2026-03-02", title="C")
    docs["R2"] = made(cast, "2026-03-02", DocKind.RULE, title="R2")
    change(cast, docs["A"], Validity.EXPIRED, "2026-02-02")
    change(cast, docs["R"], Validity.AMENDED, "2026-04-01")
    change(cast, docs["R2"], Validity.REPEALED, "2026-05-06")
    return docs


def test_counts_of_2025_judge_validity_as_it_stood_at_the_year_end(
    cast: Cast, register: dict[str, Document]
) -> None:
    with at("2026-06-01"):
        assert table2_counts(2025) == {
            "规章": {"made": 1, "repealed": 0, "in_force": 1},
            # A, B, F made; B repealed; A (repealed only in 2026) and F in force at year end.
            "行政规范性文件": {"made": 3, "repealed": 1, "in_force": 2},
        }
        assert table2_counts(2026) == {
            # R2 made and repealed in 2026; R amended, still in force.
            "规章": {"made": 1, "repealed": 1, "in_force": 1},
            "行政规范性文件": {"made": 1, "repealed": 1, "in_force": 2},
        }
        assert table2_counts(2025, [cast.justice.pk]) == {
            "规章": {"made": 1, "repealed": 0, "in_force": 1},
            "行政规范性文件": {"made": 2, "repealed": 1, "in_force": 1},
        }
        assert table2_counts(2024) == {
            "规章": {"made": 0, "repealed": 0, "in_force": 0},
            "行政规范性文件": {"made": 0, "repealed": 0, "in_force": 0},
        }


def test_a_document_repealed_and_restored_counts_by_its_history(
    cast: Cast, register: dict[str, Document]
) -> None:
    change(cast, register["B"], Validity.VALID, "2026-05-06")  # restored in 2026
    with at("2026-06-01"):
        assert table2_counts(2025)["行政规范性文件"]["in_force"] == 2  # still repealed then
        assert table2_counts(2026)["行政规范性文件"]["in_force"] == 3  # B, F and C


def test_the_report_takes_the_two_rows_from_the_register(
    cast: Cast, register: dict[str, Document]
) -> None:
    with at("2026-06-01"):
        built = build_annual(2025)
        assert built["table2"]["regulations"] == {"made": 1, "repealed": 0, "inForce": 1}
        assert built["table2"]["normativeDocs"] == {"made": 3, "repealed": 1, "inForce": 2}
        justice = build_annual(2025, cast.justice)
        assert justice["table2"]["normativeDocs"] == {"made": 2, "repealed": 1, "inForce": 1}
        # The shape is the one docs/reports.md describes: same keys, same order.
        assert list(built["table2"]) == [key for block in TABLE2 for key, _ in block.rows]
        printed = json.loads(_run_json("--year", "2025"))
        assert printed["table2"]["normativeDocs"] == {"made": 3, "repealed": 1, "inForce": 2}
        assert printed["table2"]["licensing"] == {"decisions": 0}


def _run_json(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command("report", "annual", *args, "--format", "json", stdout=out)
    return out.getvalue()


def test_the_report_page_shows_register_rows_and_keeps_them_from_being_typed_over(
    cast: Cast, register: dict[str, Document]
) -> None:
    report = AnnualReport.objects.create(year=2025, unit=cast.justice)
    office = client_for(cast.office)
    with at("2026-06-01"):
        page = office.get(f"/reports/{report.pk}/").content.decode()
        tree = lxml.html.fromstring(page)
        inputs = {i.get("name"): i for i in tree.xpath('//section[@id="edit-table2"]//input')}
        for field in ("made", "repealed", "inForce"):
            cell = inputs[f"normativeDocs__{field}"]
            assert cell.get("disabled") is not None
        assert inputs["normativeDocs__made"].get("value") == "2"
        assert "取自政府信息登记簿，不可填报" in page
        assert inputs["licensing__decisions"].get("disabled") is None

        typed_over = {
            f"{key}__{field}": "9"
            for key in ("regulations", "normativeDocs")
            for field in ("made", "repealed", "inForce")
        }
        figures = typed_over | {
            "licensing__decisions": "120", "punishment__decisions": "8", "coercion__decisions": "0",
            "fees__amount": "12.5",
        }  # fmt: skip
        assert csrf_post(office, f"/reports/{report.pk}/table2/", figures).status_code == 302
        report.refresh_from_db()
        assert report.table2["licensing"] == {"decisions": 120}
        page = office.get(f"/reports/{report.pk}/").content.decode()
        cells = [
            td.text_content()
            for td in lxml.html.fromstring(page).xpath('//table[@id="table2"]//td[@class="num"]')
        ]
        assert cells == ["1", "0", "1", "2", "1", "1", "120", "8", "0", "12.5"]
