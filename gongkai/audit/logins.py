"""Login, logout and failed logins go into the audit trail.

Django announces these only through signals, so receivers are the one place to catch them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gongkai.audit.context import channel_for_path, client_ip, origin
from gongkai.audit.models import AuditAction
from gongkai.audit.record import record


def _record(request: HttpRequest | None, user: Any, action: AuditAction, name: str = "") -> None:
    if request is None:
        record(user, action, actor_name=name)
        return
    with origin(channel_for_path(request.path), client_ip(request)):
        record(user, action, actor_name=name)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    _record(request, user, AuditAction.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _record(request, user, AuditAction.LOGOUT)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted user name is kept (truncated); the password never reaches this signal.
    name = str(credentials.get("username", ""))[:150] or "（未填写）"
    _record(request, None, AuditAction.LOGIN_FAILED, name=name)
