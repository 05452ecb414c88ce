"""Table 三 counted from a register of 17 requests over three years, checked by hand.

The expected table below is written out by hand from the list of requests, not computed; the
JSON, the HTML page and the .docx must all carry exactly these numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest
from docx import Document

from gongkai.disclosure.models import Request, RequestState
from gongkai.reports.as_docx import render_docx
from gongkai.reports.build import build_annual
from gongkai.reports.models import AnnualReport, ReportState
from gongkai.reports.tables import TABLE3_ROWS
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for

D = dt.date

#: What the office writes, so the text warnings (C6, C7, S-2) pass too.
FULL_TEXT = {
    "一": "本年度依法做好政府信息公开工作。监督保障方面，开展工作考核、社会评议，未发生责任追究。",
    "五": "存在的主要问题是公开不够及时。改进情况：完善制度。",
    "六": "本年度收取信息处理费0元。",
}


def req(
    no: str,
    kind: str,
    unit: Unit,
    arrived: dt.date,
    received: dt.date | None,
    concluded: dt.date | None,
    outcome: str = "",
    *,
    separated: bool = False,
) -> Request:
    return Request.objects.create(
        tracking_no=no,
        applicant_type=kind,
        applicant_name=f"申请人{no}",
        description="某项政府信息",
        channel="in_person",
        arrived_on=arrived,
        received_on=received,
        unit=unit,
        state=RequestState.CLOSED if concluded else RequestState.IN_PROGRESS,
        outcome=outcome,
        concluded_on=concluded,
        separated=separated,
    )


def make_requests(cast: Cast) -> dict[str, Request]:
    j, f, g = cast.justice, cast.finance, cast.gov
    rows = [
        # 2024 only: concluded in 2024.
        req("R01", "person", j, D(2024, 11, 20), D(2024, 11, 20), D(2024, 12, 10), "granted"),
        # Carried over from 2024, concluded in 2025.
        req("R02", "person", j, D(2024, 12, 20), D(2024, 12, 20), D(2025, 1, 15), "granted"),
        req(
            "R03",
            "company",
            j,
            D(2024, 12, 28),
            D(2024, 12, 28),
            D(2025, 1, 20),
            "denied.thirdParty",
        ),
        # Arrived in 2024, receipt never confirmed: never received (Art. 31), in no row.
        req("R04", "legal", j, D(2024, 12, 30), None, None),
        # Received and concluded in 2025.
        req("R05", "person", j, D(2025, 2, 1), D(2025, 2, 1), D(2025, 2, 20), "granted"),
        req("R06", "person", j, D(2025, 3, 1), D(2025, 3, 1), D(2025, 3, 25), "partialGrant"),
        # Separated: counts only as 部分公开 whatever the outcome says.
        req(
            "R07",
            "person",
            j,
            D(2025, 4, 1),
            D(2025, 4, 1),
            D(2025, 4, 20),
            "granted",
            separated=True,
        ),
        req("R08", "company", j, D(2025, 5, 5), D(2025, 5, 5), D(2025, 5, 28), "unable.notHeld"),
        req(
            "R09",
            "research",
            j,
            D(2025, 6, 1),
            D(2025, 6, 1),
            D(2025, 6, 10),
            "notProcessed.repeat",
        ),
        req(
            "R10",
            "nonprofit",
            j,
            D(2025, 7, 1),
            D(2025, 7, 1),
            D(2025, 7, 30),
            "denied.processInfo",
        ),
        req("R11", "legal", j, D(2025, 8, 1), D(2025, 8, 1), D(2025, 8, 5), "other.noCorrection"),
        req("R12", "other", j, D(2025, 9, 1), D(2025, 9, 1), D(2025, 9, 15), "denied.stateSecret"),
        # Received in 2025, concluded in 2026: carried forward.
        req("R13", "person", j, D(2025, 12, 20), D(2025, 12, 22), D(2026, 1, 10), "granted"),
        # Arrived at the end of 2025, never confirmed: not received (Art. 31), not counted.
        req("R14", "company", j, D(2025, 12, 29), None, None),
        # Other units: 财政局 and the government office.
        req(
            "R15",
            "other",
            f,
            D(2025, 10, 10),
            D(2025, 10, 10),
            D(2025, 11, 1),
            "unable.needCreation",
        ),
        req("R17", "research", g, D(2025, 3, 3), D(2025, 3, 5), D(2025, 3, 20), "other.feeUnpaid"),
        # 2026 only.
        req("R16", "person", j, D(2026, 1, 5), D(2026, 1, 5), D(2026, 1, 20), "granted"),
    ]
    return {r.tracking_no: r for r in rows}


Z = [0, 0, 0, 0, 0, 0, 0]
#: Table 三 of 2025 for the whole organisation, by hand. Columns: 自然人, 商业企业, 科研机构,
#: 社会公益组织, 法律服务机构, 其他, 总计.
EXPECTED_2025: dict[str, list[int]] = {
    "newReceived": [
        4,
        1,
        2,
        1,
        1,
        2,
        11,
    ],  # R05 R06 R07 R13 | R08 | R09 R17 | R10 | R11 | R12 R15 (R14 unconfirmed)
    "carriedOver": [1, 1, 0, 0, 0, 0, 2],  # R02 | R03 (R04 unconfirmed)
    "granted": [2, 0, 0, 0, 0, 0, 2],  # R02 R05
    "partialGrant": [2, 0, 0, 0, 0, 0, 2],  # R06, R07 (separated)
    "denied.stateSecret": [0, 0, 0, 0, 0, 1, 1],  # R12
    "denied.lawForbidden": Z,
    "denied.safetyStability": Z,
    "denied.thirdParty": [0, 1, 0, 0, 0, 0, 1],  # R03
    "denied.internalAffairs": Z,
    "denied.processInfo": [0, 0, 0, 1, 0, 0, 1],  # R10
    "denied.enforcementFile": Z,
    "denied.adminQuery": Z,
    "unable.notHeld": [0, 1, 0, 0, 0, 0, 1],  # R08
    "unable.needCreation": [0, 0, 0, 0, 0, 1, 1],  # R15
    "unable.unclearAfterCorrection": Z,
    "notProcessed.petition": Z,
    "notProcessed.repeat": [0, 0, 1, 0, 0, 0, 1],  # R09
    "notProcessed.publication": Z,
    "notProcessed.massive": Z,
    "notProcessed.confirmReissue": Z,
    "other.noCorrection": [0, 0, 0, 0, 1, 0, 1],  # R11
    "other.feeUnpaid": [0, 0, 1, 0, 0, 0, 1],  # R17
    "other.other": Z,
    "totalProcessed": [4, 2, 2, 1, 1, 2, 12],
    "carriedForward": [1, 0, 0, 0, 0, 0, 1],  # R13
}
#: 司法局 alone: without R15 (财政局) and R17 (区政府办).
EXPECTED_JUSTICE_CHANGES = {
    "newReceived": [4, 1, 1, 1, 1, 1, 9],
    "unable.needCreation": Z,
    "other.feeUnpaid": Z,
    "totalProcessed": [4, 2, 1, 1, 1, 1, 10],
}

#: The 25 row labels of the national format, exactly (domain-rules §2.3).
LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def table3_of(built: dict[str, Any]) -> dict[str, list[int]]:
    return {r["key"]: r["values"] for r in built["table3"]["rows"]}


def html_table3(page: str) -> dict[str, list[int]]:
    """Table 三's figures as a browser shows them: each data row's numeric cells."""
    tree = lxml.html.fromstring(page)
    rows = tree.xpath('//table[@id="table3"]//tr[@data-key]')
    return {
        row.get("data-key"): [
            int(td.text_content().strip()) for td in row.xpath('td[@class="num"]')
        ]
        for row in rows
    }


def docx_table3(data: bytes) -> tuple[dict[str, list[int]], list[str]]:
    """Table 三 read back from the .docx: figures by key, and each row's innermost label."""
    table = Document(io.BytesIO(data)).tables[1]
    figures = {
        row.key: [int(table.cell(3 + i, 3 + c).text) for c in range(7)]
        for i, row in enumerate(TABLE3_ROWS)
    }
    labels = [table.cell(3 + i, 2).text for i in range(len(TABLE3_ROWS))]
    return figures, labels


