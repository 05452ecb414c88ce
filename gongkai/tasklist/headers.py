"""Which column is which: a task table's header row, read by its words.

Headers vary (工作任务 / 任务内容 / 具体要求 / 工作要求 / 公开事项 / 公开内容 …, Simplified or
Traditional), so a header cell is matched by the words it contains, in a fixed order of
precedence (`_RULES`): 完成时限 is a deadline before it is a requirement, 牵头单位 a lead
before it is a unit column, 工作任务及要求 a requirement before it is a task.

A header cell spanning several columns (工作任务 over three category columns) gives each of them
a role: category columns for a task header, and for a requirement header (工作任务及要求) every
column but the last. When no column says requirement, the last task column holds it
(序号 | 工作任务 | 责任单位) or, failing that, the last category column (一级事项 | 二级事项).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc


class Role(enum.StrEnum):
    SERIAL = "serial"  # 序号
    PATH = "path"  # a category level: 一级事项, 类别
    TASK = "task"  # 工作任务, 公开事项: a category, or the requirement when none is named
    REQUIREMENT = "requirement"  # 具体要求, 任务内容, 公开内容
    LEAD = "lead"  # 牵头单位
    RESPONSIBLE = "responsible"  # 责任单位, 配合单位, 公开主体, 责任科室
    UNITS = "units"  # 牵头及责任单位: roles come from the cell's own words
    DEADLINE = "deadline"  # 完成时限, 公开时限, 时间要求
    NOTES = "notes"  # 备注, 公开依据, 公开方式 …: kept in the task's notes, labelled
    IGNORE = "ignore"  # 完成情况, 联系人 …: progress and contacts are not part of the plan
    UNKNOWN = "unknown"  # words the table of synonyms does not know


_PEOPLE = ("联系人", "联系电话", "电话", "责任人", "经办人", "领导", "签字")
_STRONG = ("要求", "内容", "措施", "举措", "具体任务", "任务描述", "要点")

#: (role, words): the first rule with a word contained in the header decides. Simplified only:
#: headers are converted to Simplified before matching.
_RULES: tuple[tuple[Role, tuple[str, ...]], ...] = (
    (
        Role.IGNORE,
        ("完成情况", "进展情况", "落实情况", "进度情况", "自查情况", "推进情况", "整改情况"),
    ),
    (Role.IGNORE, _PEOPLE),
    (Role.IGNORE, ("得分", "分值", "评分", "扣分", "满分")),
    (Role.SERIAL, ("序号", "编号", "序列", "排序")),
    (Role.DEADLINE, ("时限", "时间", "期限", "时间节点", "截止", "日期", "进度安排", "完成时段")),
    (
        Role.UNITS,
        ("牵头及责任", "牵头及配合", "牵头/责任", "牵头/配合", "牵头和责任", "牵头和配合"),
    ),
    (Role.LEAD, ("牵头", "主责", "主办")),
    (
        Role.RESPONSIBLE,
        (
            "责任",
            "配合",
            "协办",
            "协同",
            "参与",
            "承办",
            "落实单位",
            "实施单位",
            "实施主体",
            "主体",
            "负责",
            "单位",
            "部门",
            "科室",
            "股室",
            "处室",
            "机构",
            "机关",
        ),
    ),
    (Role.NOTES, ("备注", "说明", "依据", "方式", "渠道", "载体", "对象", "范围", "形式", "层级")),
    (Role.REQUIREMENT, _STRONG),
    (Role.REQUIREMENT, ("工作目标", "细则")),
    (Role.PATH, ("类别", "分类", "类型", "领域", "板块", "栏目", "指标", "方面", "专项", "环节")),
    (Role.TASK, ("任务", "事项", "项目", "工作", "名称", "重点", "目标", "标准")),
)
SUB_LABEL = "/"  # between a parent header and the sub-header under it: 公开方式/主动
_UNIT_WORDS = re.compile("单位|部门|科室|股室|处室|主体")
_LEVEL = re.compile(r"^[一二三四五六1-6][级層层]")
#: A header cell is short; a long cell is content, whatever words it holds.
MAX_HEADER_CHARS = 16
_CONTENT_ROLES = frozenset({Role.PATH, Role.TASK, Role.REQUIREMENT})
_UNIT_ROLES = frozenset({Role.LEAD, Role.RESPONSIBLE, Role.UNITS})

_t2s = opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """The matching form: Simplified, width-folded, without spaces, brackets' contents kept."""
    folded = unicodedata.normalize("NFKC", _t2s.convert(text))
    return re.sub(r"[\s:：*＊]+", "", folded)


