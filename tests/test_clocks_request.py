"""The reply clock of a request (domain rules §1.4, §1.7 and §8.A). Pure: no database.

Expected dates are worked out by hand from the 2025 schedule (National Day 10-01..10-08 off,
Saturday 10-11 worked), not by calling the calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.clocks import (
    OUTCOME_CORRECTION_LAPSED,
    Answered,
    Channel,
    ClockState,
    ClockStatus,
    ConsultationAnswered,
    ConsultationLapsed,
    ConsultationStarted,
    Consulted,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    Delivery,
    Extended,
    Received,
    RequestEvent,
    compute,
    receipt_date,
)
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar, national_calendar

D = dt.date.fromisoformat
CAL = national_calendar()
TODAY = D("2026-11-21")
R = D("2025-09-26")  # a Friday, just before the 2025 National Day holiday
RECEIVED = Received(R, Channel.ONLINE)


def clock(*events: RequestEvent, today: dt.date = TODAY, **flags: bool) -> ClockState:
    return compute(list(events), CAL, today=today, **flags)


# A3: the reply deadline


@pytest.mark.parametrize(
    ("received", "deadline", "counting_receipt_day"),
    [
        ("2025-09-26", "2025-10-30", "2025-10-29"),
        ("2024-09-20", "2024-10-23", "2024-10-22"),
        ("2026-02-02", "2026-03-06", "2026-03-05"),
    ],
)
def test_deadline_is_twenty_working_days_after_receipt(
    received: str, deadline: str, counting_receipt_day: str
) -> None:
    event = Received(D(received), Channel.ONLINE)
    assert clock(event, today=D(received)).deadline == D(deadline)
    assert clock(event, today=D(received), count_receipt_day=True).deadline == D(
        counting_receipt_day
    )


def test_receipt_on_a_holiday_counts_from_the_next_working_day_either_way() -> None:
    event = Received(D("2025-10-04"), Channel.ONLINE)
    assert clock(event).deadline == D("2025-11-04")
    assert clock(event, count_receipt_day=True).deadline == D("2025-11-04")


def test_a_running_request_reports_working_days_left_and_lateness() -> None:
    before = clock(RECEIVED, today=D("2025-10-27"))
    assert (before.state, before.days_left, before.met) == (ClockStatus.RUNNING, 3, None)
    assert clock(RECEIVED, today=D("2025-10-30")).days_left == 0
    late = clock(RECEIVED, today=D("2025-11-03"))
    assert (late.days_left, late.met) == (-2, False)


def test_explanation_says_why_the_deadline_is_what_it_is() -> None:
    assert clock(RECEIVED).explanation == [
        "2025-09-26 收到申请（在线）：答复期限为收到次日起20个工作日，即 2025-10-30"
    ]
    assert "收到当日起" in clock(RECEIVED, count_receipt_day=True).explanation[0]


# A1: the receipt day


def test_receipt_day_follows_the_channel() -> None:
    arrived, confirmed, restored = D("2025-09-26"), D("2025-09-29"), D("2025-10-09")
    for channel in (Channel.IN_PERSON, Channel.POST_SIGNED, Channel.EMAIL):
        assert receipt_date(channel, arrived, confirmed) == arrived
    for channel in (Channel.LETTER, Channel.ONLINE, Channel.FAX, Channel.OTHER):
        assert receipt_date(channel, arrived) is None
        assert receipt_date(channel, arrived, confirmed) == confirmed
        assert receipt_date(channel, arrived, contact_restored=restored) == restored
    with pytest.raises(ValueError, match="confirmed before"):
        receipt_date(Channel.FAX, arrived, D("2025-09-25"))


# A2: on the spot


def test_an_answer_on_the_spot_closes_the_request_on_time() -> None:
    state = clock(Received(R, Channel.IN_PERSON), Answered(R, on_the_spot=True))
    assert (state.state, state.met, state.days_left, state.problems) == (
        ClockStatus.CLOSED,
        True,
        None,
        [],
    )
    assert state.explanation[-1] == "2025-09-26 当场答复：当场答复，办结"


def test_an_answer_on_the_spot_on_another_day_is_a_problem() -> None:
    state = clock(RECEIVED, Answered(D("2025-09-29"), on_the_spot=True))
    assert any("当场答复应在收到申请当日" in p for p in state.problems)


# A5: correction


def test_correction_notice_is_due_within_seven_working_days() -> None:
    on_time = clock(RECEIVED, CorrectionRequested(D("2025-10-13"), D("2025-10-24")))
    assert on_time.problems == []
    assert (on_time.state, on_time.deadline, on_time.days_left) == (
        ClockStatus.AWAITING_CORRECTION,
        None,
        None,
    )
    late = clock(RECEIVED, CorrectionRequested(D("2025-10-14"), D("2025-10-24")))
    assert late.state == ClockStatus.AWAITING_CORRECTION  # still binding on the applicant
    assert any("2025-10-13" in p for p in late.problems)


def test_a_received_correction_restarts_the_twenty_days() -> None:
    state = clock(
        RECEIVED,
        CorrectionRequested(D("2025-10-09"), D("2025-10-24")),
        CorrectionReceived(D("2025-10-20")),
        today=D("2025-10-20"),
    )
    assert (state.state, state.deadline, state.received) == (
        ClockStatus.RUNNING,
        D("2025-11-17"),
        D("2025-10-20"),
    )
    assert state.problems == []
    assert "重新计算20个工作日，即 2025-11-17" in state.explanation[-1]


def test_a_second_correction_notice_is_a_problem() -> None:
    state = clock(
        RECEIVED,
        CorrectionRequested(D("2025-10-09")),
        CorrectionReceived(D("2025-10-20")),
        CorrectionRequested(D("2025-10-22")),
        today=D("2025-10-22"),
    )
    assert state.state == ClockStatus.RUNNING
    assert state.deadline == D("2025-11-17")
    assert any("一次性" in p for p in state.problems)


def test_a_missed_correction_closes_the_request_as_other_1() -> None:
    state = clock(
        RECEIVED,
        CorrectionRequested(D("2025-10-09"), D("2025-10-24")),
        CorrectionLapsed(D("2025-10-27")),
    )
    assert (state.state, state.outcome, state.deadline, state.met) == (
        ClockStatus.CLOSED,
        OUTCOME_CORRECTION_LAPSED,
        None,
        None,
    )
    assert state.outcome == "其他处理-1"
    assert state.problems == []
    premature = clock(
        RECEIVED,
        CorrectionRequested(D("2025-10-09"), D("2025-10-24")),
        CorrectionLapsed(D("2025-10-20")),
    )
    assert any("尚未届满" in p for p in premature.problems)


# A4: extension


def extension(approved: str, notified: str, workdays: int = 20) -> Extended:
    return Extended(D(approved), "公开办主任", D(notified), workdays)


def test_an_extension_adds_at_most_twenty_working_days() -> None:
    state = clock(RECEIVED, extension("2025-10-28", "2025-10-29"))
    assert state.deadline == D("2025-11-27") == CAL.add_workdays(R, 40)
    assert (state.extended_workdays, state.problems) == (20, [])
    assert "延期 20 个工作日，期限延至 2025-11-27" in state.explanation[-1]
    shorter = clock(RECEIVED, extension("2025-10-28", "2025-10-29", 5))
    assert shorter.deadline == D("2025-11-06")


def test_an_extension_over_twenty_days_counts_as_twenty() -> None:
    state = clock(RECEIVED, extension("2025-10-28", "2025-10-29", 25))
    assert state.deadline == D("2025-11-27")
    assert any("超过20个工作日" in p for p in state.problems)


@pytest.mark.parametrize(
    ("approved", "notified"), [("2025-10-31", "2025-10-31"), ("2025-10-30", "2025-10-31")]
)
def test_an_extension_after_the_deadline_is_a_problem_and_does_not_count(
    approved: str, notified: str
) -> None:
    state = clock(RECEIVED, extension(approved, notified))
    assert state.deadline == D("2025-10-30")
    assert state.met is False
    assert any("之后" in p for p in state.problems)


def test_an_extension_on_the_deadline_day_counts() -> None:
    assert clock(RECEIVED, extension("2025-10-30", "2025-10-30")).deadline == D("2025-11-27")


def test_only_one_extension_and_only_with_an_approver() -> None:
    twice = clock(
        RECEIVED, extension("2025-10-20", "2025-10-20", 5), extension("2025-10-21", "2025-10-21")
    )
    assert twice.deadline == D("2025-11-06")
    assert any("只能延长一次" in p for p in twice.problems)
    unapproved = clock(RECEIVED, Extended(D("2025-10-20"), " ", D("2025-10-20")))
    assert unapproved.deadline == D("2025-10-30")
    assert any("批准人" in p for p in unapproved.problems)


# A6: consultation


def test_a_consultation_pauses_the_clock_by_the_working_days_it_took() -> None:
    state = clock(
        RECEIVED,
        ConsultationStarted(D("2025-10-09"), Consulted.THIRD_PARTY, D("2025-10-10"), "某公司"),
        ConsultationAnswered(D("2025-10-16")),
    )
    # paused: 10-10, 10-11 (make-up Saturday), 10-13 .. 10-16 = 6 working days
    assert (state.paused_workdays, state.deadline) == (6, D("2025-11-07"))
    assert state.problems == []
    assert "征求第三方意见（某公司）" in state.explanation[1]
    assert "不计入" in state.explanation[1]
    assert "暂停 6 个工作日" in state.explanation[2]
    assert "2025-11-07" in state.explanation[2]


def test_a_consultation_lapses_fifteen_working_days_after_the_letter_arrived() -> None:
    started = ConsultationStarted(D("2025-10-09"), Consulted.ORGAN, D("2025-10-10"))
    open_ = clock(RECEIVED, started, today=D("2025-10-13"))
    assert (open_.state, open_.consultation_due) == (ClockStatus.PAUSED, D("2025-10-30"))
    # a late record of the lapse cannot stretch the pause past the 15th working day
    state = clock(RECEIVED, started, ConsultationLapsed(D("2025-11-03")))
    assert (state.paused_workdays, state.deadline) == (16, D("2025-11-21"))
    assert state.problems == []
    early = clock(RECEIVED, started, ConsultationLapsed(D("2025-10-20")))
    assert any("尚未届满" in p for p in early.problems)


def test_days_left_hold_still_while_paused() -> None:
    started = ConsultationStarted(D("2025-10-09"))
    counts = {
        clock(RECEIVED, started, today=D(day)).days_left for day in ("2025-10-13", "2025-10-20")
    }
    assert counts == {clock(RECEIVED, today=D("2025-10-09")).days_left} == {16}


def test_a_second_consultation_while_one_is_open_is_a_problem() -> None:
    state = clock(
        RECEIVED, ConsultationStarted(D("2025-10-09")), ConsultationStarted(D("2025-10-10"))
    )
    assert any("尚未结束" in p for p in state.problems)


# A10: delivery


def answered_and(delivered: str, method: Delivery) -> ClockState:
    return clock(RECEIVED, Answered(D("2025-10-29")), Delivered(D(delivered), method))


def test_handing_the_reply_to_china_post_on_the_deadline_meets_it() -> None:
    state = answered_and("2025-10-30", Delivery.CHINA_POST)
    assert (state.state, state.met, state.days_left) == (ClockStatus.DELIVERED, True, None)
    assert "按期" in state.explanation[-1]


def test_signing_after_the_deadline_misses_it() -> None:
    state = answered_and("2025-10-31", Delivery.SIGNED)
    assert state.met is False
    assert "逾期 1 个工作日" in state.explanation[-1]


def test_another_courier_is_not_service() -> None:
    state = answered_and("2025-10-30", Delivery.OTHER_COURIER)
    assert (state.state, state.met) == (ClockStatus.ANSWERED, False)
    assert any("邮政企业" in p for p in state.problems)
    waiting = clock(RECEIVED, Answered(D("2025-10-29")), today=D("2025-10-29"))
    assert (waiting.state, waiting.met, waiting.days_left) == (ClockStatus.ANSWERED, None, 1)


# The log itself


def test_events_out_of_order_or_before_receipt_are_problems() -> None:
    state = clock(Answered(D("2025-09-20")), RECEIVED, ConsultationStarted(D("2025-09-25")))
    assert any("在收到申请的记录之前" in p for p in state.problems)
    assert any("记录顺序有误" in p for p in state.problems)
    assert len(state.explanation) == 3


def test_a_log_without_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="Received"):
        compute([Answered(R)], CAL, today=TODAY)


def test_a_deadline_in_an_unpublished_year_raises_rather_than_guessing() -> None:
    with pytest.raises(CalendarUnavailable):
        clock(Received(D("2026-12-15"), Channel.ONLINE), today=D("2026-12-15"))


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_without_other_events_the_deadline_is_add_workdays_twenty(received: dt.date) -> None:
    cal: WorkdayCalendar = CAL
    event = Received(received, Channel.IN_PERSON)
    try:
        expected = cal.add_workdays(received, 20)
    except CalendarUnavailable:
        with pytest.raises(CalendarUnavailable):
            compute([event], cal, today=received)
        return
    state = compute([event], cal, today=received)
    assert state.deadline == expected
    assert cal.is_workday(expected)
    assert state.days_left == 20
    assert state.problems == []
