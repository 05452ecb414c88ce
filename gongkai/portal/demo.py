"""Demo data for the portal: the footer's site identifiers and a 指南 filled in for a demo
county office, saved by the demo's office user through the portal's own actions (audited).

The identifiers are made up and say so (示例); a real office enters its own on /site/identity/.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.portal import actions
from gongkai.portal.defaults import GUIDE, GUIDE_TITLE
from gongkai.portal.models import ColumnPage, ColumnSlug, SiteIdentity

IDENTITY = {
    "site_name": "示例区人民政府",
    "organizer": "示例区人民政府办公室",
    "undertaker": "示例区大数据中心",
    "site_code": "0000000000",
    "icp_number": "示例ICP备00000000号-1",
    "police_number": "示例公网安备00000000000000号",
    "police_url": "",
    "badge_url": "",
    "phone": "0533-0000000",
    "email": "gongkai@example.gov.cn",
    "address": "示例区人民路 1 号",
}

#: The guide's placeholders as the demo office would fill them in.
FILLED = {
    "【机关名称】": "示例区人民政府",
    "【本机关依法需要主动公开的其他类别】": (
        "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等信息"
    ),
    "【单位代码】": "机关单位代码",
    "【政府公报、新闻发布会、报刊、广播、电视等其他渠道】": "《示例区人民政府公报》、新闻发布会",
    "【地址】": "示例区政务服务中心一楼",
    "【开放时间】": "工作日上午 9:00—12:00，下午 13:30—17:00",
    "【公报赠阅点地址】": "示例区图书馆一楼政府信息查阅点",
    "【公报赠阅点开放时间】": "每日 9:00—17:00",
    "【公报咨询电话】": "0533-0000002",
    "【通信地址】": "示例区人民路 1 号区政府办公室",
    "【邮政编码】": "000000",
    "【受理地点】": "示例区政务服务中心一楼政府信息公开受理窗口",
    "【受理时间】": "工作日上午 9:00—12:00，下午 13:30—17:00",
    "【政府信息公开工作机构名称】": "示例区人民政府办公室（区政务公开办公室）",
    "【办公地址】": "示例区人民路 1 号",
    "【办公时间，例如工作日上午 9:00—12:00，下午 13:30—17:00】": (
        "工作日上午 9:00—12:00，下午 13:30—17:00"
    ),
    "【联系电话】": "0533-0000000",
    "【传真号码】": "0533-0000001",
    "【电子邮箱】": "gongkai@example.gov.cn",
    "【网站地址】": "本网站",
    "【上一级行政机关或者政府信息公开工作主管部门】": "示例市人民政府办公室",
}


def filled_guide() -> str:
    text = GUIDE
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    return text.strip()


def load_demo(today: dt.date) -> None:
    """Save the identifiers and the guide once (nothing when either is there already)."""
    office = User.objects.filter(username="office").first()
    if office is None or SiteIdentity.objects.exists() or ColumnPage.objects.exists():
        return
    with transaction.atomic():
        actions.save_identity(office, **IDENTITY)
        actions.save_page(
            office,
            ColumnSlug.GUIDE,
            title=f"示例区人民政府{GUIDE_TITLE}",
            body_html=filled_guide(),
            updated_on=today,
        )
