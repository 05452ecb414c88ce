"""The unit and group admins: searchable, and every save audited as coming from the admin."""

from __future__ import annotations

from django.test import Client

from gongkai.accounts.models import Role, User
from gongkai.audit.models import AuditAction, AuditEvent, Channel
from gongkai.units.models import GroupMode, Unit, UnitGroup, UnitKind
from tests.conftest import Cast, client_for, csrf_post


def superuser() -> User:
    return User.objects.create_superuser("root", password="pw-root", role=Role.OFFICE)


def test_the_unit_changelist_searches_and_filters(cast: Cast) -> None:
    client = client_for(superuser())
    page = client.get("/admin/units/unit/", {"q": "财政"}).content.decode()
    assert "区财政局" in page and "区司法局" not in page
    assert client.get("/admin/units/unit/", {"kind__exact": UnitKind.GOVERNMENT}).status_code == 200


def test_a_unit_changed_in_the_admin_is_audited_from_the_admin(cast: Cast) -> None:
    root = superuser()
    client: Client = client_for(root)
    form = {
        "name": "区司法局",
        "short_name": "司法",
        "aliases": "区司法行政局、法治办",
        "kind": UnitKind.DEPARTMENT,
        "parent": cast.gov.pk,
        "code": "",
        "active": "on",
    }
    response = csrf_post(client, f"/admin/units/unit/{cast.justice.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.justice.refresh_from_db()
    assert cast.justice.aliases == ["区司法行政局", "法治办"]
    (event,) = AuditEvent.objects.for_object(cast.justice)
    assert (event.action, event.channel, event.actor) == (AuditAction.CHANGE, Channel.ADMIN, root)
    assert set(event.changes) == {"short_name", "aliases"}


def test_a_group_made_in_the_admin_records_its_members(cast: Cast) -> None:
    client = client_for(superuser())
    form = {
        "name": "各成员单位",
        "aliases": "成员单位\n各县（市、区）成员单位",
        "mode": GroupMode.EXPLICIT,
        "members": [cast.justice.pk, cast.finance.pk],
        "rule_kind": "",
        "rule_parent": "",
    }
    response = csrf_post(client, "/admin/units/unitgroup/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    group = UnitGroup.objects.get(name="各成员单位")
    # One alias per line, so an alias may hold a 、 of its own.
    assert group.aliases == ["成员单位", "各县（市、区）成员单位"]
    event = AuditEvent.objects.for_object(group).get()
    assert event.action == AuditAction.CREATE and event.channel == Channel.ADMIN
    assert sorted(event.changes["members"][1]) == sorted([cast.justice.pk, cast.finance.pk])


def test_the_admin_refuses_a_unit_that_would_be_its_own_ancestor(cast: Cast) -> None:
    client = client_for(superuser())
    form = {"name": "区人民政府办公室", "kind": UnitKind.GOVERNMENT, "parent": cast.justice.pk}
    response = csrf_post(client, f"/admin/units/unit/{cast.gov.pk}/change/", form)
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    assert Unit.objects.get(pk=cast.gov.pk).parent is None
