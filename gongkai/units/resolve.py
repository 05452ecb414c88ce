"""Which unit does a phrase from a task list mean? A pure library: no Django here.

Task lists name units loosely: full names (区司法局), short names (司法局), a level prefix on a
short name (市司法局), named groups (各成员单位), bracketed remarks (人口处（社科处）) and
typos. `resolve` tries, in order, an exact name, a short name or alias, a group, a level prefix
on a short name, the phrase without its bracketed remarks, and finally a fuzzy score. Anything
ambiguous or below the threshold comes back unresolved with candidates: the office decides,
the resolver never guesses silently.

`split_units` cuts a task list's units cell into phrases; `resolve_many` does both.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from gongkai.tasklist.unitphrases import unit_phrases

#: Level prefixes a task list may put before a unit's short name (市司法局 for 司法局).
LEVEL_PREFIXES = ("省", "市", "区", "县", "镇", "乡")
#: Fuzzy candidates scoring below this are noise, not suggestions.
MIN_CANDIDATE_SCORE = 55
MAX_CANDIDATES = 5


class Status(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    GROUP = "group"
    FUZZY = "fuzzy"
    UNRESOLVED = "unresolved"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.EXACT: "名称一致",
    Status.ALIAS: "简称或别名",
    Status.GROUP: "单位组",
    Status.FUZZY: "近似匹配",
    Status.UNRESOLVED: "未能确定",
}


@dataclass(frozen=True)
class UnitEntry:
    """One unit: `names[0]` is the full name, the rest its short name and aliases."""

    id: int
    names: tuple[str, ...]
    active: bool = True

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class GroupEntry:
    """A named set of units; `member_ids` are its members as of when the directory was loaded."""

    id: int
    names: tuple[str, ...]
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class Directory:
    units: tuple[UnitEntry, ...] = ()
    groups: tuple[GroupEntry, ...] = ()

    @cached_property
    def _index(self) -> _Index:
        return _Index(self)


class Candidate(NamedTuple):
    name: str
    unit_id: int
    score: int


@dataclass(frozen=True)
class Resolution:
    phrase: str
    status: Status
    unit_ids: tuple[int, ...] = ()
    group_id: int | None = None
    score: int = 0
    candidates: tuple[Candidate, ...] = ()
    #: Why the phrase resolved the way it did, when that is not obvious (in Chinese, for the UI).
    note: str = ""

    @property
    def resolved(self) -> bool:
        return self.status != Status.UNRESOLVED


def normalise(text: str) -> str:
    """The matching key: width-folded (NFKC), lower-case, letters and digits only.

    Brackets, punctuation and whitespace go, so 各县（市、区） and 各县(市,区) are one key.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def strip_level_prefix(key: str) -> str:
    """A normalised key without one leading level prefix, or "" when it has none to strip."""
    for prefix in LEVEL_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            return key[len(prefix) :]
    return ""


class _Index:
    """Lookup tables for one directory, built once per Directory object."""

    def __init__(self, directory: Directory) -> None:
        self.units = {u.id: u for u in directory.units}
        self.active = [u for u in directory.units if u.active]
        self.full: dict[str, set[int]] = {}
        self.alias: dict[str, set[int]] = {}
        self.inactive: dict[str, set[int]] = {}
        for unit in directory.units:
            keys = [normalise(n) for n in unit.names]
            if not unit.active:
                for key in keys:
                    self.inactive.setdefault(key, set()).add(unit.id)
                continue
            if keys and keys[0]:
                self.full.setdefault(keys[0], set()).add(unit.id)
            for key in keys[1:]:
                if key:
                    self.alias.setdefault(key, set()).add(unit.id)
        self.groups: dict[str, list[GroupEntry]] = {}
        for group in directory.groups:
            for key in {normalise(n) for n in group.names} - {""}:
                self.groups.setdefault(key, []).append(group)
        self.keys = {u.id: [k for k in (normalise(n) for n in u.names) if k] for u in self.active}


