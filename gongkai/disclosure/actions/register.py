"""Registering a request: from the staff form, the API or the public form; fixing its receipt
day; setting aside a submission never confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditAction
from gongkai.audit.record import diff, record, snapshot
from gongkai.clocks import Channel, receipt_date
from gongkai.disclosure import clock
from gongkai.disclosure.actions.base import (
    MAX_DESCRIPTION,
    MAX_FILES,
    RequestRejected,
    _actor,
    _check_day,
    _event,
    _lock,
    _move,
    _require_state,
    _require_worker,
    _today,
)
from gongkai.disclosure.files import FileRejected, delete_request_file, save_upload
from gongkai.disclosure.models import (
    ApplicantType,
    Attachment,
    AttachmentRole,
    DeliveryWanted,
    EventKind,
    FormWanted,
    Request,
    RequestChannel,
    RequestState,
    Source,
)
from gongkai.disclosure.text import plain_text
from gongkai.disclosure.tracking import new_secret, next_tracking_no
from gongkai.units.models import Unit


@dataclass
class RequestInput:
    applicant_type: str
    applicant_name: str
    description: str
    channel: str
    arrived_on: dt.date
    unit: Unit
    id_number: str = ""
    contact_phone: str = ""
    email: str = ""
    address: str = ""
    form_wanted: str = FormWanted.PAPER
    delivery_wanted: str = DeliveryWanted.POST
    confirmed_on: dt.date | None = None
    contact_restored_on: dt.date | None = None


def _clean_input(data: RequestInput) -> None:
    for name in ("applicant_name", "description", "id_number", "contact_phone", "email", "address"):
        setattr(data, name, plain_text(getattr(data, name)).strip())
    if not data.applicant_name:
        raise RequestRejected("请填写申请人姓名或名称")
    if not data.description:
        raise RequestRejected("请填写所需政府信息的名称、文号或其他特征性描述")
    if len(data.description) > MAX_DESCRIPTION:
        raise RequestRejected(f"所需信息描述不能超过 {MAX_DESCRIPTION} 字")
    if data.applicant_type not in ApplicantType.values:
        raise RequestRejected("请选择申请人类型")
    if data.channel not in RequestChannel.values:
        raise RequestRejected("请选择申请渠道")
    if (
        data.form_wanted not in FormWanted.values
        or data.delivery_wanted not in DeliveryWanted.values
    ):
        raise RequestRejected("请选择获取信息的载体形式和方式")
    if not (data.contact_phone.strip() or data.email.strip() or data.address.strip()):
        raise RequestRejected("请至少填写一种联系方式（电话、电子邮箱或通信地址）")
    if not data.unit.active:
        raise RequestRejected(f"单位「{data.unit.name}」已停用，不能办理申请")
    _check_day(data.arrived_on, "到达日期")
    for later, label in (
        (data.confirmed_on, "确认日期"),
        (data.contact_restored_on, "恢复联系日期"),
    ):
        if later is not None:
            _check_day(later, label)
            if later < data.arrived_on:
                raise RequestRejected(f"{label}不能早于到达日期")


def register_request(
    user: Any,
    data: RequestInput,
    files: Sequence[UploadedFile] = (),
    *,
    source: Source = Source.STAFF,
) -> tuple[Request, str]:
    """Register a request; the request and the applicant's secret (shown once).

    Staff register requests of their own unit (the office, any unit). The public form calls this
    with user None and source PUBLIC.
    """
    if source == Source.STAFF:
        may = getattr(user, "is_office", False) or getattr(user, "role", None) == Role.LIAISON
        if not getattr(user, "is_authenticated", False) or not may:
            raise PermissionDenied("只有公开办或单位联络员可以登记申请")
        if not user.is_office and data.unit.pk not in user.unit_ids():
            raise PermissionDenied("只能为本单位登记申请")
    _clean_input(data)
    if len(files) > MAX_FILES:
        raise RequestRejected(f"附件最多 {MAX_FILES} 个")
    stored = []
    try:
        for upload in files:
            stored.append(save_upload(upload))
        with transaction.atomic():
            made = _create(user, data, source, stored)
    except FileRejected as exc:
        for s in stored:
            delete_request_file(s.stored_name)
        raise RequestRejected(str(exc)) from None
    except BaseException:
        for s in stored:
            delete_request_file(s.stored_name)
        raise
    return made


def _create(
    user: Any, data: RequestInput, source: Source, stored: list[Any]
) -> tuple[Request, str]:
    secret, secret_digest = new_secret()
    received = receipt_date(
        Channel(data.channel), data.arrived_on, data.confirmed_on, data.contact_restored_on
    )
    request = Request.objects.create(
        tracking_no=next_tracking_no(_today().year),
        secret_digest=secret_digest,
        source=source,
        applicant_type=data.applicant_type,
        applicant_name=data.applicant_name[:128],
        id_number=data.id_number.strip()[:64],
        contact_phone=data.contact_phone.strip()[:64],
        email=data.email.strip(),
        address=data.address.strip()[:256],
        description=data.description,
        form_wanted=data.form_wanted,
        delivery_wanted=data.delivery_wanted,
        channel=data.channel,
        arrived_on=data.arrived_on,
        confirmed_on=data.confirmed_on,
        contact_restored_on=data.contact_restored_on,
        received_on=received,
        unit=data.unit,
        state=RequestState.IN_PROGRESS if received else RequestState.RECEIVED,
        created_by=_actor(user),
    )
    for s in stored:
        Attachment.objects.create(
            request=request,
            role=AttachmentRole.APPLICATION,
            name=s.filename,
            stored_name=s.stored_name,
            size=s.size,
            content_type=s.content_type,
            uploaded_by=_actor(user),
        )
    who = "" if source == Source.STAFF else "申请人（网上申请表）"
    record(
        user,
        AuditAction.CREATE,
        request,
        changes=diff(None, snapshot(request)),
        actor_name=who,
        comment="登记申请",
    )
    if received is not None:
        _event(user, request, EventKind.RECEIVED, received, {"channel": data.channel})
    clock.refresh(request)
    return request, secret


def confirm_receipt(
    user: Any,
    request: Request,
    *,
    confirmed_on: dt.date | None = None,
    contact_restored_on: dt.date | None = None,
) -> Request:
    """Fix the receipt day of a letter or online request: the day both sides confirmed, or the
    day contact with an unreachable applicant was restored (A1)."""
    _require_worker(user, request)
    if confirmed_on is None and contact_restored_on is None:
        raise RequestRejected("请填写双方确认日期或恢复联系日期")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.RECEIVED], "确认收到")
        for day, label in ((confirmed_on, "确认日期"), (contact_restored_on, "恢复联系日期")):
            if day is not None:
                _check_day(day, label)
                if day < request.arrived_on:
                    raise RequestRejected(f"{label}不能早于到达日期")
        if (
            request.channel == RequestChannel.LETTER
            and confirmed_on not in (None, request.arrived_on)
            and contact_restored_on is None
        ):
            raise RequestRejected(
                "平信须在收到当日与申请人电话确认（国办公开办函〔2015〕207号）；"
                "当日无法联系的，请填写恢复联系日期"
            )
        before = snapshot(request)
        received = receipt_date(
            Channel(request.channel), request.arrived_on, confirmed_on, contact_restored_on
        )
        request.confirmed_on = confirmed_on or request.confirmed_on
        request.contact_restored_on = contact_restored_on or request.contact_restored_on
        request.received_on = received
        request.save()
        record(user, AuditAction.CHANGE, request, changes=diff(before, snapshot(request)))
        assert received is not None
        _event(user, request, EventKind.RECEIVED, received, {"channel": request.channel})
        _move(user, request, RequestState.IN_PROGRESS)
        clock.refresh(request)
    return request


def void_unconfirmed(user: Any, request: Request, reason: str) -> Request:
    """Set aside a submission whose receipt was never confirmed (the applicant cannot be
    reached, or it is not an application at all). It was never received (Art. 31), so it has
    no outcome and no row of the annual report counts it; the reason is in the audit trail."""
    _require_worker(user, request)
    reason = plain_text(reason).strip()
    if not reason:
        raise RequestRejected("请填写作废理由")
    with transaction.atomic():
        request = _lock(request)
        _require_state(request, [RequestState.RECEIVED], "作废")
        _move(user, request, RequestState.CLOSED, f"未确认收到，作废：{reason[:480]}")
    return request
