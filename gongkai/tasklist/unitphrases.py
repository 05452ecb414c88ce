"""Who does a task: a units cell or a trailing （责任单位：…） cut into lead and responsible units.

One splitter for the whole project: the unit resolver (gongkai.units.resolve) cuts phrases with
`unit_phrases`, the interpreter assigns roles with `split_units`.

- Phrases split on 、，,；; and line breaks, never inside brackets: 各县（市、区） is one name.
  A line break inside a name that a narrow column wrapped (市自然资源和 / 规划局) is joined.
- Labels give roles: 牵头单位/牵头部门/牵头股室/牵头科室/牵头处室 (and 牽頭…) lead;
  责任单位/责任部门/…/配合单位/协办单位 (and 責任…) responsible; 完成时限/时限 a deadline.
- Role words give roles: 办公室牵头，各科室配合 → lead 办公室, responsible 各科室. A name
  followed by （牵头） is a lead.
- A units *sentence* (区司法局牵头区级规范性文件集中公开工作，区各…具体落实；各成员单位负责做好…)
  gives the lead before 牵头, the responsible subjects before 具体落实/负责/配合 when they
  look like unit names, and the whole sentence as a note.
- Trailing 等 and qualifiers (按职责分工落实, 负责落实, 牵头落实, 具体落实) are not part of names.
- 各处室、中心 stays one phrase: a bare kind of unit after 各… continues it (各处室、各中心),
  which is how the unit directory names such groups.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from gongkai.tasklist.noise import squeeze

OPEN = "（([【〔［{《"
CLOSE = "）)]】〕］}》"
SEPARATORS = "、，,；;\n"
_TRIM = " \t\u3000。.：:!！?？\"'“”‘’"
_TERMINAL = "。；;.!！?？"

_LEAD_WORDS = "牵头|牽頭|主责|主責|主办|主辦"
_RESP_WORDS = "责任|責任|配合|协办|協辦|协助|協助|参与|參與|承办|承辦|落实|落實|实施|實施|负责|負責"
_LABEL_KIND = "单位|單位|部门|部門|科室|股室|处室|處室|处|處|主体|主體|科|股|室"
#: 牵头单位： 責任股室: 完成时限： — a role or time label and its colon.
_LABEL = re.compile(
    rf"(?:^|(?<=[，,；;。\s（(【\[、]))"
    rf"(?P<label>(?:{_LEAD_WORDS}|{_RESP_WORDS})(?:{_LABEL_KIND})?"
    r"|(?:完成|办结|辦結)?(?:时限|時限|时间|時間|期限|日期)(?:要求|节点|節點)?|时间节点|時間節點)"
    r"\s*[:：]\s*"
)
#: Role words after a name in running text, longest first so 具体落实 wins over 落实.
_ROLE_WORD = re.compile(
    r"具体落实|具體落實|负责落实|負責落實|牵头落实|牽頭落實|牵头负责|牽頭負責"
    r"|牵头|牽頭|主责|主責|负责|負責|配合|协助|協助|协办|協辦|参与|參與|落实|落實"
)
_LEAD_ROLE = re.compile(r"牵头|牽頭|主责|主責")
_BRACKETED_ROLE = re.compile(r"[（(]\s*(牵头|牽頭|主责|主責|配合|责任|責任|协办|協辦)\s*[）)]$")
#: Words between a name and its role word that are not part of the name.
_QUALIFIER = re.compile(
    r"(?:按照?职责分工|按照?職責分工|按照?职责|按照?職責|分别|分別|共同|具体|具體|为|為|等)+$"
)
#: What may follow a role word without making the text a sentence: 牵头落实, 为牵头单位.
_ROLE_TAIL_OK = re.compile(
    r"^(?:落实|落實|负责|負責|配合|实施|實施|推进|推進|单位|單位|部门|部門|工作)?$"
)

#: The last characters of unit names (Simplified and Traditional).
_SUFFIXES_1 = set(
    "局处處室科股办辦委会會院所站部府队隊组組团團社司署厅廳馆館区區县縣市省镇鎮乡鄉村"
)
_SUFFIXES_2 = (
    "中心",
    "单位",
    "單位",
    "部门",
    "部門",
    "街道",
    "公司",
    "集团",
    "集團",
    "学校",
    "學校",
    "主体",
    "主體",
    "机关",
    "機關",
    "党委",
    "黨委",
    "党组",
    "黨組",
    "支部",
    "人大",
    "政协",
    "政協",
    "专班",
    "專班",
    "银行",
    "銀行",
    "分行",
    "支行",
    "电视台",
    "電視台",
    "电台",
    "電台",
    "机构",
    "機構",
)
#: A bare kind of unit that continues the 各… before it: 各处室、中心 means 各处室、各中心.
_GENERIC = frozenset(
    {"中心", "单位", "部门", "处室", "科室", "股室", "站所", "直属单位", "事业单位", "所属单位"}
)
MAX_UNIT_CHARS = 24


@dataclass(frozen=True)
class UnitSplit:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    note: str | None = None  # the text as written, when it says more than who (a sentence)
    deadline: str | None = None  # a 时限 label found with the units: （…；完成时限：6月底前）

    @property
    def phrases(self) -> list[str]:
        return _dedupe([*self.lead, *self.responsible])

    @property
    def empty(self) -> bool:
        return not (self.lead or self.responsible or self.deadline)


def split_units(text: str) -> UnitSplit:
    """The lead and responsible units a units cell or parenthesis names. Never raises."""
    text = _unwrap(text.strip(_TRIM))
    if not text:
        return UnitSplit()
    labels = list(_LABEL.finditer(text))
    if labels:
        return _split_labelled(text, labels)
    lead, responsible, sentence = _split_plain(text)
    return UnitSplit(lead, responsible, note=_one_line(text) if sentence else None)


def unit_phrases(text: str) -> list[str]:
    """Every unit phrase a units cell names, in order, without roles or duplicates."""
    return split_units(text).phrases


def looks_like_unit(phrase: str) -> bool:
    """Whether a phrase reads as the name of a unit or a group of units (办公室, 各县（市、区）)."""
    phrase = phrase.strip()
    if not 2 <= len(phrase) <= MAX_UNIT_CHARS + 8 or any(
        ch in "，,。；;：:！？!?" for ch in phrase
    ):
        return False
    base = _strip_remarks(phrase)
    if not 1 <= len(base) <= MAX_UNIT_CHARS or any(ch.isspace() for ch in base.strip()):
        return False
    if base[-1] in _SUFFIXES_1 or base.endswith(_SUFFIXES_2):
        return True
    return base.startswith(("各", "有关", "相关", "有關", "相關")) and len(base) <= 12


def take_trailing_units(text: str) -> tuple[str, UnitSplit | None]:
    """Cut a trailing units note off an item: `…公开。（责任单位：综合处）` → (`…公开。`, units).

    Also `(牽頭股室:綜合股,責任股室:各相關股室)`, an unbracketed `责任单位：…` after the last
    sentence, and a bracket of bare unit names. Returns the text unchanged and None when the
    item does not end with units.
    """
    found: UnitSplit | None = None
    body = text.rstrip()
    for _ in range(3):  # （责任单位：…）（完成时限：…）
        cut = _cut_trailing_group(body)
        if cut is None:
            break
        before, units = cut
        body, found = before, _merge(found, units)
    if found is None:
        cut = _cut_trailing_label(body)
        if cut is not None:
            body, found = cut
    return (body, found) if found is not None else (text.rstrip(), None)


# -- labelled text -----------------------------------------------------------------------------


def _split_labelled(text: str, labels: list[re.Match[str]]) -> UnitSplit:
    lead: list[str] = []
    responsible: list[str] = []
    deadline: str | None = None
    sentence = False
    head = text[: labels[0].start()].strip(_TRIM + "，,；;、")
    if head:  # names before the first label: unlabelled, so responsible
        more_lead, more_resp, sentence = _split_plain(head)
        lead += more_lead
        responsible += more_resp
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[label.end() : end].strip(_TRIM + "，,；;、")
        kind = label.group("label")
        if re.search("时限|時限|时间|時間|期限|日期|节点|節點", kind):
            deadline = deadline or (value or None)
            continue
        more_lead, more_resp, is_sentence = _split_plain(value)
        sentence = sentence or is_sentence
        if _LEAD_ROLE.match(kind):
            lead += more_lead + more_resp
        else:
            lead += more_lead
            responsible += more_resp
    return UnitSplit(
        _dedupe(lead),
        [p for p in _dedupe(responsible) if p not in lead],
        note=_one_line(text) if sentence else None,
        deadline=deadline,
    )


# -- plain lists and sentences -----------------------------------------------------------------


def _split_plain(text: str) -> tuple[list[str], list[str], bool]:
    """(lead, responsible, is a sentence) for text without labels."""
    if not _top_level_role(text):
        marked = _names(text)
        return (
            [name for name, is_lead in marked if is_lead],
            [name for name, is_lead in marked if not is_lead],
            False,
        )
    lead: list[str] = []
    responsible: list[str] = []
    sentence = False
    for clause in _top_level_parts(text, "，,；;。\n"):
        clause = clause.strip(_TRIM)
        if not clause:
            continue
        role = _top_level_role(clause)
        if role is None:
            names = [name for name, _ in _names(clause)]
            sentence = sentence or any(not looks_like_unit(n) for n in names)
            responsible += [n for n in names if looks_like_unit(n)]
            continue
        subject, word, rest = clause[: role.start()], role.group(), clause[role.end() :]
        if "由" in subject:  # 预公开工作由区司法局牵头
            before, _, subject = subject.rpartition("由")
            sentence = sentence or bool(before.strip())
        subject = _QUALIFIER.sub("", subject.strip(_TRIM)).strip(_TRIM)
        if not _ROLE_TAIL_OK.match(rest.strip(_TRIM)):
            sentence = True
        names = [name for name, _ in _names(subject)]
        if not names or any(not looks_like_unit(n) for n in names):
            sentence = True
        names = [n for n in names if looks_like_unit(n)]
        (lead if _LEAD_ROLE.match(word) else responsible).extend(names)
    return _dedupe(lead), [p for p in _dedupe(responsible) if p not in lead], sentence


def _names(text: str) -> list[tuple[str, bool]]:
    """The names in a plain list, each with whether it is marked lead (市司法局（牵头）)."""
    parts = _join_wrapped(_top_level_parts(text, SEPARATORS, keep_newlines=True))
    names: list[tuple[str, bool]] = []
    for raw in parts:
        name = squeeze(raw.strip(_TRIM))
        if len(name) > 2 and name.endswith("等"):
            name = name[:-1].rstrip(_TRIM)
        is_lead = False
        role = _BRACKETED_ROLE.search(name)
        if role and role.start() > 0:
            is_lead = bool(_LEAD_ROLE.match(role.group(1)))
            name = name[: role.start()].strip(_TRIM)
        if not _has_name(name):
            continue
        if name in _GENERIC and names and names[-1][0].startswith("各"):
            names[-1] = (f"{names[-1][0]}、{name}", names[-1][1])
        elif name not in (n for n, _ in names):
            names.append((name, is_lead))
    return names


def _join_wrapped(parts: list[str]) -> list[str]:
    """Join parts a line break cut inside a name: 市自然资源和 / 规划局 → 市自然资源和规划局."""
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1].endswith("\n"):
            left = joined[-1][:-1]
            merged = left.strip() + part.strip()
            if left.strip() and not looks_like_unit(left.strip()) and looks_like_unit(merged):
                joined[-1] = merged
                continue
            joined[-1] = left
        joined.append(part)
    if joined and joined[-1].endswith("\n"):
        joined[-1] = joined[-1][:-1]
    return joined


# -- brackets ----------------------------------------------------------------------------------


def _top_level_parts(text: str, separators: str, keep_newlines: bool = False) -> list[str]:
    """Split at separators outside brackets; with keep_newlines a part cut at a line break
    keeps it at its end, so wrapped names can be joined again."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            if keep_newlines and ch == "\n":
                current.append("\n")
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _top_level_role(text: str) -> re.Match[str] | None:
    """The first role word outside brackets."""
    matches = list(_ROLE_WORD.finditer(text))
    if not matches:
        return None
    depth, position = 0, 0
    for found in matches:  # in order: walk the text once, tracking bracket depth
        for ch in text[position : found.start()]:
            if ch in OPEN:
                depth += 1
            elif ch in CLOSE:
                depth = max(0, depth - 1)
        position = found.start()
        if depth == 0:
            return found
    return None


