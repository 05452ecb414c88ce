"""People, roles and API tokens."""

from __future__ import annotations

from django.test import Client

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditAction, AuditEvent
from tests.conftest import Cast, client_for, csrf_post


def test_a_token_is_shown_once_and_stored_only_as_a_digest(cast: Cast) -> None:
    client = client_for(cast.justice_liaison)
    response = csrf_post(client, "/account/tokens/", {"name": "考核平台"})
    assert response.status_code == 405  # listing page accepts no POST
    assert csrf_post(client, "/account/tokens/new/", {"name": "考核平台"}).status_code == 302
    page = client.get("/account/tokens/").content.decode()
    token = ApiToken.objects.get(user=cast.justice_liaison)
    raw = page.split("<pre>")[1].split("</pre>")[0]
    assert raw.startswith("gk_") and raw.startswith(token.prefix)
    assert raw not in token.digest
    assert "<pre>" not in client.get("/account/tokens/").content.decode()  # not shown again
    assert AuditEvent.objects.for_object(token).get().action == AuditAction.CREATE


def test_the_api_accepts_a_bearer_token_and_refuses_a_revoked_one(cast: Cast) -> None:
    token, raw = ApiToken.issue(cast.justice_liaison, "对接")
    client = Client()
    response = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "justice"
    assert body["units"] == [{"id": cast.justice.pk, "name": "区司法局"}]
    assert body["read_only"] is False
    token.refresh_from_db()
    assert token.last_used_at is not None

    owner = client_for(cast.justice_liaison)
    assert csrf_post(owner, f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer gk_made_up").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(cast: Cast) -> None:
    token, _ = ApiToken.issue(cast.justice_liaison, "对接")
    other = client_for(cast.finance_liaison)
    assert csrf_post(other, f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_needs_a_login(anon: Client) -> None:
    assert anon.get("/api/accounts/me").status_code == 401


def test_the_api_documentation_is_served_without_external_assets(cast: Cast) -> None:
    client = client_for(cast.office)
    assert client.get("/api/openapi.json").status_code == 200
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "https://" not in html.split("<body")[0]


def test_an_office_user_may_use_the_admin_but_not_make_herself_superuser(cast: Cast) -> None:
    client = client_for(cast.office)
    url = f"/admin/accounts/user/{cast.office.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()


def test_an_evaluator_may_view_but_not_change_in_the_admin(cast: Cast) -> None:
    cast.evaluator.is_staff = True
    cast.evaluator.save()
    client = client_for(cast.evaluator)
    assert client.get("/admin/units/unit/").status_code == 200
    assert client.get("/admin/units/unit/add/").status_code == 403
    response = csrf_post(client, f"/admin/units/unit/{cast.justice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403


def test_a_liaison_has_no_admin_access(cast: Cast) -> None:
    cast.justice_liaison.is_staff = True
    cast.justice_liaison.save()
    response = client_for(cast.justice_liaison).get("/admin/units/unit/")
    assert response.status_code == 403
