"""Demo data for 网站检查: the demo's own portal registered as a site to inspect, through the
app's own action (audited), so a newcomer can press 立即检查 on /inspection/ and watch a real
crawl of the pages `gongkai serve` is serving. Nothing is crawled here."""

from __future__ import annotations

from gongkai.accounts.models import User
from gongkai.inspection import actions
from gongkai.inspection.models import InspectedSite, Schedule
from gongkai.units.models import Unit

#: Where `gongkai serve` serves the portal by default.
PORTAL_URL = "http://127.0.0.1:8000/portal/"


def load_demo() -> InspectedSite | None:
    """Register the portal once (nothing when a site is registered already)."""
    office = User.objects.filter(username="office").first()
    unit = Unit.objects.filter(name="张店区人民政府办公室").first()
    if office is None or unit is None or InspectedSite.objects.exists():
        return None
    return actions.create_site(
        office,
        {
            "name": "示例区人民政府门户网站（本平台演示）",
            "base_url": PORTAL_URL,
            "unit": unit,
            "is_portal": True,
            "respect_robots": False,  # the office's own site
            "max_pages": 500,
            "schedule": Schedule.NONE,
            # The demo runs on this machine: loopback must be allowed, and 127.0.0.1 is not
            # a .gov.cn domain.
            "allow_private": True,
            "domain_exempt": ["127.0.0.1"],
        },
    )