def _unwrap(text: str) -> str:
    """Drop brackets around the whole text: （责任单位：办公室、人事处）."""
    while len(text) >= 2 and text[0] in OPEN and _closing_index(text, 0) == len(text) - 1:
        text = text[1:-1].strip(_TRIM)
    return text


def _closing_index(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] in OPEN:
            depth += 1
        elif text[i] in CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _opening_index(text: str, end: int) -> int:
    """The bracket opening the one closing at `end`; -1 if unbalanced."""
    depth = 0
    for i in range(end, -1, -1):
        if text[i] in CLOSE:
            depth += 1
        elif text[i] in OPEN:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _strip_remarks(name: str) -> str:
    """A name without trailing bracketed remarks and 等: 市政府各部门（单位） → 市政府各部门."""
    base = name.strip()
    for _ in range(3):
        if base and base[-1] in CLOSE:
            start = _opening_index(base, len(base) - 1)
            if start <= 0:
                break
            base = base[:start].rstrip()
        elif len(base) > 2 and base.endswith("等"):
            base = base[:-1]
        else:
            break
    return base


# -- trailing notes of prose items -------------------------------------------------------------


def _cut_trailing_group(text: str) -> tuple[str, UnitSplit] | None:
    """(text before, units) when `text` ends with a bracket of units, else None."""
    stripped = text.rstrip(_TERMINAL + " \t\u3000")
    tail = text[len(stripped) :].strip()
    if not stripped:
        return None
    if stripped[-1] in CLOSE:
        start = _opening_index(stripped, len(stripped) - 1)
        if start < 0:
            return None
        inner = stripped[start + 1 : -1]
    else:  # an unclosed bracket at the end: （责任单位：综合处
        start = max(stripped.rfind(ch) for ch in OPEN)
        if start < 0 or any(ch in CLOSE for ch in stripped[start:]):
            return None
        inner = stripped[start + 1 :]
        if not _LABEL.search(inner):
            return None
    units = _units_in_bracket(inner)
    if units is None:
        return None
    before = stripped[:start].rstrip()
    if tail and before and before[-1] not in _TERMINAL:
        before += tail[0]
    return before, units


