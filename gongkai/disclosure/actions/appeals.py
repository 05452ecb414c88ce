"""Administrative reconsideration and litigation over disclosure work (Table 四)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, record_create, snapshot
from gongkai.disclosure.access import require_office
from gongkai.disclosure.actions.base import (
    RequestRejected,
    _check_day,
)
from gongkai.disclosure.models import (
    Appeal,
    AppealKind,
    AppealResult,
    Request,
)
from gongkai.units.models import Unit


@dataclass
class AppealInput:
    kind: str
    filed_on: dt.date
    unit: Unit
    request: Request | None = None
    follows: Appeal | None = None
    body: str = ""
    case_no: str = ""
    result: str = AppealResult.PENDING
    decided_on: dt.date | None = None
    note: str = ""


def _check_appeal(data: AppealInput) -> None:
    if data.kind not in AppealKind.values:
        raise RequestRejected("请选择复议或诉讼类型")
    if data.result not in AppealResult.values:
        raise RequestRejected("请选择结果")
    _check_day(data.filed_on, "申请（起诉）日期")
    if data.result == AppealResult.PENDING:
        data.decided_on = None
    elif data.decided_on is None:
        raise RequestRejected("已审结的案件请填写审结日期")
    elif data.decided_on < data.filed_on:
        raise RequestRejected("审结日期不能早于申请（起诉）日期")
    if data.follows is not None and data.kind != AppealKind.LITIGATION_AFTER:
        raise RequestRejected("只有复议后起诉的案件可以关联前置复议")
    if data.follows is not None and data.follows.kind != AppealKind.RECONSIDERATION:
        raise RequestRejected("前置复议须为行政复议案件")


def record_appeal(user: Any, data: AppealInput) -> Appeal:
    require_office(user)
    _check_appeal(data)
    with transaction.atomic():
        appeal = Appeal.objects.create(
            request=data.request,
            unit=data.request.unit if data.request else data.unit,
            kind=data.kind,
            follows=data.follows,
            filed_on=data.filed_on,
            body=data.body.strip()[:200],
            case_no=data.case_no.strip()[:100],
            result=data.result,
            decided_on=data.decided_on,
            note=data.note.strip(),
        )
        record_create(user, appeal)
    return appeal


def update_appeal(user: Any, appeal: Appeal, data: AppealInput) -> Appeal:
    require_office(user)
    _check_appeal(data)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        before = snapshot(appeal)
        appeal.request = data.request
        appeal.unit = data.request.unit if data.request else data.unit
        appeal.kind = data.kind
        appeal.follows = data.follows
        appeal.filed_on = data.filed_on
        appeal.body = data.body.strip()[:200]
        appeal.case_no = data.case_no.strip()[:100]
        appeal.result = data.result
        appeal.decided_on = data.decided_on
        appeal.note = data.note.strip()
        appeal.save()
        record(user, AuditAction.CHANGE, appeal, changes=diff(before, snapshot(appeal)))
    return appeal
