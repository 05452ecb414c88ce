"""Task-list parsing: a document file in, a ParsedPlan out. No Django import anywhere here.

    from gongkai.tasklist.parse import parse_file
    plan = parse_file(Path("清单.docx"))
    plan.to_json()

Readers (one module each under readers/) turn a file into blocks: paragraphs and tables with
merged cells resolved into a grid. The interpreter turns blocks into tasks with their category
path, requirement, units and time rules.
"""

from __future__ import annotations
