"""The national working-day calendar (domain rules §7 and §8-F). Pure: no database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays import CalendarUnavailable, DayKind, WorkdayCalendar, national_calendar
from gongkai.workdays.calendar import build_calendar
from gongkai.workdays.schedules import ScheduleError, parse_schedules, shipped_schedules

D = dt.date.fromisoformat
#: The first year without a published schedule. Move it on when that year's notice is added.
UNPUBLISHED_YEAR = 2027


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return national_calendar()


def days(first: str, last: str | None = None) -> list[dt.date]:
    start, end = D(first), D(last or first)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# §7, typed in again from the notices' tables (not read from corrections.json), per year:
# (days off, make-up working days).
NOTICES: dict[int, tuple[list[dt.date], list[dt.date]]] = {
    2024: (
        days("2024-01-01")
        + days("2024-02-10", "2024-02-17")
        + days("2024-04-04", "2024-04-06")
        + days("2024-05-01", "2024-05-05")
        + days("2024-06-10")
        + days("2024-09-15", "2024-09-17")
        + days("2024-10-01", "2024-10-07"),
        [D(x) for x in ("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11")]
        + [D(x) for x in ("2024-09-14", "2024-09-29", "2024-10-12")],
    ),
    2025: (
        days("2025-01-01")
        + days("2025-01-28", "2025-02-04")
        + days("2025-04-04", "2025-04-06")
        + days("2025-05-01", "2025-05-05")
        + days("2025-05-31", "2025-06-02")
        + days("2025-10-01", "2025-10-08"),
        [D(x) for x in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")],
    ),
    2026: (
        days("2026-01-01", "2026-01-03")
        + days("2026-02-15", "2026-02-23")
        + days("2026-04-04", "2026-04-06")
        + days("2026-05-01", "2026-05-05")
        + days("2026-06-19", "2026-06-21")
        + days("2026-09-25", "2026-09-27")
        + days("2026-10-01", "2026-10-07"),
        [D(x) for x in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20")]
        + [D("2026-10-10")],
    ),
}
HOLIDAYS = [d for off, _ in NOTICES.values() for d in off]
MAKEUP_DAYS = [d for _, on in NOTICES.values() for d in on]


# -- F1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2024-02-04", True),  # Sunday make-up day
        ("2024-02-09", True),  # 除夕 2024: staff only encouraged to rest
        ("2025-01-01", False),
        ("2025-09-28", True),  # Sunday make-up day
        ("2025-10-08", False),  # Wednesday inside 国庆+中秋
        ("2025-10-11", True),  # Saturday make-up day
        ("2026-01-03", False),  # Saturday inside 元旦
        ("2026-01-04", True),  # Sunday make-up day
        ("2026-02-14", True),
        ("2026-02-28", True),
        ("2026-02-23", False),  # Monday inside 春节
    ],
)
def test_f1_day_status_follows_the_notices(cal: WorkdayCalendar, day: str, workday: bool) -> None:
    assert cal.is_workday(D(day)) is workday


# -- F2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("year", "total"), [(2024, 251), (2025, 248), (2026, 248)])
def test_f2_working_days_per_year(cal: WorkdayCalendar, year: int, total: int) -> None:
    assert cal.workdays_in_year(year) == total


# -- F3 ---------------------------------------------------------------------------------------
F3_COLUMNS = (7, 15, 20, 40)
F3_TABLE = """
2024-01-02 | 2024-01-11 | 2024-01-23 | 2024-01-30 | 2024-03-01
2024-02-05 | 2024-02-20 | 2024-03-01 | 2024-03-08 | 2024-04-08
2025-01-20 | 2025-02-05 | 2025-02-14 | 2025-02-21 | 2025-03-21
2025-09-19 | 2025-09-29 | 2025-10-16 | 2025-10-23 | 2025-11-20
2025-09-26 | 2025-10-13 | 2025-10-23 | 2025-10-30 | 2025-11-27
2025-10-04 | 2025-10-16 | 2025-10-28 | 2025-11-04 | —
2025-12-15 | 2025-12-24 | 2026-01-06 | 2026-01-13 | 2026-02-10
2025-12-31 | 2026-01-12 | 2026-01-22 | 2026-01-29 | —
2026-02-13 | 2026-03-02 | 2026-03-12 | 2026-03-19 | —
2026-09-18 | 2026-09-29 | 2026-10-15 | 2026-10-22 | 2026-11-19
"""
F3_CELLS = [
    (row[0], n, cell)
    for row in ([c.strip() for c in line.split("|")] for line in F3_TABLE.strip().splitlines())
    for n, cell in zip(F3_COLUMNS, row[1:], strict=True)
    if cell != "—"
]


def test_f3_table_is_complete() -> None:
    assert len(F3_CELLS) == 37


@pytest.mark.parametrize(("start", "n", "expected"), F3_CELLS)
def test_f3_add_workdays_matches_the_table(
    cal: WorkdayCalendar, start: str, n: int, expected: str
) -> None:
    assert cal.add_workdays(D(start), n) == D(expected)
    assert cal.workdays_between(D(start), D(expected)) == n


def test_the_start_day_itself_is_not_counted(cal: WorkdayCalendar) -> None:
    assert cal.add_workdays(D("2025-09-26"), 1) == D("2025-09-28")  # Sunday make-up day
    assert cal.add_workdays(D("2025-09-26"), 0) == D("2025-09-26")


# -- F4 ---------------------------------------------------------------------------------------
def test_f4_a_day_in_an_unpublished_year_raises_naming_the_year(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnavailable, match=str(UNPUBLISHED_YEAR)) as caught:
        cal.is_workday(dt.date(UNPUBLISHED_YEAR, 1, 4))
    assert caught.value.year == UNPUBLISHED_YEAR


def test_f4_a_deadline_crossing_into_an_unpublished_year_raises(cal: WorkdayCalendar) -> None:
    assert cal.add_workdays(D("2026-12-15"), 12) == D("2026-12-31")
    with pytest.raises(CalendarUnavailable) as caught:
        cal.add_workdays(D("2026-12-15"), 13)
    assert caught.value.year == UNPUBLISHED_YEAR
    assert str(UNPUBLISHED_YEAR) in str(caught.value)


def test_f4_counting_into_an_unpublished_year_raises(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnavailable):
        cal.workdays_between(D("2026-12-20"), D("2027-01-10"))
    with pytest.raises(CalendarUnavailable):
        cal.previous_workday(dt.date(UNPUBLISHED_YEAR, 1, 1))


def test_f4_a_local_override_does_not_make_an_unpublished_year_known(
    cal: WorkdayCalendar,
) -> None:
    local = cal.with_overrides({dt.date(UNPUBLISHED_YEAR, 1, 1): DayKind.HOLIDAY})
    with pytest.raises(CalendarUnavailable):
        local.is_workday(dt.date(UNPUBLISHED_YEAR, 1, 1))


# -- §7: every listed date ----------------------------------------------------------------------
@pytest.mark.parametrize("day", HOLIDAYS, ids=str)
def test_every_listed_day_off_is_not_a_workday(cal: WorkdayCalendar, day: dt.date) -> None:
    assert not cal.is_workday(day)


@pytest.mark.parametrize("day", MAKEUP_DAYS, ids=str)
def test_every_make_up_day_is_a_weekend_workday(cal: WorkdayCalendar, day: dt.date) -> None:
    assert day.weekday() >= 5
    assert cal.is_workday(day)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_calendar_holds_exactly_the_notice_for_the_year(
    cal: WorkdayCalendar, year: int
) -> None:
    off, on = NOTICES[year]
    special = cal.special_days(year)
    assert {d for d, k in special if k == DayKind.HOLIDAY} == set(off)
    assert {d for d, k in special if k == DayKind.WORKDAY} == set(on)


@pytest.mark.parametrize(
    ("year", "notice"),
    [
        (2024, "国办发明电〔2023〕7号"),
        (2025, "国办发明电〔2024〕12号"),
        (2026, "国务院办公厅关于2026年部分节假日安排的通知"),
    ],
)
def test_each_shipped_year_names_its_notice(cal: WorkdayCalendar, year: int, notice: str) -> None:
    assert notice in cal.sources[year]


def test_an_ordinary_weekday_and_weekend_follow_the_week(cal: WorkdayCalendar) -> None:
    assert cal.is_workday(D("2025-03-12"))  # Wednesday
    assert not cal.is_workday(D("2025-03-15"))  # Saturday


# -- properties -------------------------------------------------------------------------------
@given(
    start=st.dates(min_value=D("2024-01-01"), max_value=D("2026-10-31")),
    n=st.integers(min_value=0, max_value=40),
)
def test_counting_back_the_days_added_gives_n(start: dt.date, n: int) -> None:
    cal = national_calendar()
    due = cal.add_workdays(start, n)
    assert cal.workdays_between(start, due) == n
    assert cal.workdays_between(due, start) == -n
    if n:
        assert cal.is_workday(due)
        assert cal.previous_workday(due) == due
        assert cal.add_workdays(start, n - 1) < due


def test_negative_n_is_refused(cal: WorkdayCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        cal.add_workdays(D("2025-09-26"), -1)


def test_a_fractional_n_is_refused_instead_of_looping(cal: WorkdayCalendar) -> None:
    with pytest.raises(TypeError):
        cal.add_workdays(D("2025-09-26"), 1.5)  # type: ignore[arg-type]  # the point of the test


def test_a_datetime_is_refused_rather_than_missing_every_holiday(cal: WorkdayCalendar) -> None:
    national_day = dt.datetime(2025, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(TypeError):
        cal.is_workday(national_day)
    with pytest.raises(TypeError):
        cal.add_workdays(national_day, 1)


def test_previous_workday_steps_back_over_a_holiday(cal: WorkdayCalendar) -> None:
    assert cal.previous_workday(D("2025-10-08")) == D("2025-09-30")
    assert cal.previous_workday(D("2025-09-30")) == D("2025-09-30")


def test_between_the_same_day_is_zero(cal: WorkdayCalendar) -> None:
    assert cal.workdays_between(D("2025-10-04"), D("2025-10-04")) == 0


# -- wall-clock hours -------------------------------------------------------------------------
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_add_hours_runs_across_midnight_and_holidays_in_the_same_zone() -> None:
    start = dt.datetime(2025, 9, 30, 22, 0, tzinfo=SHANGHAI)
    assert WorkdayCalendar.add_hours(start, 5) == dt.datetime(2025, 10, 1, 3, 0, tzinfo=SHANGHAI)
    later = WorkdayCalendar.add_hours(start, 48)
    assert later == dt.datetime(2025, 10, 2, 22, 0, tzinfo=SHANGHAI)
    assert later.tzinfo is SHANGHAI


def test_add_hours_counts_elapsed_hours_across_a_clock_change() -> None:
    new_york = ZoneInfo("America/New_York")
    start = dt.datetime(2025, 3, 8, 12, 0, tzinfo=new_york)  # EST; clocks go forward next night
    assert WorkdayCalendar.add_hours(start, 24) == dt.datetime(2025, 3, 9, 13, 0, tzinfo=new_york)


def test_add_hours_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        WorkdayCalendar.add_hours(dt.datetime(2025, 9, 30, 22, 0), 5)  # noqa: DTZ001


# -- overrides --------------------------------------------------------------------------------
def test_a_local_holiday_on_a_weekday_stops_it_counting(cal: WorkdayCalendar) -> None:
    local = cal.with_overrides({D("2025-10-09"): DayKind.HOLIDAY})  # a Thursday
    assert not local.is_workday(D("2025-10-09"))
    assert local.add_workdays(D("2025-09-26"), 20) == D("2025-10-31")
    assert local.workdays_between(D("2025-09-26"), D("2025-10-30")) == 19
    assert cal.is_workday(D("2025-10-09")), "the national calendar must be left alone"


def test_a_local_workday_on_a_saturday_brings_a_deadline_forward(cal: WorkdayCalendar) -> None:
    local = cal.with_overrides({D("2025-10-18"): DayKind.WORKDAY})
    assert local.is_workday(D("2025-10-18"))
    assert local.add_workdays(D("2025-09-26"), 20) == D("2025-10-29")


def test_a_local_workday_can_override_a_national_holiday(cal: WorkdayCalendar) -> None:
    local = cal.with_overrides({D("2025-10-08"): DayKind.WORKDAY})
    assert local.is_workday(D("2025-10-08"))


def test_the_cached_national_calendar_cannot_be_changed_in_place(cal: WorkdayCalendar) -> None:
    with pytest.raises(TypeError):
        cal.overrides[D("2025-10-09")] = DayKind.HOLIDAY  # type: ignore[index]  # must refuse
    assert cal.is_workday(D("2025-10-09"))


# -- the schedule file ------------------------------------------------------------------------
def test_the_shipped_file_covers_the_three_notices() -> None:
    assert set(shipped_schedules()) == {2024, 2025, 2026}


def test_the_file_replaces_the_package_for_its_years() -> None:
    wrong_package = [D("2025-10-01"), D("2025-10-09"), D("2024-10-01")]  # 10-09 is wrong
    cal = build_calendar(wrong_package, [], {2025: shipped_schedules()[2025]})
    assert cal.is_workday(D("2025-10-09"))
    assert not cal.is_workday(D("2025-10-08"))  # from the file
    assert cal.years == {2024, 2025}


def test_a_notice_date_in_the_previous_december_survives_any_year_order() -> None:
    entry = {"source": "通知", "holidays": ["2026-12-31", "2027-01-01"], "workdays": []}
    earlier = {"source": "通知", "holidays": ["2026-10-01"], "workdays": []}
    for order in (("2027", "2026"), ("2026", "2027")):
        data = {"years": {y: entry if y == "2027" else earlier for y in order}}
        cal = build_calendar([], [], parse_schedules(data))
        assert not cal.is_workday(D("2026-12-31"))  # a Thursday, off by the 2027 notice


def test_a_stray_january_date_in_the_package_does_not_make_the_year_known() -> None:
    cal = build_calendar([D("2026-10-01"), D("2027-01-01")], [], {})
    assert cal.years == {2026}


def _one_year(**entry: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"source": "通知", "holidays": ["2025-10-01"], "workdays": []}
    return {"years": {"2025": {**base, **entry}}}


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"2025": {}}, "years"),
        (_one_year(source=""), "source"),
        (_one_year(holiday=["2025-10-02"]), "unknown keys"),
        (_one_year(holidays=[]), "no holidays"),
        (_one_year(holidays=["2025-1-1"]), "YYYY-MM-DD"),
        (_one_year(holidays=["2025-02-30"]), "not a valid date"),
        (_one_year(holidays=["2024-10-01"]), "outside the year"),
        (_one_year(holidays=["2025-10-01", "2025-10-01"]), "twice"),
        (_one_year(workdays=["2025-10-01"]), "both"),
        (_one_year(workdays=["2025-10-10"]), "not a weekend"),  # a Friday
        ({"years": {"25": {}}}, "not a year"),
    ],
)
def test_a_malformed_schedule_file_is_refused(data: Any, complaint: str) -> None:
    with pytest.raises(ScheduleError, match=complaint):
        parse_schedules(data)


def test_the_same_date_in_two_notices_is_refused() -> None:
    data = {
        "years": {
            "2025": {"source": "a", "holidays": ["2025-12-31"]},
            "2026": {"source": "b", "holidays": ["2025-12-31"]},
        }
    }
    with pytest.raises(ScheduleError, match="both 2025 and 2026"):
        parse_schedules(data)


def test_the_shipped_file_is_valid_json_with_one_entry_per_year() -> None:
    from importlib import resources

    text = resources.files("gongkai.workdays").joinpath("data/corrections.json").read_text("utf-8")
    assert sorted(json.loads(text)["years"]) == ["2024", "2025", "2026"]
