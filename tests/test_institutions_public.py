"""The portal's 机构职能 pages: only approved versions are shown, every unit in the same layout,
stored rich text sanitised, no script; photos are served only while a published version shows
them (a working-copy photo and a replaced one are 404 to the public)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from gongkai.institutions import actions
from gongkai.institutions.demo import portrait_png
from gongkai.institutions.models import Leader, Photo, Profile, Release
from tests.conftest import Cast, client_for
from tests.test_institutions_story import leader_form, profile_form, publish_unit, text_of

HOSTILE = (
    '<p onclick="steal()">（一）负责行政复议。</p><script>alert(1)</script>'
    '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">详见</a>'
)


def test_hostile_markup_in_functions_is_sanitised_when_saved_and_shown(
    cast: Cast, anon: Client
) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison, functions_html=HOSTILE)
    stored = Profile.objects.get().functions_html
    page = anon.get(reverse("jgzn:unit", args=[cast.justice.pk]))
    staff = client_for(cast.office).get(reverse("institutions:profile", args=[cast.justice.pk]))
    for body in (stored, page.content.decode(), staff.content.decode()):
        lowered = body.lower()
        assert "onclick" not in lowered and "onerror" not in lowered
        assert "javascript:" not in lowered and "alert(1)" not in lowered
    assert "<script" not in page.content.decode().lower()
    assert "（一）负责行政复议。" in text_of(page)
    assert "script-src 'none'" in page["Content-Security-Policy"]


def test_only_approved_information_of_active_units_is_public(cast: Cast, anon: Client) -> None:
    actions.save_profile(cast.finance_liaison, cast.finance, profile_form(address="财政路 1 号"))
    publish_unit(cast, cast.justice, cast.justice_liaison)
    index = text_of(anon.get(reverse("jgzn:index")))
    assert "区司法局" in index and "区财政局" not in index
    assert anon.get(reverse("jgzn:unit", args=[cast.finance.pk])).status_code == 404
    assert anon.get(reverse("jgzn:unit", args=[cast.justice.pk])).status_code == 200

    cast.justice.active = False
    cast.justice.save()
    assert anon.get(reverse("jgzn:unit", args=[cast.justice.pk])).status_code == 404
    assert "区司法局" not in text_of(anon.get(reverse("jgzn:index")))


def headings(client: Client, unit_pk: int) -> list[str]:
    page = client.get(reverse("jgzn:unit", args=[unit_pk])).content.decode()
    return re.findall(r"<(?:h2|dt|th)[^>]*>([^<]+)<", page)


def test_every_unit_is_shown_in_the_same_layout(cast: Cast, anon: Client) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    # 财政局 leaves every optional field empty; its page still has the same rows.
    publish_unit(
        cast, cast.finance, cast.finance_liaison, fax="", email="", postcode="", website=""
    )
    assert headings(anon, cast.justice.pk) == headings(anon, cast.finance.pk)
    assert "传真" in headings(anon, cast.finance.pk)


def test_a_photo_is_public_only_while_a_published_version_shows_it(
    cast: Cast, anon: Client
) -> None:
    data = {**leader_form(), "born": None, "order": 1}
    draft = actions.save_leader(
        cast.justice_liaison, cast.justice, None, data, photo=portrait_png()
    )
    assert draft.photo_id is not None
    first = draft.photo_id
    assert anon.get(reverse("jgzn:photo", args=[first])).status_code == 404
    own = client_for(cast.justice_liaison).get(reverse("institutions:photo", args=[first]))
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    other = client_for(cast.finance_liaison)
    assert other.get(reverse("institutions:photo", args=[first])).status_code == 404

    actions.remove_leader(cast.justice_liaison, draft)
    assert not Photo.objects.filter(pk=first).exists()  # no version ever showed it
    publish_unit(cast, cast.justice, cast.justice_liaison)
    leader = Leader.objects.get()
    shown = anon.get(reverse("jgzn:photo", args=[leader.photo_id]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"

    # A new photo in the working copy: the old one stays public until the new version is out.
    old = leader.photo_id
    darker = portrait_png((40, 40, 40))
    actions.save_leader(cast.justice_liaison, cast.justice, leader, data, photo=darker)
    new = Leader.objects.get().photo_id
    assert new != old
    assert anon.get(reverse("jgzn:photo", args=[old])).status_code == 200
    assert anon.get(reverse("jgzn:photo", args=[new])).status_code == 404
    profile = Profile.objects.get()
    actions.submit(cast.justice_liaison, profile)
    actions.review(cast.office, profile, approve=True)
    assert Release.objects.count() == 2
    assert anon.get(reverse("jgzn:photo", args=[old])).status_code == 404
    assert anon.get(reverse("jgzn:photo", args=[new])).status_code == 200
