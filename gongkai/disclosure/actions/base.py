"""What every act on a request shares: the refusal, the states it moves between, the row lock,
the log entry and the audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_create, record_transition, snapshot
from gongkai.disclosure import clock
from gongkai.disclosure.access import can_work
from gongkai.disclosure.models import (
    EventKind,
    Outcome,
    Request,
    RequestEvent,
    RequestState,
)

MAX_FILES = 10
MAX_DESCRIPTION = 5000


class RequestRejected(Exception):
    """Nothing was changed; the message says why, in the user's words."""


class ReviewConflict(RequestRejected):
    """Someone else decided the draft first; their decision stands."""


#: While the reply is being prepared: the states a request returns to after a pause.
WORKING = (RequestState.IN_PROGRESS, RequestState.EXTENDED)
#: The states in which the office may still extend the reply period (once).
EXTENDABLE = (
    RequestState.IN_PROGRESS,
    RequestState.CONSULTING,
    RequestState.AWAITING_FEE,
    RequestState.REVIEW,
)


def _today() -> dt.date:
    return timezone.localdate()


def _check_day(day: dt.date, what: str) -> None:
    if day > _today():
        raise RequestRejected(f"{what}不能晚于今天")


def _require_state(request: Request, allowed: Sequence[str], act: str) -> None:
    if request.state not in allowed:
        raise RequestRejected(f"申请当前状态为「{request.get_state_display()}」，不能{act}")


def _require_worker(user: Any, request: Request) -> None:
    if not can_work(user, request):
        raise PermissionDenied("只有本单位联络员或公开办可以办理该申请")


def _lock(request: Request) -> Request:
    """The row again, locked for the rest of the transaction (PostgreSQL; SQLite locks the file)."""
    return Request.objects.select_for_update(of=("self",)).select_related("unit").get(pk=request.pk)


def _working_state(request: Request) -> RequestState:
    extended = request.events.filter(kind=EventKind.EXTENDED).exists()
    return RequestState.EXTENDED if extended else RequestState.IN_PROGRESS


def _move(user: Any, request: Request, state: RequestState, comment: str = "") -> None:
    old = request.state
    if old == state:
        return
    request.state = state
    request.save(update_fields=["state", "updated_at"])
    record_transition(user, request, "state", old, state.value, comment)


def _event(
    user: Any,
    request: Request,
    kind: EventKind,
    day: dt.date,
    data: dict[str, Any] | None = None,
    note: str = "",
) -> RequestEvent:
    latest = request.events.order_by("-date").values_list("date", flat=True).first()
    if latest is not None and day < latest:
        raise RequestRejected(
            f"日期 {day.isoformat()} 早于本申请上一条办理记录的日期 {latest.isoformat()}，"
            "办理记录须按发生的先后登记"
        )
    row = RequestEvent.objects.create(
        request=request, kind=kind, date=day, data=data or {}, note=note[:500], actor=_actor(user)
    )
    record_create(user, row, note)
    return row


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _conclude(
    user: Any,
    request: Request,
    outcome: Outcome,
    day: dt.date,
    state: RequestState,
    comment: str = "",
) -> None:
    before = snapshot(request)
    request.outcome = outcome.value
    request.concluded_on = day
    request.save()
    record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
    _move(user, request, state, comment)
    clock.refresh(request)
