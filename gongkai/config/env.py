"""Typed readers for settings that come from environment variables.

Every reader registers the variable's name, so a test can check that docs/settings.md lists
every setting the code reads. A bad value raises ImproperlyConfigured naming the variable: a
deployment should fail at start-up, not at the first request that needs the value.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

#: Names of every environment variable read through this module, in reading order.
READ: list[str] = []

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read(name: str, default: T, parse: Callable[[str], T]) -> T:
    if name not in READ:
        READ.append(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return parse(raw.strip())
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效 (invalid): {exc}") from exc


def env_str(name: str, default: str) -> str:
    return _read(name, default, str)


def env_bool(name: str, default: bool) -> bool:
    def parse(raw: str) -> bool:
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError("expected one of 1/0, true/false, yes/no, on/off")

    return _read(name, default, parse)


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    def parse(raw: str) -> int:
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise ValueError(f"must be at most {maximum}")
        return value

    return _read(name, default, parse)


def env_list(name: str, default: list[str]) -> list[str]:
    return _read(name, default, lambda raw: [p.strip() for p in raw.split(",") if p.strip()])


def env_path(name: str, default: Path) -> Path:
    return _read(name, default, lambda raw: Path(raw).expanduser().resolve())


def env_zone(name: str, default: str) -> str:
    def parse(raw: str) -> str:
        try:
            zoneinfo.ZoneInfo(raw)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {raw!r}") from exc
        return raw

    return _read(name, default, parse)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return raw

    return _read(name, default, parse)
