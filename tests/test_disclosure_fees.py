"""The information-processing fee (国办函〔2020〕109号; domain-rules §1.6, A8)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.disclosure.fees import fee_by_pages, fee_per_request, monthly_count, quote
from gongkai.disclosure.models import FeeMethod, Request

_serial = itertools.count(1)


def make_request(unit: Any, *, day: dt.date, received: bool = True, **fields: Any) -> Request:
    values: dict[str, Any] = {
        "tracking_no": f"YSQ-FEE-{next(_serial):05d}",
        "applicant_type": "person",
        "applicant_name": "李四",
        "id_number": "110101199001011234",
        "contact_phone": "13800000000",
        "description": "某项政府信息",
        "channel": "online",
        "arrived_on": day,
        "received_on": day if received else None,
        "unit": unit,
    }
    values.update(fields)
    return Request.objects.create(**values)


# -- the tables ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "fee"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (20, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (100, 800),
    ],
)
def test_fee_per_request_is_the_band_of_the_kth_request(k: int, fee: int) -> None:
    assert fee_per_request(k) == fee


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (1, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (150, 1700),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ],
)
def test_fee_by_pages_charges_each_band_at_its_rate(pages: int, fee: int) -> None:
    assert fee_by_pages(pages) == fee


def test_negative_pages_and_a_zeroth_request_are_refused() -> None:
    with pytest.raises(ValueError, match="页数不能为负数"):
        fee_by_pages(-1)
    with pytest.raises(ValueError, match="起算"):
        fee_per_request(0)


@given(st.integers(min_value=0, max_value=100_000))
def test_fee_by_pages_is_never_negative_and_never_falls(p: int) -> None:
    assert 0 <= fee_by_pages(p) <= fee_by_pages(p + 1)
    # The next page costs the rate of the band it falls in.
    assert fee_by_pages(p + 1) - fee_by_pages(p) in (0, 10, 20, 40)


@given(st.integers(min_value=1, max_value=100_000))
def test_fee_per_request_is_never_negative_and_never_falls(k: int) -> None:
    assert 0 <= fee_per_request(k) <= fee_per_request(k + 1)
    assert fee_per_request(k) % 100 == 0


# -- counting the applicant's requests -------------------------------------------------------


def test_monthly_count_counts_this_and_earlier_requests_of_the_month(cast: Any) -> None:
    make_request(cast.justice, day=dt.date(2025, 3, 31))  # the month before
    first = make_request(cast.justice, day=dt.date(2025, 4, 1))
    same_day = make_request(cast.justice, day=dt.date(2025, 4, 1))
    later = make_request(cast.justice, day=dt.date(2025, 4, 30))
    make_request(cast.justice, day=dt.date(2025, 5, 1))  # the month after
    assert [monthly_count(r) for r in (first, same_day, later)] == [1, 2, 3]


def test_monthly_count_is_per_organ(cast: Any) -> None:
    make_request(cast.justice, day=dt.date(2025, 4, 1))
    elsewhere = make_request(cast.finance, day=dt.date(2025, 4, 2))
    assert monthly_count(elsewhere) == 1


def test_monthly_count_does_not_change_when_later_requests_arrive(cast: Any) -> None:
    early = make_request(cast.justice, day=dt.date(2025, 4, 10))
    assert monthly_count(early) == 1
    make_request(cast.justice, day=dt.date(2025, 4, 11))
    # Registered later but received earlier: it counts before `early`.
    make_request(cast.justice, day=dt.date(2025, 4, 2))
    assert monthly_count(early) == 2


def test_monthly_count_uses_arrival_day_until_the_receipt_day_is_fixed(cast: Any) -> None:
    make_request(cast.justice, day=dt.date(2025, 6, 3), received=False)
    second = make_request(cast.justice, day=dt.date(2025, 5, 30), received_on=dt.date(2025, 6, 4))
    assert monthly_count(second) == 2


def test_applicants_are_told_apart_by_id_number_else_name_and_phone(cast: Any) -> None:
    day = dt.date(2025, 7, 1)
    make_request(cast.justice, day=day, id_number="A1")
    make_request(cast.justice, day=day, id_number="B2")  # same name and phone, another person
    mine = make_request(cast.justice, day=day, id_number="A1")
    assert monthly_count(mine) == 2

    make_request(cast.justice, day=day, id_number="", applicant_name="王五", contact_phone="1")
    make_request(cast.justice, day=day, id_number="", applicant_name="王五", contact_phone="2")
    no_id = make_request(
        cast.justice, day=day, id_number="", applicant_name="王五", contact_phone="1"
    )
    assert monthly_count(no_id) == 2


# -- quotes ------------------------------------------------------------------------------------


def test_per_request_quote_for_the_twelfth_request_of_the_month(cast: Any) -> None:
    for n in range(11):
        make_request(cast.justice, day=dt.date(2025, 8, 1 + n))
    twelfth = make_request(cast.justice, day=dt.date(2025, 8, 20))
    priced = quote(twelfth, FeeMethod.PER_REQUEST)
    assert priced.method == FeeMethod.PER_REQUEST
    assert priced.amount == Decimal(100)
    assert "第12件" in priced.explanation
    assert "第11—30件" in priced.explanation
    assert "国办函〔2020〕109号" in priced.basis_text


def test_the_tenth_request_of_the_month_is_free(cast: Any) -> None:
    for n in range(9):
        make_request(cast.justice, day=dt.date(2025, 8, 1 + n))
    tenth = make_request(cast.justice, day=dt.date(2025, 8, 20))
    priced = quote(tenth, "per_request")
    assert priced.amount == 0
    assert "不收费" in priced.explanation


def test_per_page_quote_uses_the_given_or_recorded_pages(cast: Any) -> None:
    request = make_request(cast.justice, day=dt.date(2025, 8, 1), fee_pages=150)
    assert quote(request, FeeMethod.PER_PAGE).amount == Decimal(1700)
    priced = quote(request, FeeMethod.PER_PAGE, pages=250)
    assert priced.amount == Decimal(4700)
    assert "250页" in priced.explanation
    assert "合计4700元" in priced.explanation


def test_per_page_quote_without_pages_is_refused(cast: Any) -> None:
    request = make_request(cast.justice, day=dt.date(2025, 8, 1))
    with pytest.raises(ValueError, match="页数"):
        quote(request, FeeMethod.PER_PAGE)


def test_no_fee_quote_is_zero(cast: Any) -> None:
    request = make_request(cast.justice, day=dt.date(2025, 8, 1))
    priced = quote(request, FeeMethod.NONE)
    assert priced.amount == 0
    assert "第四十二条" in priced.basis_text
