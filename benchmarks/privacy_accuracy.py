"""How well the privacy scanner finds personal data, measured on the labelled fixtures.

    .venv/bin/python benchmarks/privacy_accuracy.py             # precision / recall / speed
    .venv/bin/python benchmarks/privacy_accuracy.py --generate  # rewrite generated.jsonl

Two fixture sets in tests/fixtures/privacy/, kept apart:
- `labelled.jsonl`, written by hand in the style of real pages (公示, 名单, 处罚决定书 …);
- `generated.jsonl`, made by `generate()` below from a fixed seed: valid values and near misses
  (wrong check character, impossible date, Luhn failure, unassigned segment) in varied sentences.

Every record is {"text": ..., "hits": [{"kind": ..., "text": ...}], "tag": ...}; a tag starting
`neg:` marks a line that must have no hit at all (文号, dates, hotlines …).

The generator computes check characters and Luhn digits with its own few lines of arithmetic,
not with gongkai.privacy.detect, so the labels do not inherit the detector's mistakes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.privacy.detect import HitKind, find_hits

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "privacy"
HAND = FIXTURES / "labelled.jsonl"
GENERATED = FIXTURES / "generated.jsonl"
SEED = 20261121

Record = dict[str, Any]


# --- independent arithmetic (do not import these from detect.py) ------------------------------


def mod11_2(body17: str) -> str:
    """ISO 7064 MOD 11-2 by its recursive definition: p = 2(p + d) mod 11, then (p + c) ≡ 1."""
    p = 0
    for ch in body17:
        p = (p + int(ch)) * 2 % 11
    return "0123456789X"[(12 - p) % 11]


def luhn_digit(body: str) -> str:
    """The digit that makes `body + digit` pass Luhn (double every second digit from the right)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


# --- scoring ---------------------------------------------------------------------------------


def load(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(records: Iterable[Record]) -> dict[HitKind, Score]:
    """Per kind: hits matched by kind and exact text, line by line."""
    scores = {kind: Score() for kind in HitKind}
    for rec in records:
        want = Counter((HitKind(h["kind"]), h["text"]) for h in rec["hits"])
        got = Counter((h.kind, h.text) for h in find_hits(rec["text"]))
        for kind, text in want | got:
            matched = min(want[(kind, text)], got[(kind, text)])
            s = scores[kind]
            s.tp += matched
            if got[(kind, text)] > matched:
                s.fp += got[(kind, text)] - matched
                s.false.append(f"{text!r} in {rec['text'][:60]!r}")
            if want[(kind, text)] > matched:
                s.fn += want[(kind, text)] - matched
                s.misses.append(f"{text!r} in {rec['text'][:60]!r}")
    return scores


def hard_negative_hits(records: Iterable[Record]) -> dict[str, list[str]]:
    """For each `neg:` tag, the hits found on its lines (all should be empty)."""
    out: dict[str, list[str]] = {}
    for rec in records:
        tag = rec.get("tag", "")
        if tag.startswith("neg:"):
            out.setdefault(tag, []).extend(h.text for h in find_hits(rec["text"]))
    return out


# --- the generator ---------------------------------------------------------------------------

REGIONS = [
    "370303",
    "370302",
    "370305",
    "370321",
    "370322",
    "370102",
    "371302",
    "110105",
    "110108",
    "310104",
    "310115",
    "440106",
    "440305",
    "510107",
    "620102",
    "650102",
    "130102",
    "210102",
    "330106",
    "420106",
    "500103",
    "530102",
    "610113",
    "230103",
    "350203",
    "450103",
    "460105",
    "150102",
    "640104",
    "120101",
    "820000",
    "810000",
]
SEGMENTS = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "145",
    "147",
    "149",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "162",
    "165",
    "166",
    "167",
    "170",
    "171",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "190",
    "191",
    "193",
    "195",
    "196",
    "197",
    "198",
    "199",
]
BAD_SEGMENTS = [
    "100",
    "101",
    "110",
    "111",
    "120",
    "121",
    "140",
    "141",
    "144",
    "154",
    "160",
    "161",
    "164",
    "194",
]
MAIL_HOSTS = [
    "163.com",
    "126.com",
    "qq.com",
    "sina.com",
    "foxmail.com",
    "outlook.com",
    "zb.gov.cn",
    "sd.gov.cn",
]
SURNAMES = [
    "zhang",
    "wang",
    "li",
    "liu",
    "chen",
    "yang",
    "zhao",
    "huang",
    "zhou",
    "wu",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "he",
    "lin",
]
GIVEN = [
    "wei",
    "fang",
    "na",
    "min",
    "jing",
    "li",
    "qiang",
    "lei",
    "jun",
    "yang",
    "yong",
    "yan",
    "jie",
    "tao",
    "ming",
    "chao",
    "xiu",
    "xia",
]
CARD_WORDS = ["银行卡号", "账号", "开户账号", "收款账号", "社保卡号", "银行账户", "卡号"]
NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨勇",
    "赵磊",
    "黄敏",
    "周杰",
    "吴涛",
    "徐明",
    "孙霞",
    "马超",
    "朱丽",
    "胡军",
]

