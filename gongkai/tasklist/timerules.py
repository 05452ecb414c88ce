"""Time rules in a requirement or a 时限 cell, as structured data that keeps its words.

    extract_time_rules("发布后3个工作日内关联发布解读材料")
    → [TimeRule(kind=within, amount=3, unit=workday, text="3个工作日内")]

Kinds (model.RuleKind): within N units (`3个工作日内`, `48小时内`, `不超过5个工作日`), minimum
(`不少于30日`), recurring (`每季度`, `每半年` = 6 months, `至少2周内更新一次`), by a date (`年底前`,
`2020年底前`, `6月底前`, `第一季度`, `上半年`, `6月30日前`; a 时限 cell holding only a date), and
ongoing (`持续推进`, `常态化`, `长期`). 及时 ("promptly"), 定期 ("regularly") and a bare 持续
are not rules: they name no period, and reading one in would invent deadlines.

Traditional script and full-width digits read like Simplified and ASCII; each rule's text is the
exact substring of the input it came from. Where matches overlap the longest wins; rules with
the same meaning are kept once, in order of appearance. By-date rules carry a date only when the
year is known, from the text or from `plan_year`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import cache

import opencc

from gongkai.tasklist.model import RuleKind, RuleUnit, TimeRule

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

NUM = r"(?:[0-9]{1,6}|[零〇一二两三四五六七八九十百千]{1,8})"
# Duration units. 月 and 季度 need 个 ("3个月"): "3月" is March.
DURATION = r"(?:个?工作日|个?小时|个?钟头|个?星期|个月|个季度|周|日|天|年)"
YEAR = r"(?:(?P<y>[0-9]{4})\s*年\s*|(?P<rel>今年|本年度|本年|当年|明年|次年|下一年度|下年度))"
BEFORE = r"(?:前|之前|以前)"

_UNIT_WORDS: dict[str, RuleUnit] = {
    "工作日": RuleUnit.WORKDAY,
    "小时": RuleUnit.HOUR,
    "钟头": RuleUnit.HOUR,
    "星期": RuleUnit.WEEK,
    "周": RuleUnit.WEEK,
    "月": RuleUnit.MONTH,
    "季度": RuleUnit.QUARTER,
    "季": RuleUnit.QUARTER,
    "日": RuleUnit.DAY,
    "天": RuleUnit.DAY,
    "年度": RuleUnit.YEAR,
    "年": RuleUnit.YEAR,
}

Fields = tuple[RuleKind, int | None, RuleUnit | None, str | None]
Builder = Callable[[re.Match[str], int | None], Fields | None]


def number(text: str) -> int | None:
    """An ASCII or Chinese numeral: 15, 十五, 两, 二十一, 一百; None when it is not one."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    if not all(ch in _CN_DIGITS or ch in _CN_UNITS for ch in text):
        return None
    if not any(ch in _CN_UNITS for ch in text):  # 二〇二〇: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return total + current


def _unit(word: str) -> RuleUnit | None:
    word = word.removeprefix("个")
    return _UNIT_WORDS.get(word)


def _year(m: re.Match[str], plan_year: int | None) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    rel = groups.get("rel")
    if plan_year is None:
        return None
    return plan_year + 1 if rel in ("明年", "次年", "下一年度", "下年度") else plan_year


def _date(year: int | None, month: int, day: int | None) -> str | bool | None:
    """ISO date (day None: the month's last), None when the year is unknown, False if invalid."""
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return False
    if year is None:
        return None
    try:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last if day is None else day).isoformat()
    except ValueError:
        return False


def _by_date(year: int | None, month: int | None, day: int | None = None) -> Fields | None:
    if month is None:
        return None
    date = _date(year, month, day)
    if date is False:
        return None
    return RuleKind.BY_DATE, None, None, date if isinstance(date, str) else None


# Builders: a match (and the plan's year) to the rule's fields, or None to drop the match.


