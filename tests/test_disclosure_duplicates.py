"""Duplicate help: the same applicant's similar earlier requests and anyone's granted ones."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine

from gongkai.disclosure import actions
from gongkai.disclosure.actions import RequestInput
from gongkai.disclosure.duplicates import normalise, probes, similar_requests, similarity
from gongkai.disclosure.models import ApplicantType, Request
from tests.conftest import Cast

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
TEXT = "请公开2025年本区城区老旧小区改造项目的资金分配方案和验收报告"


def register(
    cast: Cast,
    arrived: str,
    description: str = TEXT,
    *,
    name: str = "王五",
    id_number: str = "370303198805050011",
    phone: str = "13700000000",
    granted: bool = False,
) -> Request:
    data = RequestInput(
        applicant_type=ApplicantType.PERSON,
        applicant_name=name,
        id_number=id_number,
        description=description,
        channel="in_person",
        arrived_on=D(arrived),
        unit=cast.justice,
        contact_phone=phone,
    )
    with time_machine.travel(dt.datetime.combine(D(arrived), dt.time(10), ZONE), tick=False):
        request, _ = actions.register_request(cast.office, data)
        if granted:
            actions.answer_on_the_spot(cast.justice_liaison, request, outcome="granted")
    return request


def found(request: Request, **kw: Any) -> dict[int, str]:
    return {c.request.pk: c.reason for c in similar_requests(request, today=D("2026-11-21"), **kw)}


def test_normalising_ignores_width_case_punctuation_and_spaces() -> None:
    assert normalise("２０２５年 ABC，（资金）！") == "2025年abc资金"
    assert similarity("老旧小区改造。", "老旧小区 改造") == 1.0
    assert similarity("", "老旧小区") == 0.0


def test_the_same_applicants_similar_earlier_request_is_found(cast: Cast) -> None:
    earlier = register(cast, "2025-03-03", TEXT.replace("请公开", "申请公开"))
    unrelated = register(cast, "2025-04-01", "本区2024年度行政复议案件数量统计")
    later = register(cast, "2025-05-06")

    reasons = found(later)

    assert list(reasons) == [earlier.pk]
    assert reasons[earlier.pk].startswith("同一申请人 2025-03-03 的申请，内容相似度 0.")
    assert unrelated.pk not in reasons
    assert found(earlier) == {}  # later requests are not "earlier"; itself never


def test_the_same_name_and_phone_count_when_an_id_is_missing(cast: Cast) -> None:
    earlier = register(cast, "2025-03-03", id_number="")
    stranger = register(cast, "2025-03-04", id_number="", phone="13611111111", name="赵六")
    later = register(cast, "2025-05-06")
    assert list(found(later)) == [earlier.pk]
    assert stranger.pk not in found(later)


def test_someone_elses_granted_request_with_nearly_the_same_text_is_found(cast: Cast) -> None:
    granted = register(cast, "2025-06-02", TEXT + "。", name="钱七", id_number="x1", granted=True)
    pending = register(cast, "2025-06-03", TEXT, name="孙八", id_number="x2")
    unrelated = register(
        cast, "2025-06-04", "区财政局2025年三公经费预算", name="周九", id_number="x3", granted=True
    )
    mine = register(cast, "2025-07-01")

    reasons = found(mine)

    assert list(reasons) == [granted.pk]  # not granted, or not alike: not listed
    assert reasons[granted.pk] == (
        f"2025-06-02 已予以公开的申请（{granted.tracking_no}），内容相似度 1.00，"
        "可考虑告知获取途径或转为主动公开"
    )
    assert pending.pk not in reasons and unrelated.pk not in reasons


def test_the_request_itself_is_never_listed_even_when_granted(cast: Cast) -> None:
    mine = register(cast, "2025-06-02", granted=True)
    assert found(mine) == {}


def test_probes_are_distinctive_runs_of_the_raw_text() -> None:
    runs = probes(TEXT)
    assert 1 <= len(runs) <= 4
    assert all(len(r) == 4 and r in TEXT for r in runs)
    assert probes("关于政府信息公开申请") == []


@pytest.mark.parametrize("limit", [1, 2])
def test_at_most_limit_candidates_best_first(cast: Cast, limit: int) -> None:
    close = register(cast, "2025-03-03", TEXT)
    register(cast, "2025-03-04", TEXT + "及相关会议纪要和招标文件")
    mine = register(cast, "2025-05-06")
    listed = similar_requests(mine, limit=limit, today=D("2026-11-21"))
    assert len(listed) == limit
    assert listed[0].request.pk == close.pk and listed[0].score == 1.0
