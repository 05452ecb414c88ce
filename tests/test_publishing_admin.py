"""The register's admin: documents and their parts are read-only there; the catalogue and the
review policy can be edited, and a policy without the office's final review is refused."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import Role, User
from gongkai.publishing.models import ReviewPolicy
from tests.conftest import Cast, client_for, csrf_post
from tests.test_publishing_actions import draft

pytestmark = pytest.mark.django_db


def test_documents_are_read_only_in_the_admin(cast: Cast) -> None:
    document = draft(cast)
    admin = User.objects.create_superuser("root", password="pw-root", role=Role.OFFICE)
    client = client_for(admin)
    assert client.get("/admin/publishing/document/").status_code == 200
    page = client.get(f"/admin/publishing/document/{document.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    assert client.get("/admin/publishing/document/add/").status_code == 403
    assert client.get("/admin/publishing/privacycheck/").status_code == 200


def test_a_review_policy_needs_the_final_review(cast: Cast) -> None:
    admin = User.objects.create_superuser("root", password="pw-root", role=Role.OFFICE)
    client = client_for(admin)
    refused = csrf_post(
        client, "/admin/publishing/reviewpolicy/add/", {"kind": "notice", "stages": ["initial"]}
    )
    assert refused.status_code == 200 and "终审（公开办）不能省略" in refused.content.decode()
    saved = csrf_post(
        client,
        "/admin/publishing/reviewpolicy/add/",
        {"kind": "notice", "stages": ["final", "initial"]},
    )
    assert saved.status_code == 302
    assert ReviewPolicy.objects.get(kind="notice").stages == ["initial", "final"]