def _within(m: re.Match[str], plan_year: int | None) -> Fields | None:
    amount, unit = number(m["n"]), _unit(m["u"])
    if amount is None or unit is None:
        return None
    if unit is RuleUnit.YEAR and amount >= 1900:  # 2020年内: by the end of that year
        return _by_date(amount, 12)
    return RuleKind.WITHIN, amount, unit, None


def _minimum(m: re.Match[str], plan_year: int | None) -> Fields | None:
    amount, unit = number(m["n"]), _unit(m["u"])
    if amount is None or unit is None:
        return None
    return RuleKind.MINIMUM, amount, unit, None


def _every(m: re.Match[str], plan_year: int | None) -> Fields | None:
    word = m["u"]
    if word == "半年":
        return RuleKind.RECURRING, 6, RuleUnit.MONTH, None
    n = m.groupdict().get("n")
    amount = number(n) if n else 1
    unit = _unit(word)
    if amount is None or unit is None:
        return None
    return RuleKind.RECURRING, amount, unit, None


def _year_end(m: re.Match[str], plan_year: int | None) -> Fields | None:
    return _by_date(_year(m, plan_year), 12)


def _month_end(m: re.Match[str], plan_year: int | None) -> Fields | None:
    return _by_date(_year(m, plan_year), number(m["m"]))


def _exact(m: re.Match[str], plan_year: int | None) -> Fields | None:
    day = number(m["d"])
    return None if day is None else _by_date(_year(m, plan_year), number(m["m"]), day)


def _quarter(m: re.Match[str], plan_year: int | None) -> Fields | None:
    quarter = number(m["q"])
    return None if quarter is None else _by_date(_year(m, plan_year), quarter * 3)


def _half(m: re.Match[str], plan_year: int | None) -> Fields | None:
    return _by_date(_year(m, plan_year), 6 if m["h"] == "上" else 12)


def _ongoing(m: re.Match[str], plan_year: int | None) -> Fields | None:
    return RuleKind.ONGOING, None, None, None


def _half_year_within(m: re.Match[str], plan_year: int | None) -> Fields | None:
    return RuleKind.WITHIN, 6, RuleUnit.MONTH, None


# Pieces of the patterns below.
INSIDE = r"(?:内|以内|之内)"
NOT_AFTER_NUMBER = r"(?<![0-9零〇一二两三四五六七八九十百千月年])"
AT_MOST = r"(?:不超过|不得超过|不超出|最长|最多|最迟不超过)"
AT_LEAST = r"(?:不少于|不低于|不得少于|不得低于|不短于|不得短于|至少|最少)"
EVERY_UNIT = r"(?P<u>半年|个?工作日|个?星期|季度|年度|周(?!期)|日|天|个?月|季|年)"
EVERY_TAIL = rf"(?:\s*(?:{NUM}\s*月\s*)?{NUM}\s*[日号]\s*{BEFORE}?|\s*[底末]\s*{BEFORE}?)?"
VERB = (
    r"(?:更新|发布|公开|检查|巡查|维护|抽查|抽检|报送|通报|听取|开展|召开|举办|调度|梳理|核查"
    r"|清理|分析|研究|推送|审核)"
)
ONCE = rf"(?:内|以内)?\s*(?:至少|最少)?\s*{VERB}?\s*(?:一|1)次(?!性)"
MONTH_DAY = rf"(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]"
ISO_DATE = r"(?P<y>[0-9]{4})\s*[-/.]\s*(?P<m>[0-9]{1,2})\s*[-/.]\s*(?P<d>[0-9]{1,2})"
END = rf"\s*(?:[末底]\s*)?{BEFORE}?"
ONGOING_VERB = (
    r"(?:推进|深化|做好|开展|加强|抓好|完善|规范|推动|优化|提升|更新|跟踪|关注|强化|落实)"
)

