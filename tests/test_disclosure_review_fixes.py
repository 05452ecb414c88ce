"""Defects found in review of the request register and the annual report, each pinned by a test:
a paused clock kept current, the log kept in order, invalid service refused, who may register,
control characters, the API's refusals in Chinese, appeals edited in full, the report's
drill-down scoped to the reader, unconfirmed submissions set aside, the secret's digest kept
out of the audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document

from gongkai.accounts.models import Role, User
from gongkai.audit.models import AuditEvent
from gongkai.clocks import Consulted
from gongkai.disclosure import actions, clock
from gongkai.disclosure.actions import AppealInput, RequestInput, RequestRejected
from gongkai.disclosure.files import open_request_file
from gongkai.disclosure.letters import issue_letter
from gongkai.disclosure.models import FeeMethod, Request, RequestState
from gongkai.reports.build import build_annual
from tests.conftest import Cast, client_for
from tests.test_disclosure_api import event, post_json
from tests.test_disclosure_pages import in_review, made
from tests.test_disclosure_story import D, at, ok, step, text_of


def test_a_paused_request_is_not_overdue_and_may_still_be_extended(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-01")  # due 2025-09-29
    with at("2025-09-25"):
        actions.start_consultation(
            cast.justice_liaison,
            request,
            D("2025-09-25"),
            party=Consulted.THIRD_PARTY,
            name="某公司",
        )
    with at("2025-10-14"):
        assert clock.refresh_clocks(D("2025-10-14")) == 1
        request.refresh_from_db()
        assert request.deadline is not None and request.deadline > D("2025-10-14")
        assert not Request.objects.overdue(D("2025-10-14")).filter(pk=request.pk).exists()
        ok(
            step(
                client_for(cast.office),
                request,
                "extend",
                date="2025-10-14",
                approver="王主任",
                notified="2025-10-14",
                workdays=20,
            )
        )


def test_a_request_that_runs_out_is_marked_late_without_an_event(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")  # due 2025-10-30
    assert request.on_time is None
    with at("2025-10-31"):
        clock.refresh_clocks()
    request.refresh_from_db()
    assert request.on_time is False


def test_an_event_dated_before_the_last_one_is_refused(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        ok(step(liaison, request, "correction", date="2025-10-09", correct_by="2025-10-24"))
        response = step(liaison, request, "corrected", date="2025-09-29")
    assert response.status_code == 400 and "早于本申请上一条办理记录的日期" in text_of(response)
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_CORRECTION


def test_a_leader_may_not_register_requests_through_the_api(cast: Cast) -> None:
    body = {
        "unit_id": cast.justice.pk,
        "applicant_type": "person",
        "applicant_name": "张三",
        "description": "某文件",
        "channel": "in_person",
        "arrived_on": "2025-09-26",
        "contact_phone": "1",
    }
    with at("2025-09-26"):
        response = post_json(client_for(cast.justice_leader), "/api/disclosure/requests", body)
    assert response.status_code == 403
    assert Request.objects.count() == 0
    data = RequestInput("person", "张三", "某文件", "in_person", D("2025-09-26"), cast.justice)
    data.contact_phone = "1"
    with at("2025-09-26"), pytest.raises(PermissionDenied):
        actions.register_request(cast.justice_leader, data)


def test_the_api_refuses_bad_shapes_in_chinese(cast: Cast) -> None:
    request = made(cast, cast.justice)
    office = client_for(cast.office)
    with at("2025-10-09"):
        wrong = event(office, request, {"kind": "correction", "date": ["a"]})
        bad_day = post_json(
            office,
            "/api/disclosure/requests",
            {
                "unit_id": cast.justice.pk,
                "applicant_type": "person",
                "applicant_name": "张三",
                "description": "某文件",
                "channel": "in_person",
                "arrived_on": "2025-13-45",
                "contact_phone": "1",
            },
        )
        bad_offset = office.get("/api/disclosure/requests?offset=abc")
    assert wrong.status_code == 400 and "date" in wrong.json()["detail"]
    assert bad_day.status_code == 400 and "日期" in str(bad_day.json())
    assert bad_offset.status_code == 400 and "offset" in bad_offset.json()["detail"]
    assert Request.objects.count() == 1


def test_control_characters_never_reach_the_letters(cast: Cast) -> None:
    data = RequestInput(
        "person", "张\x0b三", "某\x00文件\x1f的内容", "in_person", D("2025-09-26"), cast.justice
    )
    data.contact_phone = "1"
    with at("2025-09-26"):
        request, _ = actions.register_request(cast.office, data)
        letter = issue_letter(cast.justice_liaison, request, "correction", D("2025-09-26"))
    assert request.applicant_name == "张三" and request.description == "某文件的内容"
    handle, _ = open_request_file(letter.stored_name)
    with handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert "张三" in text


def test_editing_an_appeal_moves_it_to_the_request_and_its_unit(cast: Cast) -> None:
    request = made(cast, cast.justice)
    appeal = actions.record_appeal(
        cast.office, AppealInput("reconsideration", D("2025-11-20"), cast.finance)
    )
    actions.update_appeal(
        cast.office,
        appeal,
        AppealInput("reconsideration", D("2025-11-20"), cast.finance, request=request),
    )
    appeal.refresh_from_db()
    assert appeal.request == request and appeal.unit == cast.justice


def test_a_parent_units_liaison_sees_figures_but_not_other_units_records(cast: Cast) -> None:
    made(cast, cast.justice, "2025-09-26")
    made(cast, cast.gov, "2025-09-26", name="李四")
    cast.justice.parent = cast.gov
    cast.justice.save()
    gov_liaison = User.objects.create_user("gov_liaison", role=Role.LIAISON)
    gov_liaison.units.add(cast.gov)
    url = (
        f"/reports/annual/cell/?year=2025&unit={cast.gov.pk}&include_children=on"
        "&table=3&row=newReceived&col=6"
    )
    page = text_of(client_for(gov_liaison).get(url))
    assert "李四" in page or "YSQ-2025-00002" in page
    assert "YSQ-2025-00001" not in page
    assert "另有 1 件属于其他单位" in page
    assert (
        build_annual(2025, cast.gov, include_children=True)["table3"]["rows"][0]["values"][6] == 2
    )


def test_an_unconfirmed_submission_can_be_set_aside_and_is_never_counted(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26", channel="online")
    assert request.state == RequestState.RECEIVED
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        refused = step(liaison, request, "void", reason="")
        assert refused.status_code == 400
        ok(step(liaison, request, "void", reason="无法联系申请人，且内容为广告"))
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED and request.outcome == ""
    rows = {r["key"]: r["values"] for r in build_annual(2025)["table3"]["rows"]}
    assert rows["newReceived"][6] == 0 and rows["carriedForward"][6] == 0
    assert AuditEvent.objects.filter(comment__contains="无法联系申请人").exists()


def test_an_ordinary_letter_is_confirmed_on_the_day_it_arrives(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26", channel="letter")
    with at("2025-09-30"):
        with pytest.raises(RequestRejected, match="恢复联系日期"):
            actions.confirm_receipt(cast.justice_liaison, request, confirmed_on=D("2025-09-30"))
        actions.confirm_receipt(cast.justice_liaison, request, contact_restored_on=D("2025-09-30"))
    request.refresh_from_db()
    assert request.received_on == D("2025-09-30")


def test_the_office_may_extend_while_the_draft_is_in_review(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    in_review(cast, request)
    with at("2025-10-21"):
        actions.extend(
            cast.office, request, D("2025-10-21"), approver="王主任", notified=D("2025-10-21")
        )
    request.refresh_from_db()
    assert request.state == RequestState.REVIEW and request.deadline == D("2025-11-27")


def test_a_paid_fee_cannot_be_charged_again(cast: Cast) -> None:
    request = made(cast, cast.justice, "2025-09-26")
    with at("2025-10-09"):
        actions.issue_fee_notice(
            cast.justice_liaison,
            request,
            D("2025-10-09"),
            method=FeeMethod.PER_PAGE,
            pages=50,
            pay_by=D("2025-10-20"),
        )
        actions.fee_paid(cast.justice_liaison, request, D("2025-10-09"))
        with pytest.raises(RequestRejected, match="已缴纳"):
            actions.issue_fee_notice(
                cast.justice_liaison,
                request,
                D("2025-10-09"),
                method=FeeMethod.PER_PAGE,
                pages=80,
                pay_by=D("2025-10-20"),
            )


def test_the_secret_digest_stays_out_of_the_audit_trail(cast: Cast) -> None:
    request = made(cast, cast.justice)
    assert request.secret_digest
    for e in AuditEvent.objects.all():
        assert "secret_digest" not in e.changes
    page = client_for(cast.office).get(f"/disclosure/{request.pk}/").content.decode()
    assert request.secret_digest not in page


def test_a_deadline_in_a_year_without_a_calendar_is_shown_not_guessed(cast: Cast) -> None:
    request = made(cast, cast.justice, "2026-12-10")  # 20 working days reach into 2027
    assert request.deadline is None and request.clock_status == ""
    assert "工作日历缺少所需年份" in request.clock_problems[0]
    with at("2026-12-11"):
        page = text_of(client_for(cast.justice_liaison).get("/disclosure/"))
        detail = text_of(client_for(cast.justice_liaison).get(f"/disclosure/{request.pk}/"))
    assert "1 件申请无法计算答复期限" in page
    assert "工作日历缺少所需年份" in detail
    assert "无法计算答复期限" not in text_of(client_for(cast.finance_liaison).get("/disclosure/"))
