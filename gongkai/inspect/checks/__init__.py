"""The registered checks, in the order findings are reported. Add a check by writing a module
with a `Check` subclass and listing it here; its `type` must never change once released."""

from __future__ import annotations

from gongkai.inspect.checks.base import Attachment, Check
from gongkai.inspect.config import InspectConfig

CHECKS: list[type[Check]] = []

# --- Content checks (what pages say; gongkai/inspect/checks/content.py lists them) ----------
from gongkai.inspect.checks.content import CONTENT_CHECKS  # noqa: E402

CHECKS += CONTENT_CHECKS
# --- end of content checks -------------------------------------------------------------------

# --- Link and network checks (the crawler's; keep this block separate) ---------------------
from gongkai.inspect.checks.links import BrokenLink, WrongLink  # noqa: E402
from gongkai.inspect.checks.network import (  # noqa: E402
    BadDomain,
    Https,
    NewMediaStale,
    NoIPv6,
    SearchBroken,
)

CHECKS += [BrokenLink, WrongLink, BadDomain, NoIPv6, Https, SearchBroken, NewMediaStale]
# --- end of link and network checks ----------------------------------------------------------


def build(config: InspectConfig) -> list[Check]:
    """One fresh instance of every enabled check, with the site's options."""
    return [cls(config.options(cls.type)) for cls in CHECKS if config.enabled(cls.type)]


def by_type() -> dict[str, type[Check]]:
    return {cls.type: cls for cls in CHECKS}


__all__ = ["CHECKS", "Attachment", "Check", "build", "by_type"]
