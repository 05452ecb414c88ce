"""Where the current change comes from: the channel and client address, per request or task.

Action functions take the acting user explicitly; the channel and address are ambient, set
once by the middleware (web, admin, API) or by a command or task, and read by `record()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from gongkai.audit.models import Channel


@dataclass(frozen=True)
class Origin:
    channel: Channel
    ip: str | None = None


_origin: ContextVar[Origin] = ContextVar(
    "audit_origin",
    default=Origin(Channel.SYSTEM),  # noqa: B039  (Origin is frozen)
)


def current_origin() -> Origin:
    return _origin.get()


@contextmanager
def origin(channel: Channel, ip: str | None = None) -> Iterator[None]:
    token = _origin.set(Origin(channel, ip))
    try:
        yield
    finally:
        _origin.reset(token)


def channel_for_path(path: str) -> Channel:
    if path.startswith("/admin/"):
        return Channel.ADMIN
    if path.startswith("/api/"):
        return Channel.API
    return Channel.WEB


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is forgeable unless a trusted proxy rewrote it, and
    # the proxy setup sets REMOTE_ADDR through the WSGI server's trusted-proxy options.
    return request.META.get("REMOTE_ADDR") or None


class AuditOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin(channel_for_path(request.path), client_ip(request)):
            return self.get_response(request)
