"""索引号: the number a document gets when it is published.

The scheme (settings.INDEX_SCHEME, default "{unit_code}/{year}-{serial:05d}") is a Python
format string with three fields: the unit's code (Unit.code, or "U0007" from its number when
it has none), the year of the 发布日期 and a serial. The serial is counted per *prefix*: the
scheme formatted with everything but the serial ("SFJ/2026-{serial}"), so with the default each
unit starts again at 1 every year, and a scheme without {year} numbers a unit's documents on.

The serial comes from one IndexCounter row per prefix, bumped with a single
`UPDATE … SET last = last + 1` inside the publishing transaction (as request tracking numbers
are, gongkai.disclosure.tracking): on PostgreSQL the row lock queues two publications, on
SQLite the write lock does. The unique constraint on Document.index_number is the last guard,
and a number already taken (a counter reset by hand, a scheme changed back) is skipped.
"""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from gongkai.serials import bump

FIELDS = ("unit_code", "year", "serial")
MAX_LENGTH = 128  # Document.index_number
PREFIX_LENGTH = 96  # IndexCounter.prefix
_SAMPLE = {"unit_code": "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "year": 2026, "serial": 99999}


def _fields(scheme: str) -> list[tuple[str, str | None, str | None]]:
    """(field name, format spec, conversion) of each replacement field."""
    try:
        return [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(scheme)
            if name is not None
        ]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"GONGKAI_INDEX_SCHEME「{scheme}」格式有误（{exc}），请检查花括号是否成对"
        ) from None


class _SampleUnit:
    """The longest unit code a check must allow for (Unit.code holds 32 characters)."""

    pk = 1
    code = _SAMPLE["unit_code"]


def check_scheme(scheme: str) -> None:
    """Raise ImproperlyConfigured, in Chinese, unless `scheme` makes valid numbers."""
    prefix = f"GONGKAI_INDEX_SCHEME「{scheme}」"
    fields = _fields(scheme)
    names = [name for name, _, _ in fields]
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise ImproperlyConfigured(
            f"{prefix}含有未知字段 {'、'.join('{' + n + '}' for n in unknown)}；"
            "只能使用 {unit_code}（单位代码）、{year}（年份）和 {serial}（流水号）"
        )
    if names.count("serial") != 1:
        raise ImproperlyConfigured(f"{prefix}须含且只含一个 {{serial}}（流水号），否则索引号会重复")
    try:
        sample = scheme.format(**_SAMPLE)
        scheme.format(unit_code="U0001", year=2026, serial=1)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ImproperlyConfigured(
            f"{prefix}的格式说明无效（{exc}），例如流水号可写作 {{serial:05d}}"
        ) from None
    before, after, _ = split(scheme, _SampleUnit(), 2026)
    if len(sample) > MAX_LENGTH or len(before) + len(after) + len("{serial}") > PREFIX_LENGTH:
        raise ImproperlyConfigured(f"{prefix}生成的索引号可能超过 {MAX_LENGTH} 个字符，请缩短")
    if not sample.strip():
        raise ImproperlyConfigured(f"{prefix}生成的索引号为空")


def scheme() -> str:
    return str(settings.INDEX_SCHEME)


def unit_code(unit: Any) -> str:
    code = str(getattr(unit, "code", "") or "").strip()
    return code or f"U{unit.pk:04d}"


def _field(spec: str | None, conversion: str | None) -> str:
    return "{0" + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"


def split(scheme: str, unit: Any, year: int) -> tuple[str, str, str]:
    """The number before the serial, after it, and the serial's own format ("{0:05d}")."""
    values: dict[str, Any] = {"unit_code": unit_code(unit), "year": year}
    before: list[str] = []
    after: list[str] = []
    serial = "{0}"
    side = before
    for literal, name, spec, conversion in string.Formatter().parse(scheme):
        side.append(literal)
        if name is None:
            continue
        if name == "serial":
            serial, side = _field(spec, conversion), after
        else:
            side.append(_field(spec, conversion).format(values[name]))
    return "".join(before), "".join(after), serial


def prefix_of(scheme: str, unit: Any, year: int) -> str:
    """The scheme formatted with everything except the serial: the counter's key."""
    before, after, _ = split(scheme, unit, year)
    return f"{before}{{serial}}{after}"


def _bump(prefix: str) -> int:
    from gongkai.publishing.models import IndexCounter

    return bump(IndexCounter, prefix=prefix)


def next_index_number(unit: Any, year: int) -> str:
    """The next free 索引号 of `unit` in `year`; call inside the publishing transaction."""
    from gongkai.publishing.models import Document

    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    current = scheme()
    check_scheme(current)
    before, after, serial = split(current, unit, year)
    prefix = f"{before}{{serial}}{after}"
    for _ in range(10_000):
        number = before + serial.format(_bump(prefix)) + after
        if not Document.objects.filter(index_number=number).exists():
            return number
    raise ImproperlyConfigured(f"索引号前缀「{prefix}」的流水号已无可用号码，请检查索引号规则")
