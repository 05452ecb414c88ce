"""The package's front door: a file (or a reader's blocks) in, a ParsedPlan out.

    parse_file(Path("清单.docx")).to_json()

ParseError (with a one-line reason) when the file cannot be read; a readable file always gives
a plan, with warnings for what could not be made sense of.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.tasklist.blocks import RawDocument
from gongkai.tasklist.interpret import interpret
from gongkai.tasklist.model import ParsedPlan
from gongkai.tasklist.readers import Limits, read_document
from gongkai.tasklist.readers.limits import DEFAULT_LIMITS


def parse_file(
    path: Path, *, plan_year: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedPlan:
    """Read and interpret a task list file; `plan_year` overrides the year the document gives."""
    return parse_document(read_document(Path(path), limits), plan_year=plan_year)


def parse_document(raw: RawDocument, *, plan_year: int | None = None) -> ParsedPlan:
    """Interpret a reader's output: tasks with their path, units and time rules."""
    return interpret(raw, plan_year=plan_year)