def resolve(phrase: str, directory: Directory, threshold: int) -> Resolution:
    """The unit(s) a phrase means, or unresolved with candidates. Never raises on any text."""
    key = normalise(phrase)
    if not key:
        return Resolution(phrase, Status.UNRESOLVED, note="没有可识别的单位名称")
    index = directory._index
    found = _resolve_key(phrase, key, index)
    if found is not None:
        return found
    without_remarks = normalise(_BRACKETED.sub("", unicodedata.normalize("NFKC", phrase)))
    if without_remarks and without_remarks != key:
        found = _resolve_key(phrase, without_remarks, index)
        if found is not None:
            # The phrase is not literally a name: at best an alias match.
            status = Status.ALIAS if found.status == Status.EXACT else found.status
            note = "忽略括号内的说明后匹配"
            return Resolution(phrase, status, found.unit_ids, found.group_id, 100, note=note)
    candidates = _fuzzy(key, index)
    if key in index.inactive:
        names = "、".join(sorted(index.units[i].name for i in index.inactive[key]))
        note = f"「{names}」已停用，请选择在用单位"
        return _unresolved(phrase, candidates, note)
    if not candidates or candidates[0].score < threshold:
        return _unresolved(phrase, candidates, "没有足够接近的单位")
    if len(candidates) > 1 and candidates[1].score == candidates[0].score:
        return _unresolved(phrase, candidates, "有多个同样接近的单位，请人工确认")
    best = candidates[0]
    return Resolution(
        phrase, Status.FUZZY, (best.unit_id,), score=best.score, candidates=candidates
    )


def _resolve_key(phrase: str, key: str, index: _Index) -> Resolution | None:
    """The exact tiers (name, alias, group, level prefix); None when none of them matches."""
    for status, ids in ((Status.EXACT, index.full.get(key)), (Status.ALIAS, index.alias.get(key))):
        if ids:
            return _single(phrase, status, ids, index)
    groups = index.groups.get(key)
    if groups:
        if len(groups) > 1:
            return Resolution(phrase, Status.UNRESOLVED, note="该名称对应多个单位组")
        group = groups[0]
        note = "" if group.member_ids else "该单位组没有在用成员"
        return Resolution(phrase, Status.GROUP, group.member_ids, group.id, 100, note=note)
    bare = strip_level_prefix(key)
    # Short names and aliases only: a full name already carries its level (区司法局), so a
    # prefix before it (市区司法局) names something else.
    ids = index.alias.get(bare) if bare else None
    if ids:
        return _single(phrase, Status.ALIAS, ids, index)
    return None


def _single(phrase: str, status: Status, ids: set[int], index: _Index) -> Resolution:
    if len(ids) == 1:
        return Resolution(phrase, status, (next(iter(ids)),), score=100)
    tied = sorted((Candidate(index.units[i].name, i, 100) for i in ids), key=lambda c: c.name)
    return _unresolved(phrase, tied, "该名称对应多个单位，请人工确认")


def _unresolved(phrase: str, candidates: Iterable[Candidate], note: str) -> Resolution:
    listed = tuple(candidates)
    best = listed[0].score if listed else 0
    return Resolution(phrase, Status.UNRESOLVED, score=best, candidates=listed, note=note)


def _fuzzy(key: str, index: _Index) -> tuple[Candidate, ...]:
    """Active units scored 0-100 against the key, best first (ties by name)."""
    scored: list[Candidate] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    for unit in index.active:
        best = 0.0
        for name_key in index.keys[unit.id]:
            matcher.set_seq1(name_key)
            if matcher.real_quick_ratio() * 100 < MIN_CANDIDATE_SCORE:
                continue
            best = max(best, matcher.ratio())
        score = round(best * 100)
        if score >= MIN_CANDIDATE_SCORE:
            scored.append(Candidate(unit.name, unit.id, score))
    scored.sort(key=lambda c: (-c.score, c.name, c.unit_id))
    return tuple(scored[:MAX_CANDIDATES])


# -- splitting a units cell -------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[【〔{《][^()\[\]【】〔〕{}《》]*[)\]】〕}》]")


def split_units(text: str) -> list[str]:
    """The unit phrases in a task list's units cell, in order, without duplicates.

    The task-list interpreter's splitter (gongkai.tasklist.unitphrases), so a phrase the
    resolver is asked about is exactly a unit the parsed task names: splits on 、，,；; and line
    breaks but never inside brackets (各县（市、区） stays whole); drops role labels (责任单位：)
    and role words after a name (区司法局牵头… → 区司法局).
    """
    return unit_phrases(text)


def resolve_many(text: str, directory: Directory, threshold: int) -> list[Resolution]:
    return [resolve(phrase, directory, threshold) for phrase in split_units(text)]
