"""A document's title, issuer, date and number (文号), from what a notice usually shows.

In order of trust: labelled values (`标题：…`, `发文日期：…`, `发布机构：…`, `文号：…` in a
paragraph or a table of label | value cells, as government web pages print them); then the
shape of an official document (GB/T 9704): the masthead `…文件`, the number line
`鲁统办字〔2020〕29号`, the title (the first line naming a 通知/方案/清单/要点…), the signature (a
unit name followed by a date, at the start or the end). The plan's year comes from the title,
else the date, else a year in the opening lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gongkai.tasklist.blocks import Block, Paragraph, RawDocument, Table
from gongkai.tasklist.noise import is_noise, strip_attachment_label, tidy
from gongkai.tasklist.numbering import chinese_number, find_marker
from gongkai.tasklist.unitphrases import looks_like_unit

LEADING_PARAGRAPHS = 40
TRAILING_PARAGRAPHS = 8
SMALL_TABLE_ROWS = 4

_CN_NUM = "〇零一二三四五六七八九十"
DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[年\-/.．]\s*(?P<m>\d{1,2})\s*[月\-/.．]\s*(?P<d>\d{1,2})\s*日?"
    rf"|(?P<cy>[〇零一二三四五六七八九]{{4}})\s*年\s*(?P<cm>[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(?P<cd>[{_CN_NUM}]{{1,3}})\s*日"
)
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,20}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号"
)
_LABELS = {
    "title": ("标题", "文件标题", "标 题", "名称", "文件名称", "標題"),
    "issuer": ("发布机构", "发文机关", "发文单位", "发布单位", "成文单位", "發布機構", "發文機關"),
    "issued": ("发文日期", "成文日期", "发布日期", "印发日期", "發文日期", "成文日期", "發布日期"),
    "doc_number": ("文号", "发文字号", "发文号", "文件编号", "文號", "發文字號"),
}
_LABELLED = re.compile(r"^\s*(?P<label>[^:：]{1,6}?)\s*[:：]\s*(?P<value>.*)$")
_TITLE_WORDS = re.compile(
    r"通知|方案|清单|清單|要点|要點|计划|計劃|分解表|目录|目錄|任务|任務|意见|意見|办法|辦法|安排|台账|责任表|細則|细则"
)
_MASTHEAD = re.compile(r"^(?P<issuer>.{2,30}?)\s*文\s*件$")
_ISSUER_IN_TITLE = re.compile(r"^(?P<issuer>.{2,30}?)关于")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_SUFFIXES = ("", "印发", "发布", "制发", "签发", "印發", "發布")
_BREADCRUMB = re.compile(r"[>＞»›]|首页|当前位置")


@dataclass
class Metadata:
    title: str | None = None
    issuer: str | None = None
    issued: str | None = None  # YYYY-MM-DD
    doc_number: str | None = None

    @property
    def year(self) -> int | None:
        if self.title:
            found = _YEAR.search(self.title)
            if found:
                return int(found.group(1))
        return int(self.issued[:4]) if self.issued else None


def extract_metadata(raw: RawDocument) -> tuple[Metadata, int | None]:
    """The document's metadata and the year its plan is for (None when nothing says)."""
    paragraphs = [tidy(b.text) for b in raw.blocks if isinstance(b, Paragraph)]
    paragraphs = [p for p in paragraphs if p and not is_noise(p)]
    leading = _leading(raw.blocks)
    labelled = _labelled(raw.blocks)
    meta = Metadata(
        title=labelled.get("title")
        or _title(leading)
        or _table_title(raw.blocks)
        or _property_title(raw.title),
        issuer=labelled.get("issuer"),
        issued=_date(labelled.get("issued", "")),
        doc_number=_doc_number(labelled.get("doc_number", "")) or _doc_number_line(leading),
    )
    ends = leading + paragraphs[-TRAILING_PARAGRAPHS:]
    meta.issuer = meta.issuer or _masthead(leading) or _signature(ends) or _from_title(meta.title)
    meta.issued = (
        meta.issued or _date_line(leading) or _date_line(paragraphs[-TRAILING_PARAGRAPHS:])
    )
    year = meta.year
    if year is None:
        found = next((_YEAR.search(p) for p in leading[:3] if _YEAR.search(p)), None)
        year = int(found.group(1)) if found else None
    return meta, year


def parse_date(text: str) -> str | None:
    """YYYY-MM-DD from 2020年7月8日, 2023-08-21, 2023/8/21 or 二〇二〇年七月八日."""
    found = DATE.search(text)
    if found is None:
        return None
    if found.group("y"):
        y, m, d = int(found.group("y")), int(found.group("m")), int(found.group("d"))
    else:
        y = chinese_number(found.group("cy"))
        m, d = chinese_number(found.group("cm")), chinese_number(found.group("cd"))
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


# -- where to look -----------------------------------------------------------------------------


