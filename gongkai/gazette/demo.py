"""Demo 政府公报: two published issues of the current year whose contents link the demo
documents of the register (gongkai.publishing.demo, loaded first), and the reader information
of the 张店区 demo. Made through the actions, as the office; loaded once: nothing happens when
there are issues already, without the demo office user, or without published documents."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.gazette import actions
from gongkai.gazette.actions import InfoInput, IssueInput, ItemInput
from gongkai.gazette.models import GazetteInfo, Issue
from gongkai.publishing.models import DocKind, DocState, Document

#: What a gazette prints (no news, no reposts), each kind under its section, in this order.
SECTIONS = {
    DocKind.RULE: "政府规章",
    DocKind.NORMATIVE: "规范性文件",
    DocKind.POLICY: "部门文件",
    DocKind.PLANNING: "部门文件",
    DocKind.PERSONNEL: "人事任免",
    DocKind.NOTICE: "通知公告",
}
ORDER = list(dict.fromkeys(SECTIONS.values()))

INFO = InfoInput(
    address="张店区人民西路 1 号区政务服务中心一楼政府信息公开查阅点",
    phone="0533-2181234",
    hours="工作日上午 9:00—12:00，下午 13:30—17:00（法定节假日除外）",
    how_to_obtain=(
        "公众可到赠阅点免费查阅或领取纸质《张店区人民政府公报》，每人每期限领一份；"
        "也可在本网站“政府公报”栏目按期查阅、下载和检索电子版。"
    ),
)


def load_demo(today: dt.date) -> None:
    office = User.objects.filter(username="office").first()
    if office is None or Issue.objects.exists():
        return
    recent = Document.objects.filter(
        state=DocState.PUBLISHED, published_on__lte=today, kind__in=SECTIONS, is_repost=False
    )
    documents = list(reversed(recent.order_by("-published_on", "-pk")[:8]))
    if len(documents) < 2:
        return
    half = len(documents) // 2
    first_day = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=30))
    with transaction.atomic():
        for number, day, batch in ((1, first_day, documents[:half]), (2, today, documents[half:])):
            issue = actions.create_issue(
                office,
                IssueInput(year=today.year, number=number, published_on=day, total_number=None),
            )
            sections = [(SECTIONS[DocKind(d.kind)], d) for d in batch]
            for section, document in sorted(sections, key=lambda s: ORDER.index(s[0])):
                actions.add_item(office, issue, ItemInput(section=section, document=document), None)
            actions.publish_issue(office, issue)
        if GazetteInfo.current().is_empty:
            actions.save_info(office, INFO)
