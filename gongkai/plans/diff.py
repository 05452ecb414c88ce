"""Which task of a revised list is which task of the old one. Pure: no Django, no database.

`match(old, new)` pairs the tasks of two versions:
1. the same requirement once normalised (width, case, punctuation and spaces ignored) — a
   task whose path, units or deadline moved is still the same task, shown as changed;
2. of what is left, pairs whose normalised texts are at least `threshold` alike (difflib's
   ratio), best first, a pair in the same category counting as slightly more alike — a lightly
   edited task, shown as changed;
3. the rest of the new list is added, the rest of the old one removed.
Matched tasks keep their rows, so what was recorded on them survives a revision.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongkai.units.resolve import normalise

THRESHOLD = 0.8
#: Added to the similarity of a pair in the same category when ranking fuzzy pairs.
SAME_PATH_BONUS = 0.05


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self]


CHANGE_LABELS = {
    Change.ADDED: "新增",
    Change.REMOVED: "删除",
    Change.CHANGED: "修改",
    Change.UNCHANGED: "未变",
}


@dataclass(frozen=True)
class Item:
    """A task as the diff sees it. `fields` are the other things compared, as (label, text)."""

    path: tuple[str, ...]
    requirement: str
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Entry:
    change: Change
    old: int | None  # index in the old list
    new: int | None  # index in the new list
    similarity: float = 0.0  # 1.0 for the same normalised text


def match(old: Sequence[Item], new: Sequence[Item], threshold: float = THRESHOLD) -> list[Entry]:
    """Every old and new item exactly once: pairs and added in new order, then removed."""
    pairs: dict[int, tuple[int, float]] = {}  # new index → (old index, similarity)
    free_old = set(range(len(old)))
    by_key: dict[str, list[int]] = {}
    for i, item in enumerate(old):
        by_key.setdefault(normalise(item.requirement), []).append(i)
    for j, item in enumerate(new):
        same = [i for i in by_key.get(normalise(item.requirement), []) if i in free_old]
        if same:
            i = min(same, key=lambda i: (old[i].path != item.path, abs(i - j), i))
            pairs[j] = (i, 1.0)
            free_old.discard(i)
    new_left = [j for j in range(len(new)) if j not in pairs]
    for i, j, score in _fuzzy_pairs(old, new, sorted(free_old), new_left, threshold):
        if i in free_old and j not in pairs:
            pairs[j] = (i, score)
            free_old.discard(i)
    entries: list[Entry] = []
    for j in range(len(new)):
        if j not in pairs:
            entries.append(Entry(Change.ADDED, None, j))
            continue
        i, score = pairs[j]
        kept = score == 1.0 and _same(old[i], new[j])
        entries.append(Entry(Change.UNCHANGED if kept else Change.CHANGED, i, j, score))
    entries += [Entry(Change.REMOVED, i, None) for i in sorted(free_old)]
    return entries


def _same(a: Item, b: Item) -> bool:
    return (a.path, a.requirement, a.fields) == (b.path, b.requirement, b.fields)


def _fuzzy_pairs(
    old: Sequence[Item],
    new: Sequence[Item],
    old_left: list[int],
    new_left: list[int],
    threshold: float,
) -> list[tuple[int, int, float]]:
    """Candidate (old, new, similarity) pairs at or above the threshold, best first."""
    scored: list[tuple[float, int, int, int, float]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for j in new_left:
        matcher.set_seq2(normalise(new[j].requirement))
        for i in old_left:
            matcher.set_seq1(normalise(old[i].requirement))
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            score = matcher.ratio()
            if score < threshold:
                continue
            rank = score + (SAME_PATH_BONUS if old[i].path == new[j].path else 0.0)
            scored.append((-rank, abs(i - j), i, j, score))
    scored.sort()
    return [(i, j, score) for _, _, i, j, score in scored]


def field_changes(a: Item, b: Item) -> list[tuple[str, str, str]]:
    """(label, before, after) for the category and each compared field that differs."""
    out = []
    if a.path != b.path:
        out.append(("类别", " / ".join(a.path), " / ".join(b.path)))
    before = dict(a.fields)
    after = dict(b.fields)
    for label in dict.fromkeys([*before, *after]):
        if before.get(label, "") != after.get(label, ""):
            out.append((label, before.get(label, ""), after.get(label, "")))
    return out


class Op(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


def text_diff(a: str, b: str) -> list[tuple[Op, str]]:
    """Character-level differences from `a` to `b`, as runs to show struck out or inserted."""
    out: list[tuple[Op, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append((Op.EQUAL, a[i1:i2]))
            continue
        if i2 > i1:
            out.append((Op.DELETE, a[i1:i2]))
        if j2 > j1:
            out.append((Op.INSERT, b[j1:j2]))
    return out
