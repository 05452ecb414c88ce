"""Moving a request between units: the office transfers it (转办); the unit returns it (退回)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_create, snapshot
from gongkai.disclosure.access import require_office
from gongkai.disclosure.actions.base import (
    RequestRejected,
    _actor,
    _lock,
    _require_state,
    _require_worker,
)
from gongkai.disclosure.models import (
    OPEN_STATES,
    Request,
    Transfer,
    TransferKind,
)
from gongkai.units.models import Unit


def transfer(user: Any, request: Request, to_unit: Unit, reason: str) -> Request:
    """The office hands the request to another unit (转办)."""
    require_office(user)
    return _hand_over(user, request, to_unit, reason, TransferKind.TRANSFER)


def return_request(user: Any, request: Request, reason: str) -> Request:
    """The handling unit sends a transferred request back to the unit it came from (退回)."""
    _require_worker(user, request)
    last = request.transfers.filter(to_unit_id=request.unit_id).order_by("-at", "-id").first()
    if last is None:
        raise RequestRejected("该申请不是转办而来，不能退回；如非本单位职责请联系公开办")
    return _hand_over(user, request, last.from_unit, reason, TransferKind.RETURN)


def _hand_over(
    user: Any, request: Request, to_unit: Unit, reason: str, kind: TransferKind
) -> Request:
    reason = reason.strip()
    if not reason:
        raise RequestRejected("请填写理由")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, OPEN_STATES, kind.label)
        if to_unit.pk == request.unit_id:
            raise RequestRejected("新办理单位与原办理单位相同")
        if not to_unit.active:
            raise RequestRejected(f"单位「{to_unit.name}」已停用")
        moved = Transfer.objects.create(
            request=request,
            kind=kind,
            from_unit_id=request.unit_id,
            to_unit=to_unit,
            reason=reason[:500],
            by=_actor(user),
        )
        record_create(user, moved, reason)
        before = snapshot(request)
        request.unit = to_unit
        request.reminded_soon_on = None
        request.reminded_overdue_on = None
        request.save()
        record(
            user,
            AuditAction.CHANGE,
            request,
            changes=diff(before, snapshot(request)),
            comment=reason,
        )
    return request
