"""Demo 机构职能 information for 张店区司法局 and 张店区财政局, made through the actions (edit,
add a leader with a drawn portrait, submit, approve) so every row is as the pages make it. The
财政局's version is then dated back past the stale limit — the one direct change, audited as
演示数据 — so the office's check page has something to show. Loaded once: nothing happens when
information exists already, or without the demo users. The people are invented.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from PIL import Image, ImageDraw

from gongkai.accounts.models import User
from gongkai.audit.record import record_change, snapshot
from gongkai.institutions import actions
from gongkai.institutions.models import Profile
from gongkai.units.models import Unit

DEMO = "演示数据：日期前移"


def portrait_png(shade: tuple[int, int, int] = (90, 110, 140)) -> bytes:
    """A small drawn head-and-shoulders placeholder, as a PNG."""
    image = Image.new("RGB", (240, 320), (232, 236, 242))
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 50, 165, 150), fill=shade)
    draw.ellipse((30, 170, 210, 380), fill=shade)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


UNITS: dict[str, dict[str, Any]] = {
    "张店区司法局": {
        "liaison": "sifa",
        "profile": {
            "bodies": "\n".join(
                (
                    "办公室",
                    "法治督察科",
                    "行政执法协调监督科",
                    "行政复议与应诉科",
                    "公共法律服务管理科",
                )
            ),
            "functions_html": "（一）承担统筹规划全区法治建设的责任。\n\n"
            "（二）承担全区行政执法协调监督工作，指导、监督各部门行政执法工作。\n\n"
            "（三）承办区政府行政复议、行政应诉案件。\n\n"
            "（四）负责拟订全区公共法律服务体系建设规划并指导实施。",
            "address": "张店区人民西路 88 号",
            "hours": "工作日 上午 8:30—12:00，下午 13:30—17:30（法定节假日除外）",
            "phone": "0533-2180001",
            "fax": "0533-2180002",
            "email": "zdsfj@zhangdian.example.gov.cn",
            "postcode": "255000",
            "website": "",
        },
        "leader": {
            "name": "陈建国",
            "title": "党组书记、局长",
            "rank": "",
            "duties": "主持局全面工作。",
            "gender": "male",
            "ethnicity": "汉族",
            "born": dt.date(1972, 5, 1),
            "education": "大学，法学学士",
            "political": "中共党员",
            "order": 1,
        },
        "stale": False,
    },
    "张店区财政局": {
        "liaison": "caizheng",
        "profile": {
            "bodies": "办公室\n预算科\n国库科\n政府采购监督管理科\n会计科",
            "functions_html": "（一）贯彻执行财税方针政策，拟订全区财政发展规划。\n\n"
            "（二）负责编制区级年度预决算草案并组织执行。\n\n"
            "（三）负责政府采购监督管理和会计管理工作。",
            "address": "张店区金晶大道 66 号",
            "hours": "工作日 上午 8:30—12:00，下午 13:30—17:30",
            "phone": "0533-2180101",
            "fax": "",
            "email": "",
            "postcode": "255000",
            "website": "",
        },
        "leader": {
            "name": "刘慧敏",
            "title": "党组书记、局长",
            "rank": "",
            "duties": "主持局全面工作，分管办公室、预算科。",
            "gender": "female",
            "ethnicity": "汉族",
            "born": dt.date(1976, 10, 1),
            "education": "研究生，经济学硕士",
            "political": "中共党员",
            "order": 1,
        },
        # Dated back past the stale limit, so the check page lists it.
        "stale": True,
    },
}


def load_demo(today: dt.date) -> None:
    """Publish the two units' information (approved `today`, or back past the stale limit)."""
    if Profile.objects.exists():
        return
    office = User.objects.filter(username="office").first()
    if office is None:
        return
    for name, spec in UNITS.items():
        unit = Unit.objects.filter(name=name).first()
        liaison = User.objects.filter(username=spec["liaison"]).first()
        if unit is None or liaison is None:
            continue
        with transaction.atomic():
            actions.save_profile(liaison, unit, spec["profile"])
            actions.save_leader(liaison, unit, None, spec["leader"], photo=portrait_png())
            profile = Profile.objects.get(unit=unit)
            actions.submit(liaison, profile)
            release = actions.review(office, profile, approve=True)
            if release is not None and spec["stale"]:
                days = int(settings.INSTITUTION_STALE_DAYS) + 30
                before = snapshot(release)
                release.approved_at -= dt.timedelta(days=days)
                release.save(update_fields=["approved_at"])
                record_change(None, release, before, comment=DEMO)