def classify(text: str) -> Role | None:
    """The role a header cell names; None when it is too long or empty to be a header word."""
    if len(text) > 2 * MAX_HEADER_CHARS:
        return None
    key = header_key(text)
    if not key or len(key) > MAX_HEADER_CHARS:
        return None
    if _LEVEL.match(key):  # 一级事项, 二级指标, 三级目录
        return Role.PATH
    bare = re.sub(r"[(（][^)）]*[)）]", "", key) or key  # 责任单位（部门） → 责任单位
    for role, words in _RULES:
        if words is _PEOPLE and _UNIT_WORDS.search(bare):
            continue  # 责任单位及责任人: the units, with a contact beside them
        if any(word in bare for word in words):
            return role
    return Role.UNKNOWN


def is_header_row(texts: Sequence[str]) -> bool:
    """Whether a row's cells read as column names: two or more known roles, one of them content
    or units, and few cells that are not header words at all."""
    distinct = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
    if len(distinct) < 2 or any(len(t) > 2 * MAX_HEADER_CHARS for t in distinct):
        return False
    roles = [classify(t) for t in distinct]
    if any(r is None for r in roles):
        return False
    known = [r for r in roles if r not in (None, Role.UNKNOWN)]
    if len(known) < 2 or len(known) < 0.6 * len(distinct):
        return False
    return any(r in _CONTENT_ROLES for r in known) and any(
        r in _UNIT_ROLES | {Role.REQUIREMENT, Role.DEADLINE, Role.SERIAL} for r in known
    )


@dataclass(frozen=True)
class Columns:
    """The role of each column of a table, and the header words it came from."""

    roles: tuple[Role, ...]
    labels: tuple[str, ...]

    @property
    def requirement(self) -> int | None:
        return self.roles.index(Role.REQUIREMENT) if Role.REQUIREMENT in self.roles else None

    def indices(self, *roles: Role) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r in roles]

    @property
    def path(self) -> list[int]:
        return self.indices(Role.PATH)


def column_roles(header_rows: Sequence[Sequence[tuple[str, bool]]]) -> Columns:
    """Roles for every column from the header row(s): each a list of (text, continued) cells.

    With two header rows (责任单位 over 牵头单位 | 配合单位), the lower row names the columns it
    has words for and the upper row the rest.
    """
    width = max((len(r) for r in header_rows), default=0)
    labels = [""] * width
    spans: list[tuple[int, int]] = []  # (start, end) of each upper-row cell spanning columns
    for depth, row in enumerate(header_rows):
        for col in range(width):
            text, continued = row[col] if col < len(row) else ("", True)
            text = text.strip()
            if depth == 0:
                labels[col] = text
                if continued and col > 0 and text == labels[col - 1]:
                    spans[-1] = (spans[-1][0], col)
                else:
                    spans.append((col, col))
            elif text and not continued and text != labels[col]:
                if classify(text) not in (None, Role.UNKNOWN) or not labels[col]:
                    labels[col] = text
                else:  # 公开方式 over 主动 | 依申请: the parent names them
                    labels[col] = f"{labels[col]}{SUB_LABEL}{text}"
    roles = [classify(label) or Role.UNKNOWN for label in labels]
    for start, end in spans:
        if end == start or len({labels[c] for c in range(start, end + 1)}) > 1:
            continue  # a lower header row named the columns one by one
        role = roles[start]
        if role in (Role.TASK, Role.PATH):
            for col in range(start, end + 1):
                roles[col] = Role.PATH if role == Role.PATH else Role.TASK
        elif role == Role.REQUIREMENT:  # 工作任务及要求 over categories and the requirement
            for col in range(start, end):
                roles[col] = Role.PATH
    return Columns(settle(roles, labels), tuple(labels))


def settle(roles: list[Role], labels: Sequence[str]) -> tuple[Role, ...]:
    """One requirement column; task columns before it become category levels.

    Of several requirement columns the one whose words say requirement most plainly (具体措施
    over 工作目标) is it, the first of equals; the others are kept as notes.
    """
    roles = list(roles)
    if Role.REQUIREMENT not in roles:
        for candidate in (Role.TASK, Role.PATH):
            found = [i for i, r in enumerate(roles) if r == candidate]
            if found:
                roles[found[-1]] = Role.REQUIREMENT
                break
    candidates = [i for i, r in enumerate(roles) if r == Role.REQUIREMENT]
    if candidates:
        chosen = max(
            candidates, key=lambda i: (_strength(labels[i] if i < len(labels) else ""), -i)
        )
        for i, role in enumerate(roles):
            if role == Role.REQUIREMENT and i != chosen:
                roles[i] = Role.NOTES
            elif role == Role.TASK:
                roles[i] = Role.PATH if i < chosen else Role.NOTES
    return tuple(roles)


def _strength(label: str) -> int:
    return 1 if any(word in header_key(label) for word in _STRONG) else 0
