"""Prose plans: numbered headings build the path, numbered paragraphs are the tasks.

- Everything before the first numbered (or heading-styled) paragraph is the notice: title,
  文号, addressees, 印发 text, signature. It holds no tasks.
- Numbering styles nest in the official order 一、 > （一） > 第一条 > 1. > （1） > 1） > ①
  (numbering.Style); a heading style from the document (Heading 1, 2 …) ranks like 一、, （一）….
- A numbered paragraph is a task when it reads like one (ends with its units, or is a sentence)
  or when most paragraphs numbered the same way do (a task whose text a page break cut short is
  still a task); otherwise it is a heading. An unnumbered paragraph under a heading that reads
  like a task is a task too (（二）做好依申请公开工作 / 认真落实……（责任单位：…）).
- A task's text runs on into the next unnumbered paragraphs while its sentence or brackets are
  unfinished (`…做好内容保障、安` / `全防护…`; `（责任单位：` / `执法监督局)`).
- A heading ending with a units note (`三、依申请公开（责任单位：办公室）`) gives its units to
  the tasks under it that name none.
- Where most tasks name their units, a top-level section in which none does (总体要求,
  保障措施) is guidance, not tasks, and is left out with a warning.
- A trailing units note — （责任单位：…）, (牽頭股室:…,責任股室:…), 责任单位：… — gives the units
  and is cut from the requirement; the rest is the requirement as written, numbering aside. A
  short run-in title (（一）深化统计数据公开。主动公开……) stays part of the requirement: it is
  how the document words the task, and splitting it off would guess at the author's intent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from gongkai.tasklist.blocks import Paragraph
from gongkai.tasklist.metadata import looks_like_title
from gongkai.tasklist.noise import is_noise, strip_attachment_label, tidy
from gongkai.tasklist.numbering import Marker, Style, find_marker
from gongkai.tasklist.tables import Draft, join_lines
from gongkai.tasklist.unitphrases import CLOSE, OPEN, take_trailing_units

ITEM_SHARE = 0.5  # a numbering style is the tasks' own when this share of its paragraphs are
UNITS_SHARE = 0.5  # tasks "name their units" when this share of them do
_TERMINAL = '。；;！!？?）)」』”"…'


@dataclass
class _Para:
    text: str
    body: str
    line: int | None
    marker: Marker | None
    heading_level: int | None
    attachment: bool = False  # 附件：… — the list is over, or an annex starts

    @property
    def rank(self) -> float:
        if self.marker is not None:
            return float(self.marker.style)
        if self.heading_level is not None:
            return float(self.heading_level)
        return math.inf


@dataclass
class _Heading:
    rank: float
    title: str
    units: tuple[list[str], list[str]] | None  # （责任单位：…） on a heading: its items' units


def read_prose(paragraphs: list[Paragraph], warnings: list[str] | None = None) -> list[Draft]:
    """The tasks of a prose plan, or [] when the paragraphs are not one."""
    paras = _prepare(paragraphs)
    start = next((i for i, p in enumerate(paras) if _starts_list(p)), None)
    if start is None:
        return []
    paras = paras[start:]
    item_styles = _item_styles(paras)
    headings: list[_Heading] = []
    drafts: list[Draft] = []
    open_item: Draft | None = None
    for i, para in enumerate(paras):
        continues = para.marker is None and para.heading_level is None and not para.attachment
        if open_item is not None and continues and _unfinished(open_item.requirement):
            open_item.requirement += para.body  # the same paragraph, cut by a page or a line
            continue
        _finish(open_item, drafts)
        open_item = None
        if para.attachment:
            continue
        following = paras[i + 1] if i + 1 < len(paras) else None
        leaf = _is_leaf(para, following)
        if (_is_item(para, item_styles) or leaf) and not _introduces(para, following):
            while headings and headings[-1].rank >= para.rank:
                headings.pop()
            open_item = Draft([h.title for h in headings], para.body, line=para.line)
            inherited = next((h.units for h in reversed(headings) if h.units), None)
            if inherited is not None:
                open_item.lead, open_item.responsible = list(inherited[0]), list(inherited[1])
        elif para.marker is not None or para.heading_level is not None:
            while headings and headings[-1].rank >= para.rank:
                headings.pop()
            title, units = take_trailing_units(para.body)
            if _heading_text(title):
                found = (units.lead, units.responsible) if units else None
                headings.append(_Heading(para.rank, _heading_text(title), found))
    _finish(open_item, drafts)
    return _drop_unassigned_sections(drafts, warnings if warnings is not None else [])


def _drop_unassigned_sections(drafts: list[Draft], warnings: list[str]) -> list[Draft]:
    """Where the tasks name their units, a top-level section in which no item does (总体要求,
    保障措施) holds guidance, not tasks."""
    with_units = [d for d in drafts if d.lead or d.responsible]
    if len(with_units) < UNITS_SHARE * len(drafts):
        return drafts
    assigned = {d.path[0] if d.path else "" for d in with_units}
    kept = [d for d in drafts if (d.path[0] if d.path else "") in assigned]
    if len(kept) < len(drafts):
        warnings.append(
            f"{len(drafts) - len(kept)} 个编号段落所在章节没有任何责任单位，视为说明而非任务"
            " (sections without units skipped)"
        )
    return kept


def heading_of(paragraph: Paragraph) -> tuple[float, str] | None:
    """(rank, title) when a paragraph reads as a heading (`一、主动公开`, a Heading style), else
    None: how the interpreter knows which headings a table sits under."""
    paras = _prepare([paragraph])
    if not paras:
        return None
    para = paras[0]
    if not _starts_list(para) or _reads_as_task(para.body) or para.attachment:
        return None
    title = _heading_text(para.body)
    return (para.rank, title) if title else None


def _starts_list(para: _Para) -> bool:
    """Numbered, or a heading that is not the document's own title."""
    if para.marker is not None:
        return True
    return para.heading_level is not None and not looks_like_title(para.text)


