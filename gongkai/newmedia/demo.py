"""Demo 政务新媒体 accounts: three accounts of the demo units (gongkai/demo/data.py) — a
司法局 WeChat account posted to two days ago, a 财政局 Weibo account quiet for three weeks
(stale, so the office's list shows it in red and an inspection reports it), and a
发展和改革局 Douyin account — each with a hand-entered last post, so nothing is fetched from
outside. Units missing from the directory are skipped; loaded once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.audit.record import record_create
from gongkai.newmedia.models import Account, AccountStatus, Platform
from gongkai.units.models import Unit

#: (unit, platform, name, days since the last post, interactive)
ACCOUNTS = (
    ("张店区司法局", Platform.WECHAT, "张店司法", 2, True),
    ("张店区财政局", Platform.WEIBO, "张店财政", 21, True),
    ("张店区发展和改革局", Platform.DOUYIN, "张店发改", 5, False),
)


@transaction.atomic
def load_demo(today: dt.date) -> None:
    if Account.objects.exists():
        return
    for unit_name, platform, name, idle, interactive in ACCOUNTS:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        account = Account(
            unit=unit,
            platform=platform,
            name=name,
            status=AccountStatus.OPEN,
            filed_on=today - dt.timedelta(days=400),
            interactive=interactive,
            registered_on=today - dt.timedelta(days=60),
            manual_post_on=today - dt.timedelta(days=idle),
            notes="" if interactive else "评论区已关闭，正在申请开通私信功能",
        )
        account.refresh_last_post()
        account.save()
        record_create(None, account, comment="演示数据：登记政务新媒体账号")
