"""The demo loads once on the demo directory: two units published with a photographed leader,
one of them past the stale limit so the check page has something to list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.demo.load import load_demo as load_directory
from gongkai.institutions.demo import load_demo
from gongkai.institutions.models import Profile, Release
from tests.conftest import client_for
from tests.test_institutions_story import at, text_of

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_two_units_with_a_photographed_leader(anon: Client) -> None:
    with at("2026-06-15"):
        load_directory()
        load_demo(dt.date(2026, 6, 15))
        load_demo(dt.date(2026, 6, 15))  # once only
        assert Release.objects.count() == 2
        index = text_of(anon.get(reverse("jgzn:index")))
        assert "张店区司法局" in index and "张店区财政局" in index
        for profile in Profile.objects.select_related("published"):
            assert profile.published is not None and profile.missing() == []
            leader = profile.published.leaders.get()
            assert anon.get(reverse("jgzn:photo", args=[leader.photo_id])).status_code == 200
            assert anon.get(reverse("jgzn:unit", args=[profile.unit_id])).status_code == 200
        office = client_for(User.objects.get(username="office"))
        check = text_of(office.get(reverse("institutions:check")))
        assert "张店区财政局" in check and "天未更新或确认" in check
