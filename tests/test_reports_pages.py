"""The report pages through HTTP: who sees which report, the office's editing and workflow,
approval refused while a check fails, the published report locked, and the drill-down."""

from __future__ import annotations

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type stubs
import pytest

from gongkai.audit.models import AuditEvent
from gongkai.disclosure.models import Request
from gongkai.reports.models import AnnualReport, ReportState
from tests.conftest import Cast, client_for, csrf_post
from tests.test_reports_table3 import FULL_TEXT, html_table3, make_requests

pytestmark = pytest.mark.django_db


def _report(cast: Cast, **extra: object) -> AnnualReport:
    return AnnualReport.objects.create(year=2025, unit=cast.justice, sections=FULL_TEXT, **extra)


def _move(cast: Cast, report: AnnualReport, action: str, **data: str) -> AnnualReport:
    response = csrf_post(
        client_for(cast.office), f"/reports/{report.pk}/transition/", {"action": action, **data}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    return report


def test_office_creates_a_report_and_sees_it_listed(cast: Cast) -> None:
    office = client_for(cast.office)
    response = csrf_post(office, "/reports/", {"year": "2025", "unit": str(cast.justice.pk)})
    report = AnnualReport.objects.get(year=2025, unit=cast.justice)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    again = csrf_post(office, "/reports/", {"year": "2025", "unit": str(cast.justice.pk)})
    assert "已存在" in again.content.decode()
    assert "区司法局" in office.get("/reports/").content.decode()
    assert AuditEvent.objects.filter(object_id=str(report.pk), comment="新建年度报告").exists()


def test_a_liaison_sees_own_units_reports_and_404_for_others(cast: Cast) -> None:
    justice = _report(cast)
    whole = AnnualReport.objects.create(year=2025)
    finance = client_for(cast.finance_liaison)
    assert finance.get(f"/reports/{justice.pk}/").status_code == 404
    assert finance.get(f"/reports/{justice.pk}/report.docx").status_code == 404
    assert finance.get(f"/reports/{justice.pk}/cell/?table=3&row=granted&col=0").status_code == 404
    assert finance.get(f"/reports/{whole.pk}/").status_code == 404
    assert finance.get("/reports/999999/").status_code == 404
    assert "区司法局" not in finance.get("/reports/").content.decode()
    # The preview: only their own unit.
    assert finance.get(f"/reports/annual/?year=2025&unit={cast.justice.pk}").status_code == 404
    assert finance.get("/reports/annual/?year=2025").status_code == 404
    assert finance.get(f"/reports/annual/?year=2025&unit={cast.finance.pk}").status_code == 200
    for reader in (cast.justice_liaison, cast.justice_leader, cast.evaluator):
        assert client_for(reader).get(f"/reports/{justice.pk}/").status_code == 200


def test_only_the_office_edits_and_moves_a_report(cast: Cast) -> None:
    report = _report(cast)
    for user in (cast.evaluator, cast.justice_liaison, cast.justice_leader):
        client = client_for(user)
        assert csrf_post(client, f"/reports/{report.pk}/sections/", {"一": "x"}).status_code == 403
        assert csrf_post(client, f"/reports/{report.pk}/table2/", {}).status_code == 403
        moved = csrf_post(client, f"/reports/{report.pk}/transition/", {"action": "submit"})
        assert moved.status_code == 403
        assert csrf_post(client, "/reports/", {"year": "2026"}).status_code == 403
        assert b'name="action"' not in client.get(f"/reports/{report.pk}/").content
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.sections == FULL_TEXT


def test_office_saves_text_and_table_two(cast: Cast) -> None:
    report = _report(cast)
    office = client_for(cast.office)
    csrf_post(
        office, f"/reports/{report.pk}/sections/", {"一": "新的总体情况", "五": "", "六": "x"}
    )
    figures = {
        "regulations__made": "2", "regulations__repealed": "1", "regulations__inForce": "30",
        "normativeDocs__made": "5", "normativeDocs__repealed": "0", "normativeDocs__inForce": "50",
        "licensing__decisions": "120", "punishment__decisions": "8", "coercion__decisions": "0",
        "fees__amount": "12.3456",
    }  # fmt: skip
    assert csrf_post(office, f"/reports/{report.pk}/table2/", figures).status_code == 302
    report.refresh_from_db()
    assert report.sections == {"一": "新的总体情况", "六": "x"}  # 五 emptied: pre-filled again
    # 规章 and 行政规范性文件 come from the document register (none here): posted figures for
    # them are ignored; the other rows are the office's.
    assert report.table2["regulations"] == {"made": 0, "repealed": 0, "inForce": 0}
    assert report.table2["fees"] == {"amount": "12.3456"}
    page = office.get(f"/reports/{report.pk}/").content.decode()
    tree = lxml.html.fromstring(page)
    cells = [td.text_content() for td in tree.xpath('//table[@id="table2"]//td[@class="num"]')]
    assert cells == ["0", "0", "0", "0", "0", "0", "120", "8", "0", "12.3456"]
    bad = csrf_post(
        office, f"/reports/{report.pk}/table2/", {**figures, "coercion__decisions": "-1"}
    )
    assert bad.status_code == 302
    report.refresh_from_db()
    assert report.table2["coercion"] == {"decisions": 0}


def test_the_workflow_to_publication_and_the_lock(cast: Cast) -> None:
    make_requests(cast)
    report = _report(cast)
    assert _move(cast, report, "approve").state == ReportState.DRAFT  # not yet submitted
    assert _move(cast, report, "submit").state == ReportState.SUBMITTED
    assert _move(cast, report, "return").state == ReportState.SUBMITTED  # needs a comment
    returned = _move(cast, report, "return", comment="请补充第五部分")
    assert returned.state == ReportState.RETURNED and returned.comment == "请补充第五部分"
    assert _move(cast, report, "submit").state == ReportState.SUBMITTED
    assert _move(cast, report, "approve").state == ReportState.APPROVED
    published = _move(cast, report, "publish")
    assert published.state == ReportState.PUBLISHED and published.published_at is not None
    assert published.published is not None
    assert published.published["table3"]["rows"][0]["values"] == [4, 1, 1, 1, 1, 1, 9]
    transitions = AuditEvent.objects.filter(object_id=str(report.pk), action="transition")
    assert transitions.count() == 5  # submit, return, submit, approve, publish

    # The stored version is shown even after the register changes.
    Request.objects.filter(tracking_no="R05").update(applicant_type="company")
    office = client_for(cast.office)
    page = office.get(f"/reports/{report.pk}/").content.decode()
    assert html_table3(page)["newReceived"] == [4, 1, 1, 1, 1, 1, 9]
    assert "已发布" in page and 'id="edit-sections"' not in page
    # Nothing can be edited or moved any more.
    csrf_post(office, f"/reports/{report.pk}/sections/", {"一": "改写"})
    csrf_post(office, f"/reports/{report.pk}/table2/", {"licensing__decisions": "9"})
    for action in ("submit", "return", "approve", "publish"):
        _move(cast, report, action, comment="再改")
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED and report.sections == FULL_TEXT
    assert report.published == published.published


def test_approval_is_refused_while_a_check_fails_and_the_page_says_why(cast: Cast) -> None:
    make_requests(cast)
    Request.objects.filter(tracking_no="R05").update(outcome="")
    report = _report(cast, state=ReportState.SUBMITTED)
    office = client_for(cast.office)
    response = csrf_post(office, f"/reports/{report.pk}/transition/", {"action": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    page = office.get(response["Location"]).content.decode()
    assert "核对未通过，不能审定" in page and "T3-2" in page
    tree = lxml.html.fromstring(page)
    failed = tree.xpath('//ul[@class="checks"]/li[@class="fail"]/@data-check')
    assert set(failed) == {"T3-2", "T3-4"}
    # Fixed in the register: approval goes through.
    Request.objects.filter(tracking_no="R05").update(outcome="granted")
    assert _move(cast, report, "approve").state == ReportState.APPROVED


def test_drill_down_lists_exactly_the_records_of_a_cell(cast: Cast) -> None:
    found = make_requests(cast)
    report = AnnualReport.objects.create(year=2025)
    office = client_for(cast.office)
    page = lxml.html.fromstring(office.get(f"/reports/{report.pk}/").content.decode())
    link = page.xpath('//tr[@data-key="partialGrant"]/td[@class="num"][1]/a/@href')[0]
    listed = lxml.html.fromstring(office.get(link).content.decode())
    numbers = listed.xpath('//table[@id="records"]//td[1]/a')
    assert sorted(a.text_content() for a in numbers) == ["R06", "R07"]
    assert sorted(a.get("href") for a in numbers) == sorted(
        f"/disclosure/{found[n].pk}/" for n in ("R06", "R07")
    )

    def listed_numbers(row: str, col: int) -> list[str]:
        url = f"/reports/{report.pk}/cell/?table=3&row={row}&col={col}"
        tree = lxml.html.fromstring(office.get(url).content.decode())
        return sorted(a.text_content() for a in tree.xpath('//table[@id="records"]//td[1]/a'))

    assert listed_numbers("carriedForward", 6) == ["R13"]  # R04, R14: never confirmed
    assert listed_numbers("newReceived", 2) == ["R09", "R17"]
    assert listed_numbers("totalProcessed", 0) == ["R02", "R05", "R06", "R07"]
    assert listed_numbers("granted", 0) == ["R02", "R05"]
    # Every figure's link lists as many records as the figure says.
    for row in page.xpath('//table[@id="table3"]//tr[@data-key]'):
        for td in row.xpath('td[@class="num"]'):
            href = td.xpath("a/@href")[0]
            count = office.get(href).context["page"].paginator.count
            assert count == int(td.text_content()), href
    assert office.get(f"/reports/{report.pk}/cell/?table=3&row=nonsense&col=0").status_code == 404
    assert office.get(f"/reports/{report.pk}/cell/?table=3&row=granted&col=9").status_code == 404