def _units_in_bracket(inner: str) -> UnitSplit | None:
    inner = inner.strip(_TRIM)
    if not inner:
        return None
    if _LABEL.search(inner):
        found = split_units(inner)
        return None if found.empty else found
    lead, responsible, sentence = _split_plain(inner)
    if sentence or not (lead or responsible) or not all(map(looks_like_unit, lead + responsible)):
        return None  # a remark, a document number, a date: not units
    return UnitSplit(lead, responsible)


_TRAILING_LABEL = re.compile(
    rf"(?:^|(?<=[。；;]))\s*(?=(?:{_LEAD_WORDS}|{_RESP_WORDS})(?:{_LABEL_KIND})\s*[:：])"
)


def _cut_trailing_label(text: str) -> tuple[str, UnitSplit] | None:
    """`…公开。责任单位：综合处、办公室` → (`…公开。`, units)."""
    starts = [m.start() for m in _TRAILING_LABEL.finditer(text)]
    if not starts or starts[-1] == 0:
        return None
    # the first label of the final run of labels: 牵头单位：…；责任单位：…
    start = starts[-1]
    for earlier in reversed(starts[:-1]):
        if not re.search("[。]", text[earlier:start]):
            start = earlier
    found = split_units(text[start:])
    if found.empty or not text[:start].strip():
        return None
    return text[:start].rstrip(), found


# -- small things ------------------------------------------------------------------------------


def _merge(first: UnitSplit | None, second: UnitSplit) -> UnitSplit:
    """Two trailing notes of one item; `second` is the earlier in the text, its names first."""
    if first is None:
        return second
    return UnitSplit(
        _dedupe(second.lead + first.lead),
        _dedupe(second.responsible + first.responsible),
        second.note or first.note,
        second.deadline or first.deadline,
    )


def _dedupe(names: list[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen


def _has_name(text: str) -> bool:
    """Letters or digits once width-folded: the resolver's test for a phrase worth resolving."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in unicodedata.normalize("NFKC", text))


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