@pytest.fixture
def register(cast: Cast) -> dict[str, Request]:
    return make_requests(cast)


def test_the_format_has_the_exact_rows_and_columns_of_2021() -> None:
    assert [r.label for r in TABLE3_ROWS] == LABELS


@pytest.mark.django_db
def test_whole_organisation_table_matches_the_hand_count(register: dict[str, Request]) -> None:
    built = build_annual(2025)
    assert table3_of(built) == EXPECTED_2025
    assert [r["label"] for r in built["table3"]["rows"]] == LABELS
    assert built["table3"]["columns"] == COLUMNS
    assert built["ok"] and built["errors"] == []
    by_id = {c["id"]: c for c in built["checks"]}
    for check in ("S-1", "T2-0", "T3-1", "T3-2", "T3-3", "T3-4", "T4-1", "T3-5", "T2-1", "C7"):
        assert by_id[check]["ok"], by_id[check]


@pytest.mark.django_db
def test_a_unit_counts_only_its_own_requests(cast: Cast, register: dict[str, Request]) -> None:
    assert table3_of(build_annual(2025, cast.justice)) == {
        **EXPECTED_2025,
        **EXPECTED_JUSTICE_CHANGES,
    }
    # The government office with the units below it counts everyone.
    assert table3_of(build_annual(2025, cast.gov, include_children=True)) == EXPECTED_2025
    only_gov = table3_of(build_annual(2025, cast.gov))
    assert only_gov["totalProcessed"] == [0, 0, 1, 0, 0, 0, 1]  # R17


