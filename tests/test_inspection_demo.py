"""The demo registers its own portal as a site to inspect, once, through the audited action."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.demo.load import load_demo as load_directory
from gongkai.inspection.demo import PORTAL_URL, load_demo
from gongkai.inspection.models import InspectedSite

pytestmark = pytest.mark.django_db


def test_the_demo_portal_is_registered_once() -> None:
    load_directory()
    site = load_demo()
    assert site is not None and site.base_url == PORTAL_URL
    assert site.allow_private and site.is_portal and not site.respect_robots
    assert site.unit.name == "张店区人民政府办公室"
    assert AuditEvent.objects.filter(
        object_id=str(site.pk), content_type__model="inspectedsite"
    ).exists()
    assert load_demo() is None
    assert InspectedSite.objects.count() == 1
