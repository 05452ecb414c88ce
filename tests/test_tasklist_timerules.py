"""Time rules read from requirement text and 时限 cells: phrases from the seed task lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.tasklist.model import RuleKind, RuleUnit
from gongkai.tasklist.timerules import extract_time_rules, number

W, R, M, B = RuleKind.WITHIN, RuleKind.RECURRING, RuleKind.MINIMUM, RuleKind.BY_DATE
ON = RuleKind.ONGOING
WD, H, D, WK, MO, Q, Y = (
    RuleUnit.WORKDAY, RuleUnit.HOUR, RuleUnit.DAY, RuleUnit.WEEK, RuleUnit.MONTH, RuleUnit.QUARTER,
    RuleUnit.YEAR,
)  # fmt: skip

Rule = tuple[RuleKind, int | None, RuleUnit | None, str | None, str]

# (text, plan year, expected rules as (kind, amount, unit, date, text)). Most texts are
# sentences from the seeds (000–004), some reworded into Traditional script or full-width digits.
CASES: list[tuple[str, int | None, list[Rule]]] = [
    # within
    ("确保在发布后3个工作日内关联发布解读材料。", 2023, [(W, 3, WD, None, "3个工作日内")]),
    ("文件发布后,3个工作日内关联发布解读材料", None, [(W, 3, WD, None, "3个工作日内")]),
    ("于会议召开后3个工作日内公开发布并关联", None, [(W, 3, WD, None, "3个工作日内")]),
    ("对涉及本地区、本单位的重大突发事件、重要政务舆情，要在5个小时内发布权威信息，"
     "在24小时内举行新闻发布会，其他舆情要在48小时内予以回应。", 2020,
     [(W, 5, H, None, "5个小时内"), (W, 24, H, None, "24小时内"), (W, 48, H, None, "48小时内")]),
    ("其他舆情要在48小时内予以回应。 |", None, [(W, 48, H, None, "48小时内")]),
    ("在24小时内举行新闻发布会", None, [(W, 24, H, None, "24小时内")]),
    ("务舆情,要在5个小时内发布权威信息,", None, [(W, 5, H, None, "5个小时内")]),
    ("对简单咨询事项的答复不超过3个工作日。", None, [(W, 3, WD, None, "不超过3个工作日")]),
    ("复杂事项的答复不超过5个工作日。", None, [(W, 5, WD, None, "不超过5个工作日")]),
    ("收到申请之日起15日内予以答复", None, [(W, 15, D, None, "15日内")]),
    ("三个工作日内办结", None, [(W, 3, WD, None, "三个工作日内")]),
    ("十五个工作日内答复", None, [(W, 15, WD, None, "十五个工作日内")]),
    ("一周内完成整改", None, [(W, 1, WK, None, "一周内")]),
    ("两周内完成整改", None, [(W, 2, WK, None, "两周内")]),
    ("信息形成或变更之日起20个工作日内", None, [(W, 20, WD, None, "20个工作日内")]),
    ("３个工作日内关联发布", None, [(W, 3, WD, None, "３个工作日内")]),
    ("文件發布後3個工作日內關聯發布解讀材料", None, [(W, 3, WD, None, "3個工作日內")]),
    ("要在5個小時內發布權威信息", None, [(W, 5, H, None, "5個小時內")]),
    ("3个月内完成", None, [(W, 3, MO, None, "3个月内")]),
    ("5个工作日", None, [(W, 5, WD, None, "5个工作日")]),  # a 时限 cell
    # minimum
    ("公开征求意见的期限一般不少于30日。", 2020, [(M, 30, D, None, "不少于30日")]),
    ("公開徵求意見的期限一般不少於30日", None, [(M, 30, D, None, "不少於30日")]),
    ("征求意见时间至少30天", None, [(M, 30, D, None, "至少30天")]),
    ("公示期不少于7个工作日", None, [(M, 7, WD, None, "不少于7个工作日")]),
    # recurring
    ("每季度参加省政府新闻发布会", None, [(R, 1, Q, None, "每季度")]),
    ("以县（市、区）为单位每季度梳理涉企政策，集中推送", None, [(R, 1, Q, None, "每季度")]),
    ("黨組書記、局長每季度聽取政務公開工作匯報", None, [(R, 1, Q, None, "每季度")]),
    ("确保至少2周内更新一次信息,功能覆盖有效互动", None, [(R, 2, WK, None, "至少2周内更新一次")]),
    ("每两周更新", None, [(R, 2, WK, None, "每两周")]),
    ("每月发布", None, [(R, 1, MO, None, "每月")]),
    ("每年公开", None, [(R, 1, Y, None, "每年")]),
    ("每半年通报一次", None, [(R, 6, MO, None, "每半年")]),
    ("每周检查", None, [(R, 1, WK, None, "每周")]),
    ("每年1月31日前发布上一年度报告", 2023, [(R, 1, Y, None, "每年1月31日前")]),
    ("按季度公开执行情况", None, [(R, 1, Q, None, "按季度")]),
    ("一年一次", None, [(R, 1, Y, None, "一年一次")]),
    # by a date
    ("2020年底前编制完成本级政务公开标准目录", 2020, [(B, None, None, "2020-12-31", "2020年底前")]),
    ("2020年底前编制完成", None, [(B, None, None, "2020-12-31", "2020年底前")]),
    ("年底把推进基层政务公开标准化规范化情况作为考核内容", 2020,
     [(B, None, None, "2020-12-31", "年底")]),
    ("年底前完成", None, [(B, None, None, None, "年底前")]),
    ("年末完成", 2023, [(B, None, None, "2023-12-31", "年末")]),
    ("6月底前完成", 2023, [(B, None, None, "2023-06-30", "6月底前")]),
    ("2月底前", 2024, [(B, None, None, "2024-02-29", "2月底前")]),
    ("6月底前完成", None, [(B, None, None, None, "6月底前")]),
    ("第一季度完成", 2023, [(B, None, None, "2023-03-31", "第一季度")]),
    ("一季度末前", 2023, [(B, None, None, "2023-03-31", "一季度末前")]),
    ("上半年完成", 2023, [(B, None, None, "2023-06-30", "上半年")]),
    ("下半年完成", 2023, [(B, None, None, "2023-12-31", "下半年")]),
    ("9月30日前报送", 2023, [(B, None, None, "2023-09-30", "9月30日前")]),
    ("2023年11月15日前报送", None, [(B, None, None, "2023-11-15", "2023年11月15日前")]),
    ("次年1月底前", 2023, [(B, None, None, "2024-01-31", "次年1月底前")]),
    ("2023年6月30日", None, [(B, None, None, "2023-06-30", "2023年6月30日")]),  # a 时限 cell
    ("2023-06-30", None, [(B, None, None, "2023-06-30", "2023-06-30")]),
    ("2月30日前", 2023, []),  # not a date
    # ongoing
    ("持续推进国资监管和国企改革信息公开。", None, [(ON, None, None, None, "持续推进")]),
    ("持續推進決策、執行、管理、服務、結果“五公開”", None, [(ON, None, None, None, "持續推進")]),
    ("持续深化开展政府开放日、网络问政", None, [(ON, None, None, None, "持续深化")]),
    ("持续做好普惠性学前教育信息公开", None, [(ON, None, None, None, "持续做好")]),
    ("常态化落实邀请利益相关方、公众代表、专家、媒体等列席政府常务会", None,
     [(ON, None, None, None, "常态化")]),
    ("长期", None, [(ON, None, None, None, "长期")]),
    # not rules
    ("及时公开人大代表建议、政协委员提案办理结果和办理总体情况。", None, []),
    ("定期公开政府工作报告重点任务", None, []),
    ("积极利用新媒体平台，形成持续有效的宣传引导氛围", None, []),
    ("做好疫情防控常态化下疫情信息和防控知识公开", None, []),
    ("3个工作日内一次性告知", None, [(W, 3, WD, None, "3个工作日内")]),
    ("", None, []),
]  # fmt: skip


def _as_tuples(text: str, year: int | None) -> list[Rule]:
    return [(r.kind, r.amount, r.unit, r.date, r.text) for r in extract_time_rules(text, year)]


@pytest.mark.parametrize(("text", "year", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_time_rules_read_from_seed_phrases(
    text: str, year: int | None, expected: list[Rule]
) -> None:
    assert _as_tuples(text, year) == expected


def test_rules_keep_order_of_appearance_and_drop_repeats() -> None:
    text = "每季度公开一次；48小时内回应，48小时内答复；年底前总结，每季度通报"
    assert [r.text for r in extract_time_rules(text, 2023)] == ["每季度", "48小时内", "年底前"]


def test_chinese_numerals() -> None:
    assert [number(t) for t in ("3", "十五", "两", "二十一", "一百", "二〇二〇", "x")] == [
        3, 15, 2, 21, 100, 2020, None,
    ]  # fmt: skip


@given(st.text(max_size=300), st.one_of(st.none(), st.integers(-5000, 5000)))
@settings(max_examples=300, deadline=None)
def test_extraction_never_crashes_on_arbitrary_text(text: str, year: int | None) -> None:
    for rule in extract_time_rules(text, year):
        assert rule.text and rule.text in text


_PIECES = st.sampled_from(
    [
        *"0123456789０１２３一二两三十百千个工作日小时天周月季度年内每至少不于底末前第上下半次",
        *(
            "持续推进",
            "常态化",
            "不少于",
            "以内",
            "之前",
            "更新一次",
            "２０２３",
            "年底",
            "。",
            " ",
        ),
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join), st.one_of(st.none(), st.integers(1, 9999)))
@settings(max_examples=400, deadline=None)
def test_extraction_never_crashes_on_time_like_text(text: str, year: int | None) -> None:
    rules = extract_time_rules(text, year)
    spans = [r.text for r in rules]
    assert all(s in text for s in spans)
    assert len({(r.kind, r.amount, r.unit, r.date) for r in rules}) == len(rules)
