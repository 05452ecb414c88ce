"""Blocks in, a ParsedPlan out: metadata, then tasks from the tables or the prose, finished.

A document holds its tasks either in tables (a 任务清单 / 分解表 / 目录) or in numbered prose (an
实施方案 / 工作要点); a notice around a table may have numbered paragraphs of its own, and a prose
plan may carry a small table. Both are read; the reading with more tasks is the list, and the
other is reported in the warnings rather than mixed in.

Finishing a task: its time rules (timerules.extract_time_rules over the requirement and the
deadline, with the plan's year), its notes, and a Simplified copy of a Traditional requirement.
"""

from __future__ import annotations

import opencc

from gongkai.tasklist.blocks import Paragraph, RawDocument, Table
from gongkai.tasklist.metadata import extract_metadata, looks_like_title
from gongkai.tasklist.model import ParsedPlan, ParsedTask
from gongkai.tasklist.noise import is_noise, tidy
from gongkai.tasklist.prose import heading_of, read_prose
from gongkai.tasklist.tables import Draft, TableReader
from gongkai.tasklist.timerules import extract_time_rules

MAX_WARNINGS = 50
MAX_RULE_TEXT = 4000
_t2s = opencc.OpenCC("t2s")


def interpret(raw: RawDocument, *, plan_year: int | None = None) -> ParsedPlan:
    """The plan a reader's blocks describe. Never raises on any blocks."""
    warnings = list(raw.warnings)
    meta, year = extract_metadata(raw)
    year = plan_year or year
    from_tables = _read_tables(raw, warnings)
    prose_warnings: list[str] = []
    from_prose = read_prose([b for b in raw.blocks if isinstance(b, Paragraph)], prose_warnings)
    drafts = from_tables if len(from_tables) >= len(from_prose) else from_prose
    if drafts is from_prose:
        warnings += prose_warnings
    other = from_prose if drafts is from_tables else from_tables
    if other:
        where = "正文编号段落" if drafts is from_tables else "表格"
        warnings.append(
            f"{where}中另有 {len(other)} 条疑似任务未导入，请核对 (other candidate tasks ignored)"
        )
    if not drafts:
        warnings.append("未找到任务：没有可识别的任务表格或编号条目 (no tasks found)")
    tasks = [finish(d, year) for d in drafts]
    if len(warnings) > MAX_WARNINGS:
        warnings = [*warnings[:MAX_WARNINGS], f"另有 {len(warnings) - MAX_WARNINGS} 条提示未列出"]
    return ParsedPlan(
        source=raw.source,
        title=meta.title,
        issuer=meta.issuer,
        issued=meta.issued,
        doc_number=meta.doc_number,
        tasks=tasks,
        warnings=warnings,
    )


def _read_tables(raw: RawDocument, warnings: list[str]) -> list[Draft]:
    """Every table's tasks; a table right under headings (一、主动公开 / a table) has them above
    its own categories, and a table right after another continues its headings."""
    reader = TableReader(warnings)
    drafts: list[Draft] = []
    stack: list[tuple[float, str]] = []
    before = "text"  # what the last block that counts was: a heading, text or a table
    index = 0
    for block in raw.blocks:
        if isinstance(block, Table):
            index += 1
            headings = {"heading": [t for _, t in stack], "table": None}.get(before, [])
            drafts += reader.read(block, index, headings)
            before = "table"
            continue
        text = tidy(block.text)
        if not text or is_noise(text) or looks_like_title(text):
            continue
        heading = heading_of(block)
        if heading is None:
            before = "text"
            continue
        while stack and stack[-1][0] >= heading[0]:
            stack.pop()
        stack.append(heading)
        before = "heading"
    return drafts


def finish(draft: Draft, plan_year: int | None) -> ParsedTask:
    requirement = draft.requirement.strip()
    # Real requirements run to hundreds of characters; a runaway cell is cut so that junk input
    # cannot make the rule search slow.
    when = requirement[:MAX_RULE_TEXT]
    if draft.deadline:
        when += "\n" + draft.deadline[:MAX_RULE_TEXT]
    notes = [*draft.notes, *([draft.unit_note] if draft.unit_note else [])]
    simplified = _t2s.convert(requirement)
    return ParsedTask(
        path=draft.path,
        requirement=requirement,
        lead_units=draft.lead,
        responsible_units=draft.responsible,
        deadline=draft.deadline,
        time_rules=extract_time_rules(when, plan_year=plan_year),
        notes="；".join(notes) or None,
        line=draft.line,
        simplified=simplified if simplified != requirement else None,
    )
