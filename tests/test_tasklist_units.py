"""Who does a task: units cells and trailing units notes, split into lead and responsible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.tasklist.unitphrases import (
    UnitSplit,
    looks_like_unit,
    split_units,
    take_trailing_units,
    unit_phrases,
)
from gongkai.units.resolve import split_units as resolver_split

SENTENCE = (
    "区司法局牵头区级规范性文件集中公开工作,区各行政规范性文件制定主体具体落实;"
    "各成员单位负责做好本单位行政规范性文件集中公开工作"
)


@pytest.mark.parametrize(
    ("cell", "lead", "responsible"),
    [
        ("办公室、人事处", [], ["办公室", "人事处"]),
        ("执法监督局", [], ["执法监督局"]),
        ("各县（市、区）、市政府各部门（单位）", [], ["各县（市、区）", "市政府各部门（单位）"]),
        ("各县(市、区),市政府各部门(单位)", [], ["各县(市、区)", "市政府各部门(单位)"]),
        (
            "办公室；人事处;财务处，综合处,核算处",
            [],
            ["办公室", "人事处", "财务处", "综合处", "核算处"],
        ),
        ("各处室、中心", [], ["各处室、中心"]),
        ("财务处、办公室等", [], ["财务处", "办公室"]),
        ("区发展和改革局等有关部门单位", [], ["区发展和改革局等有关部门单位"]),
        ("办公室牵头，各科室配合", ["办公室"], ["各科室"]),
        ("办公室牵头,各科室配合", ["办公室"], ["各科室"]),
        ("财务处、办公室负责", [], ["财务处", "办公室"]),
        ("各相关处室按职责分工落实", [], ["各相关处室"]),
        ("市司法局牵头落实", ["市司法局"], []),
        ("市司法局（牵头）、各县（市、区）", ["市司法局"], ["各县（市、区）"]),
        ("牵头单位：办公室；责任单位：人事处、财务处", ["办公室"], ["人事处", "财务处"]),
        ("牵头部门:办公室;配合部门:各科室", ["办公室"], ["各科室"]),
        ("（牵头科室：办公室，责任科室：各科室）", ["办公室"], ["各科室"]),
        ("(牽頭股室:綜合股、法規股,責任股室:各相關股室)", ["綜合股", "法規股"], ["各相關股室"]),
        ("牵头处室：综合处\n责任处室：核算处", ["综合处"], ["核算处"]),
        ("市行政审批服务局\n市公共资源交易中心", [], ["市行政审批服务局", "市公共资源交易中心"]),
        ("市自然资源和\n规划局", [], ["市自然资源和规划局"]),
        ("各县（市、区）、\n市政府各部门（单位）", [], ["各县（市、区）", "市政府各部门（单位）"]),
        (" 市大数据中心", [], ["市大数据中心"]),
        ("", [], []),
        ("、，；", [], []),
    ],
)
def test_a_units_cell_splits_into_lead_and_responsible_units(
    cell: str, lead: list[str], responsible: list[str]
) -> None:
    found = split_units(cell)
    assert (found.lead, found.responsible) == (lead, responsible)
    assert found.note is None


def test_a_units_sentence_gives_the_lead_the_short_subjects_and_keeps_the_sentence() -> None:
    found = split_units(SENTENCE)
    assert found.lead == ["区司法局"]
    assert found.responsible == ["区各行政规范性文件制定主体", "各成员单位"]
    assert found.note == SENTENCE


def test_a_lead_named_after_you_in_a_sentence_is_still_the_lead() -> None:
    found = split_units(
        "区政府重大行政决策预公开工作由区司法局牵头,区政府各部门单位负责做好本单位预公开工作;"
    )
    assert found.lead == ["区司法局"]
    assert found.responsible == ["区政府各部门单位"]
    assert found.note is not None


def test_a_subject_that_is_not_a_unit_is_left_out_of_the_units_but_kept_in_the_note() -> None:
    found = split_units("由分管领导牵头，各科室负责具体工作")
    assert found.lead == []
    assert found.responsible == ["各科室"]
    assert found.note == "由分管领导牵头，各科室负责具体工作"


def test_a_deadline_label_among_the_units_is_the_deadline() -> None:
    found = split_units("牵头单位：办公室；配合单位：各科室；完成时限：2023年6月底前")
    assert found == UnitSplit(["办公室"], ["各科室"], None, "2023年6月底前")


@pytest.mark.parametrize(
    ("item", "body", "lead", "responsible"),
    [
        ("做好年报。（责任单位：办公室、人事处）", "做好年报。", [], ["办公室", "人事处"]),
        ("做好年报（责任单位：办公室）。", "做好年报。", [], ["办公室"]),
        ("做好年报。(责任单位:办公室)", "做好年报。", [], ["办公室"]),
        (
            "做好年报。（责任单位：执法监督局、资料管理中心)",
            "做好年报。",
            [],
            ["执法监督局", "资料管理中心"],
        ),
        (
            "做好年报。(牽頭股室:綜合股,責任股室:各相關股室)",
            "做好年报。",
            ["綜合股"],
            ["各相關股室"],
        ),
        ("做好年报。（牵头单位：办公室；责任单位：各科室）", "做好年报。", ["办公室"], ["各科室"]),
        ("做好年报。责任单位：办公室、人事处", "做好年报。", [], ["办公室", "人事处"]),
        ("做好年报。（县政府办公室牵头，各乡镇配合）", "做好年报。", ["县政府办公室"], ["各乡镇"]),
        ("做好年报（办公室、人事处）", "做好年报", [], ["办公室", "人事处"]),
        ("做好年报。（责任单位：综合处", "做好年报。", [], ["综合处"]),
    ],
)
def test_a_trailing_units_note_is_cut_from_the_item(
    item: str, body: str, lead: list[str], responsible: list[str]
) -> None:
    text, found = take_trailing_units(item)
    assert found is not None
    assert (text, found.lead, found.responsible) == (body, lead, responsible)


@pytest.mark.parametrize(
    "item",
    [
        "做好年报（2023年底前）",
        "按照《条例》（国办公开办函〔2021〕30号）要求做好年报",
        "做好年报（国办公开办函〔2021〕30号）",
        "按规定公开（试行）",
        "做好年报。",
        "",
    ],
)
def test_a_bracket_that_names_no_units_stays_in_the_item(item: str) -> None:
    assert take_trailing_units(item) == (item.rstrip(), None)


def test_two_trailing_notes_give_units_and_a_deadline() -> None:
    text, found = take_trailing_units("做好年报。（责任单位：办公室）（完成时限：6月底前）")
    assert text == "做好年报。"
    assert found is not None
    assert (found.responsible, found.deadline) == (["办公室"], "6月底前")


@pytest.mark.parametrize(
    ("phrase", "unit"),
    [
        ("办公室", True),
        ("区司法局", True),
        ("各县（市、区）", True),
        ("市政府各部门（单位）", True),
        ("各相關股室", True),
        ("泰山护理职业学院", True),
        ("区各行政规范性文件制定主体", True),
        ("试行", False),
        ("2023年底前", False),
        ("做好年报工作。", False),
        ("区级规范性文件集中公开工作", False),
    ],
)
def test_what_reads_as_a_unit_name(phrase: str, unit: bool) -> None:
    assert looks_like_unit(phrase) is unit


def test_the_unit_resolver_cuts_phrases_with_the_same_splitter() -> None:
    for cell in (
        SENTENCE,
        "办公室牵头，各科室配合",
        "各处室、中心",
        "(牽頭股室:綜合股,責任股室:各相關股室)",
    ):
        assert resolver_split(cell) == unit_phrases(cell) == split_units(cell).phrases


_CELL = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list("区市县各司法局处室中心单位牵头负责配合落实等由（）()【】、，,；;:：\n 。")
        ),
        st.characters(),
    ),
    max_size=80,
)


@given(text=_CELL)
def test_splitting_any_text_never_fails_and_gives_distinct_phrases(text: str) -> None:
    found = split_units(text)
    assert len(found.lead) == len(set(found.lead))
    assert len(found.responsible) == len(set(found.responsible))
    assert all(p.strip() for p in found.phrases)


@given(text=_CELL)
def test_cutting_a_trailing_note_never_fails_and_only_shortens_the_item(text: str) -> None:
    body, found = take_trailing_units(text)
    assert len(body) <= len(text)
    if found is None:
        assert body == text.rstrip()
