"""The one place the plans app calls the task-list parser (gongkai.tasklist).

The parser is a separate package developed alongside this app; it is looked up when a file
is parsed, not when Django starts, so the app (and its tests, which replace `parse_file`)
do not depend on it being importable.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from gongkai.tasklist.blocks import ParseError
from gongkai.tasklist.model import ParsedPlan

__all__ = ["ParseError", "parse_file"]


def parse_file(path: Path) -> ParsedPlan:
    """`gongkai.tasklist.parse.parse_file`: a ParsedPlan, or ParseError for an unreadable file."""
    module = importlib.import_module("gongkai.tasklist.parse")
    plan = module.parse_file(path)
    if not isinstance(plan, ParsedPlan):
        raise TypeError(f"parse_file returned {type(plan).__name__}, not ParsedPlan")
    return plan
