"""The units JSON API over HTTP: scoping, office-only PATCH audited as "api", resolve."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.units.models import GroupMode, Unit, UnitGroup
from tests.conftest import Cast, client_for


def patch(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    """PATCH as a browser page would: the CSRF cookie echoed in X-CSRFToken."""
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else "unset"
    return client.patch(
        url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token, **extra
    )


def test_the_list_holds_only_the_units_the_caller_can_see(cast: Cast) -> None:
    mine = client_for(cast.justice_liaison).get("/api/units").json()
    assert [u["name"] for u in mine] == ["区司法局"]
    assert mine[0]["kind_label"] == "部门" and mine[0]["parent_id"] == cast.gov.pk
    everything = client_for(cast.evaluator).get("/api/units").json()
    assert {u["name"] for u in everything} == {"区人民政府办公室", "区司法局", "区财政局"}


def test_the_list_filters_by_any_name(cast: Cast) -> None:
    found = client_for(cast.office).get("/api/units", {"q": "财政"}).json()
    assert [u["name"] for u in found] == ["区财政局"]


def test_an_anonymous_caller_is_refused(anon: Client, cast: Cast) -> None:
    assert anon.get("/api/units").status_code == 401


def test_a_liaison_gets_404_for_another_units_detail(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    assert client.get(f"/api/units/{cast.justice.pk}").json()["name"] == "区司法局"
    assert client.get(f"/api/units/{cast.finance.pk}").status_code == 404
    assert client.get("/api/units/999999").status_code == 404


def test_a_liaison_may_not_patch_their_own_unit(cast: Cast) -> None:
    response = patch(
        client_for(cast.justice_liaison), f"/api/units/{cast.justice.pk}", {"code": "X"}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "单位名录由公开办维护"}
    cast.justice.refresh_from_db()
    assert cast.justice.code == ""


def test_a_liaison_patching_another_unit_gets_404(cast: Cast) -> None:
    response = patch(
        client_for(cast.justice_liaison), f"/api/units/{cast.finance.pk}", {"code": "X"}
    )
    assert response.status_code == 404
    cast.finance.refresh_from_db()
    assert cast.finance.code == ""


def test_an_evaluator_may_not_patch(cast: Cast) -> None:
    response = patch(client_for(cast.evaluator), f"/api/units/{cast.finance.pk}", {"code": "X"})
    assert response.status_code == 403


def test_the_office_patches_a_unit_and_the_event_says_it_came_through_the_api(cast: Cast) -> None:
    body = {"short_name": "财政", "aliases": ["区财政"], "code": "F-1", "comment": "核对编办名单"}
    response = patch(client_for(cast.office), f"/api/units/{cast.finance.pk}", body)
    assert response.status_code == 200
    assert response.json()["short_name"] == "财政"
    cast.finance.refresh_from_db()
    assert (cast.finance.short_name, cast.finance.aliases, cast.finance.code) == (
        "财政",
        ["区财政"],
        "F-1",
    )
    (event,) = AuditEvent.objects.for_object(cast.finance)
    assert (event.action, event.channel, event.actor) == (
        AuditAction.CHANGE,
        Channel.API,
        cast.office,
    )
    assert event.changes == {
        "short_name": ["财政局", "财政"],
        "aliases": [[], ["区财政"]],
        "code": ["", "F-1"],
    }
    assert event.comment == "核对编办名单"


def test_a_patch_with_a_session_but_no_csrf_token_is_refused(cast: Cast) -> None:
    client = client_for(cast.office)
    response = client.patch(
        f"/api/units/{cast.finance.pk}", json.dumps({"code": "X"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    cast.finance.refresh_from_db()
    assert cast.finance.code == ""


def test_a_bearer_token_patches_without_csrf_and_is_audited_as_api(cast: Cast) -> None:
    _, raw = ApiToken.issue(cast.office, "名录同步")
    response = Client(enforce_csrf_checks=True).patch(
        f"/api/units/{cast.finance.pk}",
        json.dumps({"active": False}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.for_object(cast.finance).get()
    assert (event.channel, event.changes) == (Channel.API, {"active": [True, False]})


def test_parent_id_null_clears_the_parent_and_an_unknown_parent_is_refused(cast: Cast) -> None:
    client = client_for(cast.office)
    url = f"/api/units/{cast.justice.pk}"
    missing = patch(client, url, {"parent_id": 999999})
    assert missing.status_code == 400 and missing.json()["detail"] == "上级单位不存在"
    assert patch(client, url, {"parent_id": None}).json()["parent_id"] is None
    cast.justice.refresh_from_db()
    assert cast.justice.parent is None


def test_an_invalid_patch_is_a_400_naming_the_field_and_changes_nothing(cast: Cast) -> None:
    client = client_for(cast.office)
    response = patch(client, f"/api/units/{cast.justice.pk}", {"name": "区财政局", "code": "J"})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    response = patch(client, f"/api/units/{cast.justice.pk}", {"kind": "ministry"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    response = patch(client, f"/api/units/{cast.gov.pk}", {"parent_id": cast.justice.pk})
    assert response.status_code == 400 and "parent" in response.json()["errors"]
    cast.justice.refresh_from_db()
    assert (cast.justice.name, cast.justice.code) == ("区司法局", "")
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_resolve_explains_a_phrase_as_json(cast: Cast) -> None:
    client = client_for(cast.office)
    found = client.get("/api/units/resolve", {"q": "市司法局"}).json()
    assert found["status"] == "alias" and found["status_label"] == "简称或别名"
    assert found["unit_ids"] == [cast.justice.pk]
    assert found["units"] == [{"id": cast.justice.pk, "name": "区司法局"}]
    assert found["score"] == 100 and found["threshold"] == 85

    missed = client.get("/api/units/resolve", {"q": "区财政司"}).json()
    assert missed["status"] == "unresolved" and missed["unit_ids"] == []
    assert missed["candidates"][0] == {"name": "区财政局", "unit_id": cast.finance.pk, "score": 75}


def test_resolve_reports_a_group_with_its_members(cast: Cast) -> None:
    group = UnitGroup.objects.create(name="各成员单位", mode=GroupMode.EXPLICIT)
    group.members.set(
        [cast.justice, cast.finance, Unit.objects.create(name="旧局", kind="other", active=False)]
    )
    found = client_for(cast.evaluator).get("/api/units/resolve", {"q": "各成员单位"}).json()
    assert (found["status"], found["group_id"], found["group_name"]) == (
        "group",
        group.pk,
        "各成员单位",
    )
    assert sorted(found["unit_ids"]) == sorted([cast.justice.pk, cast.finance.pk])


def test_a_liaison_may_not_use_resolve(cast: Cast) -> None:
    response = client_for(cast.justice_liaison).get("/api/units/resolve", {"q": "司法局"})
    assert response.status_code == 403
