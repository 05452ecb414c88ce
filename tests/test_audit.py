"""The audit trail: append-only at every layer, fed by the admin, login and the actions."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from gongkai.audit import purge
from gongkai.audit.models import AppendOnlyError, AuditAction, AuditEvent, Channel
from gongkai.audit.record import record_create
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post


def test_an_event_cannot_be_saved_again_or_deleted(cast: Cast) -> None:
    event = record_create(cast.office, cast.justice)
    event.comment = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET comment = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_raw_updates_and_deletes(cast: Cast, sql: str) -> None:
    record_create(cast.office, cast.justice)
    purge.ALLOWED = False
    try:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL gongkai.audit_purge = 'off'")
            cursor.execute(sql)
    finally:
        purge.ALLOWED = True
    assert AuditEvent.objects.filter(comment="x").count() == 0
    assert AuditEvent.objects.count() == 1


def test_the_admin_shows_events_but_offers_no_change_or_delete(cast: Cast) -> None:
    event = record_create(cast.office, cast.justice)
    client = client_for(cast.office)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # view only
    response = csrf_post(client, f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_change_made_in_the_admin_is_recorded_with_before_and_after(cast: Cast) -> None:
    client = client_for(cast.office)
    url = f"/admin/units/unit/{cast.justice.pk}/change/"
    assert client.get(url).status_code == 200
    response = csrf_post(
        client,
        url,
        {
            "name": "区司法局",
            "short_name": "司法",
            "aliases": "司法局",
            "kind": "department",
            "parent": cast.gov.pk,
            "code": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.for_object(cast.justice).get(action=AuditAction.CHANGE)
    assert event.channel == Channel.ADMIN
    assert event.actor == cast.office
    assert event.changes["short_name"] == ["司法局", "司法"]
    assert event.changes["aliases"] == [[], ["司法局"]]
    assert event.unit_id == cast.justice.pk


def test_a_unit_created_in_the_admin_is_recorded(cast: Cast) -> None:
    client = client_for(cast.office)
    response = csrf_post(
        client,
        "/admin/units/unit/add/",
        {"name": "区统计局", "short_name": "", "aliases": "", "kind": "department", "active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="区统计局")
    event = AuditEvent.objects.for_object(unit).get()
    assert event.action == AuditAction.CREATE
    assert event.changes["name"] == [None, "区统计局"]


def test_logins_logouts_and_failed_logins_are_recorded(cast: Cast) -> None:
    client = Client()
    assert client.post("/login/", {"username": "justice", "password": "wrong"}).status_code == 200
    assert (
        client.post("/login/", {"username": "justice", "password": "pw-justice"}).status_code == 302
    )
    assert client.post("/logout/").status_code == 302
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_name"))
    assert actions == [
        (AuditAction.LOGIN_FAILED, "justice"),
        (AuditAction.LOGIN, "justice"),
        (AuditAction.LOGOUT, "justice"),
    ]
    assert all(e.ip == "127.0.0.1" for e in AuditEvent.objects.all())


def test_the_audit_log_shows_a_liaison_only_their_own_units_events(cast: Cast) -> None:
    record_create(cast.office, cast.justice, comment="司法局的事")
    record_create(cast.office, cast.finance, comment="财政局的事")
    page = client_for(cast.finance_liaison).get("/audit/").content.decode()
    assert "财政局的事" in page
    assert "司法局的事" not in page
    office_page = client_for(cast.office).get("/audit/?what=司法").content.decode()
    assert "司法局的事" in office_page
    assert "财政局的事" not in office_page


def test_the_admin_history_page_shows_the_audit_trail(cast: Cast) -> None:
    record_create(cast.office, cast.justice, comment="建立名录")
    record_create(cast.office, cast.finance, comment="别的单位")
    page = client_for(cast.office).get(f"/admin/units/unit/{cast.justice.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "建立名录" in html and "别的单位" not in html