@pytest.mark.django_db
def test_a_subtree_leaves_out_the_units_outside_it(
    cast: Cast, register: dict[str, Request]
) -> None:
    outsider = Unit.objects.create(name="市直某局", kind="department")  # not under 区政府
    req("X01", "person", outsider, D(2025, 5, 6), D(2025, 5, 6), D(2025, 5, 20), "granted")
    assert table3_of(build_annual(2025, cast.gov, include_children=True)) == EXPECTED_2025
    everyone = table3_of(build_annual(2025))
    assert everyone["newReceived"][6] == EXPECTED_2025["newReceived"][6] + 1
    assert everyone["granted"][0] == EXPECTED_2025["granted"][0] + 1


@pytest.mark.django_db
def test_json_html_and_docx_carry_the_same_hand_counted_numbers(
    cast: Cast, register: dict[str, Request]
) -> None:
    report = AnnualReport.objects.create(year=2025, unit=None, sections=FULL_TEXT)
    built = build_annual(2025, report=report)
    assert built["ok"] and built["warnings"] == [], built["checks"]

    page = client_for(cast.office).get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    assert html_table3(page.content.decode()) == EXPECTED_2025

    response = client_for(cast.evaluator).get(f"/reports/{report.pk}/report.docx")
    assert response.status_code == 200
    figures, labels = docx_table3(response.content)
    assert figures == EXPECTED_2025
    assert labels == LABELS

    data = client_for(cast.evaluator).get(f"/reports/{report.pk}/report.json").json()
    assert table3_of(data) == EXPECTED_2025


@pytest.mark.django_db
def test_docx_has_the_national_headings_and_merged_header(register: dict[str, Request]) -> None:
    doc = Document(io.BytesIO(render_docx(build_annual(2025))))
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    t3 = doc.tables[1]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert {t3.cell(r, c).text for r in range(3) for c in range(3)} == {note}
    assert [t3.cell(0, c).text for c in range(3, 10)] == ["申请人情况"] * 7
    assert [t3.cell(2, c).text for c in range(3, 10)] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip
    assert [t3.cell(1, c).text for c in range(4, 9)] == ["法人或其他组织"] * 5
    # 三、本年度办理结果 spans the 22 result rows (data rows 3–24 of the table).
    assert {t3.cell(3 + i, 0).text for i in range(2, 24)} == {"三、本年度办理结果"}
    assert t3.cell(3 + 24, 0).text == "四、结转下年度继续办理"
    # The merged cell is one cell, not 22 copies.
    assert t3.cell(5, 0)._tc is t3.cell(26, 0)._tc


