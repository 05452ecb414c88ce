"""The request register's actions: the flow, the clock cached on the row, and refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import AuditEvent
from gongkai.clocks import Consulted, Delivery
from gongkai.disclosure import actions, clock
from gongkai.disclosure.actions import RequestInput, RequestRejected
from gongkai.disclosure.models import (
    ApplicantType,
    EventKind,
    Outcome,
    Request,
    RequestState,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ), tick=False
    )


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def register(cast: Any, arrived: str, channel: str = "in_person", **extra: Any) -> Request:
    data = RequestInput(
        applicant_type=ApplicantType.PERSON,
        applicant_name="张三",
        description="2025年本区法律援助经费使用情况",
        channel=channel,
        arrived_on=d(arrived),
        unit=cast.justice,
        contact_phone="13800000000",
        **extra,
    )
    request, secret = actions.register_request(cast.office, data)
    assert len(secret) >= 12
    return request


def test_in_person_request_across_national_day_is_due_30_october(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
    assert request.state == RequestState.IN_PROGRESS
    assert request.received_on == d("2025-09-26")
    assert request.deadline == d("2025-10-30")
    assert request.review_due == d("2025-10-27")
    assert request.tracking_no.endswith("-2025-00001")


def test_tracking_numbers_follow_each_other(cast: Any) -> None:
    with at("2025-09-26"):
        numbers = [register(cast, "2025-09-26").tracking_no for _ in range(3)]
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003"]


def test_ordinary_letter_waits_for_confirmation_then_runs(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26", channel="letter")
        assert request.state == RequestState.RECEIVED and request.deadline is None
        actions.confirm_receipt(cast.justice_liaison, request, confirmed_on=d("2025-09-26"))
    request.refresh_from_db()
    assert request.deadline == d("2025-10-30")
    assert request.state == RequestState.IN_PROGRESS


def test_correction_restarts_the_clock_from_the_corrected_application(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
    with at("2025-10-09"):
        actions.request_correction(
            cast.justice_liaison, request, d("2025-10-09"), correct_by=d("2025-10-24")
        )
    request.refresh_from_db()
    assert request.state == RequestState.AWAITING_CORRECTION and request.deadline is None
    with at("2025-10-15"):
        actions.receive_correction(cast.justice_liaison, request, d("2025-10-15"))
    request.refresh_from_db()
    # 20 working days after 15 October 2025
    assert request.deadline == d("2025-11-12")
    with at("2025-10-16"), pytest.raises(RequestRejected, match="一次"):
        actions.request_correction(
            cast.justice_liaison, request, d("2025-10-16"), correct_by=d("2025-10-24")
        )


def test_consultation_pauses_and_extension_adds(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
    with at("2025-10-09"):
        actions.start_consultation(
            cast.justice_liaison,
            request,
            d("2025-10-09"),
            party=Consulted.THIRD_PARTY,
            name="某公司",
        )
    with at("2025-10-13"):
        actions.end_consultation(cast.justice_liaison, request, d("2025-10-13"), answered=True)
    request.refresh_from_db()
    assert request.deadline == d("2025-11-04")  # 3 working days paused: 10, 11 (调休), 13
    with at("2025-10-20"), pytest.raises(PermissionDenied):
        actions.extend(
            cast.justice_liaison,
            request,
            d("2025-10-20"),
            approver="王主任",
            notified=d("2025-10-20"),
        )
    with at("2025-10-20"):
        actions.extend(
            cast.office, request, d("2025-10-20"), approver="王主任", notified=d("2025-10-20")
        )
    request.refresh_from_db()
    assert request.state == RequestState.EXTENDED
    assert request.deadline == d("2025-12-02")


def test_reply_goes_through_office_review_then_answered_and_delivered(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
    with at("2025-10-20"):
        review = actions.submit_reply(
            cast.justice_liaison,
            request,
            outcome=Outcome.GRANTED,
            draft="经查，提供如下信息……",
            separated=True,
        )
        with pytest.raises(RequestRejected, match="审核通过"):
            actions.answer(cast.justice_liaison, request, d("2025-10-20"))
        with pytest.raises(RequestRejected, match="审核意见"):
            actions.decide_review(cast.office, review, approve=False)
        actions.decide_review(cast.office, review, approve=True)
        with pytest.raises(actions.ReviewConflict):
            actions.decide_review(cast.office, review, approve=False, comment="再改")
    with at("2025-10-22"):
        actions.answer(cast.justice_liaison, request, d("2025-10-22"))
        actions.deliver(cast.justice_liaison, request, d("2025-10-22"), Delivery.CHINA_POST)
    request.refresh_from_db()
    assert request.outcome == Outcome.PARTIAL  # separated: only 部分公开 counts
    assert request.concluded_on == d("2025-10-22")
    assert request.state == RequestState.DELIVERED and request.on_time is True
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.RECEIVED, EventKind.ANSWERED, EventKind.DELIVERED]
    assert AuditEvent.objects.filter(object_id=str(request.pk)).count() >= 5


def test_late_answer_is_flagged(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
    with at("2025-10-31"):
        clock.refresh(request)
        assert request.on_time is False
        assert Request.objects.overdue(d("2025-10-31")).filter(pk=request.pk).exists()


def test_liaison_of_another_unit_cannot_work_the_request(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
        with pytest.raises(PermissionDenied):
            actions.request_correction(
                cast.finance_liaison, request, d("2025-09-26"), correct_by=d("2025-10-10")
            )


def test_missed_correction_closes_as_other_1(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
        actions.request_correction(
            cast.justice_liaison, request, d("2025-09-26"), correct_by=d("2025-10-10")
        )
    with at("2025-10-10"), pytest.raises(RequestRejected, match="尚未届满"):
        actions.correction_lapsed(cast.justice_liaison, request, d("2025-10-10"))
    with at("2025-10-13"):
        actions.correction_lapsed(cast.justice_liaison, request, d("2025-10-13"))
    request.refresh_from_db()
    assert request.outcome == Outcome.NO_CORRECTION
    assert request.state == RequestState.CLOSED


def test_transfer_and_return_are_recorded(cast: Any) -> None:
    with at("2025-09-26"):
        request = register(cast, "2025-09-26")
        actions.transfer(cast.office, request, cast.finance, "属财政局职责")
        request.refresh_from_db()
        assert request.unit == cast.finance
        actions.return_request(cast.finance_liaison, request, "不属本单位职责")
    request.refresh_from_db()
    assert request.unit == cast.justice
    assert [t.kind for t in request.transfers.all()] == ["transfer", "return"]