_PATTERNS: list[tuple[str, Builder]] = [
    # within
    (rf"{NOT_AFTER_NUMBER}(?P<n>{NUM})\s*(?P<u>{DURATION})\s*{INSIDE}", _within),
    (rf"{AT_MOST}\s*(?P<n>{NUM})\s*(?P<u>{DURATION})(?:\s*{INSIDE})?", _within),
    (rf"(?<![每上下])半年{INSIDE}", _half_year_within),
    # minimum
    (rf"{AT_LEAST}\s*(?P<n>{NUM})\s*(?P<u>{DURATION})", _minimum),
    # recurring
    (rf"每\s*(?:(?P<n>{NUM})\s*)?{EVERY_UNIT}{EVERY_TAIL}", _every),
    (rf"(?:每|至少)?\s*(?P<n>{NUM})\s*(?P<u>{DURATION}|月)\s*{ONCE}", _every),
    (r"(?:按|逐)(?P<u>季度|年度|月|季|周)(?![份龄期])", _every),
    # by a date
    (rf"(?:{YEAR}|年)\s*[底末]\s*{BEFORE}?", _year_end),
    (rf"{YEAR}?(?P<m>{NUM})\s*月\s*(?:份\s*)?[底末]\s*{BEFORE}?", _month_end),
    (rf"{YEAR}?{MONTH_DAY}\s*(?:{BEFORE}|止|为止)", _exact),
    (rf"(?:截至|截止到?|不晚于|最迟于?)\s*{YEAR}?{MONTH_DAY}", _exact),
    (rf"{ISO_DATE}\s*{BEFORE}", _exact),
    (rf"{YEAR}?(?<![每前])第?(?P<q>[一二三四1-4])\s*季度{END}", _quarter),
    (rf"{YEAR}?(?P<h>[上下])半年{END}", _half),
    # ongoing
    (rf"持续{ONGOING_VERB}", _ongoing),
    (r"常态化(?![下中])", _ongoing),
    (r"长期(?:坚持|开展|公开|保持|有效|执行|推进)?", _ongoing),
]

# A 时限 cell holding only a date (or a month, or a year) is a by-date rule.
_WHOLE: list[tuple[str, Builder]] = [
    (rf"{YEAR}?{MONTH_DAY}", _exact),
    (ISO_DATE, _exact),
    (rf"{YEAR}?(?P<m>{NUM})\s*月份?", _month_end),
    (r"(?P<y>[0-9]{4})\s*年度?", _year_end),
    (rf"(?P<n>{NUM})\s*(?P<u>{DURATION})", _within),  # 时限: 5个工作日
]

_COMPILED = [(re.compile(p), b) for p, b in _PATTERNS]
_COMPILED_WHOLE = [(re.compile(rf"\s*(?P<core>{p})\s*[。.]?\s*"), b) for p, b in _WHOLE]


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Simplified script and ASCII digits, index for index with `text`."""
    text = text.translate(_FULL_WIDTH_DIGITS)
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return str(converted)
    # A phrase conversion changed the length: convert character by character to keep indices.
    chars = [str(_t2s().convert(ch)) for ch in text]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text, strict=True))


def extract_time_rules(text: str, plan_year: int | None = None) -> list[TimeRule]:
    if not text or not text.strip():
        return []
    norm = normalize(text)
    found: list[tuple[int, int, int, Fields]] = []
    for priority, (regex, build) in enumerate(_COMPILED):
        for m in regex.finditer(norm):
            fields = build(m, plan_year)
            if fields is not None and m.end() > m.start():
                found.append((m.start(), m.end(), priority, fields))
    for regex, build in _COMPILED_WHOLE:
        whole = regex.fullmatch(norm)
        if whole is not None and (fields := build(whole, plan_year)) is not None:
            found.append((whole.start("core"), whole.end("core"), -1, fields))
            break
    chosen: list[tuple[int, int, Fields]] = []
    for start, end, _, fields in sorted(found, key=lambda f: (f[0] - f[1], f[2], f[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, fields))
    rules: list[TimeRule] = []
    seen: set[Fields] = set()
    for start, end, fields in sorted(chosen):
        if fields in seen:
            continue
        seen.add(fields)
        kind, amount, unit, date = fields
        rules.append(
            TimeRule(kind=kind, text=text[start:end].strip(), amount=amount, unit=unit, date=date)
        )
    return rules
