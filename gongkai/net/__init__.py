"""Outbound HTTP: the one module that talks to other servers (see gongkai.net.http)."""

from __future__ import annotations

from gongkai.net.errors import FetchError, FetchFailed, FetchRefused
from gongkai.net.http import USER_AGENT, FetchResult, fetch

__all__ = ["USER_AGENT", "FetchError", "FetchFailed", "FetchRefused", "FetchResult", "fetch"]
