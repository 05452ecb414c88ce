"""API authentication: the browser session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gongkai.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gk_…`. Sets request.user so views work as with a session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.find(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


# Token first: SessionAuth answers a CSRF failure on a POST before a later method is tried.
AUTH = [TokenAuth(), SessionAuth()]
