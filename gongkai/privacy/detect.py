"""Personal data in text: Chinese ID numbers, mobile numbers, bank card numbers, e-mail addresses.

(Skeleton: the interface only; the detectors are being written.)
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class HitKind(enum.StrEnum):
    ID_CARD = "id_card"  # 居民身份证号码, 18 digits with a valid check digit, or 15 digits
    MOBILE = "mobile"  # 手机号码
    BANK_CARD = "bank_card"  # 银行卡号 (Luhn)
    EMAIL = "email"


KIND_LABELS: dict[HitKind, str] = {
    HitKind.ID_CARD: "身份证号码",
    HitKind.MOBILE: "手机号码",
    HitKind.BANK_CARD: "银行卡号",
    HitKind.EMAIL: "电子邮箱",
}


@dataclass(frozen=True)
class Hit:
    kind: HitKind
    start: int  # offsets in the text searched
    end: int
    text: str  # as written, separators included
    masked: str  # what the one-click redaction puts in its place


_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def find_hits(text: str) -> list[Hit]:
    """Every hit in `text`, by position, never overlapping."""
    return [
        Hit(HitKind.MOBILE, m.start(), m.end(), m.group(), m.group()[:3] + "****" + m.group()[7:])
        for m in _MOBILE.finditer(text)
    ]


def mask_text(text: str, hits: list[Hit] | None = None) -> str:
    """`text` with every hit replaced by its masked form."""
    hits = find_hits(text) if hits is None else hits
    out, last = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out.append(text[last : hit.start])
        out.append(hit.masked)
        last = hit.end
    out.append(text[last:])
    return "".join(out)
