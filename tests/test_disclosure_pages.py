"""The register's staff pages (gongkai/disclosure/views/register.py) over HTTP: who may see and
do what, refused input, the list's filters and tabs, files, the review conflict, transfers and
appeals. Requests for the setting are made with the actions; what is under test goes through
the pages, with CSRF on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.models import Role, User
from gongkai.disclosure import actions
from gongkai.disclosure.actions import RequestInput
from gongkai.disclosure.models import (
    Appeal,
    AppealResult,
    Attachment,
    ReplyReview,
    Request,
    RequestEvent,
    RequestState,
    ReviewDecision,
)
from gongkai.disclosure.steps import STEPS
from tests.conftest import Cast, client_for, csrf_post
from tests.test_disclosure_story import D, at, ok, step, text_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def made(
    cast: Cast,
    unit: Any,
    arrived: str = "2025-09-26",
    *,
    name: str = "张三",
    channel: str = "in_person",
    applicant_type: str = "person",
    description: str = "2025年本区法律援助经费使用情况",
) -> Request:
    data = RequestInput(
        applicant_type=applicant_type,
        applicant_name=name,
        description=description,
        channel=channel,
        arrived_on=D(arrived),
        unit=unit,
        contact_phone="13800000000",
    )
    with at(arrived):
        return actions.register_request(cast.office, data)[0]


def in_review(cast: Cast, request: Request) -> ReplyReview:
    with at("2025-10-20"):
        return actions.submit_reply(
            cast.justice_liaison, request, outcome="granted", draft="予以公开。"
        )


# -- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/disclosure/", "/disclosure/new/", "/disclosure/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(db: None, anon: Client, url: str) -> None:
    response = anon.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_liaison_cannot_open_other_units_request_file_or_any_action(cast: Cast) -> None:
    with at("2025-09-26"):
        request = made(cast, cast.justice)
        files = [SimpleUploadedFile("申请表.png", PNG)]
        data = RequestInput("person", "李四", "某文件", "in_person", D("2025-09-26"), cast.justice)
        data.contact_phone = "1"
        with_file = actions.register_request(cast.office, data, files)[0]
    review = in_review(cast, request)
    outsider = client_for(cast.finance_liaison)
    attachment = Attachment.objects.get(request=with_file)
    with at("2025-10-21"):
        assert outsider.get(f"/disclosure/{request.pk}/").status_code == 404
        assert outsider.get(f"/disclosure/files/{attachment.pk}").status_code == 404
        for slug in STEPS:
            response = csrf_post(outsider, f"/disclosure/{request.pk}/{slug}/", {})
            assert response.status_code == 404, slug
        decide = csrf_post(outsider, f"/disclosure/reviews/{review.pk}/decide/", {})
        assert decide.status_code == 404
        missing = outsider.get("/disclosure/999999/")
        assert missing.status_code == 404
        assert request.tracking_no not in text_of(outsider.get("/disclosure/?tab=all"))
    assert RequestEvent.objects.filter(request=request).count() == 1


@pytest.mark.parametrize("who", ["evaluator", "justice_leader"])
def test_readers_see_the_request_but_get_403_on_every_action(cast: Cast, who: str) -> None:
    request = made(cast, cast.justice)
    reader = client_for(getattr(cast, who))
    with at("2025-10-09"):
        page = reader.get(f"/disclosure/{request.pk}/")
        assert page.status_code == 200 and 'id="steps"' not in page.content.decode()
        for slug in STEPS:
            response = step(reader, request, slug, date="2025-10-09")
            assert response.status_code == 403, slug
        assert reader.get("/disclosure/new/").status_code == 403
        assert reader.get("/disclosure/reviews/").status_code == 403
    assert request.events.count() == 1


def test_a_liaison_may_not_review_or_see_the_review_queue(cast: Cast) -> None:
    request = made(cast, cast.justice)
    review = in_review(cast, request)
    liaison = client_for(cast.justice_liaison)
    assert liaison.get("/disclosure/reviews/").status_code == 403
    response = csrf_post(
        liaison, f"/disclosure/reviews/{review.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.decision == ReviewDecision.PENDING


# -- registering ------------------------------------------------------------------------------


def _form(unit: Any, **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "applicant_type": "company",
        "applicant_name": "某某有限公司",
        "email": "info@example.com",
        "description": "本区2025年政府采购合同",
        "form_wanted": "electronic",
        "delivery_wanted": "email",
        "channel": "in_person",
        "arrived_on": "2025-09-26",
    } | extra


def test_a_missing_description_is_refused_in_chinese_and_nothing_is_stored(cast: Cast) -> None:
    with at("2025-09-26"):
        response = csrf_post(
            client_for(cast.office), "/disclosure/new/", _form(cast.justice, description="")
        )
    assert response.status_code == 400
    assert "请填写所需政府信息的名称、文号或便于查询的其他特征性描述" in text_of(response)
    assert not Request.objects.exists()


def test_a_date_in_the_future_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    with at("2025-09-26"):
        response = csrf_post(
            client_for(cast.office),
            "/disclosure/new/",
            _form(cast.justice, arrived_on="2025-09-27"),
        )
    assert response.status_code == 400
    assert "到达日期不能晚于今天" in text_of(response)
    assert not Request.objects.exists()


def test_no_contact_at_all_is_refused_by_the_action(cast: Cast) -> None:
    with at("2025-09-26"):
        response = csrf_post(
            client_for(cast.office), "/disclosure/new/", _form(cast.justice, email="")
        )
    assert response.status_code == 400
    assert "请至少填写一种联系方式" in text_of(response)
    assert not Request.objects.exists()


def test_a_liaison_registers_only_for_its_own_unit(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    with at("2025-09-26"):
        page = text_of(liaison.get("/disclosure/new/"))
        assert "区司法局" in page and "区财政局" not in page
        refused = csrf_post(liaison, "/disclosure/new/", _form(cast.finance))
        assert refused.status_code == 400 and "请选择办理单位" in text_of(refused)
        ok(csrf_post(liaison, "/disclosure/new/", _form(cast.justice)))
    assert Request.objects.get().unit == cast.justice


def test_attachments_are_stored_and_downloaded_as_files(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    files = [SimpleUploadedFile("申请表.png", PNG), SimpleUploadedFile("身份证.png", PNG)]
    with at("2025-09-26"):
        ok(csrf_post(liaison, "/disclosure/new/", _form(cast.justice, attachments=files)))
    request = Request.objects.get()
    assert sorted(a.name for a in request.attachments.all()) == ["申请表.png", "身份证.png"]
    first = request.attachments.get(name="申请表.png")
    page = liaison.get(f"/disclosure/{request.pk}/").content.decode()
    assert f"/disclosure/files/{first.pk}" in page
    response: Any = client_for(cast.evaluator).get(f"/disclosure/files/{first.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.png" in response["Content-Disposition"]


def test_a_file_that_is_not_what_it_claims_is_refused(cast: Cast) -> None:
    fake = SimpleUploadedFile("脚本.png", b"<script>alert(1)</script>")
    with at("2025-09-26"):
        response = csrf_post(
            client_for(cast.office), "/disclosure/new/", _form(cast.justice, attachments=[fake])
        )
    assert response.status_code == 400
    assert not Request.objects.exists()


# -- acts on a request ------------------------------------------------------------------------


def test_a_future_event_date_is_refused_and_nothing_is_recorded(cast: Cast) -> None:
    request = made(cast, cast.justice)
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        response = step(liaison, request, "correction", date="2025-10-10", correct_by="2025-10-20")
    assert response.status_code == 400
    assert "补正通知日期不能晚于今天" in text_of(response)
    request.refresh_from_db()
    assert request.state == RequestState.IN_PROGRESS and request.events.count() == 1


def test_a_refused_act_shows_the_reason_and_changes_nothing(cast: Cast) -> None:
    request = made(cast, cast.justice)
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        ok(step(liaison, request, "correction", date="2025-10-09", correct_by="2025-10-20"))
    with at("2025-10-15"):
        response = step(liaison, request, "correction-lapsed", date="2025-10-15")
    assert response.status_code == 400
    assert "补正期限 2025-10-20 尚未届满" in text_of(response)
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_CORRECTION and request.outcome == ""


def test_an_act_not_allowed_in_the_state_is_refused(cast: Cast) -> None:
    request = made(cast, cast.justice)
    with at("2025-10-09"):
        response = step(
            client_for(cast.justice_liaison), request, "deliver", date="2025-10-09", method="signed"
        )
    assert response.status_code == 400
    assert "申请当前状态为「办理中」，不能登记送达" in text_of(response)


def test_the_page_offers_only_the_acts_of_the_current_state(cast: Cast) -> None:
    request = made(cast, cast.justice)
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at("2025-09-26"):
        page = liaison.get(f"/disclosure/{request.pk}/").content.decode()
        assert 'id="step-on-the-spot"' in page and 'id="step-correction"' in page
        assert 'id="step-extend"' not in page and 'id="step-deliver"' not in page
        assert 'id="step-extend"' in office.get(f"/disclosure/{request.pk}/").content.decode()
        assert 'id="letters"' in page


def test_answering_on_the_spot_closes_the_request(cast: Cast) -> None:
    request = made(cast, cast.justice)
    with at("2025-09-26"):
        ok(step(client_for(cast.justice_liaison), request, "on-the-spot", outcome="unable.notHeld"))
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED and request.outcome == "unable.notHeld"
    assert request.on_time is True and request.answered_on == D("2025-09-26")


def test_another_courier_is_refused_as_service_and_nothing_is_recorded(cast: Cast) -> None:
    request = made(cast, cast.justice)
    review = in_review(cast, request)
    with at("2025-10-21"):
        actions.decide_review(cast.office, review, approve=True)
        actions.answer(cast.justice_liaison, request, D("2025-10-21"))
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-22"):
        page = text_of(liaison.get(f"/disclosure/{request.pk}/"))
        assert "交其他快递寄出不是有效送达" in page
        response = step(liaison, request, "deliver", date="2025-10-22", method="other_courier")
        assert response.status_code == 400
        assert "国办公开办函〔2016〕235号" in text_of(response)
        # Served properly the next day, it is delivered and on time.
        ok(step(liaison, request, "deliver", date="2025-10-22", method="china_post"))
    request.refresh_from_db()
    assert request.state == RequestState.DELIVERED and request.on_time is True
    assert list(request.events.values_list("kind", flat=True)).count("delivered") == 1


def test_the_office_transfers_and_the_receiving_unit_returns(cast: Cast) -> None:
    request = made(cast, cast.justice)
    office, finance = client_for(cast.office), client_for(cast.finance_liaison)
    with at("2025-09-29"):
        ok(step(office, request, "transfer", to_unit=cast.finance.pk, reason="属财政局职责"))
        assert finance.get(f"/disclosure/{request.pk}/").status_code == 200
        assert client_for(cast.justice_liaison).get(f"/disclosure/{request.pk}/").status_code == 404
        ok(step(finance, request, "return", reason="不属本单位职责"))
    request.refresh_from_db()
    assert request.unit == cast.justice
    assert list(request.transfers.values_list("kind", flat=True)) == ["transfer", "return"]


# -- the office's review ----------------------------------------------------------------------


def test_a_second_reviewer_gets_409_and_keeps_the_comment(cast: Cast) -> None:
    request = made(cast, cast.justice)
    review = in_review(cast, request)
    other = User.objects.create_user(username="office2", password="x", role=Role.OFFICE)
    first, second = client_for(cast.office), client_for(other)
    with at("2025-10-21"):
        page = second.get(f"/disclosure/{request.pk}/")  # both have the form open
        assert f"/disclosure/reviews/{review.pk}/decide/" in page.content.decode()
        ok(csrf_post(first, f"/disclosure/reviews/{review.pk}/decide/", {"decision": "approve"}))
        conflict = csrf_post(
            second,
            f"/disclosure/reviews/{review.pk}/decide/",
            {"decision": "return", "comment": "请补充法律依据第十五条"},
        )
    assert conflict.status_code == 409
    body = text_of(conflict)
    assert "该答复已由office于2025-10-21 10:00审核（审核通过），以其审核结果为准" in body
    assert "请补充法律依据第十五条" in body
    review.refresh_from_db()
    assert review.decision == ReviewDecision.APPROVED and review.comment == ""


def test_returning_a_draft_needs_a_comment_and_sends_it_back(cast: Cast) -> None:
    request = made(cast, cast.justice)
    review = in_review(cast, request)
    office = client_for(cast.office)
    with at("2025-10-21"):
        refused = csrf_post(
            office, f"/disclosure/reviews/{review.pk}/decide/", {"decision": "return"}
        )
        assert refused.status_code == 400 and "退回时请填写审核意见" in text_of(refused)
        response = csrf_post(
            office,
            f"/disclosure/reviews/{review.pk}/decide/",
            {"decision": "return", "comment": "理由不充分", "next": "queue"},
        )
    assert response.status_code == 302 and response["Location"] == "/disclosure/reviews/"
    request.refresh_from_db()
    assert request.state == RequestState.IN_PROGRESS


# -- the list ---------------------------------------------------------------------------------


@pytest.fixture
def register_book(cast: Cast) -> dict[str, Request]:
    """司法局: one running, one awaiting confirmation, one in review, one from 2024; 财政局: one."""
    book = {
        "running": made(cast, cast.justice, "2025-10-20", name="王五"),
        "letter": made(cast, cast.justice, "2025-10-27", name="赵六", channel="letter"),
        "review": made(cast, cast.justice, "2025-09-26", name="钱七", applicant_type="company"),
        "old": made(cast, cast.justice, "2024-09-20", name="孙八", description="2024年预算"),
        "finance": made(cast, cast.finance, "2025-10-09", name="周九"),
    }
    in_review(cast, book["review"])
    return book


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get("/disclosure/" + query)
    assert response.status_code == 200
    body = response.content.decode()
    return [
        r.tracking_no
        for r in sorted(Request.objects.all(), key=lambda r: body.find(r.tracking_no))
        if r.tracking_no in body
    ]


def test_the_list_tabs_and_filters(cast: Cast, register_book: dict[str, Request]) -> None:
    b = {k: v.tracking_no for k, v in register_book.items()}
    office, justice = client_for(cast.office), client_for(cast.justice_liaison)
    with at("2025-10-28"):
        # the old one is overdue (2024-10-23), deadlines first, the unconfirmed letter last
        assert listed(office) == [b["old"], b["review"], b["finance"], b["running"], b["letter"]]
        assert listed(justice) == [b["old"], b["review"], b["running"], b["letter"]]
        assert listed(office, "?tab=unconfirmed") == [b["letter"]]
        assert listed(office, "?tab=overdue") == [b["old"]]
        assert listed(office, "?tab=soon") == [b["review"]]  # 2025-10-30 within 3 working days
        assert listed(office, "?tab=soon&soon=10") == [b["review"], b["finance"]]
        assert listed(office, "?tab=review") == [b["review"]]
        assert listed(office, f"?unit={cast.finance.pk}") == [b["finance"]]
        assert listed(office, "?year=2024") == [b["old"]]
        assert listed(office, "?applicant=company") == [b["review"]]
        assert listed(office, "?state=review&tab=all") == [b["review"]]
        assert listed(office, "?state=received") == [b["letter"]]
        assert listed(office, "?q=王五") == [b["running"]]
        assert listed(office, "?q=2024年预算") == [b["old"]]
        assert listed(office, f"?q={b['finance']}") == [b["finance"]]
        assert listed(office, f"?q={b['finance'].lower()}") == [b["finance"]]
        tabs = text_of(justice.get("/disclosure/"))
        assert "待审核" not in tabs.split("筛选")[0]  # the review tab is the office's
        bad = text_of(office.get("/disclosure/?year=abc"))
        assert "筛选条件「年度」的值“abc”无效，已忽略" in bad


def test_the_list_shows_days_left_and_review_due(
    cast: Cast, register_book: dict[str, Request]
) -> None:
    with at("2025-10-28"):
        body = text_of(client_for(cast.office).get("/disclosure/"))
    assert "2025-10-30 剩 2 个工作日" in body
    assert "2024-10-23 逾期" in body
    assert "2025-10-27" in body  # the review due of the request due on 30 October


def test_the_list_needs_the_same_number_of_queries_for_more_rows(cast: Cast) -> None:
    office = client_for(cast.office)
    for i in range(3):
        made(cast, cast.justice, "2025-10-20", name=f"甲{i}")
    with at("2025-10-28"), CaptureQueriesContext(connection) as few:
        assert office.get("/disclosure/").status_code == 200
    for i in range(12):
        made(cast, cast.finance, "2025-10-21", name=f"乙{i}")
    with at("2025-10-28"), CaptureQueriesContext(connection) as many:
        assert office.get("/disclosure/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_pages_by_fifty(cast: Cast) -> None:
    for i in range(51):
        made(cast, cast.justice, "2025-10-20", name=f"申请人{i}")
    office = client_for(cast.office)
    with at("2025-10-28"):
        first = text_of(office.get("/disclosure/"))
        second = text_of(office.get("/disclosure/?page=2"))
    assert "共 51 件申请" in first and "第 1 / 2 页" in first
    assert second.count("YSQ-2025-") == 1


# -- appeals ----------------------------------------------------------------------------------


def test_appeals_are_recorded_by_the_office_and_read_by_the_unit(cast: Cast) -> None:
    request = made(cast, cast.justice)
    office = client_for(cast.office)
    with at("2025-12-01"):
        response = csrf_post(
            office,
            "/disclosure/appeals/new/",
            {
                "kind": "reconsideration",
                "filed_on": "2025-11-20",
                "tracking_no": request.tracking_no.lower(),
                "body": "区人民政府",
                "case_no": "复〔2025〕1号",
                "result": "pending",
            },
        )
    ok(response)
    appeal = Appeal.objects.get()
    assert appeal.request == request and appeal.unit == cast.justice
    justice, finance = client_for(cast.justice_liaison), client_for(cast.finance_liaison)
    assert "复〔2025〕1号" in text_of(justice.get("/disclosure/appeals/"))
    assert "复〔2025〕1号" not in text_of(finance.get("/disclosure/appeals/"))
    assert finance.get(f"/disclosure/appeals/{appeal.pk}/edit/").status_code == 404
    read = justice.get(f"/disclosure/appeals/{appeal.pk}/edit/")
    assert read.status_code == 200 and '<form method="post">' not in read.content.decode()
    assert csrf_post(justice, f"/disclosure/appeals/{appeal.pk}/edit/", {}).status_code == 403
    assert justice.get("/disclosure/appeals/new/").status_code == 403
    assert "复〔2025〕1号" in text_of(justice.get(f"/disclosure/{request.pk}/"))
    with at("2025-12-10"):
        early = csrf_post(
            office,
            f"/disclosure/appeals/{appeal.pk}/edit/",
            {
                "kind": "reconsideration",
                "filed_on": "2025-11-20",
                "tracking_no": request.tracking_no,
                "result": "upheld",
                "decided_on": "2025-11-01",
            },
        )
        assert early.status_code == 400 and "审结日期不能早于申请（起诉）日期" in text_of(early)
        ok(
            csrf_post(
                office,
                f"/disclosure/appeals/{appeal.pk}/edit/",
                {
                    "kind": "reconsideration",
                    "filed_on": "2025-11-20",
                    "tracking_no": request.tracking_no,
                    "result": "upheld",
                    "decided_on": "2025-12-09",
                },
            )
        )
    appeal.refresh_from_db()
    assert appeal.result == AppealResult.UPHELD and appeal.decided_on == dt.date(2025, 12, 9)


def test_an_appeal_names_a_request_that_exists_or_a_unit(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2025-12-01"):
        unknown = csrf_post(
            office,
            "/disclosure/appeals/new/",
            {
                "kind": "litigation_direct",
                "filed_on": "2025-11-20",
                "tracking_no": "YSQ-2025-99999",
                "result": "pending",
            },
        )
        neither = csrf_post(
            office,
            "/disclosure/appeals/new/",
            {"kind": "litigation_direct", "filed_on": "2025-11-20", "result": "pending"},
        )
    assert unknown.status_code == 400 and "没有找到申请编号为 YSQ-2025-99999 的申请" in text_of(
        unknown
    )
    assert neither.status_code == 400 and "请填写关联申请编号，或选择被申请（被诉）单位" in text_of(
        neither
    )
    assert not Appeal.objects.exists()


def test_a_fee_notice_by_pages_then_payment(cast: Cast) -> None:
    request = made(cast, cast.justice)
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-09"):
        free = step(
            liaison,
            request,
            "fee-notice",
            date="2025-10-09",
            method="per_page",
            pages=30,
            pay_by="2025-11-06",
        )
        assert free.status_code == 400 and "本申请不收费" in text_of(free)
        ok(
            step(
                liaison,
                request,
                "fee-notice",
                date="2025-10-09",
                method="per_page",
                pages=31,
                pay_by="2025-11-06",
            )
        )
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_FEE and str(request.fee_amount) == "10.00"
    with at("2025-10-10"):
        early = step(liaison, request, "fee-lapsed", date="2025-10-10")
        assert early.status_code == 400 and "缴费期限 2025-11-06 尚未届满" in text_of(early)
        ok(step(liaison, request, "fee-paid", date="2025-10-10"))
    request.refresh_from_db()
    assert request.state == RequestState.IN_PROGRESS and request.fee_paid_on == D("2025-10-10")


def test_no_answer_before_the_office_approves(cast: Cast) -> None:
    request = made(cast, cast.justice)
    in_review(cast, request)
    liaison = client_for(cast.justice_liaison)
    with at("2025-10-21"):
        page = liaison.get(f"/disclosure/{request.pk}/").content.decode()
        assert 'id="step-answer"' not in page
        response = step(liaison, request, "answer", date="2025-10-21")
    assert response.status_code == 400 and "答复意见尚未经公开办审核通过" in text_of(response)
    request.refresh_from_db()
    assert request.state == RequestState.REVIEW and request.answered_on is None


def test_the_admin_only_looks(cast: Cast) -> None:
    request = made(cast, cast.justice)
    admin = User.objects.create_superuser(username="root", password="x")
    client = client_for(admin)
    listing = client.get("/admin/disclosure/request/")
    assert listing.status_code == 200 and request.tracking_no in listing.content.decode()
    assert "/admin/disclosure/request/add/" not in listing.content.decode()
    assert client.get("/admin/disclosure/request/add/").status_code == 403
    view = client.get(f"/admin/disclosure/request/{request.pk}/change/")
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