ID_SENTENCES = (
    "申请人{name}，身份证号码：{v}，住址淄博市张店区。",
    "{name}\t{v}\t张店区\t500.00",
    "被处罚人：{name}，公民身份号码{v}。",
    "经审核，{name}（身份证号{v}）符合条件，予以公示。",
    "{name} 男 {v} 马尚街道",
    "法定代表人：{name}，居民身份证 {v}",
    "证件号码：{v}\n联系地址：淄博市张店区人民西路",
)
MOBILE_SENTENCES = (
    "联系人：{name}，手机{v}。",
    "如有异议，请拨打{v}反映。",
    "{name}\t{v}\t已办结",
    "申请人联系电话：{v}；邮寄地址：淄博市张店区。",
    "联系方式 {v}（{name}）",
    "监督电话：0533-2181234，手机：{v}",
)
CARD_SENTENCES = (
    "{name}，{word}：{v}，发放金额1200元。",
    "{name}\t{v}\t800.00",
    "补助资金已打入{word}{v}。",
    "开户行：中国农业银行淄博分行，{word} {v}",
)
EMAIL_SENTENCES = (
    "来信请发送至{v}，我们将及时答复。",
    "联系人{name}，电子邮箱：{v}。",
    "邮箱 {v}\n地址：淄博市张店区",
    "如对本决定不服，可通过{v}提出。",
)
NEGATIVE_SENTENCES = (
    "neg:order",
    (
        "受理编号：{v}，请妥善保管。",
        "合同编号{v}已备案。",
        "采购项目编号 {v}",
        "业务流水 {v} 已处理",
    ),
)


def _date(rng: random.Random, lo: int = 1935, hi: int = 2012) -> str:
    y, m = rng.randint(lo, hi), rng.randint(1, 12)
    d = rng.randint(1, 28 if m == 2 else 30)
    return f"{y:04d}{m:02d}{d:02d}"


def valid_id(rng: random.Random) -> str:
    body = rng.choice(REGIONS) + _date(rng) + f"{rng.randint(0, 999):03d}"
    return body + mod11_2(body)


def near_miss_id(rng: random.Random) -> str:
    region, seq = rng.choice(REGIONS), f"{rng.randint(0, 999):03d}"
    how = rng.randrange(4)
    if how == 0:  # wrong check character
        body = region + _date(rng) + seq
        good = mod11_2(body)
        return body + rng.choice([c for c in "0123456789X" if c != good])
    if how == 1:  # impossible date
        y = rng.randint(1950, 2005)
        bad = rng.choice(["0230", "0231", "1301", "0001", "0432", "1100"])
        body = region + f"{y}{bad}" + seq
        return body + mod11_2(body)
    if how == 2:  # born in the future or before 1900
        body = region + rng.choice(["2087", "2099", "1876"]) + "0101" + seq
        return body + mod11_2(body)
    body = rng.choice(["00", "99", "19", "24", "28", "47", "58", "77"]) + region[2:]
    body += _date(rng) + seq
    return body + mod11_2(body)  # no such province


