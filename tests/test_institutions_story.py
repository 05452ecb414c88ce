"""机构职能 through HTTP, the clock standing still on the days things happen: 司法局's liaison fills
in the institution and a leader (a text file posing as the photo is refused, in Chinese), files
it; the office returns it with a reason; the liaison fixes it and files again; the office
approves and the portal shows it with the approval date, while a later edit stays off the
portal until approved. Every act is in the audit trail with its field changes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.institutions import actions
from gongkai.institutions.demo import portrait_png
from gongkai.institutions.models import Leader, Photo, Profile, ProfileState, Release
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> Any:
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def plain(markup: str) -> str:
    """HTML as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def text_of(response: Any) -> str:
    return plain(response.content.decode())


def profile_form(**changes: str) -> dict[str, str]:
    data = {
        "bodies": "办公室\n法治督察科\n行政复议与应诉科",
        "functions_html": "（一）统筹全区法治建设。\n\n（二）承办行政复议案件。",
        "address": "人民西路 88 号",
        "hours": "工作日 8:30—17:30",
        "phone": "0533-2180001",
        "fax": "",
        "email": "sfj@example.gov.cn",
        "postcode": "255000",
        "website": "",
    }
    data.update(changes)
    return data


def leader_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "陈建国",
        "title": "党组书记、局长",
        "rank": "",
        "duties": "主持局全面工作。",
        "gender": "male",
        "ethnicity": "汉族",
        "born": "1972-05",
        "education": "大学，法学学士",
        "political": "中共党员",
        "order": "1",
    }
    data.update(changes)
    return data


def publish_unit(cast: Cast, unit: Unit, liaison: User, **changes: str) -> Profile:
    """Fill in, file and approve a unit's information through the actions (one leader)."""
    actions.save_profile(liaison, unit, profile_form(**changes))
    data = {**leader_form(), "born": dt.date(1972, 5, 1), "order": 1}
    actions.save_leader(liaison, unit, None, data, photo=portrait_png())
    profile = Profile.objects.get(unit=unit)
    actions.submit(liaison, profile)
    actions.review(cast.office, profile, approve=True)
    return Profile.objects.get(unit=unit)


def upload(name: str, content: bytes, kind: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=kind)


def test_a_unit_edits_files_is_returned_fixes_and_is_published(cast: Cast) -> None:
    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    unit = cast.justice.pk
    page_url = reverse("institutions:profile", args=[unit])
    portal_url = reverse("jgzn:unit", args=[unit])

    with at("2026-03-02"):
        assert "区司法局" in text_of(liaison.get(reverse("institutions:index")))
        assert "尚未填写" in text_of(liaison.get(page_url))

        response = csrf_post(liaison, reverse("institutions:edit", args=[unit]), profile_form())
        assert response.status_code == 302
        profile = Profile.objects.get(unit=cast.justice)
        assert profile.state == ProfileState.EDITING and profile.phone == "0533-2180001"
        assert "<p>（一）统筹全区法治建设。</p>" in profile.functions_html

        # A text file named like a photo is refused by its content, and nothing is stored.
        new_leader = reverse("institutions:leader_new", args=[unit])
        fake = upload("photo.jpg", b"not a picture at all", "image/jpeg")
        response = csrf_post(liaison, new_leader, {**leader_form(), "photo_file": fake})
        assert response.status_code == 400
        assert "不是可识别的图片" in text_of(response)
        assert not Leader.objects.exists() and not Photo.objects.exists()

        photo = upload("chen.png", portrait_png(), "image/png")
        response = csrf_post(liaison, new_leader, {**leader_form(), "photo_file": photo})
        assert response.status_code == 302
        leader = Leader.objects.get()
        assert leader.born == dt.date(1972, 5, 1) and leader.photo is not None
        assert bytes(leader.photo.data)[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG

        response = csrf_post(liaison, reverse("institutions:submit", args=[unit]))
        assert response.status_code == 302
        # Under review the working copy is locked, and nothing is public yet.
        response = csrf_post(
            liaison, reverse("institutions:edit", args=[unit]), profile_form(phone="1")
        )
        assert response.status_code == 400 and "审核完成前不能修改" in text_of(response)
        assert client_for(cast.justice_liaison).get(portal_url).status_code == 404

    review_url = reverse("institutions:review", args=[unit])
    with at("2026-03-03"):
        response = csrf_post(office, review_url, {"decision": "return", "reason": ""})
        assert response.status_code == 400 and "退回时请写明退回理由" in text_of(response)
        reason = "联系电话请写总机号码"
        response = csrf_post(office, review_url, {"decision": "return", "reason": reason})
        assert response.status_code == 302
        assert reason in text_of(liaison.get(page_url))
        # A liaison cannot review.
        assert csrf_post(liaison, review_url, {"decision": "approve"}).status_code == 403

    with at("2026-03-04"):
        response = csrf_post(
            liaison,
            reverse("institutions:edit", args=[unit]),
            profile_form(phone="0533-2180000"),
        )
        assert response.status_code == 302
        assert csrf_post(liaison, reverse("institutions:submit", args=[unit])).status_code == 302

    with at("2026-03-05"):
        response = csrf_post(office, review_url, {"decision": "approve", "reason": ""})
        assert response.status_code == 302
    release = Release.objects.get()
    assert release.number == 1 and release.phone == "0533-2180000"
    assert list(release.leaders.values_list("name", flat=True)) == ["陈建国"]

    with at("2026-03-06"):
        public = client_for(cast.finance_liaison).get(portal_url)
        assert public.status_code == 200
        shown = text_of(public)
        assert "更新日期： 2026年3月5日" in shown
        assert "0533-2180000" in shown and "陈建国" in shown and "1972年5月" in shown
        assert "法治督察科" in shown
        photo_url = reverse("jgzn:photo", args=[release.leaders.get().photo_id])
        assert photo_url in public.content.decode()
        assert "区司法局" in text_of(client_for(cast.finance_liaison).get(reverse("jgzn:index")))

    # A later edit changes the working copy only; the portal keeps the approved version.
    with at("2026-04-01"):
        response = csrf_post(
            liaison, reverse("institutions:edit", args=[unit]), profile_form(address="新址 1 号")
        )
        assert response.status_code == 302
        shown = text_of(liaison.get(portal_url))
        assert "人民西路 88 号" in shown and "新址 1 号" not in shown
        assert "更新日期： 2026年3月5日" in shown
    assert Profile.objects.get().state == ProfileState.EDITING

    profile = Profile.objects.get()
    events = AuditEvent.objects.filter(unit_id=cast.justice.pk).order_by("pk")
    transitions = [
        e.changes["state"][1]
        for e in events.for_object(profile)
        if e.action == AuditAction.TRANSITION
    ]
    assert transitions == [
        "submitted",
        "returned",
        "submitted",
        "published",
        "editing",
    ]
    address_change = [e for e in events.for_object(profile) if e.action == AuditAction.CHANGE][-1]
    assert address_change.changes["address"] == ["人民西路 88 号", "新址 1 号"]
    published = events.get(action=AuditAction.CREATE, object_repr__contains="第 1 版")
    assert published.changes["phone"] == [None, "0533-2180000"]
    assert published.actor_id == cast.office.pk
