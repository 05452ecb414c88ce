"""Resolving unit phrases from task lists: table-driven over the seeds' wording, and fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.units.resolve import (
    Directory,
    GroupEntry,
    Resolution,
    Status,
    UnitEntry,
    normalise,
    resolve,
    resolve_many,
    split_units,
)

THRESHOLD = 85

# A directory shaped like the seeds': a provincial bureau's divisions, a district's bureaus,
# counties, and the groups task lists name.
UNITS = {
    1: ("办公室",),
    2: ("人事处",),
    3: ("执法监督局",),
    4: ("综合处",),
    5: ("人口处", "社科处"),
    6: ("财务处",),
    7: ("资料管理中心",),
    8: ("普查中心",),
    10: ("区司法局", "司法局"),
    11: ("区财政局", "财政局"),
    12: ("区发展和改革局", "发改局", "区发改局"),
    13: ("区农业农村局", "农业农村局"),
    20: ("泰山区", "泰山"),
    21: ("岱岳区",),
    22: ("新泰市",),
}
RETIRED = {30: ("区农业局",)}
GROUPS = {
    1: (("各县（市、区）", "各县市区"), (20, 21, 22)),
    2: (("各处室、中心", "各处室"), (1, 2, 3, 4, 5, 6, 7, 8)),
    3: (("市政府各部门（单位）",), (10, 11, 12, 13)),
    4: (("各成员单位",), (10, 11, 12, 13)),
    5: (("已撤销的临时小组",), ()),
}
DIRECTORY = Directory(
    units=tuple(UnitEntry(i, names) for i, names in UNITS.items())
    + tuple(UnitEntry(i, names, active=False) for i, names in RETIRED.items()),
    groups=tuple(GroupEntry(i, names, members) for i, (names, members) in GROUPS.items()),
)


@pytest.mark.parametrize(
    ("cell", "phrases"),
    [
        ("办公室、人事处", ["办公室", "人事处"]),
        ("执法监督局", ["执法监督局"]),
        ("财务处、办公室", ["财务处", "办公室"]),
        ("各县（市、区）", ["各县（市、区）"]),
        ("各县(市、区)、市政府各部门(单位)", ["各县(市、区)", "市政府各部门(单位)"]),
        ("市司法局、各县（市、区）", ["市司法局", "各县（市、区）"]),
        ("各处室、中心", ["各处室、中心"]),
        ("办公室、各处室、中心", ["办公室", "各处室、中心"]),
        ("各成员单位", ["各成员单位"]),
        (
            "区司法局牵头区级规范性文件集中公开工作,区各行政规范性文件制定主体具体落实;"
            "各成员单位负责做好本单位行政规范性文件集中公开工作",
            ["区司法局", "区各行政规范性文件制定主体", "各成员单位"],
        ),
        ("(牽頭股室:綜合股,責任股室:各相關股室)", ["綜合股", "各相關股室"]),
        ("(牽頭股室:綜合股、法規股,責任股室:各相關股室)", ["綜合股", "法規股", "各相關股室"]),
        (
            "（责任单位：办公室、执法监督局、综合处、核算处、人口处（社科处）、机关党委）",
            ["办公室", "执法监督局", "综合处", "核算处", "人口处（社科处）", "机关党委"],
        ),
        ("责任单位：财务处、办公室", ["财务处", "办公室"]),
        ("财务处、办公室等", ["财务处", "办公室"]),
        ("区发展和改革局等有关部门单位", ["区发展和改革局等有关部门单位"]),
        ("办公室\n人事处；财务处", ["办公室", "人事处", "财务处"]),
        ("办公室、办公室", ["办公室"]),
        ("", []),
        ("、，；", []),
    ],
)
def test_a_units_cell_splits_into_the_phrases_a_person_reads(cell: str, phrases: list[str]) -> None:
    assert split_units(cell) == phrases


@pytest.mark.parametrize(
    ("phrase", "status", "unit_ids", "group_id"),
    [
        ("办公室", Status.EXACT, (1,), None),
        ("区司法局", Status.EXACT, (10,), None),
        (" 区 司法局 ", Status.EXACT, (10,), None),
        ("司法局", Status.ALIAS, (10,), None),
        ("社科处", Status.ALIAS, (5,), None),
        ("市司法局", Status.ALIAS, (10,), None),
        ("县财政局", Status.ALIAS, (11,), None),
        ("市发改局", Status.ALIAS, (12,), None),
        ("人口处（社科处）", Status.ALIAS, (5,), None),
        ("各县（市、区）", Status.GROUP, (20, 21, 22), 1),
        ("各县(市,区)", Status.GROUP, (20, 21, 22), 1),
        ("各县市区", Status.GROUP, (20, 21, 22), 1),
        ("市政府各部门（单位）", Status.GROUP, (10, 11, 12, 13), 3),
        ("各处室、中心", Status.GROUP, (1, 2, 3, 4, 5, 6, 7, 8), 2),
        ("各成员单位", Status.GROUP, (10, 11, 12, 13), 4),
        ("资料管理中心站", Status.FUZZY, (7,), None),
    ],
)
def test_a_phrase_resolves_to_the_unit_or_group_it_names(
    phrase: str, status: Status, unit_ids: tuple[int, ...], group_id: int | None
) -> None:
    found = resolve(phrase, DIRECTORY, THRESHOLD)
    assert (found.status, found.unit_ids, found.group_id) == (status, unit_ids, group_id)
    assert found.resolved


def test_an_exact_match_scores_100_and_a_fuzzy_one_less() -> None:
    assert resolve("区财政局", DIRECTORY, THRESHOLD).score == 100
    fuzzy = resolve("资料管理中心站", DIRECTORY, THRESHOLD)
    assert THRESHOLD <= fuzzy.score < 100
    assert fuzzy.candidates[0] == ("资料管理中心", 7, fuzzy.score)


def test_a_near_miss_below_the_threshold_is_unresolved_with_the_right_candidate_first() -> None:
    found = resolve("执法监督处", DIRECTORY, THRESHOLD)
    assert found.status == Status.UNRESOLVED
    assert found.unit_ids == ()
    assert found.candidates[0].name == "执法监督局"
    assert found.candidates[0].unit_id == 3
    assert found.score == found.candidates[0].score < THRESHOLD
    scores = [c.score for c in found.candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_threshold_decides_whether_a_near_miss_is_accepted() -> None:
    score = resolve("执法监督处", DIRECTORY, THRESHOLD).score
    assert resolve("执法监督处", DIRECTORY, score).status == Status.FUZZY
    assert resolve("执法监督处", DIRECTORY, score).unit_ids == (3,)
    assert resolve("执法监督处", DIRECTORY, score + 1).status == Status.UNRESOLVED


def test_two_units_tied_at_the_top_leave_the_phrase_unresolved() -> None:
    directory = Directory(units=(UnitEntry(1, ("第一中心",)), UnitEntry(2, ("第二中心",))))
    found = resolve("第三中心", directory, threshold=50)
    assert found.status == Status.UNRESOLVED
    assert {c.unit_id for c in found.candidates} == {1, 2}
    assert found.candidates[0].score == found.candidates[1].score >= 50
    assert "多个" in found.note


def test_a_short_name_shared_by_two_units_is_ambiguous_not_a_guess() -> None:
    directory = Directory(
        units=(UnitEntry(1, ("区司法局", "司法局")), UnitEntry(2, ("县司法局", "司法局")))
    )
    for phrase in ("司法局", "市司法局"):
        found = resolve(phrase, directory, THRESHOLD)
        assert found.status == Status.UNRESOLVED, phrase
        assert sorted(c.unit_id for c in found.candidates) == [1, 2]


def test_a_level_prefix_only_makes_an_alias_of_a_short_name() -> None:
    assert resolve("市人事", DIRECTORY, THRESHOLD).status == Status.UNRESOLVED
    # 区 + the full name 区司法局 is not the prefix rule; at most a fuzzy match.
    assert resolve("区区司法局", DIRECTORY, THRESHOLD).status == Status.FUZZY
    directory = Directory(units=(UnitEntry(1, ("司法局",)),))
    assert resolve("市司法局", directory, THRESHOLD).status == Status.FUZZY


def test_a_retired_unit_is_not_assigned_and_the_note_says_why() -> None:
    found = resolve("区农业局", DIRECTORY, THRESHOLD)
    assert found.status == Status.UNRESOLVED
    assert "已停用" in found.note
    assert found.candidates[0].name == "区农业农村局"
    assert 30 not in {c.unit_id for c in found.candidates}


def test_a_retired_name_kept_as_an_alias_of_its_successor_resolves_to_the_successor() -> None:
    directory = Directory(
        units=(
            UnitEntry(1, ("区农业局",), active=False),
            UnitEntry(2, ("区农业农村局", "区农业局")),
        )
    )
    found = resolve("区农业局", directory, THRESHOLD)
    assert (found.status, found.unit_ids) == (Status.ALIAS, (2,))


def test_a_group_without_active_members_resolves_but_says_it_is_empty() -> None:
    found = resolve("已撤销的临时小组", DIRECTORY, THRESHOLD)
    assert (found.status, found.unit_ids, found.group_id) == (Status.GROUP, (), 5)
    assert "没有在用成员" in found.note


@pytest.mark.parametrize("phrase", ["", "   ", "（）", "、", "xyz", "綜合股"])
def test_nothing_recognisable_is_unresolved(phrase: str) -> None:
    found = resolve(phrase, DIRECTORY, THRESHOLD)
    assert found.status == Status.UNRESOLVED
    assert found.unit_ids == ()


def test_resolve_many_splits_then_resolves_each_phrase() -> None:
    found = resolve_many("（责任单位：办公室、人口处（社科处）、机关党委）", DIRECTORY, THRESHOLD)
    assert [(r.phrase, r.status) for r in found] == [
        ("办公室", Status.EXACT),
        ("人口处（社科处）", Status.ALIAS),
        ("机关党委", Status.UNRESOLVED),
    ]


def test_the_seed_district_cell_resolves_its_lead_and_group() -> None:
    cell = (
        "区司法局牵头区级规范性文件清理结果公开工作,有关区直部门单位具体落实;"
        "各成员单位负责做好本单位行政规范性文件清理结果公开"
    )
    found = {r.phrase: r for r in resolve_many(cell, DIRECTORY, THRESHOLD)}
    assert found["区司法局"].unit_ids == (10,)
    assert found["各成员单位"].status == Status.GROUP
    assert found["有关区直部门单位"].status == Status.UNRESOLVED


def test_normalising_folds_width_and_drops_brackets_and_punctuation() -> None:
    assert normalise("各县（市、区）") == normalise("各县(市,区)") == "各县市区"
    assert normalise(" ＡＢＣ１２３ ") == "abc123"


# -- never crashing on junk -------------------------------------------------------------------

_CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("区市县省各司法局财政处室中心单位牵头负责等（）()【】、，,；;:：\n ")),
        st.characters(),
    ),
    max_size=60,
)


def _check_invariants(found: Resolution, threshold: int) -> None:
    assert found.status in set(Status)
    assert 0 <= found.score <= 100
    scores = [c.score for c in found.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    if found.status == Status.UNRESOLVED:
        assert found.unit_ids == ()
    if found.status == Status.FUZZY:
        assert len(found.unit_ids) == 1 and found.score >= threshold
        assert len(scores) < 2 or scores[0] > scores[1]
    if found.status in (Status.EXACT, Status.ALIAS):
        assert len(found.unit_ids) == 1 and found.score == 100


@given(text=_CELL_TEXT, threshold=st.integers(min_value=1, max_value=100))
def test_resolve_never_crashes_and_keeps_its_promises_on_any_text(
    text: str, threshold: int
) -> None:
    _check_invariants(resolve(text, DIRECTORY, threshold), threshold)


@given(text=_CELL_TEXT)
def test_splitting_any_cell_yields_distinct_non_empty_phrases(text: str) -> None:
    phrases = split_units(text)
    assert all(normalise(p) for p in phrases)
    assert len(phrases) == len(set(phrases))
    for found in resolve_many(text, DIRECTORY, THRESHOLD):
        _check_invariants(found, THRESHOLD)


@given(name=st.sampled_from([names[0] for names in UNITS.values()]))
def test_every_full_name_in_the_directory_resolves_exactly_to_its_unit(name: str) -> None:
    found = resolve(name, DIRECTORY, THRESHOLD)
    assert found.status == Status.EXACT
    assert UNITS[found.unit_ids[0]][0] == name