def _leading(blocks: list[Block]) -> list[str]:
    """The paragraphs before the list starts: before the first numbered heading or a table
    bigger than a label | value box."""
    out: list[str] = []
    for block in blocks:
        if len(out) >= LEADING_PARAGRAPHS:
            break
        if isinstance(block, Table):
            if len(block.rows) > SMALL_TABLE_ROWS:
                break
            continue
        text = tidy(block.text)
        if not text or is_noise(text):
            continue
        heading = block.heading_level is not None and not looks_like_title(text)
        if out and (find_marker(text) is not None or heading):
            break
        out.append(strip_attachment_label(text))
    return out


def _labelled(blocks: list[Block]) -> dict[str, str]:
    """Values printed next to their labels, in paragraphs or small label | value tables."""
    found: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for block in blocks[:LEADING_PARAGRAPHS]:
        if isinstance(block, Paragraph):
            match = _LABELLED.match(tidy(block.text))
            if match:
                pairs.append((match.group("label"), match.group("value")))
        elif len(block.rows) <= 12:
            for row in block.rows:
                texts = [c.text.strip() for c in row if not c.continued]
                for i, text in enumerate(texts[:-1]):
                    if text.endswith((":", "：")):
                        pairs.append((text[:-1], texts[i + 1]))
    for label, value in pairs:
        key = re.sub(r"\s+", "", label)
        for field, names in _LABELS.items():
            if key in names and value.strip() and field not in found:
                found[field] = value.strip()
    return found


# -- each field --------------------------------------------------------------------------------


def looks_like_title(text: str) -> bool:
    """A line naming a 通知/方案/清单/要点…, not a sentence, a breadcrumb, a date or a number."""
    flat = " ".join(text.split())
    return 8 <= len(flat) <= 100 and _title_shaped(flat) and bool(_TITLE_WORDS.search(flat))


def _title_shaped(flat: str) -> bool:
    if flat.endswith(("：", ":", "，", ",", "；")) or "。" in flat or _BREADCRUMB.search(flat):
        return False
    return not (_MASTHEAD.match(flat) or DOC_NUMBER.match(flat) or _whole_date(flat))


def _title(paragraphs: list[str]) -> str | None:
    for i, text in enumerate(paragraphs):
        flat = " ".join(text.split())
        if looks_like_title(flat):
            return flat
        if not flat or not _title_shaped(flat):
            continue
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if len(flat) <= 20 and _TITLE_WORDS.search(following) and "。" not in following:
            return f"{flat}{' '.join(following.split())}"  # a title set on two lines
    return None


def _table_title(blocks: list[Block]) -> str | None:
    """A title in the first row(s) of a task table, merged across it (common in workbooks)."""
    table = next(
        (b for b in blocks if isinstance(b, Table) and len(b.rows) > SMALL_TABLE_ROWS), None
    )
    for row in table.rows[:3] if table else []:
        texts = {tidy(c.text) for c in row} - {""}
        if len(texts) == 1:
            text = strip_attachment_label(" ".join(texts.pop().split()))
            if 8 <= len(text) <= 100 and _TITLE_WORDS.search(text) and "。" not in text:
                return text
    return None


def _whole_date(text: str) -> str | None:
    """The date when `text` is nothing but a date (2020年7月8日, 2020年7月8日印发)."""
    text = text.strip()
    found = DATE.search(text)
    if found is None or found.start() > 0:
        return None
    rest = text[found.end() :].strip(" （）()")
    return parse_date(text) if rest in _DATE_SUFFIXES else None


def _property_title(title: str | None) -> str | None:
    """A title from the file's properties, when it reads like one (not "Microsoft Word - a")."""
    if not title:
        return None
    title = " ".join(title.split())
    cjk = sum(1 for ch in title if "\u4e00" <= ch <= "\u9fff")
    return title if cjk >= 4 and _TITLE_WORDS.search(title) else None


def _date(text: str) -> str | None:
    return parse_date(text) if text else None


def _date_line(paragraphs: list[str]) -> str | None:
    return next((d for d in map(_whole_date, paragraphs) if d), None)


def _doc_number(text: str) -> str | None:
    found = DOC_NUMBER.search(text) if text else None
    return " ".join(found.group().split()) if found else None


def _doc_number_line(paragraphs: list[str]) -> str | None:
    """A line that is a document number (perhaps with 签发人：…), not one cited in a sentence."""
    for text in paragraphs:
        found = DOC_NUMBER.match(text.strip())
        if found and len(text.strip()) - found.end() <= 20:
            return re.sub(r"\s+", "", found.group())
    return None


def _masthead(paragraphs: list[str]) -> str | None:
    for text in paragraphs[:5]:
        found = _MASTHEAD.match(text.strip())
        if found and looks_like_unit(found.group("issuer").strip()):
            return found.group("issuer").strip()
    return None


def _signature(paragraphs: list[str]) -> str | None:
    """A unit's name on a line of its own, just above a date line."""
    for i in range(len(paragraphs) - 1):
        name = paragraphs[i].strip()
        if _whole_date(paragraphs[i + 1].strip()) and len(name) <= 30 and looks_like_unit(name):
            return name
    return None


def _from_title(title: str | None) -> str | None:
    found = _ISSUER_IN_TITLE.match(title or "")
    if found and looks_like_unit(found.group("issuer")):
        return found.group("issuer")
    return None