@pytest.mark.django_db
def test_html_reproduces_the_merged_header(cast: Cast, register: dict[str, Request]) -> None:
    page = client_for(cast.office).get("/reports/annual/?year=2025")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.content.decode())
    header = tree.xpath('//table[@id="table3"]//tr[1]/th')
    assert header[0].text_content().startswith("（本列数据的勾稽关系为")
    assert (header[0].get("rowspan"), header[0].get("colspan")) == ("3", "3")
    assert (header[1].text_content(), header[1].get("colspan")) == ("申请人情况", "7")
    results = tree.xpath('//table[@id="table3"]//td[text()="三、本年度办理结果"]')
    assert len(results) == 1 and results[0].get("rowspan") == "22"
    assert html_table3(page.content.decode()) == EXPECTED_2025


@pytest.mark.django_db
def test_an_outcome_left_blank_fails_t3_2_and_t3_4(register: dict[str, Request]) -> None:
    Request.objects.filter(tracking_no="R05").update(outcome="")
    built = build_annual(2025)
    by_id = {c["id"]: c for c in built["checks"]}
    assert not by_id["T3-2"]["ok"] and "自然人" in by_id["T3-2"]["detail"]
    assert not by_id["T3-4"]["ok"] and "1件" in by_id["T3-4"]["detail"]
    assert by_id["T3-1"]["ok"]  # totalProcessed still counts the request
    assert not built["ok"] and {"T3-2", "T3-4"} <= set(built["errors"])
    assert table3_of(built)["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert table3_of(built)["totalProcessed"] == EXPECTED_2025["totalProcessed"]


@pytest.mark.django_db
def test_a_request_concluded_before_it_was_received_fails_t3_1(
    register: dict[str, Request],
) -> None:
    Request.objects.filter(tracking_no="R08").update(concluded_on=D(2024, 12, 1))
    by_id = {c["id"]: c for c in build_annual(2025)["checks"]}
    assert not by_id["T3-1"]["ok"]
    assert "“商业企业”列" in by_id["T3-1"]["detail"] and "“自然人”列" not in by_id["T3-1"]["detail"]


@pytest.mark.django_db
def test_an_unknown_applicant_type_fails_t3_3(register: dict[str, Request]) -> None:
    Request.objects.filter(tracking_no="R05").update(applicant_type="alien")
    by_id = {c["id"]: c for c in build_annual(2025)["checks"]}
    assert not by_id["T3-3"]["ok"] and "本年新收" in by_id["T3-3"]["detail"]


@pytest.mark.django_db
def test_carried_over_differing_from_last_years_published_report_is_a_warning(
    register: dict[str, Request],
) -> None:
    last_year = AnnualReport.objects.create(year=2024, state=ReportState.PUBLISHED)
    last_year.published = build_annual(2024)
    last_year.save()
    assert table3_of(last_year.published)["carriedForward"] == [1, 1, 0, 0, 0, 0, 2]
    built = build_annual(2025)
    assert built["table3"]["previousSource"] == "published"
    assert next(c for c in built["checks"] if c["id"] == "T3-5")["ok"]
    # R02's receipt day is corrected into 2025 after last year's report was published.
    Request.objects.filter(tracking_no="R02").update(received_on=D(2025, 1, 2))
    built = build_annual(2025)
    t35 = next(c for c in built["checks"] if c["id"] == "T3-5")
    assert not t35["ok"] and t35["warning"] and "“自然人”列" in t35["detail"]
    assert built["ok"]  # a warning does not block


@pytest.mark.django_db
def test_section_six_reports_the_processing_fee(cast: Cast, register: dict[str, Request]) -> None:
    Request.objects.filter(tracking_no="R05").update(fee_amount="380.00", fee_paid_on=D(2025, 3, 1))
    Request.objects.filter(tracking_no="R13").update(fee_amount="100.00", fee_paid_on=D(2026, 1, 2))
    six = build_annual(2025)["sections"][5]
    assert six["number"] == "六" and "本年度收取信息处理费380元" in six["text"]
    assert "收取信息处理费0元" in build_annual(2024)["sections"][5]["text"]
