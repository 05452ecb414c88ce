"""Evidence the platform already holds, shown on a checkpoint without the unit typing it.

A register (the document register's interpretations, later the Q&A and other duties) registers
a LinkedSource: its name, the words that identify the tasks it answers, and a function giving
the lines for one unit and one plan year. A checkpoint whose task's requirement or category
path contains one of the words shows those lines under 「平台登记的佐证」, with problems (an
overdue interpretation) marked. Nothing is copied into the checkpoint: the lines are computed
when the page is shown, so they are always current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LinkedLine:
    text: str
    url: str = ""
    problem: bool = False


@dataclass(frozen=True)
class LinkedSource:
    name: str
    keywords: tuple[str, ...]
    #: lines(unit_id, year)
    lines: Callable[[int, int], list[LinkedLine]]


@dataclass(frozen=True)
class LinkedEvidence:
    source: LinkedSource
    lines: list[LinkedLine]

    @property
    def problems(self) -> int:
        return sum(1 for line in self.lines if line.problem)


_SOURCES: list[LinkedSource] = []


def register_linked_source(source: LinkedSource) -> LinkedSource:
    """Add `source`; one of the same name is replaced, so registering twice is harmless."""
    _SOURCES[:] = [s for s in _SOURCES if s.name != source.name] + [source]
    return source


def linked_sources() -> tuple[LinkedSource, ...]:
    return tuple(_SOURCES)


def task_text(task: Any) -> str:
    path = getattr(task, "path", None) or []
    return " ".join([*(str(p) for p in path), str(getattr(task, "requirement", ""))])


def matching_sources(task: Any) -> list[LinkedSource]:
    text = task_text(task)
    return [s for s in _SOURCES if any(word in text for word in s.keywords)]


def linked_evidence(checkpoint: Any) -> list[LinkedEvidence]:
    """The registered sources that answer this checkpoint's task, with their current lines for
    its unit and its plan's year (a source with nothing to show is listed with no lines)."""
    year = checkpoint.plan.year
    return [
        LinkedEvidence(source, source.lines(checkpoint.unit_id, year))
        for source in matching_sources(checkpoint.task)
    ]
