"""The interpreter: blocks to tasks, table-driven over the seeds and hand-built tables and prose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.tasklist.blocks import Block, Cell, Paragraph, RawDocument, Table
from gongkai.tasklist.model import ParsedPlan, ParsedTask, RuleKind, RuleUnit
from gongkai.tasklist.parse import parse_document, parse_file
from gongkai.tasklist.readers.text import text_blocks

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


def seed(number: str) -> ParsedPlan:
    return parse_file(next(SEEDS.glob(f"{number}_*.txt")))


def task(plan: ParsedPlan, start: str) -> ParsedTask:
    found = [t for t in plan.tasks if t.requirement.startswith(start)]
    assert len(found) == 1, f"{len(found)} tasks start with {start}"
    return found[0]


def summary(t: ParsedTask) -> tuple[list[str], list[str], list[str], str | None]:
    return t.path, t.lead_units, t.responsible_units, t.deadline


def table(*rows: list[str], line: int | None = 1) -> Table:
    """A grid from strings: "^" continues the cell above (a vertical merge), "<" the cell to
    the left (a horizontal one), as Word, Excel and HTML readers mark them."""
    grid: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells: list[Cell] = []
        for c, text in enumerate(row):
            if text == "^":
                cells.append(Cell(grid[r - 1][c].text, continued=True))
            elif text == "<":
                cells.append(Cell(cells[c - 1].text, continued=True))
            else:
                cells.append(Cell(text))
        grid.append(cells)
    return Table(grid, line=line)


def plan_of(*blocks: Block, year: int | None = None) -> ParsedPlan:
    return parse_document(RawDocument("list.docx", list(blocks)), plan_year=year)


def p(text: str, line: int | None = None, heading: int | None = None) -> Paragraph:
    return Paragraph(text, line, heading)


# -- the seeds --------------------------------------------------------------------------------

SEED_TASKS: list[tuple[str, str, list[str], list[str], list[str], str | None]] = [
    (
        "000",
        "确保链接的政务服务频道相关内容全面覆盖依据、条件、程序以及办理结果",
        ["主动公开", "基础信息公开", "行政许可和其他管理服务信息"],
        [],
        ["执法监督局"],  # the merged units cell above, within the same category
        None,
    ),
    ("000", "对接收到的公开申请按时", ["依申请公开", "申请回复质量"], [], ["统计科学研究所"], None),
    (
        "000",
        "严格落实政务舆情回应责任。",
        ["解读回应", "政务舆情回应", "回应与否"],
        [],
        ["综合处"],
        None,
    ),
    ("000", "确保机构设置中各单位咨询电话", ["机制建设", "公开机制建设"], [], ["办公室"], None),
    (
        "001",
        "常态化落实邀请利益相关方、公众代表、专家、媒体等列席部门办公会议。",
        ["推进行政决策、执行、管理、服务和结果全过程公开", "推进决策公开"],
        [],
        ["办公室", "各相关处室"],
        None,
    ),
    (
        "001",
        "全面贯彻落实现行行政执法公示制度。",
        ["推进行政决策、执行、管理、服务和结果全过程公开", "推进管理和服务公开"],
        [],
        ["执法监督局", "资料管理中心"],
        None,
    ),
    (
        "001",
        "按有关部门对预算、决算信息的时间",
        ["聚焦中心工作和重点领域，拓展公开广度和深度", "持续推动统计部门预算、决算信息公开"],
        [],
        ["财务处", "办公室"],
        None,
    ),
    (
        "001",
        "定期公开政府工作报告重点任务的执行情况。",
        ["推进行政决策、执行、管理、服务和结果全过程公开", "推进执行和结果公开"],
        [],
        ["各承办法室"],
        None,
    ),
    (
        "002",
        "负责人信息包括姓名",
        ["主动公开", "基础信息公开", "机构职能"],
        [],
        ["各成员单位"],
        None,
    ),
    (
        "002",
        "本单位制发的除人事任免",
        ["解读回应", "政策解读", "解读内容"],
        [],
        [],  # the merged cell above belongs to another top-level category
        None,
    ),
    (
        "002",
        "确保政府网站互动咨询功能",
        ["解读回应", "互动咨询", "互动功能"],
        [],
        ["各成员单位"],
        None,
    ),
    (
        "002",
        "全面检查本部门单位国办政务公开页面",
        ["公开渠道", "信息维护"],
        [],
        ["各成员单位"],
        None,
    ),
    (
        "003",
        "深化依法治統公開。",
        ["服務經濟高質量發展,不斷完善政務公開內容"],
        ["法規股"],
        ["各相關股室"],
        None,
    ),
    (
        "003",
        "加強政策解讀和輿情回應。",
        ["圍繞服務型統計建設,不斷深化全流程公開"],
        ["綜合股", "辦公室"],
        ["各股室", "普查中心"],
        None,
    ),
    (
        "004",
        "各级政府要制定发布重大行政决策事项目录",
        ["推进决策、执行、管理、服务和结果全过程公开", "推进决策公开"],
        ["市司法局", "各县（市、区）"],
        ["市政府各部门（单位）"],
        None,
    ),
    (
        "004",
        "各县（市、区）、各市直部门要在政府网站",
        ["聚焦中心工作和重点领域推进信息公开"],  # the requirement spans the second level
        [],
        ["市政府各部门（单位）", "各县（市、区）"],
        None,
    ),
    (
        "004",
        "重点公开征收土地信息",
        ["聚焦中心工作和重点领域推进信息公开", "继续推进重大建设项目批准和实施领域政府信息公开"],
        ["市自然资源和规划局"],  # one name wrapped over two lines
        ["各县（市、区）"],
        None,
    ),
    (
        "004",
        "完善公共资源交易制度",
        ["聚焦中心工作和重点领域推进信息公开", "推进优化营商环境信息公开"],
        ["市行政审批服务局", "市公共资源交易中心"],  # two names on two lines
        ["各县（市、区）"],
        None,
    ),
]


@pytest.mark.parametrize(("number", "start", "path", "lead", "responsible", "deadline"), SEED_TASKS)
def test_a_seed_task_reads_with_its_path_and_units(
    number: str,
    start: str,
    path: list[str],
    lead: list[str],
    responsible: list[str],
    deadline: str | None,
) -> None:
    assert summary(task(seed(number), start)) == (path, lead, responsible, deadline)


@pytest.mark.parametrize(
    ("number", "count", "title", "issuer", "issued", "doc_number"),
    [
        ("000", 43, "省统计局政务公开常态化工作任务清单", None, None, None),
        (
            "001",
            32,
            "山东省统计局办公室关于印发《山东省统计局 2020年政务公开工作实施方案》的通知",
            "山东省统计局办公室",
            "2020-07-08",
            "鲁统办字〔2020〕29号",
        ),
        (
            "002",
            67,
            "张店区人民政府办公室关于印发《张店区2023年政务公开常态化工作任务清单》的通知",
            "张店区人民政府办公室",
            "2023-08-21",
            None,
        ),
        ("003", 16, None, None, None, None),
        ("004", 143, "2020年泰安市政务公开重点工作任务分解表", None, None, None),
    ],
)
def test_a_seed_gives_all_its_tasks_and_its_metadata(
    number: str,
    count: int,
    title: str | None,
    issuer: str | None,
    issued: str | None,
    doc_number: str | None,
) -> None:
    plan = seed(number)
    assert len(plan.tasks) == count
    assert (plan.title, plan.issuer, plan.issued, plan.doc_number) == (
        title,
        issuer,
        issued,
        doc_number,
    )
    assert all(t.requirement and t.line for t in plan.tasks)
    assert plan.warnings == []


def test_the_seed_requirements_are_whole_and_free_of_layout_debris() -> None:
    plan = seed("000")
    last = plan.tasks[-1]
    assert last.requirement.startswith("确保机构设置中各单位咨询电话的准确性")
    assert "bookmark" not in last.requirement
    assert last.line == 254
    broken = task(seed("001"), "建立健全政务新媒体相关工作制度")
    assert (
        broken.requirement
        == "建立健全政务新媒体相关工作制度，做好内容保障、安全防护、监督管理等工作。"
    )
    assert broken.line == 99


def test_a_units_sentence_gives_the_lead_keeps_the_sentence_and_carries_down() -> None:
    plan = seed("002")
    first = task(plan, "做好行政规范性文件的集中、规范公开工作。")
    merged = task(plan, "公开页面详细列明标题")
    assert first.lead_units == merged.lead_units == ["区司法局"]
    assert first.notes == merged.notes
    assert first.notes is not None and first.notes.startswith("区司法局牵头区级规范性文件集中公开")


def test_traditional_script_stays_as_written_with_a_simplified_copy() -> None:
    first = seed("003").tasks[0]
    assert first.requirement.startswith("深化統計數據公開。主動公開農林牧漁業")
    assert first.requirement.endswith("主動公開統計公報、普查公報。")
    assert first.simplified is not None and first.simplified.startswith(
        "深化统计数据公开。主动公开"
    )
    assert seed("001").tasks[0].simplified is None


def test_time_rules_come_from_the_requirement_with_the_plan_year() -> None:
    reply = task(seed("000"), "及时回应涉及本地区的政务舆情")
    assert [(r.kind, r.amount, r.unit) for r in reply.time_rules] == [
        (RuleKind.WITHIN, 5, RuleUnit.HOUR),
        (RuleKind.WITHIN, 24, RuleUnit.HOUR),
        (RuleKind.WITHIN, 48, RuleUnit.HOUR),
    ]
    dated = task(seed("004"), "对照国务院部门制定的26个试点领域标准指引")
    assert [(r.kind, r.date) for r in dated.time_rules] == [(RuleKind.BY_DATE, "2020-12-31")]


# -- tables -----------------------------------------------------------------------------------


def test_merged_categories_sections_a_serial_column_and_separate_unit_and_time_columns() -> None:
    plan = plan_of(
        p("市统计局2023年政务公开重点工作任务分解表", 1),
        table(
            ["序号", "工作任务", "<", "具体内容", "牵头科室", "责任科室", "完成时限"],
            ["一、主动公开", "<", "<", "<", "<", "<", "<"],
            [
                "1",
                "政策文件",
                "规范性文件",
                "及时公开规范性文件。",
                "办公室",
                "各科室",
                "印发后5个工作日内",
            ],
            ["2", "^", "^", "每年开展一次文件清理。", "法规科", "^", "2023年11月底前"],
            ["3", "^", "解读", "同步发布解读材料。", "各科室", "", "与文件同步"],
            ["二、依申请公开", "<", "<", "<", "<", "<", "<"],
            ["4", "办理答复", "<", "规范答复。", "办公室", "", "长期坚持"],
            line=10,
        ),
    )
    assert [summary(t) for t in plan.tasks] == [
        (["主动公开", "政策文件", "规范性文件"], ["办公室"], ["各科室"], "印发后5个工作日内"),
        (["主动公开", "政策文件", "规范性文件"], ["法规科"], ["各科室"], "2023年11月底前"),
        (["主动公开", "政策文件", "解读"], ["各科室"], [], "与文件同步"),
        (["依申请公开", "办理答复"], ["办公室"], [], "长期坚持"),
    ]
    assert [t.line for t in plan.tasks] == [12, 13, 14, 16]
    assert [(r.kind, r.date) for r in plan.tasks[1].time_rules] == [
        (RuleKind.RECURRING, None),
        (RuleKind.BY_DATE, "2023-11-30"),
    ]
    assert plan.title == "市统计局2023年政务公开重点工作任务分解表"


def test_a_chinese_numeral_in_the_serial_column_heads_a_section() -> None:
    plan = plan_of(
        table(
            ["序号", "工作任务", "责任单位"],
            ["一", "主动公开", ""],
            ["1", "做好年报发布工作。", "办公室"],
            ["二", "依申请公开", ""],
            ["2", "规范答复。", "办公室"],
        )
    )
    assert [(t.path, t.requirement) for t in plan.tasks] == [
        (["主动公开"], "做好年报发布工作。"),
        (["依申请公开"], "规范答复。"),
    ]


def test_a_disclosure_catalogue_reads_content_as_requirement_and_subject_as_units() -> None:
    plan = plan_of(
        table(
            [
                "序号",
                "公开事项",
                "<",
                "公开内容（要素）",
                "公开依据",
                "公开时限",
                "公开主体",
                "公开方式",
                "<",
            ],
            ["^", "一级事项", "二级事项", "^", "^", "^", "^", "主动", "依申请"],
            [
                "1",
                "行政许可",
                "许可事项",
                "许可依据、条件、程序",
                "《行政许可法》",
                "20个工作日内",
                "县行政审批局",
                "√",
                "",
            ],
            ["2", "^", "许可结果", "许可决定", "《条例》", "7个工作日内", "^", "√", "√"],
        )
    )
    assert [summary(t) for t in plan.tasks] == [
        (["行政许可", "许可事项"], [], ["县行政审批局"], "20个工作日内"),
        (["行政许可", "许可结果"], [], ["县行政审批局"], "7个工作日内"),
    ]
    assert plan.tasks[0].requirement == "许可依据、条件、程序"
    assert plan.tasks[1].notes == "公开依据：《条例》；公开方式：主动、依申请"


def test_a_header_below_title_rows_and_repeated_on_every_page_is_found_and_dropped() -> None:
    header = ["工作任务", "具体要求", "责任单位"]
    plan = plan_of(
        table(
            ["附件：2023年政务公开工作任务清单", "<", "<"],
            header,
            ["主动公开", "及时公开规范性文件。", "办公室"],
            header,
            ["^", "做好年报。", "人事处"],
        )
    )
    assert [t.requirement for t in plan.tasks] == ["及时公开规范性文件。", "做好年报。"]
    assert plan.title == "2023年政务公开工作任务清单"


def test_a_table_continued_on_the_next_page_keeps_its_columns_and_categories() -> None:
    plan = plan_of(
        table(["工作任务", "具体要求", "责任单位"], ["主动公开", "及时公开规范性文件。", "办公室"]),
        table(["主动公开", "做好年报。", "人事处"], ["", "更新公开指南。", ""]),
    )
    assert [summary(t) for t in plan.tasks] == [
        (["主动公开"], [], ["办公室"], None),
        (["主动公开"], [], ["人事处"], None),
        (["主动公开"], [], ["人事处"], None),
    ]


def test_one_requirement_over_several_unit_rows_is_one_task() -> None:
    plan = plan_of(
        table(
            ["工作任务", "具体要求", "牵头单位", "责任单位"],
            ["主动公开", "及时公开规范性文件。", "办公室", "人事处"],
            ["^", "^", "^", "财务处"],
        ),
        table(["主动公开", "及时公开规范性文件。", "办公室", "综合处"]),  # repeated on a new page
    )
    assert [summary(t) for t in plan.tasks] == [
        (["主动公开"], ["办公室"], ["人事处", "财务处", "综合处"], None)
    ]


def test_a_requirement_cut_by_a_page_break_is_joined_again() -> None:
    plan = plan_of(
        table(
            ["工作任务", "具体要求", "责任单位"],
            ["主动公开", "及时公开规范性文件，并在文件库中", "办公室"],
            ["^", "标注有效性。", ""],
            ["^", "做好年报。", "人事处"],
        )
    )
    assert [t.requirement for t in plan.tasks] == [
        "及时公开规范性文件，并在文件库中标注有效性。",
        "做好年报。",
    ]


def test_empty_units_carry_down_in_text_tables_within_the_same_top_level_category() -> None:
    rows = [
        ["工作任务", "<", "具体要求", "责任单位"],
        ["主动公开", "政策文件", "及时公开规范性文件。", "办公室"],
        ["", "机构职能", "公开机构职能。", ""],
        ["依申请公开", "答复", "规范答复。", ""],
    ]
    carried = plan_of(table(*rows))
    assert [t.responsible_units for t in carried.tasks] == [["办公室"], ["办公室"], []]
    # where the reader marks merged cells, an empty cell means no units
    marked = plan_of(table(*rows[:2], ["^", "机构职能", "公开机构职能。", ""], rows[3]))
    assert [t.responsible_units for t in marked.tasks] == [["办公室"], [], []]


def test_a_requirement_spanning_a_category_column_sits_under_the_levels_to_its_left() -> None:
    plan = plan_of(
        table(
            ["工作任务及要求", "<", "<", "牵头单位", "责任单位"],
            ["聚焦重点领域", "推进决策公开", "制定决策事项目录。", "市司法局", "各县（市、区）"],
            ["^", "做好承诺事项公开。", "<", "", "各县（市、区）"],
        )
    )
    assert [t.path for t in plan.tasks] == [["聚焦重点领域", "推进决策公开"], ["聚焦重点领域"]]
    assert plan.tasks[1].requirement == "做好承诺事项公开。"


def test_a_units_column_naming_roles_and_an_unknown_column_are_both_read() -> None:
    plan = plan_of(
        table(
            ["工作任务", "具体要求", "责任单位", "牵头领导", "是否完成", "检查口径"],
            ["政策文件", "1.及时公开规范性文件。", "办公室牵头，各科室配合", "张三", "否", "抽查"],
        )
    )
    only = plan.tasks[0]
    assert (only.requirement, only.lead_units, only.responsible_units) == (
        "及时公开规范性文件。",
        ["办公室"],
        ["各科室"],
    )
    assert only.notes == "是否完成：否；检查口径：抽查"
    assert any("检查口径" in w for w in plan.warnings)


TEXT = "及时公开规范性文件，并标注有效性。"


@pytest.mark.parametrize(
    ("header", "row", "path"),
    [
        (["项目", "说明", "责任单位及责任人"], ["政策文件", TEXT, "办公室"], ["政策文件"]),
        (
            ["一级指标", "二级指标", "评估要点", "责任单位"],
            ["主动公开", "政策文件", TEXT, "办公室"],
            ["主动公开", "政策文件"],
        ),
        (
            ["工作任务", "工作目标", "具体措施", "责任单位"],
            ["主动公开", "全面公开", TEXT, "办公室"],
            ["主动公开"],
        ),
    ],
)
def test_the_requirement_column_is_the_one_that_says_what_to_do(
    header: list[str], row: list[str], path: list[str]
) -> None:
    plan = plan_of(table(header, row, [row[0], "做好年报发布，按时发布。", *row[2:]]))
    first = plan.tasks[0]
    assert (first.path, first.requirement, first.responsible_units) == (path, TEXT, ["办公室"])


def test_a_table_without_a_header_is_read_by_its_contents_or_left_alone() -> None:
    rows = [
        ["1", "主动公开", "及时公开规范性文件，并标注有效性。", "办公室"],
        ["2", "主动公开", "做好年报，按时发布。", "人事处"],
        ["3", "依申请公开", "规范答复，按时办结。", "办公室"],
    ]
    plan = plan_of(table(*rows))
    assert [summary(t) for t in plan.tasks] == [
        (["主动公开"], [], ["办公室"], None),
        (["主动公开"], [], ["人事处"], None),
        (["依申请公开"], [], ["办公室"], None),
    ]
    assert any("推断" in w for w in plan.warnings)
    boxes = plan_of(table(["标题：", "通知"], ["文号：", "x"], ["日期：", "2023-01-01"]))
    assert boxes.tasks == []


def test_a_table_under_a_heading_has_the_heading_above_its_categories() -> None:
    header = ["序号", "工作内容", "责任科室"]
    plan = plan_of(
        p("附件", 1),
        p("2023年政务公开工作任务清单", 2),
        p("一、主动公开", 3),
        p("（一）政策文件", 4),
        table(header, ["1", "及时公开规范性文件。", "办公室"]),
        table(["2", "标注文件有效性。", "法规科"]),  # the same table, on the next page
        p("二、依申请公开", 6),
        table(header, ["1", "规范答复。", "办公室"], ["备注：各单位按季度报送进展。", "<", "<"]),
    )
    assert [(t.path, t.requirement) for t in plan.tasks] == [
        (["主动公开", "政策文件"], "及时公开规范性文件。"),
        (["主动公开", "政策文件"], "标注文件有效性。"),
        (["依申请公开"], "规范答复。"),
    ]


def test_a_row_with_units_but_no_requirement_is_reported() -> None:
    plan = plan_of(
        table(
            ["工作任务", "具体要求", "责任单位"],
            ["政策文件", "公开文件。", "办公室"],
            ["", "", "人事处"],
        )
    )
    assert len(plan.tasks) == 1
    assert any("没有工作要求" in w for w in plan.warnings)


# -- prose ------------------------------------------------------------------------------------

NOTICE = [
    p("县人民政府办公室文件", 1),
    p("县政办发〔2023〕5号", 2),
    p("县人民政府办公室关于印发2023年政务公开工作要点的通知", 3),
    p("各乡镇人民政府，县政府各部门：", 4),
    p("现将《2023年政务公开工作要点》印发给你们，请认真贯彻落实。", 5),
    p("县人民政府办公室", 6),
    p("二〇二三年三月一日", 7),
]


def test_a_prose_plan_reads_headings_into_paths_and_items_into_tasks() -> None:
    plan = plan_of(
        *NOTICE,
        p("一、推进重点领域公开", 8),
        p("（一）财政信息", 9),
        p(
            "1. 公开部门预算决算，做到及时完整。"
            "（牵头单位：财政局；责任单位：各部门；完成时限：2023年12月底前）",
            10,
        ),
        p("2．做好年度报告。（县政府办公室牵头，各乡镇配合）", 11),
        p("（二）解读回应", 12),
        p("认真做好政策解读，3个工作日内发布解读材料。责任单位：各部门", 13),
        p("二、强化保障", 14),
        p("1.建立健全政务新媒体相关工作制度，做好内容保", 15),
        p("障等工作。（责任单位：", 16),
        p("县委网信办)", 17),
        p("附件：1. 任务分工表", 18),
    )
    assert [summary(t) for t in plan.tasks] == [
        (["推进重点领域公开", "财政信息"], ["财政局"], ["各部门"], "2023年12月底前"),
        (["推进重点领域公开", "财政信息"], ["县政府办公室"], ["各乡镇"], None),
        (["推进重点领域公开", "解读回应"], [], ["各部门"], None),
        (["强化保障"], [], ["县委网信办"], None),
    ]
    assert plan.tasks[3].requirement == "建立健全政务新媒体相关工作制度，做好内容保障等工作。"
    assert [t.line for t in plan.tasks] == [10, 11, 13, 15]
    assert (plan.title, plan.issuer, plan.issued, plan.doc_number) == (
        "县人民政府办公室关于印发2023年政务公开工作要点的通知",
        "县人民政府办公室",
        "2023-03-01",
        "县政办发〔2023〕5号",
    )
    assert plan.tasks[0].time_rules[-1].date == "2023-12-31"


def test_heading_styles_without_numbers_and_lead_ins_to_sub_items_are_headings() -> None:
    plan = plan_of(
        p("2023年工作要点", 1),
        p("主动公开", 2, heading=1),
        p("政策文件", 3, heading=2),
        p("及时公开规范性文件，并在文件库标注有效性。（责任单位：办公室）", 4),
        p("依申请公开", 5, heading=1),
        p("1. 做好答复：", 6),
        p("（1）规范答复格式。（责任单位：办公室）", 7),
        p("（2）按时办结。（责任单位：法规科）", 8),
    )
    assert [(t.path, t.responsible_units) for t in plan.tasks] == [
        (["主动公开", "政策文件"], ["办公室"]),
        (["依申请公开", "做好答复"], ["办公室"]),
        (["依申请公开", "做好答复"], ["法规科"]),
    ]


def test_a_heading_with_units_gives_them_to_its_items_and_a_short_sentence_is_a_task() -> None:
    plan = plan_of(
        p("一、主动公开（责任单位：办公室）", 1),
        p("（一）及时公开规范性文件，标注有效性。", 2),
        p("（二）做好年报发布工作，按时发布。（责任单位：人事科）", 3),
        p("二、依申请公开（牵头单位：法规科；配合单位：各科室）", 4),
        p("1. 规范答复。", 5),
    )
    assert [(t.path, t.requirement, t.lead_units, t.responsible_units) for t in plan.tasks] == [
        (["主动公开"], "及时公开规范性文件，标注有效性。", [], ["办公室"]),
        (["主动公开"], "做好年报发布工作，按时发布。", [], ["人事科"]),
        (["依申请公开"], "规范答复。", ["法规科"], ["各科室"]),
    ]


def test_sections_where_no_item_names_units_are_guidance_when_the_tasks_name_theirs() -> None:
    plan = plan_of(
        p("一、总体要求", 1),
        p("以新时代中国特色社会主义思想为指导，全面推进政务公开工作，提升公开质量。", 2),
        p("二、主要任务", 3),
        p("（一）加强政策解读。做好解读工作。（责任单位：办公室）", 4),
        p("（二）做好年报。按时发布年度报告。（责任单位：办公室）", 5),
        p("三、保障措施", 6),
        p("（一）加强组织领导。各单位要高度重视，认真落实各项任务。", 7),
    )
    assert [t.line for t in plan.tasks] == [4, 5]
    assert any("视为说明" in w for w in plan.warnings)


def test_a_web_page_reads_its_labelled_fields_and_its_heading_as_the_title() -> None:
    plan = plan_of(
        p("首页 > 政府信息公开 > 计划总结", 1),
        table(
            ["索引号：", "1137/2023-00012", "发布机构：", "市统计局"],
            ["发文日期：", "2023-03-15", "文号：", "统字〔2023〕3号"],
        ),
        p("市统计局2023年政务公开工作要点", 3, heading=1),
        p("为深入贯彻落实《条例》，推进统计政务公开，现制定本要点。", 4),
        p("一、加强统计数据发布", 5),
        p("（一）按时发布统计数据。每月按照发布日程表发布主要统计数据。（责任科室：综合科）", 6),
        p("分享到：微信 微博", 7),
    )
    assert (plan.title, plan.issuer, plan.issued, plan.doc_number) == (
        "市统计局2023年政务公开工作要点",
        "市统计局",
        "2023-03-15",
        "统字〔2023〕3号",
    )
    assert [(t.path, t.line) for t in plan.tasks] == [(["加强统计数据发布"], 6)]


def test_a_notice_without_numbered_items_has_no_tasks_and_says_so() -> None:
    plan = plan_of(*NOTICE)
    assert plan.tasks == []
    assert any("未找到任务" in w for w in plan.warnings)


def test_numbered_notice_paragraphs_do_not_mix_with_a_task_table() -> None:
    plan = plan_of(
        p("一、提高认识。各单位要高度重视，认真落实各项任务。", 1),
        table(
            ["工作任务", "具体要求", "责任单位"],
            ["主动公开", "及时公开规范性文件。", "办公室"],
            ["^", "做好年报。", "人事处"],
        ),
    )
    assert [t.requirement for t in plan.tasks] == ["及时公开规范性文件。", "做好年报。"]
    assert any("未导入" in w for w in plan.warnings)


# -- metadata ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("鲁统办字〔2020〕29号", "鲁统办字〔2020〕29号"),
        ("泰政办发[2023]12号", "泰政办发[2023]12号"),
        ("樟府办发(2023)28号", "樟府办发(2023)28号"),
        ("X政办字〔2023〕 第 5 号  签发人：张三", "X政办字〔2023〕第5号"),
        ("按照《通知》（鲁政办字〔2020〕78号）要求", None),
    ],
)
def test_a_document_number_is_a_line_of_its_own(line: str, number: str | None) -> None:
    plan = plan_of(p(line, 1), p("关于印发政务公开工作要点的通知", 2))
    assert plan.doc_number == number


@pytest.mark.parametrize(
    ("line", "issued"),
    [
        ("2020年7月8日", "2020-07-08"),
        ("2023年8月18日印发", "2023-08-18"),
        ("二〇二三年三月一日", "2023-03-01"),
        ("2023-08-21", "2023-08-21"),
        ("2023年12月31日前", None),
        ("2023年2月30日", None),
    ],
)
def test_the_date_is_a_line_of_its_own_under_the_signature(line: str, issued: str | None) -> None:
    plan = plan_of(p("关于印发政务公开工作要点的通知", 1), p("县政府办公室", 2), p(line, 3))
    assert plan.issued == issued
    assert plan.issuer == ("县政府办公室" if issued else None)


# -- never crashing ---------------------------------------------------------------------------

_WORDS = [
    *"一二、（）()1.。，；：:工作任务具体要求责任单位牵头办公室各县市区局\n\t| ",
    "工作任务",
    "具体要求",
    "责任单位",
    "牵头单位",
    "完成时限",
    "序号",
    "（责任单位：办公室）",
    "一、",
    "（一）",
    "1.",
    "[bookmark: _GoBack]",
    "附件",
]
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_TEXT)
def test_any_text_file_content_gives_a_plan_and_never_an_exception(source: str) -> None:
    plan = parse_document(RawDocument("junk.txt", text_blocks(source)))
    _check(plan)


_CELLS = st.tuples(_TEXT, st.booleans()).map(lambda t: Cell(t[0], continued=t[1]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(_CELLS, min_size=0, max_size=8), max_size=12),
    paragraphs=st.lists(st.tuples(_TEXT, st.one_of(st.none(), st.integers(1, 9))), max_size=8),
)
def test_any_blocks_give_a_plan_and_never_an_exception(
    rows: list[list[Cell]], paragraphs: list[tuple[str, int | None]]
) -> None:
    blocks: list[Block] = [Paragraph(t, i, h) for i, (t, h) in enumerate(paragraphs)]
    blocks.insert(len(blocks) // 2, Table(rows, line=None))
    blocks.append(Table(rows[::-1], line=3))
    _check(parse_document(RawDocument("junk.docx", blocks)))


def test_huge_cells_and_paragraphs_are_read_in_reasonable_time() -> None:
    huge = "做好公开工作，" * 30000 + "（责任单位：办公室）"
    plan = plan_of(
        table(
            ["工作任务", "具体要求", "责任单位"], ["公开", huge, "办公室牵头（各科室配合、" * 5000]
        ),
        *[p("一、" + huge, i) for i in range(5)],
    )
    assert len(plan.tasks) == 5  # the prose reading has more tasks than the table
    assert plan.tasks[0].responsible_units == ["办公室"]


def _check(plan: ParsedPlan) -> None:
    data: dict[str, Any] = plan.to_dict()
    assert isinstance(plan.to_json(), str)
    for t in data["tasks"]:
        assert t["requirement"].strip()
        assert all(isinstance(x, str) and x for x in t["path"])
        assert all(u.strip() for u in t["lead_units"] + t["responsible_units"])
