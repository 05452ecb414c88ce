"""Personal data in text: Chinese ID numbers, mobile numbers, bank card numbers, e-mail addresses.

How a number is found (docs/privacy.md has the rules and the measured figures):

1. The text is folded character for character (full-width digits, letters, ＋－＠． and the
   ideographic space become ASCII), so offsets in the folded text are offsets in the original.
2. A *cluster* is a run of digit groups joined by one space or one hyphen; a tab, two spaces,
   a line break or any Chinese character ends it, so digits are never joined across text.
3. A cluster touching a letter, a decimal point or a money sign is *tainted* at that end: the
   group there belongs to something longer (统一社会信用代码, 索引号, 12345678.90元).
4. Whole groups are tried against each kind, in a fixed set of groupings (18 = 6-8-4, 4-4-4-4-2,
   …; mobiles 11 or 3-4-4; cards 4-4-4-4…), and must pass the kind's arithmetic: region, real
   birth date and ISO 7064 check character; the mobile segment table; Luhn and a card network.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo


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


# --- folding -------------------------------------------------------------------------------

_FOLD: dict[int, str] = {0xFF10 + i: str(i) for i in range(10)}
_FOLD.update({0xFF21 + i: chr(ord("A") + i) for i in range(26)})
_FOLD.update({0xFF41 + i: chr(ord("a") + i) for i in range(26)})
_FOLD.update({ord("＋"): "+", ord("－"): "-", ord("＠"): "@", ord("．"): ".", ord("＿"): "_"})
_FOLD.update({0x3000: " ", 0x00A0: " "})
_NEEDS_FOLD = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a＋－＠．＿\u3000\u00a0]")


def fold(text: str) -> str:
    """`text` with full-width forms made ASCII; always the same length as `text`."""
    return text.translate(_FOLD) if _NEEDS_FOLD.search(text) else text


# --- the arithmetic of each kind --------------------------------------------------------------

_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
    ]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_ZONE = ZoneInfo("Asia/Shanghai")


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _real_date(year: int, month: int, day: int, today: dt.date) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= today


def is_id_number(number: str, today: dt.date | None = None) -> bool:
    """Whether `number` (digits only, 18 or 15 long, ASCII) is a plausible 居民身份证号码."""
    today = today or dt.datetime.now(_ZONE).date()
    if not number.isascii() or number[:2] not in _PROVINCES:
        return False
    if len(number) == 18 and number[:17].isdigit():
        return (
            _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]), today)
            and id_check_char(number[:17]) == number[17].upper()
        )
    if len(number) == 15 and number.isdigit():
        return _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today)
    return False


_MOBILE_SEGMENT = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}")


def is_mobile_number(number: str) -> bool:
    """Whether `number` (11 ASCII digits) is in a segment assigned to mobile phones."""
    return number.isascii() and _MOBILE_SEGMENT.fullmatch(number) is not None


def luhn_ok(number: str) -> bool:
    """Whether the digits pass the Luhn check (the last digit checks the others)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_CARD_NETWORK = re.compile(r"62|4|5[1-5]|2[2-7]|3[47]|35|60|9")


def is_bank_card_number(number: str) -> bool:
    """Whether `number` (16–19 ASCII digits) has a card network's prefix and passes Luhn."""
    return (
        16 <= len(number) <= 19
        and number.isascii()
        and number.isdigit()
        and _CARD_NETWORK.match(number) is not None
        and luhn_ok(number)
    )


# --- context -------------------------------------------------------------------------------

# A label right before the number that says it is not a person's: searched back to the last
# punctuation, at most this far.
_NOT_PERSONAL = re.compile(
    "信用代码|索引号|组织机构代码|纳税人识别号|税号|注册号|文号|邮编|邮政编码|订单号|运单号|快递单号"
    "|流水号|案号|批准号|许可证号|书号|ISBN|ISSN"
)
_LABEL_REACH = 16
_LABEL_TAIL = re.compile(r"[^，。；;,\n\t、|：:]*\Z")
# A card number not on UnionPay's 62 needs one of these words shortly before it.
_CARD_WORDS = re.compile(
    "卡号|账号|帐号|账户|帐户|银行|开户|信用卡|借记卡|储蓄卡|社保卡|收款|card|Card|CARD"
)
_CARD_REACH = 40
_MONEY_BEFORE = "¥￥$"
# Digits glued to these belong to something else: an address's local part, or the part a
# redaction kept ("****1234 5678" must not start a new number), which keeps masking idempotent.
_GLUE = "@*"
_JOINERS = "-. "
_UNIT_AFTER = "元万亿%‰"


