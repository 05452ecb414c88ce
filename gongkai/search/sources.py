"""The registers that feed the index, as they name themselves: a label the portal shows on
their results, and how to rebuild their entries without a management command.

A register registers itself from its AppConfig.ready() (its hooks.connect()); the search app
still knows no register. `rebuild()` is the one way to (re)build the index from the registers'
tables — after a bulk load, a restore, or to repair it — from a shell, a job or a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    #: The `source` of its entries.
    name: str
    #: What its results are, shown beside them on the portal (e.g. 政府公报).
    label: str
    #: Replaces every entry of the source with what the register publishes now; returns the
    #: number of entries written.
    rebuild: Callable[[], int]


_sources: dict[str, Source] = {}


def register_source(source: Source) -> None:
    """Idempotent: registering the same name again replaces it (ready() may run twice)."""
    _sources[source.name] = source


def registered() -> list[Source]:
    return [_sources[name] for name in sorted(_sources)]


def label_of(name: str) -> str:
    """The label of a registered source; empty for any other."""
    found = _sources.get(name)
    return found.label if found else ""


def rebuild(*names: str) -> dict[str, int]:
    """Rebuild the named sources (all registered ones when none is named): entries written per
    source. An unknown name is a ValueError, before anything is rebuilt."""
    unknown = [name for name in names if name not in _sources]
    if unknown:
        raise ValueError(f"unknown search sources: {', '.join(unknown)}")
    chosen = [_sources[name] for name in names] if names else registered()
    return {source.name: source.rebuild() for source in chosen}
