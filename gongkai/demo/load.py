"""Loading the demo directory and accounts, audited as the system's doing."""

from __future__ import annotations

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.audit.record import record_create
from gongkai.demo.data import GROUPS, UNITS, USERS
from gongkai.units.models import Unit, UnitGroup


def database_is_empty() -> bool:
    return not Unit.objects.exists() and not User.objects.exists()


@transaction.atomic
def load_demo() -> dict[str, int]:
    units: dict[str, Unit] = {}
    for spec in UNITS:
        unit = Unit.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            aliases=list(spec.aliases),
            kind=spec.kind,
            parent=units[spec.parent] if spec.parent else None,
        )
        units[spec.name] = unit
        record_create(None, unit, comment="演示数据")
    for g in GROUPS:
        group = UnitGroup.objects.create(
            name=g.name,
            aliases=list(g.aliases),
            mode=g.mode,
            rule_kind=g.rule_kind or "",
            rule_parent=units[g.rule_parent] if g.rule_parent else None,
        )
        group.members.set([units[m] for m in g.members])
        record_create(None, group, comment="演示数据")
    for u in USERS:
        user = User.objects.create_user(
            username=u.username,
            password=u.password,
            role=u.role,
            full_name=u.full_name,
            is_staff=u.staff,
            is_superuser=u.superuser,
        )
        user.units.set([units[n] for n in u.units])
        record_create(None, user, comment="演示数据")
    return {"units": len(UNITS), "groups": len(GROUPS), "users": len(USERS)}