def _prepare(paragraphs: list[Paragraph]) -> list[_Para]:
    out: list[_Para] = []
    for paragraph in paragraphs:
        text = join_lines(tidy(paragraph.text))
        if not text or is_noise(text):
            continue
        marker = find_marker(text)
        body = text[marker.end :].strip() if marker else text
        attachment = strip_attachment_label(text) != text
        out.append(_Para(text, body, paragraph.line, marker, paragraph.heading_level, attachment))
    return out


def _item_styles(paras: list[_Para]) -> set[Style]:
    """Numbering styles whose paragraphs mostly read as tasks."""
    counts: dict[Style, list[int]] = defaultdict(lambda: [0, 0])
    for para in paras:
        if para.marker is not None:
            counts[para.marker.style][0] += _reads_as_task(para.body)
            counts[para.marker.style][1] += 1
    return {style for style, (tasks, total) in counts.items() if tasks >= ITEM_SHARE * total}


def _is_item(para: _Para, item_styles: set[Style]) -> bool:
    if _reads_as_task(para.body):
        return True
    return para.marker is not None and para.marker.style in item_styles


def _is_leaf(para: _Para, following: _Para | None) -> bool:
    """A numbered sentence with nothing under it (the next paragraph is a sibling or higher, or
    there is none) is a task, however short: a heading heads something."""
    if para.marker is None or not para.body or para.body[-1] not in "。；;！!？?":
        return False
    return following is None or (following.marker is not None and following.rank <= para.rank)


def _introduces(para: _Para, following: _Para | None) -> bool:
    """A lead-in to deeper items, so a heading: `1. 做好解读：` over `（1）…（2）…`, or a short
    title with its units over them (`三、依申请公开（责任单位：办公室）` / `（一）…`)."""
    if following is None or following.marker is None or following.rank <= para.rank:
        return False
    title = take_trailing_units(para.body)[0]
    return para.body.endswith(("：", ":")) or (len(title) <= 30 and "。" not in title)


def _reads_as_task(body: str) -> bool:
    """Ends with its units, or is a sentence (a heading is a short phrase)."""
    if take_trailing_units(body)[1] is not None:
        return True
    sentence = "。" in body or (bool(body) and body[-1] in "；;！!？?")
    return (sentence and len(body) >= 15) or len(body) >= 60


def _unfinished(text: str) -> bool:
    """A sentence or a bracket left open: the next paragraph continues it."""
    if not text:
        return False
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
    if depth > 0:
        return True
    return text[-1] not in _TERMINAL and take_trailing_units(text)[1] is None


def _finish(draft: Draft | None, drafts: list[Draft]) -> None:
    if draft is None:
        return
    body, units = take_trailing_units(draft.requirement)
    if units is not None:
        draft.requirement = body
        if units.lead or units.responsible:
            draft.lead, draft.responsible = list(units.lead), list(units.responsible)
        draft.unit_note = units.note
        draft.deadline = units.deadline
    draft.requirement = draft.requirement.strip()
    if not draft.requirement:
        previous = drafts[-1] if drafts else None
        if previous is not None and units is not None and not previous.lead + previous.responsible:
            previous.lead, previous.responsible = (
                draft.lead,
                draft.responsible,
            )  # units on a line of their own
        return
    drafts.append(draft)


def _heading_text(body: str) -> str:
    return body.strip().rstrip("：:。；;，,")
