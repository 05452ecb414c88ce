"""Every change to the register: one function per act, atomic and audited.

A refused act raises NewMediaRejected with the reason in Chinese and changes nothing; acting
without the right raises PermissionDenied. Fetching the accounts' pages is in fetching.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.record import record_change, record_create, snapshot
from gongkai.newmedia.access import WRITE_DENIED, is_office, may_register, require_editor
from gongkai.newmedia.models import Account, AccountStatus
from gongkai.units.models import Unit


class NewMediaRejected(Exception):
    """Nothing was changed; the message says why, in Chinese."""


@dataclass(frozen=True)
class AccountInput:
    platform: str
    name: str
    unit: Unit
    url: str = ""
    filed_on: dt.date | None = None
    status: str = AccountStatus.OPEN
    closed_on: dt.date | None = None
    interactive: bool = True
    notes: str = ""


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _check_unit(user: Any, unit: Unit) -> None:
    if not may_register(user):
        raise PermissionDenied("只有公开办和单位联络员可以登记政务新媒体账号")
    if not is_office(user) and unit.pk not in user.unit_ids():
        raise PermissionDenied(WRITE_DENIED)


def _check(data: AccountInput, today: dt.date, pk: int | None) -> None:
    name = data.name.strip()
    if not name:
        raise NewMediaRejected("请填写账号名称")
    if data.filed_on and data.filed_on > today:
        raise NewMediaRejected("备案日期不能晚于今天")
    if data.status == AccountStatus.CLOSED:
        if data.closed_on is None:
            raise NewMediaRejected("已关停的账号须填写关停日期")
        if data.closed_on > today:
            raise NewMediaRejected("关停日期不能晚于今天")
        if data.filed_on and data.closed_on < data.filed_on:
            raise NewMediaRejected("关停日期不能早于备案日期")
    elif data.closed_on is not None:
        raise NewMediaRejected("开设中的账号不填写关停日期；账号已关停的，请把状态改为“已关停”")
    same = Account.objects.filter(unit=data.unit, platform=data.platform, name__iexact=name)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        raise NewMediaRejected(f"本单位已登记过同一平台的账号「{name}」")


def _apply(account: Account, data: AccountInput) -> None:
    url = data.url.strip()
    if url != account.url:
        # A new address is read at the next hourly run; the old one's problem no longer applies.
        account.next_fetch_at = None
        account.fetch_error = ""
    reopened = account.status == AccountStatus.CLOSED and data.status == AccountStatus.OPEN
    account.platform = data.platform
    account.name = data.name.strip()
    account.unit = data.unit
    account.url = url
    account.filed_on = data.filed_on
    account.status = data.status
    account.closed_on = data.closed_on if data.status == AccountStatus.CLOSED else None
    account.interactive = data.interactive
    account.notes = data.notes.strip()
    if reopened:
        account.stale_alerted_on = None  # reopened: a new episode if it stays quiet


@transaction.atomic
def register_account(user: Any, data: AccountInput) -> Account:
    _check_unit(user, data.unit)
    today = timezone.localdate()
    _check(data, today, None)
    account = Account(registered_on=today)
    _apply(account, data)
    account.save()
    record_create(_actor(user), account, comment="登记政务新媒体账号")
    return account


@transaction.atomic
def update_account(user: Any, account: Account, data: AccountInput) -> Account:
    require_editor(user, account)
    _check_unit(user, data.unit)
    account = Account.objects.select_for_update().get(pk=account.pk)
    _check(data, timezone.localdate(), account.pk)
    before = snapshot(account)
    _apply(account, data)
    account.save()
    after = snapshot(account)
    before["updated_at"] = after["updated_at"]  # not a change worth a line
    closing = before["status"] != AccountStatus.CLOSED and account.status == AccountStatus.CLOSED
    comment = "关停账号" if closing else ""
    record_change(_actor(user), account, before, comment=comment)
    return account


@transaction.atomic
def record_post(user: Any, account: Account, day: dt.date | None) -> Account:
    """The last post as the unit read it on the account (None clears the hand-entered date)."""
    require_editor(user, account)
    if day is not None and day > timezone.localdate():
        raise NewMediaRejected("最近发布日期不能晚于今天")
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.status != AccountStatus.OPEN:
        raise NewMediaRejected("账号已关停，不再登记发布日期")
    before = snapshot(account)
    account.manual_post_on = day
    account.refresh_last_post()
    account.save()
    before["updated_at"] = snapshot(account)["updated_at"]
    record_change(_actor(user), account, before, comment="登记最近发布日期")
    return account
