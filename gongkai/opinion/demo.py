"""Demo 政务舆情 events, made through the actions so each row is as the pages make it:

- a serious one (张店区司法局, ten days ago): authoritative information after 3 h 20 min and the
  press conference the next morning, both on time, then closed;
- an ordinary one (张店区财政局) detected three hours ago, still open, its 48-hour clock running.

Loaded once: nothing happens when there are events already, or without the demo users and units.
The events are invented.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.opinion import actions
from gongkai.opinion.actions import EventInput, ResponseInput
from gongkai.opinion.models import Event, Level, ResponseKind
from gongkai.units.models import Unit

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"


def load_demo(today: dt.date) -> None:
    """Load the two demo events, counting back from `today` (the office's today)."""
    if Event.objects.exists():
        return
    office = User.objects.filter(username="office").first()
    sifa = User.objects.filter(username="sifa").first()
    units = {u.name: u for u in Unit.objects.filter(name__in=[SIFA, CAIZHENG])}
    if office is None or sifa is None or len(units) != 2:
        return
    zone = timezone.get_current_timezone()
    now = timezone.now()
    with transaction.atomic():
        detected = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(9, 20), zone)
        serious = actions.register_event(
            office,
            EventInput(
                unit=units[SIFA],
                title="网传某小区法律援助窗口停止受理引发关注",
                source="微博",
                url="https://weibo.example.com/status/1001",
                detected_at=detected,
                level=Level.SERIOUS,
                summary="有网民发帖称区法律援助中心窗口停止受理申请，转发量较大。",
            ),
            now=now,
        )
        for kind, after, channel, url in (
            (
                ResponseKind.AUTHORITATIVE,
                dt.timedelta(hours=3, minutes=20),
                "区政府门户网站",
                "https://www.zhangdian.example.gov.cn/sfj/notice/1",
            ),
            (ResponseKind.PRESS, dt.timedelta(hours=23, minutes=40), "区新闻发布厅", ""),
        ):
            actions.record_response(
                sifa,
                serious,
                ResponseInput(kind=kind, at=detected + after, channel=channel, url=url),
                now=now,
            )
        actions.close_event(sifa, serious, "已发布权威信息并召开新闻发布会，舆情平息。", now=now)
        actions.register_event(
            office,
            EventInput(
                unit=units[CAIZHENG],
                title="网民反映惠民补贴发放进度",
                source="12345政务服务便民热线",
                detected_at=(now - dt.timedelta(hours=3)).replace(second=0, microsecond=0),
                level=Level.OTHER,
                summary="多名市民来电询问本年度惠民补贴发放时间。",
            ),
            now=now,
        )
