"""机构职能: defects found in review — empty markup passing as 主要职能, phone photos and huge
images refused with the wrong words, unbounded text fields, and the staleness day boundary in
Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from PIL import Image

from gongkai.audit.models import AuditEvent
from gongkai.institutions.models import Leader, Photo, Profile
from gongkai.institutions.photos import PhotoRejected, clean_photo
from gongkai.publishing.sanitize import MAX_HTML
from tests.conftest import Cast, client_for, csrf_post
from tests.test_institutions_story import (
    leader_form,
    profile_form,
    publish_unit,
    text_of,
    upload,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("blank", ["<p> </p>", "<p><br></p>", "<div>&nbsp;</div>"])
def test_markup_without_words_is_still_a_missing_functions_field(cast: Cast, blank: str) -> None:
    liaison = client_for(cast.justice_liaison)
    saved = csrf_post(
        liaison,
        reverse("institutions:edit", args=[cast.justice.pk]),
        profile_form(functions_html=blank),
    )
    assert saved.status_code == 302
    assert "主要职能" in Profile.objects.get(unit=cast.justice).missing()
    page = text_of(client_for(cast.office).get(reverse("institutions:check")))
    assert "缺少：主要职能" in page
    # And the unit cannot file it for review as if it were complete.
    liaison_page = csrf_post(liaison, reverse("institutions:submit", args=[cast.justice.pk]))
    assert liaison_page.status_code == 400 and "主要职能" in text_of(liaison_page)


def test_a_multi_picture_jpeg_from_a_phone_is_accepted(cast: Cast) -> None:
    frame = Image.new("RGB", (300, 400), (200, 120, 80))
    out = io.BytesIO()
    frame.save(out, "MPO", save_all=True, append_images=[frame.copy()])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    liaison = client_for(cast.justice_liaison)
    form = {**leader_form(), "photo_file": upload("IMG_0001.JPG", out.getvalue(), "image/jpeg")}
    saved = csrf_post(liaison, reverse("institutions:leader_new", args=[cast.justice.pk]), form)
    assert saved.status_code == 302, text_of(saved)
    assert Leader.objects.get().photo is not None


def test_an_image_with_enormous_dimensions_is_refused_as_too_large() -> None:
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 million pixels in a few KB
    assert len(bomb.getvalue()) < 50_000
    with pytest.raises(PhotoRejected, match="尺寸过大"):
        clean_photo(bomb.getvalue())


def test_a_huge_image_upload_changes_nothing_and_says_why(cast: Cast) -> None:
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")
    liaison = client_for(cast.justice_liaison)
    form = {**leader_form(), "photo_file": upload("大图.png", bomb.getvalue(), "image/png")}
    refused = csrf_post(liaison, reverse("institutions:leader_new", args=[cast.justice.pk]), form)
    assert refused.status_code == 400 and "照片尺寸过大" in text_of(refused)
    assert not Leader.objects.exists() and not Photo.objects.exists()


def test_a_zero_byte_photo_is_refused_in_chinese(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    form = {**leader_form(), "photo_file": upload("空.jpg", b"", "image/jpeg")}
    refused = csrf_post(liaison, reverse("institutions:leader_new", args=[cast.justice.pk]), form)
    assert refused.status_code == 400 and "空文件" in text_of(refused)
    assert not Leader.objects.exists() and not Photo.objects.exists()


def test_very_long_bodies_and_duties_are_refused_and_nothing_changes(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    edit = reverse("institutions:edit", args=[cast.justice.pk])
    refused = csrf_post(liaison, edit, profile_form(bodies="科" * 200_000))
    assert refused.status_code == 400 and "机构设置" in text_of(refused)
    assert "3000" in text_of(refused)
    assert not Profile.objects.exists()
    long_duties = {**leader_form(), "duties": "分" * 50_000}
    refused = csrf_post(
        liaison, reverse("institutions:leader_new", args=[cast.justice.pk]), long_duties
    )
    assert refused.status_code == 400 and "2000" in text_of(refused)
    assert not Leader.objects.exists()


def test_staleness_counts_shanghai_days_across_midnight(cast: Cast, settings: object) -> None:
    settings.INSTITUTION_STALE_DAYS = 365  # type: ignore[attr-defined]  # pytest-django fixture
    # Approved at 23:30 in Shanghai, which is still the same day (15:30) in UTC.
    with time_machine.travel(dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI), tick=False):
        publish_unit(cast, cast.justice, cast.justice_liaison)
    office = client_for(cast.office)
    check = reverse("institutions:check")
    # 365 days on, late in the evening: not yet older than 365 days.
    with time_machine.travel(dt.datetime(2026, 3, 1, 23, 59, tzinfo=SHANGHAI), tick=False):
        assert "区司法局" not in text_of(office.get(check))
    # Just past midnight in Shanghai (still 2026-03-01 in UTC): 366 days, stale.
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 1, tzinfo=SHANGHAI), tick=False):
        page = text_of(office.get(check))
        assert "区司法局" in page and "366 天" in page


def test_a_public_photo_is_revalidated_so_a_withdrawn_one_stops_at_once(
    cast: Cast, anon: Client
) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    url = reverse("jgzn:photo", args=[Leader.objects.get().photo_id])
    shown = anon.get(url)
    assert shown.status_code == 200
    assert "no-cache" in shown["Cache-Control"] and "max-age" not in shown["Cache-Control"]
    again = anon.get(url, HTTP_IF_NONE_MATCH=shown["ETag"])
    assert again.status_code == 304 and again.content == b""
    cast.justice.active = False
    cast.justice.save()
    assert anon.get(url, HTTP_IF_NONE_MATCH=shown["ETag"]).status_code == 404


def test_a_refused_first_edit_leaves_no_empty_profile_or_audit_behind(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    form = {**leader_form(), "photo_file": upload("照片.jpg", b"not an image", "image/jpeg")}
    refused = csrf_post(liaison, reverse("institutions:leader_new", args=[cast.justice.pk]), form)
    assert refused.status_code == 400 and "不是可识别的图片" in text_of(refused)
    too_long = profile_form(functions_html="x" * (MAX_HTML + 1))
    refused = csrf_post(liaison, reverse("institutions:edit", args=[cast.justice.pk]), too_long)
    assert refused.status_code == 400 and "主要职能过长" in text_of(refused)
    assert not Profile.objects.exists()
    assert not AuditEvent.objects.filter(content_type__app_label="institutions").exists()
    index = text_of(client_for(cast.office).get(reverse("institutions:index")))
    assert "区司法局 未填写" in index


def test_ids_too_large_for_the_database_are_404_on_the_portal(cast: Cast, anon: Client) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    big = "9" * 23  # past a 64-bit integer: SQLite raised OverflowError (a 500)
    for url in (f"/portal/jgzn/{big}/", f"/portal/jgzn/photos/{big}"):
        assert anon.get(url).status_code == 404, url
    assert anon.get(reverse("jgzn:unit", args=[cast.justice.pk])).status_code == 200
