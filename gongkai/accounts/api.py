from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.accounts.models import User

router = Router()


class UnitRef(Schema):
    id: int
    name: str


class Me(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    read_only: bool
    units: list[UnitRef]


@router.get("/me", response=Me, summary="当前用户")
def me(request: HttpRequest) -> Me:
    user = request.user
    assert isinstance(user, User)  # the router's auth guarantees a signed-in user
    return Me(
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        role_label=user.get_role_display(),
        read_only=user.is_read_only,
        units=[UnitRef(id=u.pk, name=u.name) for u in user.units.order_by("pk")],
    )
