"""The register as evidence on the task-tracking checkpoints of the 政务新媒体 tasks (seed lines
「确保政务新媒体的更新频率和功能可用性…」, 「将…政务新媒体账号在…明显位置展示」): the unit's
open accounts, each with its last post, the stale ones marked as problems."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.newmedia.models import Account, stale_days
from gongkai.work.linked import LinkedLine, LinkedSource


def linked_lines(unit_id: int, year: int) -> list[LinkedLine]:
    today = timezone.localdate()
    accounts = list(Account.objects.open().filter(unit_id=unit_id).order_by("platform", "name"))
    if not accounts:
        return [LinkedLine("本单位未登记开设中的政务新媒体账号", reverse("newmedia:index"))]
    days = stale_days()
    stale = [a for a in accounts if a.is_stale(today)]
    lines = [
        LinkedLine(
            f"开设中的政务新媒体账号 {len(accounts)} 个，"
            f"超过 {days} 天未更新 {len(stale)} 个，已在门户网站政务新媒体栏目展示",
            reverse("xmt:index"),
            problem=bool(stale),
        )
    ]
    for a in accounts:
        last = f"最近发布 {a.last_post_on:%Y-%m-%d}" if a.last_post_on else "未登记发布日期"
        late = f"，已 {a.idle_days(today)} 天未更新" if a.is_stale(today) else ""
        interaction = "有互动功能" if a.interactive else "无互动功能"
        lines.append(
            LinkedLine(
                f"「{a.name}」（{a.get_platform_display()}）{last}{late}，{interaction}",
                reverse("newmedia:detail", args=[a.pk]),
                problem=a.is_stale(today) or not a.interactive,
            )
        )
    return lines


SOURCE = LinkedSource("政务新媒体", ("新媒体", "新媒體"), linked_lines)