def valid_old_id(rng: random.Random) -> str:
    return rng.choice(REGIONS) + _date(rng, 1930, 1985)[2:] + f"{rng.randint(0, 999):03d}"


def valid_mobile(rng: random.Random) -> str:
    return rng.choice(SEGMENTS) + f"{rng.randint(0, 99_999_999):08d}"


def near_miss_mobile(rng: random.Random) -> str:
    return rng.choice(BAD_SEGMENTS) + f"{rng.randint(0, 99_999_999):08d}"


def valid_card(rng: random.Random, unionpay: bool = True) -> str:
    length = rng.choice([16, 19, 19, 17, 18]) if unionpay else 16
    prefix = (
        rng.choice(["6222", "6217", "6228", "6212", "6230", "6210"])
        if unionpay
        else rng.choice(["4367", "4392", "5187", "5201", "4563"])
    )
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - 5))
    return body + luhn_digit(body)


def near_miss_card(rng: random.Random) -> str:
    card = valid_card(rng)
    return card[:-1] + str((int(card[-1]) + rng.randint(1, 9)) % 10)


def valid_email(rng: random.Random) -> str:
    local = rng.choice(SURNAMES) + rng.choice(["", ".", "_"]) + rng.choice(GIVEN)
    local += rng.choice(["", str(rng.randint(1, 99)), str(rng.randint(1960, 2005))])
    if rng.random() < 0.15:
        local = valid_mobile(rng)
    return f"{local}@{rng.choice(MAIL_HOSTS)}"