def _label_before(text: str, start: int) -> str:
    """The words right before `start`, back to the punctuation before the label's own colon."""
    window = text[max(0, start - _LABEL_REACH) : start].rstrip(" ：:")
    tail = _LABEL_TAIL.search(window)
    return tail.group() if tail else ""


# --- clusters of digits ------------------------------------------------------------------------

_CLUSTER = re.compile(r"[0-9]+[Xx]?(?:[ \-][0-9]+[Xx]?)*")
_GROUP = re.compile(r"[0-9]+[Xx]?")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-/=&?#@*])"
    r"([A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))"
    r"(?![A-Za-z0-9\-_@]|\.[A-Za-z0-9])"
)
# Top-level "domains" that are file names (report@2x.png) rather than mail hosts.
_FILE_SUFFIXES = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "bmp",
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "txt",
        "html",
        "htm",
        "js",
        "css",
        "zip",
        "rar",
    ]
)

_ID_SHAPES = frozenset(
    {
        (18,),
        (6, 8, 4),
        (6, 8, 3, 1),
        (6, 4, 4, 4),
        (6, 12),
        (17, 1),
        (4, 4, 4, 4, 2),
        (3, 3, 4, 4, 4),
        (15,),
        (6, 6, 3),
        (6, 9),
    }
)
_DISABILITY_SUFFIX = re.compile(r"[1-7][1-4]\Z")
_MOBILE_SHAPES = frozenset({(11,), (3, 4, 4)})
_PRIORITY = {HitKind.ID_CARD: 3, HitKind.BANK_CARD: 2, HitKind.MOBILE: 1}
_MAX_GROUPS = 6


def _card_shape(lengths: Sequence[int]) -> bool:
    if len(lengths) == 1:
        return True
    return len(lengths) >= 4 and all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _tainted_left(text: str, start: int) -> bool:
    if start == 0:
        return False
    ch = text[start - 1]
    if _ascii_word(ch) or ch in _MONEY_BEFORE or ch in _GLUE:
        return True
    if ch not in _JOINERS or start < 2:
        return False
    before = text[start - 2]
    return before in _GLUE or (ch != " " and _ascii_word(before))


def _tainted_right(text: str, end: int) -> bool:
    if end >= len(text):
        return False
    ch = text[end]
    if _ascii_word(ch) or ch in _UNIT_AFTER or ch in _GLUE:
        return True
    if ch not in _JOINERS or end + 1 >= len(text):
        return False
    after = text[end + 1]
    return after in _GLUE or (ch != " " and _ascii_word(after))


@dataclass(frozen=True)
class _Found:
    kind: HitKind
    start: int
    end: int


def _classify(
    digits: str, lengths: tuple[int, ...], folded: str, start: int, today: dt.date
) -> HitKind | None:
    if lengths in _ID_SHAPES and is_id_number(digits, today):
        return HitKind.ID_CARD
    if (
        lengths == (20,)
        and _DISABILITY_SUFFIX.match(digits, 18)
        and is_id_number(digits[:18], today)
    ):
        return HitKind.ID_CARD  # 残疾人证号: the ID number, then category 1–7 and grade 1–4
    if not digits.isdigit():
        return None
    if _card_shape(lengths) and is_bank_card_number(digits):
        near = folded[max(0, start - _CARD_REACH) : start]
        if digits.startswith("62") or _CARD_WORDS.search(near):
            return HitKind.BANK_CARD
    if lengths in _MOBILE_SHAPES and is_mobile_number(digits):
        return HitKind.MOBILE
    return None


def _mobile_with_prefix(
    groups: Sequence[re.Match[str]], base: int, folded: str
) -> tuple[int, int] | None:
    """The span of a mobile number written with +86 / 86 / 0086, if these groups are one."""
    first = groups[0].group()
    if first in ("86", "0086") and len(groups) > 1:
        rest = tuple(len(g.group()) for g in groups[1:])
        number = "".join(g.group() for g in groups[1:])
        if rest in _MOBILE_SHAPES and is_mobile_number(number):
            return groups[0].start() + base, groups[-1].end() + base
    if len(groups) == 1 and len(first) in (13, 15):
        prefix, number = first[:-11], first[-11:]
        start = groups[0].start() + base
        # a bare 86 glued to the number is only a prefix when written +86
        plus = start > 0 and folded[start - 1] == "+"
        if (prefix == "0086" or (prefix == "86" and plus)) and is_mobile_number(number):
            return groups[0].start() + base, groups[0].end() + base
    return None


