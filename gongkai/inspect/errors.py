"""Why an inspection could not run. Messages are shown to users, in Chinese."""

from __future__ import annotations


class InspectError(Exception):
    """The inspection could not run or did not finish."""


class InspectRefused(InspectError):
    """A start URL Gongkai will not inspect: not http(s), malformed, or a private address."""
