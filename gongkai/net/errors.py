"""What can go wrong with an outbound request. Messages are shown to users, in Chinese."""

from __future__ import annotations


class FetchError(Exception):
    """The request got no usable response; the message says why."""


class FetchRefused(FetchError):
    """Gongkai would not send the request: not http(s), or a private or local address."""


class FetchFailed(FetchError):
    """The request was sent or attempted and failed: DNS, connection, TLS, timeout, redirects."""
