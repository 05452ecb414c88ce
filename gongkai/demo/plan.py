"""A demo task list for 张店区 in 2026, imported like any other, with some progress on it.

The tasks are written for the demo (in the style of the seed lists, not copied from them), so
the work pages, the dashboard and the quarterly check have something to show on first run.
"""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from openpyxl import Workbook

from gongkai.accounts.models import User
from gongkai.plans.actions import Meta, Source, import_plan
from gongkai.plans.models import Plan
from gongkai.plans.rows import DraftRow
from gongkai.tasklist.timerules import extract_time_rules
from gongkai.work.actions import ReportInput, review_report, submit_report
from gongkai.work.models import Checkpoint

PLAN_NAME = "张店区政务公开常态化工作任务清单（演示）"
YEAR = 2026
LEAD = "张店区人民政府办公室"
ALL = ["张店区司法局", "张店区财政局", "张店区发展和改革局", "张店区大数据中心"]

#: (category path, requirement, lead units, responsible units, 时限)
TASKS: list[tuple[list[str], str, list[str], list[str], str]] = [
    (
        ["主动公开", "政策文件"],
        "行政规范性文件印发后在政府网站政策文件栏目及时公开，标注有效性，并同步发布解读材料。",
        [LEAD],
        ALL,
        "文件印发后3个工作日内",
    ),
    (
        ["主动公开", "政策文件"],
        "对本单位现行有效的行政规范性文件开展一次集中清理，公布清理结果。",
        ["张店区司法局"],
        ["张店区司法局"],
        "6月底前",
    ),
    (
        ["主动公开", "财政信息"],
        "按规定时限公开部门预决算，公开内容完整、表格齐全。",
        ["张店区财政局"],
        ["张店区财政局", "张店区发展和改革局"],
        "每季度",
    ),
    (
        ["主动公开", "重大项目"],
        "公开重大建设项目批准和实施信息，持续更新项目进展。",
        ["张店区发展和改革局"],
        ["张店区发展和改革局"],
        "持续推进",
    ),
    (
        ["依申请公开", "办理规范"],
        "依法办理政府信息公开申请，答复前报区政府办公室审核。",
        [LEAD],
        ALL,
        "收到申请之日起20个工作日内",
    ),
    (
        ["平台建设", "政府网站"],
        "开展政府网站常态化自查，及时整改断链、错链和空白栏目。",
        ["张店区大数据中心"],
        ALL,
        "每月",
    ),
    (
        ["组织保障", "年度报告"],
        "编制并发布本单位政府信息公开工作年度报告。",
        [LEAD],
        ALL,
        "年底前",
    ),
]


def _source(rows: list[DraftRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["类别", "工作任务", "牵头单位", "责任单位", "时限"])
    for row in rows:
        sheet.append(
            [
                " / ".join(row.path),
                row.requirement,
                "、".join(row.lead_units),
                "、".join(row.responsible_units),
                row.deadline,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows() -> list[DraftRow]:
    rows = []
    for n, (path, requirement, lead, responsible, deadline) in enumerate(TASKS, start=1):
        rules = extract_time_rules(f"{requirement} {deadline}", YEAR)
        rows.append(
            DraftRow(
                id=f"r{n}",
                path=path,
                requirement=requirement,
                lead_units=lead,
                responsible_units=responsible,
                deadline=deadline,
                time_rules=[{k: v for k, v in vars(r).items() if v is not None} for r in rules],
                line=n + 1,
            )
        )
    return rows


@transaction.atomic
def load_demo_plan() -> dict[str, Any]:
    """Import the demo plan and give it some history: reports, one returned, some accepted."""
    rows = _rows()
    result = import_plan(
        None,
        rows,
        Source(_source(rows), "张店区2026年政务公开任务清单（演示）.xlsx"),
        Meta(title=PLAN_NAME, issuer="张店区人民政府办公室"),
        name=PLAN_NAME,
        year=YEAR,
    )
    office = User.objects.get(username="office")
    sifa = User.objects.get(username="sifa")
    caizheng = User.objects.get(username="caizheng")
    plan: Plan = result.plan
    first_half = Checkpoint.objects.filter(plan=plan, due__lte=f"{YEAR}-06-30")
    reports = 0
    for checkpoint in first_half.filter(unit__name="张店区司法局").order_by("due", "pk"):
        report = submit_report(
            sifa,
            checkpoint,
            ReportInput("done", text="已按要求完成，相关信息已在政府网站公开。"),
        )
        review_report(office, report, accept=True)
        reports += 1
    finance = first_half.filter(unit__name="张店区财政局").order_by("due", "pk").first()
    if finance is not None:
        report = submit_report(
            caizheng, finance, ReportInput("done", text="一季度预算执行情况已公开。")
        )
        review_report(office, report, accept=False, comment="请补充公开页面的链接作为佐证。")
        reports += 1
    return {
        "plan": plan,
        "checkpoints": Checkpoint.objects.filter(plan=plan).count(),
        "reports": reports,
    }
