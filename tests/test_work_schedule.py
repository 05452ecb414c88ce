"""Checkpoints from time rules (gongkai/work/schedule.py), over the real national calendar.

The rules are read from the list's own words with the project's time-rule reader, as an import
stores them, so these tests follow what a plan really holds. Dates are real ones of 2024–2026
(gongkai/workdays/data/corrections.json): 2026-10-01 is National Day, 2026-02-28 and
2024-09-29 are 调休 make-up working days on a weekend.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.tasklist.timerules import extract_time_rules
from gongkai.work.schedule import Slot, due_date, slots_for
from gongkai.workdays import CalendarUnavailable, DayKind, national_calendar

D = dt.date.fromisoformat
CALENDAR = national_calendar()


def rules(text: str, year: int | None = 2026) -> list[dict[str, Any]]:
    """The time rules of `text` as a task stores them (TimeRule dicts)."""
    found = [dataclasses.asdict(r) for r in extract_time_rules(text, year)]
    assert found, f"no time rule read from {text!r}"
    return found


def slots(text: str, year: int = 2026, *, parse_year: int | None = 2026) -> list[Slot]:
    return slots_for(rules(text, parse_year), year, CALENDAR)


def dues(found: list[Slot]) -> list[dt.date]:
    return [s.due for s in found]


# -- dates -----------------------------------------------------------------------------------


def test_year_end_is_due_on_31_december_of_the_plan_year() -> None:
    (slot,) = slots("年底前")
    assert (slot.key, slot.kind, slot.label) == ("d2026-12-31", "date", "年底前")
    assert slot.nominal == slot.due == D("2026-12-31")
    assert not slot.standing


def test_a_date_read_without_a_year_is_read_again_with_the_plan_year() -> None:
    undated = rules("年底前", year=None)
    assert undated[0]["date"] is None  # the parser did not know the year
    (slot,) = slots_for(undated, 2026, CALENDAR)
    assert slot.nominal == D("2026-12-31")
    (june,) = slots_for(rules("6月底前", year=None), 2025, CALENDAR)
    assert june.nominal == D("2025-06-30")


def test_end_of_june_is_due_on_30_june() -> None:
    (slot,) = slots("6月底前")
    assert slot.nominal == slot.due == D("2026-06-30")
    assert slot.label == "6月底前" and slot.rule_text == "6月底前"


def test_a_date_on_a_holiday_is_due_the_working_day_before() -> None:
    # 2026-10-01 to 10-07 is the National Day holiday; 09-30 (Wednesday) is a working day.
    (slot,) = slots("10月1日前")
    assert slot.nominal == D("2026-10-01")
    assert slot.due == D("2026-09-30")


def test_a_date_on_a_weekend_is_due_the_friday_before() -> None:
    # 2026-05-31 is a Sunday; 2026-01-31 a Saturday.
    assert due_date(D("2026-05-31"), CALENDAR) == D("2026-05-29")
    assert due_date(D("2026-01-31"), CALENDAR) == D("2026-01-30")


def test_a_make_up_working_saturday_is_a_working_day() -> None:
    # 2026-02-28 is a Saturday worked in exchange for the Spring Festival holiday.
    assert D("2026-02-28").weekday() == 5
    (slot,) = slots("2月底前")
    assert slot.nominal == slot.due == D("2026-02-28")


def test_a_date_in_a_long_holiday_goes_back_past_the_whole_holiday() -> None:
    # Spring Festival 2026: 02-15 to 02-23 off; 02-14 (Saturday) is a make-up working day.
    assert due_date(D("2026-02-20"), CALENDAR) == D("2026-02-14")


def test_a_local_holiday_moves_the_due_date_too() -> None:
    local = CALENDAR.with_overrides({D("2026-12-31"): DayKind.HOLIDAY})
    (slot,) = slots_for(rules("年底前"), 2026, local)
    assert (slot.nominal, slot.due) == (D("2026-12-31"), D("2026-12-30"))


# -- recurring -------------------------------------------------------------------------------


def test_every_quarter_gives_the_four_quarter_ends() -> None:
    found = slots("每季度")
    assert [s.key for s in found] == ["q2026-1", "q2026-2", "q2026-3", "q2026-4"]
    assert [s.nominal for s in found] == [
        D("2026-03-31"),
        D("2026-06-30"),
        D("2026-09-30"),
        D("2026-12-31"),
    ]
    assert [s.label for s in found] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert {s.kind for s in found} == {"recurring"}


def test_every_month_gives_twelve_month_ends_on_working_days() -> None:
    found = slots("每月")
    assert len(found) == 12
    assert [s.nominal.month for s in found] == list(range(1, 13))
    assert found[0].nominal == D("2026-01-31") and found[0].due == D("2026-01-30")  # Saturday
    assert found[1].due == D("2026-02-28")  # a make-up Saturday: worked
    assert found[4].due == D("2026-05-29")  # 05-31 is a Sunday
    assert all(CALENDAR.is_workday(s.due) for s in found)


def test_every_half_year_gives_two() -> None:
    found = slots("每半年")
    assert [(s.key, s.label, s.nominal) for s in found] == [
        ("h2026-1", "上半年", D("2026-06-30")),
        ("h2026-2", "下半年", D("2026-12-31")),
    ]


def test_every_year_gives_one_at_the_year_end() -> None:
    (slot,) = slots("每年")
    assert (slot.key, slot.label, slot.nominal) == ("y2026", "2026年度", D("2026-12-31"))


@pytest.mark.parametrize("text", ["每周", "至少2周内更新一次", "每日更新"])
def test_a_period_shorter_than_a_month_is_checked_monthly(text: str) -> None:
    found = slots(text)
    assert [s.key for s in found] == [f"m2026-{m:02d}" for m in range(1, 13)]
    assert {s.rule_text for s in found} == {rules(text)[0]["text"]}


# -- ongoing, no rule, event clocks ------------------------------------------------------------


def assert_quarterly_selfchecks(found: list[Slot], year: int = 2026) -> None:
    assert [s.key for s in found] == [f"q{year}-{q}" for q in range(1, 5)]
    assert {s.kind for s in found} == {"selfcheck"}
    assert [s.label for s in found] == [
        "第一季度自查",
        "第二季度自查",
        "第三季度自查",
        "第四季度自查",
    ]


@pytest.mark.parametrize("text", ["持续推进", "常态化", "长期坚持"])
def test_ongoing_work_gets_a_self_check_each_quarter(text: str) -> None:
    found = slots(text)
    assert_quarterly_selfchecks(found)
    assert not any(s.standing for s in found) and {s.rule_text for s in found} == {""}


def test_no_rule_at_all_gets_a_self_check_each_quarter() -> None:
    assert_quarterly_selfchecks(slots_for([], 2026, CALENDAR))


def test_a_self_check_is_due_on_the_last_working_day_of_the_quarter() -> None:
    # 2024-03-31 and 2024-06-30 are Sundays; 2024-09-30 and 12-31 are working days.
    found = slots_for([], 2024, CALENDAR)
    assert_quarterly_selfchecks(found, 2024)
    assert [s.nominal for s in found] == [
        D("2024-03-31"),
        D("2024-06-30"),
        D("2024-09-30"),
        D("2024-12-31"),
    ]
    assert dues(found) == [D("2024-03-29"), D("2024-06-28"), D("2024-09-30"), D("2024-12-31")]


def test_an_event_clock_is_a_standing_duty_checked_each_quarter() -> None:
    found = slots("政策文件印发后3个工作日内发布解读")
    assert_quarterly_selfchecks(found)
    assert all(s.standing for s in found)
    assert {s.rule_text for s in found} == {"3个工作日内"}


def test_several_event_clocks_are_named_together_once_each() -> None:
    rule_list = rules("3个工作日内") + rules("不少于30日") + rules("3个工作日内")
    found = slots_for(rule_list, 2026, CALENDAR)
    assert {s.rule_text for s in found} == {"3个工作日内；不少于30日"}


def test_a_task_with_a_date_and_an_event_clock_gets_only_the_date() -> None:
    found = slots_for(rules("年底前") + rules("3个工作日内"), 2026, CALENDAR)
    assert [(s.key, s.standing) for s in found] == [("d2026-12-31", False)]


# -- combinations and odd input ----------------------------------------------------------------


def test_a_date_and_a_recurring_rule_on_the_same_day_make_one_checkpoint() -> None:
    found = slots("年底前完成，每季度更新")
    assert [s.nominal for s in found] == [
        D("2026-03-31"),
        D("2026-06-30"),
        D("2026-09-30"),
        D("2026-12-31"),
    ]
    assert [s.key for s in found][-1] == "d2026-12-31"  # the date came first and is kept
    assert len({s.key for s in found}) == len(found)


def test_the_same_date_twice_makes_one_checkpoint() -> None:
    found = slots_for(rules("年底前") + rules("12月底前"), 2026, CALENDAR)
    assert [s.key for s in found] == ["d2026-12-31"]


def test_slots_are_in_date_order() -> None:
    found = slots_for(rules("每季度") + rules("6月底前") + rules("2月底前"), 2026, CALENDAR)
    assert [s.nominal for s in found] == sorted(s.nominal for s in found)
    assert D("2026-02-28") in [s.nominal for s in found]


def test_a_year_the_calendar_does_not_know_skips_weekends_only() -> None:
    with pytest.raises(CalendarUnavailable):
        CALENDAR.is_workday(D("2027-10-29"))
    found = slots("每月", year=2027, parse_year=2027)
    assert len(found) == 12
    assert found[0].due == D("2027-01-29")  # 2027-01-31 is a Sunday
    assert found[9].due == D("2027-10-29")  # 2027-10-31 is a Sunday
    assert all(s.due.weekday() < 5 for s in found)
    (year_end,) = slots_for(rules("年底前", year=None), 2027, CALENDAR)
    assert year_end.due == D("2027-12-31")  # a Friday
    assert len(slots_for([], 2027, CALENDAR)) == 4


def test_junk_rules_are_ignored_rather_than_crashing() -> None:
    junk: list[dict[str, Any]] = [
        {"kind": "by_date", "text": "某日前", "date": "not a date"},
        {"kind": "by_date"},
        {"kind": "recurring", "text": "每隔", "amount": None, "unit": "fortnight"},
        {"kind": "nonsense", "text": "?"},
        {},
    ]
    assert_quarterly_selfchecks(slots_for(junk, 2026, CALENDAR))


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=40), year=st.integers(min_value=2024, max_value=2028))
def test_any_words_give_working_day_checkpoints_in_the_plan_year(text: str, year: int) -> None:
    parsed = [dataclasses.asdict(r) for r in extract_time_rules(text, year)]
    found = slots_for(parsed, year, CALENDAR)
    assert found
    for s in found:
        assert s.due <= s.nominal and (s.nominal - s.due).days < 15
        assert s.nominal.year == year or s.kind == "date"
        assert len(s.key) <= 32
