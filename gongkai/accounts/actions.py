"""Issuing and revoking API tokens, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import ApiToken, User
from gongkai.audit.models import AuditAction
from gongkai.audit.record import record, record_create


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()[:64] or "未命名"
    token, raw = ApiToken.issue(user, name)
    record_create(user, token)
    return token, raw


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.pk and not user.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            user,
            AuditAction.TRANSITION,
            token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
