"""The gazette as evidence on task-tracking checkpoints (seed 004's 政府公报 tasks, seed 002's
指南 line on how to obtain the gazette): issues published in the plan year, their items, the
last issue's date, and whether the reader information is filled in.

The gazette is the government's, not one unit's: every unit's checkpoint shows the same
figures (the lines take the unit only because every source is asked per unit).
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from gongkai.gazette.models import GazetteInfo, Issue
from gongkai.work.linked import LinkedLine, LinkedSource

#: Task lines about the gazette, in simplified and traditional characters (seed 003 is in
#: traditional). 统计公报 and the like are other publications and do not match.
KEYWORDS = ("政府公报", "政府公報")


def lines(unit_id: int, year: int) -> list[LinkedLine]:
    del unit_id  # the same gazette for every unit
    issues = Issue.objects.published().filter(year=year)
    found = issues.aggregate(n=Count("pk", distinct=True), items=Count("items"))
    staff = reverse("gazette:index")
    if not found["n"]:
        return [LinkedLine(f"{year} 年尚未发布政府公报", staff, problem=True)]
    last = issues.order_by("-published_on", "-number").first()
    assert last is not None
    result = [
        LinkedLine(
            f"{year} 年已发布政府公报 {found['n']} 期，目录条目 {found['items']} 条",
            reverse("gb:year", args=[year]),
        ),
        LinkedLine(
            f"最近一期：{last.label}，出版日期 {last.published_on:%Y-%m-%d}",
            reverse("gb:issue", args=[last.year, last.number]),
        ),
    ]
    with_pdf = issues.exclude(pdf_name="").count()
    result.append(LinkedLine(f"其中附整期 PDF 的 {with_pdf} 期", staff, problem=with_pdf == 0))
    info = GazetteInfo.current()
    missing = [
        label
        for label, value in (
            ("赠阅点地址", info.address),
            ("联系电话", info.phone),
            ("开放时间", info.hours),
            ("获取方式", info.how_to_obtain.strip()),
        )
        if not value
    ]
    if missing:
        result.append(
            LinkedLine(
                "政府公报查阅信息缺少：" + "、".join(missing),
                reverse("gazette:info"),
                problem=True,
            )
        )
    else:
        result.append(LinkedLine("政府公报查阅信息（赠阅点、电话、开放时间、获取方式）已填写"))
    return result


SOURCE = LinkedSource("政府公报", KEYWORDS, lines)
