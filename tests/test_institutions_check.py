"""The office's check page and 「确认无变化」: units with missing fields (named), never published,
pending review, or information older than INSTITUTION_STALE_DAYS are listed; confirming that the
published information is still current takes a unit off the stale list without an edit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.institutions import actions
from gongkai.institutions.models import Profile, ProfileState
from tests.conftest import Cast, client_for, csrf_post
from tests.test_institutions_story import (
    at,
    leader_form,
    plain,
    profile_form,
    publish_unit,
    text_of,
)

CHECK = reverse("institutions:check")


def rows_of(response: Any) -> dict[str, str]:
    """Each listed unit's row text, by unit name."""
    rows = response.content.decode().split("<tr>")[2:]
    found: dict[str, str] = {}
    for row in rows:
        text = plain(row)
        name = text.strip().split(" ")[0]
        found[name] = text
    return found


def test_check_lists_never_published_and_names_missing_fields(cast: Cast) -> None:
    with at("2026-03-02"):
        actions.save_profile(cast.justice_liaison, cast.justice, profile_form(hours=""))
        leader = {**leader_form(), "born": None, "order": 1, "duties": ""}
        actions.save_leader(cast.justice_liaison, cast.justice, None, leader)
        rows = rows_of(client_for(cast.office).get(CHECK))
    justice = rows["区司法局"]
    assert "从未发布" in justice
    assert "缺少：办公时间" in justice
    assert "缺少：负责人「陈建国」的分工" in justice and "缺少：负责人「陈建国」的照片" in justice
    assert "缺少：办公地址" not in justice
    assert "缺少：尚未填写机构职能信息" in rows["区财政局"]


def test_submit_is_refused_while_required_fields_are_missing(cast: Cast) -> None:
    actions.save_profile(cast.justice_liaison, cast.justice, profile_form(phone=""))
    client = client_for(cast.justice_liaison)
    response = csrf_post(client, reverse("institutions:submit", args=[cast.justice.pk]))
    assert response.status_code == 400
    assert "以下内容尚未填写，不能报送：联系电话、负责人信息" in text_of(response)
    assert Profile.objects.get().state == ProfileState.EDITING


def test_published_information_goes_stale_a_year_on_and_confirming_resets_it(
    cast: Cast,
) -> None:
    with at("2026-03-02"):
        publish_unit(cast, cast.justice, cast.justice_liaison)
        assert "区司法局" not in rows_of(client_for(cast.office).get(CHECK))
    with at("2027-03-02"):  # 365 days: not yet older than the limit
        assert "区司法局" not in rows_of(client_for(cast.office).get(CHECK))
    with at("2027-03-03"):
        row = rows_of(client_for(cast.office).get(CHECK))["区司法局"]
        assert "已 366 天未更新或确认" in row and "从未发布" not in row

        client = client_for(cast.justice_liaison)
        response = csrf_post(client, reverse("institutions:confirm", args=[cast.justice.pk]))
        assert response.status_code == 302
        assert "区司法局" not in rows_of(client_for(cast.office).get(CHECK))
        # The portal's date stays the approval date: nothing was changed.
        portal = text_of(client.get(reverse("jgzn:unit", args=[cast.justice.pk])))
        assert "更新日期： 2026年3月2日" in portal
    profile = Profile.objects.get()
    event = AuditEvent.objects.for_object(profile).order_by("-pk").first()
    assert event is not None and event.comment == "确认已发布的机构职能信息无变化"
    assert event.actor_id == cast.justice_liaison.pk and "confirmed_at" in event.changes


def test_the_stale_limit_comes_from_the_setting(cast: Cast, settings: Any) -> None:
    settings.INSTITUTION_STALE_DAYS = 30
    with at("2026-03-02"):
        publish_unit(cast, cast.justice, cast.justice_liaison)
    with at("2026-04-02"):
        assert "已 31 天未更新或确认" in rows_of(client_for(cast.office).get(CHECK))["区司法局"]


def test_confirming_is_refused_with_unpublished_edits_and_when_nothing_changed_submit_is(
    cast: Cast,
) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    client = client_for(cast.justice_liaison)
    submit = reverse("institutions:submit", args=[cast.justice.pk])
    response = csrf_post(client, submit)
    assert response.status_code == 400 and "无需报送" in text_of(response)

    actions.save_profile(cast.justice_liaison, cast.justice, profile_form(hours="全天"))
    response = csrf_post(client, reverse("institutions:confirm", args=[cast.justice.pk]))
    assert response.status_code == 400 and "有尚未发布的修改" in text_of(response)
    assert Profile.objects.get().confirmed_at is None


def test_pending_review_is_listed_and_only_the_office_and_evaluators_open_the_check(
    cast: Cast,
) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    actions.save_profile(cast.justice_liaison, cast.justice, profile_form(hours="全天"))
    actions.submit(cast.justice_liaison, Profile.objects.get())
    assert "待审核" in rows_of(client_for(cast.evaluator).get(CHECK))["区司法局"]
    assert client_for(cast.justice_liaison).get(CHECK).status_code == 403


def test_another_units_liaison_gets_404_and_a_leader_only_reads(cast: Cast) -> None:
    publish_unit(cast, cast.justice, cast.justice_liaison)
    page = reverse("institutions:profile", args=[cast.justice.pk])
    edit = reverse("institutions:edit", args=[cast.justice.pk])
    outsider = client_for(cast.finance_liaison)
    assert outsider.get(page).status_code == 404
    assert csrf_post(outsider, edit, profile_form(phone="1")).status_code == 404
    assert "区司法局" not in text_of(outsider.get(reverse("institutions:index")))
    leader = client_for(cast.justice_leader)
    assert leader.get(page).status_code == 200
    assert csrf_post(leader, edit, profile_form(phone="1")).status_code == 403
    assert Profile.objects.get().phone == "0533-2180001"