def _scan_cluster(folded: str, m: re.Match[str], today: dt.date) -> list[_Found]:
    base = m.start()
    groups = list(_GROUP.finditer(m.group()))
    left_bad = _tainted_left(folded, m.start())
    right_bad = _tainted_right(folded, m.end())
    found: list[_Found] = []
    i = 0
    while i < len(groups):
        best: tuple[int, int, _Found] | None = None  # (priority, width, found)
        for j in range(i, min(len(groups), i + _MAX_GROUPS)):
            if (i == 0 and left_bad) or (j == len(groups) - 1 and right_bad):
                continue
            part = groups[i : j + 1]
            start, end = part[0].start() + base, part[-1].end() + base
            lengths = tuple(len(g.group()) for g in part)
            digits = "".join(g.group() for g in part)
            kind = _classify(digits, lengths, folded, start, today)
            if kind is None:
                span = _mobile_with_prefix(part, base, folded)
                if span is None:
                    continue
                kind, (start, end) = HitKind.MOBILE, span
                if start > 0 and folded[start - 1] == "+":
                    start -= 1
            candidate = (_PRIORITY[kind], end - start, _Found(kind, start, end))
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        if best is None:
            i += 1
            continue
        found.append(best[2])
        while i < len(groups) and groups[i].start() + base < best[2].end:
            i += 1
    if found and _NOT_PERSONAL.search(_label_before(folded, base)):
        return []
    return found


# --- masking -------------------------------------------------------------------------------


def _mask_positions(text: str, keep: set[int], digits_from_end: int | None = None) -> str:
    """`text` with every digit whose index (among digits and X) is not in `keep` made `*`."""
    folded = fold(text)
    positions = [i for i, ch in enumerate(folded) if ch.isdigit() or ch in "Xx"]
    if digits_from_end is not None:
        positions = positions[-digits_from_end:]
    chars = list(text)
    for n, pos in enumerate(positions):
        if n not in keep:
            chars[pos] = "*"
    return "".join(chars)


def mask(kind: HitKind, text: str) -> str:
    """The masked form of one hit's text: ID 6 + 4 kept, mobile 3 + 4, card last 4, e-mail 1."""
    if kind is HitKind.EMAIL:
        local, _, domain = text.partition("@") if "@" in text else text.partition("＠")
        return f"{local[:1]}***@{domain}"
    count = sum(1 for ch in fold(text) if ch.isdigit() or ch in "Xx")
    if kind is HitKind.ID_CARD:
        return _mask_positions(text, {0, 1, 2, 3, 4, 5, count - 4, count - 3, count - 2, count - 1})
    if kind is HitKind.MOBILE:
        return _mask_positions(text, {0, 1, 2, 7, 8, 9, 10}, digits_from_end=11)
    return _mask_positions(text, {count - 4, count - 3, count - 2, count - 1})


# --- the public entry points ---------------------------------------------------------------


def _emails(folded: str) -> list[_Found]:
    return [
        _Found(HitKind.EMAIL, m.start(), m.end())
        for m in _EMAIL.finditer(folded)
        if m.group(3).lower() not in _FILE_SUFFIXES and not m.group(1).startswith(".")
    ]


def find_hits(text: str) -> list[Hit]:
    """Every hit in `text`, by position, never overlapping."""
    folded = fold(text)
    today = dt.datetime.now(_ZONE).date()
    emails = _emails(folded) if "@" in folded else []
    found = list(emails)
    at = 0  # both lists run left to right, so one pass finds the numbers inside an address
    for m in _CLUSTER.finditer(folded):
        if m.end() - m.start() < 11:
            continue  # nothing we look for is shorter than a mobile number
        for f in _scan_cluster(folded, m, today):
            while at < len(emails) and emails[at].end <= f.start:
                at += 1
            if at == len(emails) or f.end <= emails[at].start:
                found.append(f)
    found.sort(key=lambda f: f.start)
    return [
        Hit(f.kind, f.start, f.end, text[f.start : f.end], mask(f.kind, text[f.start : f.end]))
        for f in found
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