def near_miss_email(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return rng.choice(
        [
            f"{name}@163",
            f"{name}@163。com",
            f"https://www.zibo.gov.cn/images/{name}@2x.png",
            f"@{rng.choice(['淄博发布', '张店发布'])}",
            f"{name}＠某单位",
        ]
    )


def spaced(rng: random.Random, number: str, groups: tuple[int, ...]) -> str:
    """`number` in groups, separated by spaces or hyphens (one kind per number)."""
    sep = rng.choice([" ", " ", "-"]) if len(groups) > 1 else ""
    parts, at = [], 0
    for n in groups:
        parts.append(number[at : at + n])
        at += n
    return sep.join(parts)


def full_width(number: str) -> str:
    return number.translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789X"})


def _dress(rng: random.Random, number: str, shapes: list[tuple[int, ...]]) -> str:
    shape = rng.choice(shapes)
    out = spaced(rng, number, shape) if sum(shape) == len(number) else number
    return full_width(out) if rng.random() < 0.1 else out


def _order_number(rng: random.Random) -> str:
    """A 16–19-digit reference that is not a card: most pass no check, some pass Luhn by chance."""
    length = rng.randint(16, 19)
    head = rng.choice(["2023", "2024", "2025", "3703", "4", "5", "1", "8"])
    return head + "".join(str(rng.randint(0, 9)) for _ in range(length - len(head)))


def generate(seed: int = SEED, per_kind: int = 150) -> list[Record]:
    rng = random.Random(seed)  # noqa: S311  # fixtures, not secrets: the seed makes them repeatable
    out: list[Record] = []

    def put(template: str, value: str, kind: str | None, tag: str, **extra: str) -> None:
        text = template.format(v=value, name=rng.choice(NAMES), **extra)
        hits = [{"kind": kind, "text": value}] if kind else []
        out.append({"text": text, "hits": hits, "tag": tag})

    id_shapes = [(18,)] * 6 + [(6, 8, 4), (4, 4, 4, 4, 2), (6, 4, 4, 4)]
    for _ in range(per_kind):
        number = valid_id(rng)
        if rng.random() < 0.2:
            number = number[:-1] + number[-1].lower()
        put(rng.choice(ID_SENTENCES), _dress(rng, number, id_shapes), "id_card", "gen:id")
        put(rng.choice(ID_SENTENCES), near_miss_id(rng), None, "gen:id-near-miss")
    for _ in range(per_kind // 5):
        put(rng.choice(ID_SENTENCES), valid_old_id(rng), "id_card", "gen:id15")
    for _ in range(per_kind):
        value = _dress(rng, valid_mobile(rng), [(11,)] * 4 + [(3, 4, 4)])
        if rng.random() < 0.15:  # glued only to an unbroken number: "+86138 0013 8000" is no form
            glued = " " not in value and "-" not in value
            value = (
                rng.choice(["+86 ", "0086 ", "86-"] + (["+86", "0086"] if glued else [])) + value
            )
        put(rng.choice(MOBILE_SENTENCES), value, "mobile", "gen:mobile")
        put(rng.choice(MOBILE_SENTENCES), near_miss_mobile(rng), None, "gen:mobile-near-miss")
    for _ in range(per_kind):
        unionpay = rng.random() < 0.8
        card = valid_card(rng, unionpay)
        template = rng.choice(
            CARD_SENTENCES if unionpay else CARD_SENTENCES[:1] + CARD_SENTENCES[2:]
        )
        fours = (4,) * (len(card) // 4) + ((len(card) % 4,) if len(card) % 4 else ())
        value = _dress(rng, card, [(len(card),)] * 3 + [fours])
        put(template, value, "bank_card", "gen:card", word=rng.choice(CARD_WORDS))
        put(
            rng.choice(CARD_SENTENCES),
            near_miss_card(rng),
            None,
            "gen:card-near-miss",
            word=rng.choice(CARD_WORDS),
        )
        put(rng.choice(NEGATIVE_SENTENCES[1]), _order_number(rng), None, "gen:order")
    for _ in range(per_kind):
        put(rng.choice(EMAIL_SENTENCES), valid_email(rng), "email", "gen:email")
        put(rng.choice(EMAIL_SENTENCES), near_miss_email(rng), None, "gen:email-near-miss")
    return out


# --- the report ------------------------------------------------------------------------------


def _table(title: str, records: list[Record]) -> list[str]:
    lines = [
        f"\n{title}: {len(records)} lines",
        "kind        expected  found  tp  fp  fn  precision  recall",
    ]
    for kind, s in score(records).items():
        lines.append(
            f"{kind.value:<11} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.tp:>3} {s.fp:>3} {s.fn:>3}"
            f"  {s.precision:>9.4f}  {s.recall:.4f}"
        )
        lines += [f"    missed {m}" for m in s.misses[:5]]
        lines += [f"    false  {m}" for m in s.false[:5]]
    return lines


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def megabyte_pages(records: list[Record]) -> dict[str, str]:
    """Two 1,000,000-character pages: the fixtures' lines repeated, and plain Chinese prose."""
    mixed = "\n".join(r["text"] for r in records)
    prose = (
        "根据《中华人民共和国政府信息公开条例》第二十条规定，现将本机关2023年度工作情况公布如下。"
    )
    return {
        "fixture lines repeated (digit-heavy)": (mixed * (1_000_000 // len(mixed) + 1))[:1_000_000],
        "Chinese prose with dates and 文号": (prose * (1_000_000 // len(prose) + 1))[:1_000_000],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--generate", action="store_true", help="rewrite generated.jsonl")
    parser.add_argument("--no-speed", action="store_true", help="skip the 1 MB timing")
    args = parser.parse_args(argv)
    if args.generate:
        with GENERATED.open("w", encoding="utf-8") as f:
            for rec in generate():
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"wrote {GENERATED}")
        return 0
    hand, gen = load(HAND), load(GENERATED)
    out = _table("hand-written (labelled.jsonl)", hand)
    out += _table("generated (generated.jsonl)", gen)
    out += _table("both", hand + gen)
    out.append("\nhits on hard-negative lines (each should be 0):")
    for tag, hits in sorted(hard_negative_hits(hand + gen).items()):
        lines = sum(1 for r in hand + gen if r.get("tag") == tag)
        out.append(f"  {tag:<22} {lines:>4} lines  {len(hits)} hits {hits[:3] if hits else ''}")
    print("\n".join(out))
    if not args.no_speed:
        print("\nfind_hits on a 1,000,000-character page (median of 5):")
        for name, page in megabyte_pages(hand + gen).items():
            seconds = median_seconds(lambda page=page: find_hits(page))  # type: ignore[misc]
            print(f"  {name}: {seconds * 1000:.0f} ms, {len(find_hits(page))} hits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
