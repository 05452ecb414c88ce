"""The national format of the annual report (国办公开办函〔2021〕30号), as data.

Section numbers and headings, and the exact labels, keys and layout of Tables 二, 三 and 四
(domain-rules §2.1–2.4). Renderers draw the tables from these lists; the builder fills them.
No Django import: the format is a fact about the world, not about our models.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- sections -------------------------------------------------------------------------------

#: (number, title) of the six sections, in order. The heading is f"{number}、{title}".
SECTIONS: tuple[tuple[str, str], ...] = (
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
)
#: Sections whose body is the office's text; the others are a table.
TEXT_SECTIONS = ("一", "五", "六")
#: Which table sits under which section.
SECTION_TABLES = {"二": "table2", "三": "table3", "四": "table4"}


def heading(number: str, title: str) -> str:
    return f"{number}、{title}"


# -- Table 二 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Block:
    """One block of Table 二: the 条例 item it reports on, its value columns and its rows."""

    header: str
    columns: tuple[str, ...]
    fields: tuple[str, ...]  # JSON key of each value column
    rows: tuple[tuple[str, str], ...]  # (JSON key, 信息内容 label)


TABLE2_TITLE = "主动公开政府信息情况"
TABLE2_FIRST_COLUMN = "信息内容"
TABLE2: tuple[Table2Block, ...] = (
    Table2Block(
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        ("made", "repealed", "inForce"),
        (("regulations", "规章"), ("normativeDocs", "行政规范性文件")),
    ),
    Table2Block(
        "第二十条第（五）项",
        ("本年处理决定数量",),
        ("decisions",),
        (("licensing", "行政许可"),),
    ),
    Table2Block(
        "第二十条第（六）项",
        ("本年处理决定数量",),
        ("decisions",),
        (("punishment", "行政处罚"), ("coercion", "行政强制")),
    ),
    Table2Block(
        "第二十条第（八）项",
        ("本年收费金额（单位：万元）",),
        ("amount",),
        (("fees", "行政事业性收费"),),
    ),
)
#: The one decimal cell (万元); every other cell of Table 二 is a count of 件.
TABLE2_DECIMAL = ("fees", "amount")


def table2_cells() -> list[tuple[str, str, str, str]]:
    """(row key, field, row label, column label) of the 10 cells, in reading order."""
    return [
        (key, field, label, column)
        for block in TABLE2
        for key, label in block.rows
        for field, column in zip(block.fields, block.columns, strict=True)
    ]


# -- Table 三 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table3Row:
    """A data row. A label is given on the first row of its merged group only (as printed)."""

    key: str
    level1: str
    level2: str = ""
    level3: str = ""

    @property
    def label(self) -> str:
        return self.level3 or self.level2 or self.level1


TABLE3_TITLE = "收到和处理政府信息公开申请情况"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_HEADER = "申请人情况"
TABLE3_LEGAL_GROUP = "法人或其他组织"
TABLE3_COLUMNS: tuple[str, ...] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
#: The applicant type stored on a request for each of the first six columns, in order.
APPLICANT_COLUMNS: tuple[str, ...] = (
    "person",
    "company",
    "research",
    "nonprofit",
    "legal",
    "other",
)
TOTAL_COLUMN = len(APPLICANT_COLUMNS)

_RESULTS = "三、本年度办理结果"
TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("newReceived", "一、本年新收政府信息公开申请数量"),
    Table3Row("carriedOver", "二、上年结转政府信息公开申请数量"),
    Table3Row("granted", _RESULTS, "（一）予以公开"),
    Table3Row("partialGrant", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Table3Row("denied.stateSecret", "", "（三）不予公开", "1.属于国家秘密"),
    Table3Row("denied.lawForbidden", "", "", "2.其他法律行政法规禁止公开"),
    Table3Row("denied.safetyStability", "", "", "3.危及“三安全一稳定”"),
    Table3Row("denied.thirdParty", "", "", "4.保护第三方合法权益"),
    Table3Row("denied.internalAffairs", "", "", "5.属于三类内部事务信息"),
    Table3Row("denied.processInfo", "", "", "6.属于四类过程性信息"),
    Table3Row("denied.enforcementFile", "", "", "7.属于行政执法案卷"),
    Table3Row("denied.adminQuery", "", "", "8.属于行政查询事项"),
    Table3Row("unable.notHeld", "", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    Table3Row("unable.needCreation", "", "", "2.没有现成信息需要另行制作"),
    Table3Row("unable.unclearAfterCorrection", "", "", "3.补正后申请内容仍不明确"),
    Table3Row("notProcessed.petition", "", "（五）不予处理", "1.信访举报投诉类申请"),
    Table3Row("notProcessed.repeat", "", "", "2.重复申请"),
    Table3Row("notProcessed.publication", "", "", "3.要求提供公开出版物"),
    Table3Row("notProcessed.massive", "", "", "4.无正当理由大量反复申请"),
    Table3Row("notProcessed.confirmReissue", "", "", "5.要求行政机关确认或重新出具已获取信息"),
    Table3Row(
        "other.noCorrection",
        "",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    Table3Row(
        "other.feeUnpaid",
        "",
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    Table3Row("other.other", "", "", "3.其他"),
    Table3Row("totalProcessed", "", "（七）总计"),
    Table3Row("carriedForward", "四、结转下年度继续办理"),
)
TABLE3_KEYS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS)
#: The 22 leaf rows under 三、本年度办理结果: one per outcome of a request.
OUTCOME_KEYS: tuple[str, ...] = TABLE3_KEYS[2:23]


@dataclass(frozen=True)
class Cell:
    """A label cell of a drawn table: text, where it starts in the grid, and its spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def _group_length(rows: tuple[Table3Row, ...], start: int, level: str) -> int:
    """How many rows from `start` belong to the label at `start` (until the next label)."""
    n = 1
    for row in rows[start + 1 :]:
        if getattr(row, level) or (level == "level2" and row.level1):
            break
        n += 1
    return n


