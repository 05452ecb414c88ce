"""The directory's write actions and the database adapter the resolver reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.units.actions import create_unit, update_unit
from gongkai.units.directory import load_directory, resolve_text
from gongkai.units.models import GroupMode, Unit, UnitGroup, UnitKind
from gongkai.units.resolve import Status
from tests.conftest import Cast


def test_only_the_office_may_create_or_change_a_unit(cast: Cast) -> None:
    for user in (cast.justice_liaison, cast.justice_leader, cast.evaluator, None):
        with pytest.raises(PermissionDenied):
            update_unit(user, cast.justice, code="X")
        with pytest.raises(PermissionDenied):
            create_unit(user, name="区审计局", kind=UnitKind.DEPARTMENT)
    assert Unit.objects.get(pk=cast.justice.pk).code == ""
    assert not AuditEvent.objects.exists()


def test_the_audit_before_is_what_was_stored_not_what_the_caller_holds(cast: Cast) -> None:
    cast.justice.short_name = "already changed in memory"
    update_unit(cast.office, cast.justice, short_name="司法")
    event = AuditEvent.objects.for_object(cast.justice).get()
    assert event.changes == {"short_name": ["司法局", "司法"]}


def test_a_change_to_nothing_records_nothing(cast: Cast) -> None:
    update_unit(cast.office, cast.justice, short_name="司法局")
    assert not AuditEvent.objects.exists()


def test_update_refuses_fields_it_does_not_know(cast: Cast) -> None:
    with pytest.raises(TypeError, match="pk"):
        update_unit(cast.office, cast.justice, pk=99)


def test_an_alias_holding_a_separator_is_refused_so_the_file_round_trip_holds(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="别名中不能包含"):
        update_unit(cast.office, cast.justice, aliases=["司法、法治"])


def test_names_are_trimmed_and_blank_aliases_dropped(cast: Cast) -> None:
    unit = create_unit(
        cast.office, name=" 区审计局 ", kind=UnitKind.DEPARTMENT, aliases=[" 审计 ", ""]
    )
    assert (unit.name, unit.aliases) == ("区审计局", ["审计"])


def test_the_directory_carries_retired_units_and_groups_current_members(cast: Cast) -> None:
    retired = Unit.objects.create(name="区农业局", kind=UnitKind.DEPARTMENT, active=False)
    UnitGroup.objects.create(
        name="区政府各部门", aliases=["各部门"], mode=GroupMode.RULE, rule_kind=UnitKind.DEPARTMENT
    )
    directory = load_directory()
    entries = {u.id: u for u in directory.units}
    assert entries[cast.justice.pk].names == ("区司法局", "司法局")
    assert entries[retired.pk].active is False
    (group,) = directory.groups
    assert group.names == ("区政府各部门", "各部门")
    assert sorted(group.member_ids) == sorted([cast.justice.pk, cast.finance.pk])


def test_resolve_text_reads_the_live_directory(cast: Cast) -> None:
    UnitGroup.objects.create(name="各部门", mode=GroupMode.RULE, rule_kind=UnitKind.DEPARTMENT)
    found = resolve_text("区财政局、市司法局、各部门")
    assert [r.status for r in found] == [Status.EXACT, Status.ALIAS, Status.GROUP]
    assert found[1].unit_ids == (cast.justice.pk,)
