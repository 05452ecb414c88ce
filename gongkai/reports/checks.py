"""The consistency checks of a built report (domain-rules §2.5, §8 C).

Each check reads the report's JSON and answers {"id", "ok", "warning", "title", "detail"}.
A failed check that is not a warning blocks approval and publication; warnings are shown and
do not block (cross-year comparisons can legitimately differ).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.reports.tables import (
    OUTCOME_KEYS,
    SECTIONS,
    TABLE2,
    TABLE2_DECIMAL,
    TABLE3_COLUMNS,
    TABLE3_KEYS,
    TABLE4_COLUMNS,
    TABLE4_TOTAL,
    TOTAL_COLUMN,
    heading,
)

Check = dict[str, Any]
#: What a pre-filled text asks the office to replace.
PLACEHOLDER = re.compile(r"【待填写[^】]*】")
#: Art. 50(四): a government's report covers the results of these.
GOVERNMENT_TOPICS = ("考核", "评议", "责任追究")


def _check(id_: str, title: str, problems: list[str], ok_detail: str, *, warning: bool) -> Check:
    return {
        "id": id_,
        "title": title,
        "ok": not problems,
        "warning": warning,
        "detail": "；".join(problems) if problems else ok_detail,
    }


def _rows(report: dict[str, Any]) -> dict[str, list[int]]:
    return {r["key"]: r["values"] for r in report["table3"]["rows"]}


def check_t3_1(report: dict[str, Any]) -> Check:
    rows = _rows(report)
    problems = []
    for c, name in enumerate(TABLE3_COLUMNS):
        left = rows["newReceived"][c] + rows["carriedOver"][c]
        right = rows["totalProcessed"][c] + rows["carriedForward"][c]
        if left != right:
            problems.append(
                f"“{name}”列：本年新收{rows['newReceived'][c]}+上年结转{rows['carriedOver'][c]}"
                f"={left}，不等于办理结果总计{rows['totalProcessed'][c]}"
                f"+结转下年度{rows['carriedForward'][c]}={right}"
            )
    return _check(
        "T3-1",
        "表三勾稽关系：第一项加第二项之和等于第三项加第四项之和",
        problems,
        "各列均平衡",
        warning=False,
    )


def check_t3_2(report: dict[str, Any]) -> Check:
    rows = _rows(report)
    problems = []
    for c, name in enumerate(TABLE3_COLUMNS):
        parts = sum(rows[k][c] for k in OUTCOME_KEYS)
        if parts != rows["totalProcessed"][c]:
            problems.append(
                f"“{name}”列：各项办理结果之和为{parts}，“（七）总计”为{rows['totalProcessed'][c]}"
            )
    return _check(
        "T3-2",
        "表三办理结果：（七）总计等于各项办理结果之和",
        problems,
        "各列均相符",
        warning=False,
    )


def check_t3_3(report: dict[str, Any]) -> Check:
    problems = []
    for row in report["table3"]["rows"]:
        values = row["values"]
        if sum(values[:TOTAL_COLUMN]) != values[TOTAL_COLUMN]:
            problems.append(
                f"“{row['label']}”行：各类申请人之和为{sum(values[:TOTAL_COLUMN])}，"
                f"总计为{values[TOTAL_COLUMN]}（有申请的申请人类型不在表三各列中）"
            )
    return _check("T3-3", "表三每行：总计等于各类申请人之和", problems, "各行均相符", warning=False)


def check_t3_4(report: dict[str, Any]) -> Check:
    unclassified = report["table3"].get("unclassified", {})
    problems = []
    if unclassified:
        listed = "、".join(f"“{k or '（空）'}”{n}件" for k, n in sorted(unclassified.items()))
        problems.append(
            f"本年办结的申请中有{sum(unclassified.values())}件的办理结果不属于表三任何一行（{listed}），"
            "请在申请登记簿中补正办理结果"
        )
    return _check(
        "T3-4",
        "每件办结的申请恰好计入一个办理结果（区分处理的只计部分公开）",
        problems,
        "全部办结申请均已归入一个办理结果",
        warning=False,
    )


def check_t3_5(report: dict[str, Any]) -> Check:
    before = report["table3"].get("previousCarriedForward")
    rows = _rows(report)
    problems = []
    if before is not None:
        for c, name in enumerate(TABLE3_COLUMNS):
            if before[c] != rows["carriedOver"][c]:
                problems.append(
                    f"“{name}”列：本年上年结转{rows['carriedOver'][c]}件，"
                    f"上年度报告结转下年度{before[c]}件（上年度报告发布后记录可能有改动）"
                )
    return _check(
        "T3-5",
        "跨年核对：上年结转等于上年度的结转下年度继续办理",
        problems,
        "与上年度一致",
        warning=True,
    )


def check_t4_1(report: dict[str, Any]) -> Check:
    problems = []
    for group in report["table4"]["groups"]:
        values = group["values"]
        if sum(values[:TABLE4_TOTAL]) != values[TABLE4_TOTAL]:
            problems.append(
                f"“{group['label']}”：{'、'.join(TABLE4_COLUMNS[:TABLE4_TOTAL])}之和为"
                f"{sum(values[:TABLE4_TOTAL])}，总计为{values[TABLE4_TOTAL]}"
                "（有案件的结果不属于这四类）"
            )
    return _check(
        "T4-1", "表四每组：总计等于结果维持、结果纠正、其他结果、尚未审结之和", problems,
        "三组均相符", warning=False,
    )  # fmt: skip


def _number(value: Any, *, decimal: bool) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or (not decimal and number != number.to_integral()):
        return None
    return number


def check_t2_0(report: dict[str, Any]) -> Check:
    problems = []
    for block in TABLE2:
        for key, label in block.rows:
            for field, column in zip(block.fields, block.columns, strict=True):
                value = report["table2"].get(key, {}).get(field)
                if _number(value, decimal=(key, field) == TABLE2_DECIMAL) is None:
                    problems.append(f"“{label}”的“{column}”应为不小于0的数，现为“{value}”")
    return _check(
        "T2-0", "表二各项为不小于0的件数，收费金额为不小于0的万元数", problems, "表二数值有效",
        warning=False,
    )  # fmt: skip


def check_t2_1(report: dict[str, Any]) -> Check:
    before = report.get("previousTable2")
    problems = []
    if before is not None:
        for key, label in TABLE2[0].rows:
            now, then = report["table2"].get(key, {}), before.get(key, {})
            try:
                expected = int(then["inForce"]) + int(now["made"]) - int(now["repealed"])
                actual = int(now["inForce"])
            except (KeyError, TypeError, ValueError):
                continue
            if expected != actual:
                problems.append(
                    f"“{label}”：上年现行有效{then['inForce']}+本年制发{now['made']}"
                    f"−本年废止{now['repealed']}={expected}，本年现行有效填报为{actual}"
                    "（如有修订、清理，请在正文中说明）"
                )
    return _check(
        "T2-1",
        "跨年核对：现行有效件数≈上年现行有效+本年制发−本年废止",
        problems,
        "与上年度一致" if before is not None else "没有上年度报告，未核对",
        warning=True,
    )


def check_s_1(report: dict[str, Any]) -> Check:
    found = [heading(s["number"], s["title"]) for s in report["sections"]]
    wanted = [heading(n, t) for n, t in SECTIONS]
    problems = [] if found == wanted else [f"标题应为：{' / '.join(wanted)}"]
    rows = [r["key"] for r in report["table3"]["rows"]]
    if rows != list(TABLE3_KEYS):
        problems.append("表三应为国家格式规定的25行")
    return _check(
        "S-1", "报告依次包含一至六部分，标题与国家格式一致", problems, "六个部分齐全",
        warning=False,
    )  # fmt: skip


def _texts(report: dict[str, Any]) -> dict[str, str]:
    return {s["number"]: s.get("text", "") for s in report["sections"]}


def check_c6(report: dict[str, Any]) -> Check:
    problems = []
    if report.get("government"):
        text = PLACEHOLDER.sub("", _texts(report).get("一", "") + _texts(report).get("五", ""))
        missing = [w for w in GOVERNMENT_TOPICS if w not in text]
        if missing:
            problems.append(
                f"政府年度报告应在第一或第五部分报告工作考核、社会评议和责任追究结果，"
                f"尚未写到：{'、'.join(missing)}"
            )
    return _check(
        "C6",
        "政府年度报告包含考核、评议、责任追究情况（条例第五十条）",
        problems,
        "已包含" if report.get("government") else "部门报告不要求",
        warning=True,
    )


def check_c7(report: dict[str, Any]) -> Check:
    text = PLACEHOLDER.sub("", _texts(report).get("六", ""))
    problems = (
        []
        if "信息处理费" in text
        else ["第六部分应报告本年度收取信息处理费的情况（没有收取的写0元）"]
    )
    return _check("C7", "第六部分报告信息处理费收取情况", problems, "已报告", warning=True)


def check_placeholders(report: dict[str, Any]) -> Check:
    problems = [
        f"第{number}部分还有{len(PLACEHOLDER.findall(text))}处“待填写”"
        for number, text in _texts(report).items()
        if PLACEHOLDER.search(text)
    ]
    return _check("S-2", "正文已填写完整", problems, "没有待填写的内容", warning=True)


CHECKS = (
    check_s_1,
    check_t2_0,
    check_t3_1,
    check_t3_2,
    check_t3_3,
    check_t3_4,
    check_t4_1,
    check_t3_5,
    check_t2_1,
    check_c6,
    check_c7,
    check_placeholders,
)


def run_checks(report: dict[str, Any]) -> list[Check]:
    return [check(report) for check in CHECKS]


def blocking(checks: list[Check]) -> list[Check]:
    """The failed checks that stop approval and publication."""
    return [c for c in checks if not c["ok"] and not c["warning"]]