def table3_label_cells() -> list[list[Cell]]:
    """For each data row, the label cells it starts (the 3 label columns; row 0 = first data
    row): a label with nothing below it spans the columns to its right, a group label spans
    the rows of its group."""
    cells: list[list[Cell]] = []
    for i, row in enumerate(TABLE3_ROWS):
        mine: list[Cell] = []
        if row.level1:
            if not row.level2:
                mine.append(Cell(row.level1, i, 0, colspan=3))
            else:
                mine.append(Cell(row.level1, i, 0, rowspan=_group_length(TABLE3_ROWS, i, "level1")))
        if row.level2:
            if not row.level3:
                mine.append(Cell(row.level2, i, 1, colspan=2))
            else:
                mine.append(Cell(row.level2, i, 1, rowspan=_group_length(TABLE3_ROWS, i, "level2")))
        if row.level3:
            mine.append(Cell(row.level3, i, 2))
        cells.append(mine)
    return cells


def table3_header_cells() -> list[Cell]:
    """The 3 header rows over 10 grid columns (3 label columns, then the 7 data columns)."""
    return [
        Cell(TABLE3_NOTE, 0, 0, rowspan=3, colspan=3),
        Cell(TABLE3_HEADER, 0, 3, colspan=7),
        Cell(TABLE3_COLUMNS[0], 1, 3, rowspan=2),
        Cell(TABLE3_LEGAL_GROUP, 1, 4, colspan=5),
        Cell(TABLE3_COLUMNS[-1], 1, 9, rowspan=2),
        *[Cell(text, 2, 4 + i) for i, text in enumerate(TABLE3_COLUMNS[1:-1])],
    ]


# -- Table 四 -------------------------------------------------------------------------------

TABLE4_TITLE = "政府信息公开行政复议、行政诉讼情况"
TABLE4_COLUMNS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
#: The stored result of an appeal for each of the first four columns, in order.
RESULT_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")
PENDING_COLUMN = 3
TABLE4_TOTAL = len(RESULT_COLUMNS)
#: (appeal kind, label of the group) of the three groups, in order.
TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after", "复议后起诉"),
)
TABLE4_LITIGATION = "行政诉讼"


def table4_header_cells() -> list[Cell]:
    """The 3 header rows over 15 grid columns."""
    reconsideration = TABLE4_GROUPS[0][1]
    cells = [
        Cell(reconsideration, 0, 0, colspan=5),
        Cell(TABLE4_LITIGATION, 0, 5, colspan=10),
        *[Cell(text, 1, i, rowspan=2) for i, text in enumerate(TABLE4_COLUMNS)],
        Cell(TABLE4_GROUPS[1][1], 1, 5, colspan=5),
        Cell(TABLE4_GROUPS[2][1], 1, 10, colspan=5),
    ]
    cells += [Cell(text, 2, 5 + i) for i, text in enumerate(TABLE4_COLUMNS * 2)]
    return cells
