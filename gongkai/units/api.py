"""The unit directory over JSON, with the same scoping as the pages (see views.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.units.access import get_unit_for_user, units_for_user
from gongkai.units.actions import update_unit
from gongkai.units.directory import explain, load_directory
from gongkai.units.models import Unit
from gongkai.units.resolve import normalise, resolve

router = Router()


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    aliases: list[str]
    kind: str
    kind_label: str
    parent_id: int | None
    code: str
    active: bool

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitPatch(Schema):
    """Fields to change; absent or null leaves a field alone, except parent_id: null clears it."""

    name: str | None = None
    short_name: str | None = None
    aliases: list[str] | None = None
    kind: str | None = None
    parent_id: int | None = None
    code: str | None = None
    active: bool | None = None
    comment: str = ""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class CandidateOut(Schema):
    name: str
    unit_id: int
    score: int


class NamedUnitOut(Schema):
    id: int
    name: str


class ResolutionOut(Schema):
    phrase: str
    status: str
    status_label: str
    unit_ids: list[int]
    units: list[NamedUnitOut]
    group_id: int | None
    group_name: str
    score: int
    candidates: list[CandidateOut]
    note: str
    threshold: int


def _load(request: HttpRequest, unit_id: int, *, write: bool = False) -> Unit:
    try:
        return get_unit_for_user(request.user, unit_id, write=write)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None


@router.get("", response=list[UnitOut])
def list_units(request: HttpRequest, q: str = "") -> list[Unit]:
    """The units the caller can see; `q` filters by any of their names or code."""
    units = list(units_for_user(request.user))
    key = normalise(q)
    if key:
        units = [u for u in units if any(key in normalise(n) for n in [*u.names(), u.code])]
    return units


@router.get("/resolve", response=ResolutionOut)
def resolve_phrase(request: HttpRequest, q: str) -> dict[str, Any]:
    """Which unit(s) one phrase from a task list means (office and evaluators)."""
    if not getattr(request.user, "sees_all_units", False):
        raise HttpError(403, "仅公开办和评估人员可以使用此功能")
    directory = load_directory()
    threshold = settings.RESOLVE_THRESHOLD
    (row,) = explain([resolve(q[:500], directory, threshold)], directory)
    r = row.resolution
    return {
        "phrase": r.phrase,
        "status": r.status.value,
        "status_label": r.status.label,
        "unit_ids": list(r.unit_ids),
        "units": [{"id": i, "name": name} for i, name in row.units],
        "group_id": r.group_id,
        "group_name": row.group_name,
        "score": r.score,
        "candidates": [c._asdict() for c in r.candidates],
        "note": r.note,
        "threshold": threshold,
    }


@router.get("/{int:unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    return _load(request, unit_id)


@router.patch("/{int:unit_id}", response={200: UnitOut, 400: ErrorOut})
def patch_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Any:
    """Change a unit (office only). Audited with channel "api"."""
    unit = _load(request, unit_id, write=True)
    fields = payload.model_dump(exclude_unset=True)
    comment = fields.pop("comment", "")
    changes = {k: v for k, v in fields.items() if v is not None and k != "parent_id"}
    if "parent_id" in fields:
        parent_id = fields["parent_id"]
        parent = Unit.objects.filter(pk=parent_id).first() if parent_id is not None else None
        if parent_id is not None and parent is None:
            return Status(
                400, {"detail": "上级单位不存在", "errors": {"parent_id": ["上级单位不存在"]}}
            )
        changes["parent"] = parent
    try:
        return update_unit(request.user, unit, comment=comment, **changes)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        detail = "；".join(m for messages in errors.values() for m in messages)
        return Status(400, {"detail": detail, "errors": errors})
