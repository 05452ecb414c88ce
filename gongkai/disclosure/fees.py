"""The information-processing fee (信息处理费), 国办函〔2020〕109号.

The rules are 《政府信息公开信息处理费管理办法》.

Providing information on application is free (条例 Art. 42); a fee may be charged only when the
number or frequency of requests clearly exceeds a reasonable range. Per request the office picks
one of two methods, each progressive by band (domain-rules §1.6, A8):

- 按件计收: by the applicant's count of requests in the calendar month. `fee_per_request(k)` is
  the fee of *this* request when it is the k-th of the month: the 1st–10th are free, the
  11th–30th cost 100 元, and from the 31st each band of ten costs 100 元 more (31–40: 200, …).
- 按量计收: by pages, 1–30 free, then 10, 20 and 40 元 a page for the parts of the request in
  31–100, 101–200 and above 200.

The two pure functions hold the tables; `monthly_count` and `quote` read the register.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Coalesce

from gongkai.disclosure.models import FeeMethod, Request

#: How the fee notice names the rules it applies.
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

PER_REQUEST_STANDARD = (
    "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；"
    "11—30件（含30件）的部分，每件收费100元；"
    "31件以上的部分，以10件为一档，每增加一档，收费标准每件提高100元"
)
PER_PAGE_STANDARD = (
    "同一政府信息公开申请中，30页以下（含30页）的，不收费；"
    "31—100页（含100页）的部分，每页收费10元；"
    "101—200页（含200页）的部分，每页收费20元；"
    "201页以上的部分，每页收费40元"
)

FREE_REQUESTS = 10
FREE_PAGES = 30


def fee_per_request(k: int) -> int:
    """The fee in 元 of a request that is the applicant's k-th this calendar month (k ≥ 1)."""
    if k < 1:
        raise ValueError(f"本月申请件数应从1起算，收到的是 {k}")
    if k <= FREE_REQUESTS:
        return 0
    if k <= 30:
        return 100
    return 100 * (2 + (k - 31) // 10)


def fee_by_pages(p: int) -> int:
    """The fee in 元 of a request whose information runs to p pages, each band at its rate."""
    if p < 0:
        raise ValueError(f"页数不能为负数，收到的是 {p}")
    return (
        10 * max(0, min(p, 100) - FREE_PAGES)
        + 20 * max(0, min(p, 200) - 100)
        + 40 * max(0, p - 200)
    )


def per_request_band(k: int) -> str:
    """The band of the k-th request in words, e.g. "第11—30件"."""
    if k <= FREE_REQUESTS:
        return "第1—10件"
    if k <= 30:
        return "第11—30件"
    low = 31 + (k - 31) // 10 * 10
    return f"第{low}—{low + 9}件"


def receipt_day(request: Request) -> dt.date:
    """The day the request counts from: its receipt day once fixed, else the day it arrived."""
    return request.received_on or request.arrived_on


def _same_applicant(request: Request) -> Q:
    if request.id_number.strip():
        return Q(id_number=request.id_number.strip())
    return Q(applicant_name=request.applicant_name, contact_phone=request.contact_phone)


def monthly_count(request: Request) -> int:
    """Which request of its applicant this is in the calendar month of its receipt day.

    The same applicant is the same identity number when one was given, else the same name and
    phone. Only requests to the same handling unit count: each organ answers and charges for
    the requests made to it (109号 counts an applicant's requests to one organ). Requests of the
    month count up to and including this one, ordered by receipt day and
    then by id, so the answer does not change when later requests arrive.
    """
    day = receipt_day(request)
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    month = (
        Request.objects.annotate(counted_on=Coalesce("received_on", "arrived_on"))
        .filter(_same_applicant(request), counted_on__gte=first, counted_on__lte=last)
        .filter(unit_id=request.unit_id)
        .filter(counted_on__lte=day)
    )
    if request.pk is None:
        return month.count() + 1
    earlier = Q(counted_on__lt=day) | Q(counted_on=day, pk__lte=request.pk)
    return month.filter(earlier).count()


@dataclass(frozen=True)
class FeeQuote:
    method: FeeMethod
    #: The rules and the standard of the method, for the fee notice.
    basis_text: str
    amount: Decimal
    #: How this amount was reached, in words.
    explanation: str


def quote(request: Request, method: str, pages: int | None = None) -> FeeQuote:
    """The fee of `request` by `method`; `pages` defaults to the request's recorded pages."""
    fee_method = FeeMethod(method)
    if fee_method == FeeMethod.NONE:
        return FeeQuote(
            fee_method,
            "依申请提供政府信息，不收取费用（《中华人民共和国政府信息公开条例》第四十二条）",
            Decimal(0),
            "本申请不收取信息处理费。",
        )
    if fee_method == FeeMethod.PER_REQUEST:
        k = monthly_count(request)
        amount = fee_per_request(k)
        day = receipt_day(request)
        explanation = (
            f"按件计收：本申请是申请人{day.year}年{day.month}月提出的第{k}件申请，"
            f"属于{per_request_band(k)}档，"
            + (
                "不收费。"
                if amount == 0
                else f"每件收费{amount}元，本申请应缴纳信息处理费{amount}元。"
            )
        )
        basis = f"{FEE_RULES}，按件计收，收费标准为：{PER_REQUEST_STANDARD}"
        return FeeQuote(fee_method, basis, Decimal(amount), explanation)
    if pages is None:
        pages = request.fee_pages
    if pages is None:
        raise ValueError("按量计收需要填写页数")
    amount = fee_by_pages(pages)
    parts = [
        f"{n}页×{rate}元"
        for n, rate in (
            (max(0, min(pages, 100) - FREE_PAGES), 10),
            (max(0, min(pages, 200) - 100), 20),
            (max(0, pages - 200), 40),
        )
        if n
    ]
    explanation = f"按量计收：本申请所涉政府信息共{pages}页，" + (
        "在30页以内，不收费。"
        if amount == 0
        else f"前30页不收费，{'＋'.join(parts)}，合计{amount}元。"
    )
    basis = f"{FEE_RULES}，按量计收，收费标准为：{PER_PAGE_STANDARD}"
    return FeeQuote(fee_method, basis, Decimal(amount), explanation)
