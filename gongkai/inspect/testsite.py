"""A generator of realistic local-government test sites, with the list of what is wrong on them.

`generate(dest, seed=…, pages=…, today=…)` writes a static site (区人民政府 portal: home page,
columns with paging, policy documents with metadata blocks, interpretations, news, notices,
attachments, footers) into `dest` and returns a `Manifest` naming every injected defect as
(type, path). The accuracy test serves the site on loopback, inspects it and compares the
findings with the manifest; the speed benchmark uses the same sites at 20,000 pages.

Everything is deterministic for a seed. The markup comes in template *families* (`FAMILIES`),
chosen by seed unless given, which differ in URL scheme, class names, list markup, metadata
layout, date formats, breadcrumb and footer, so a check tuned on one family is measured on the
others. Within a site, label variants and secondary layouts are mixed per document. Two more
families (`EXTRA_FAMILIES`: "xxgk", a 政府信息公开平台 with a portal; "oldtable", a GB2312
layout-table site) were written apart from the checks and are used only when named
(`family="xxgk"`); they plan the same site and inject the same defects with the same manifest
semantics, so only the markup differs.

What each finding's `url` is (the manifest's `path` joined to the site's base URL):

==========================  ====================================================================
type                        url
==========================  ====================================================================
broken_link                 the broken target (a page or an image), once however many link it
wrong_link                  the target the wrong link opens (`related` names the page holding it)
empty_column                the column's first list page
stale_column                the column's first list page (later pages of a column never count)
homepage_not_updated        the home page ("/")
missing_metadata            the document page
missing_interpretation      the document page
missing_validity_mark       the document page
privacy_leak                the page, or the attachment's URL when the number is in the file
missing_site_identifier     the home page ("/"); `note` names the identifier left out
repost_without_source       the article page
typo_or_wrong_term          the page
search_broken               the home page ("/")
new_media_stale             the account's URL (accounts are listed in `Manifest.new_media`)
==========================  ====================================================================

Findings the manifest lists as *tolerated* are right but not required (a search form whose
action is a 404 may also be reported as a broken link); they count neither as hits nor as
false positives.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import io
import json
import math
import posixpath
import random
import re
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any, ClassVar

FAMILIES = ("trs", "hanweb", "dede", "modern")  # chosen by seed (seed % 4)
EXTRA_FAMILIES = ("xxgk", "oldtable")  # only when asked for by name (family=…)
ALL_FAMILIES = FAMILIES + EXTRA_FAMILIES

#: Check types the generator injects (each appears across seeds; see the table above).
DEFECT_TYPES = (
    "broken_link",
    "wrong_link",
    "empty_column",
    "stale_column",
    "homepage_not_updated",
    "missing_metadata",
    "missing_interpretation",
    "missing_validity_mark",
    "privacy_leak",
    "missing_site_identifier",
    "repost_without_source",
    "typo_or_wrong_term",
    "search_broken",
    "new_media_stale",
)

IDENTIFIERS = ("党政机关网站标识", "网站标识码", "ICP备案编号", "公安机关备案号", "主办单位")

#: Days after which a column of the kind is stale (the generator keeps clear of the edges).
THRESHOLDS = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365}

TERMS_FILE = Path(__file__).with_name("data") / "terms.tsv"

# Used only when gongkai/inspect/data/terms.tsv does not exist; passed to the checks via
# InspectConfig.terms (Manifest.terms).
_FALLBACK_TERMS = (
    ("再接再励", "再接再厉"),
    ("布署", "部署"),
    ("一如继往", "一如既往"),
    ("按步就班", "按部就班"),
)


@dataclass(frozen=True)
class Defect:
    type: str
    path: str  # site-relative URL ("/xxgk/tzgg/index.html"); join to the base URL
    note: str = ""  # what was injected (the missing identifier, the fields left out …)
    related: str = ""  # a second URL where useful (the wrong link's target)


@dataclass
class Manifest:
    seed: int
    family: str
    today: dt.date
    pages: int  # HTML pages written
    attachments: int
    images: int
    defects: list[Defect] = field(default_factory=list)
    tolerated: list[Defect] = field(default_factory=list)
    terms: list[tuple[str, str]] = field(default_factory=list)  # wrong → right used
    new_media: list[tuple[str, str]] = field(default_factory=list)  # (name, path)
    columns: list[dict[str, Any]] = field(default_factory=list)  # name, kind, path, items
    traps: Counter[str] = field(default_factory=Counter)  # non-defects placed, by kind

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(d.type for d in self.defects)
        return {t: counts.get(t, 0) for t in DEFECT_TYPES}

    def expected(self, base_url: str) -> set[tuple[str, str]]:
        return {(d.type, join(base_url, d.path)) for d in self.defects}

    def tolerated_set(self, base_url: str) -> set[tuple[str, str]]:
        return {(d.type, join(base_url, d.path)) for d in self.tolerated}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["traps"] = dict(self.traps)
        data["totals"] = self.totals
        return data


def join(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


# --- words ---------------------------------------------------------------------------------

_PLACES = ("临江区", "青山区", "东湖区", "南屏县", "白石县", "清河区", "西岭县", "金川区")
_PROVINCE = (
    ("浙", "33", "330106", "0571"),
    ("苏", "32", "320102", "025"),
    ("粤", "44", "440103", "020"),
    ("鲁", "37", "370102", "0531"),
)
_DEPTS = (
    "发改局",
    "教育局",
    "科技局",
    "民政局",
    "司法局",
    "财政局",
    "人力社保局",
    "住建局",
    "交通运输局",
    "农业农村局",
    "商务局",
    "文广旅体局",
    "卫生健康局",
    "应急管理局",
    "市场监管局",
    "医疗保障局",
    "城管局",
    "统计局",
    "审计局",
    "退役军人事务局",
)
_TOWNS = ("城关街道", "东湖街道", "西溪镇", "南山镇", "北塘镇", "新桥街道", "清河街道", "白沙镇")
_TOPICS = (
    "安全生产",
    "优化营商环境",
    "垃圾分类",
    "乡村振兴",
    "防汛防台",
    "数字化改革",
    "政务公开",
    "耕地保护",
    "校园安全",
    "食品安全",
    "文明城市创建",
    "民生实事",
    "基层治理",
    "消防安全",
    "医保基金监管",
    "就业创业",
    "养老服务",
    "河湖长制",
    "森林防火",
    "招商引资",
    "科技创新",
    "老旧小区改造",
    "义务教育",
    "法治政府建设",
    "社会信用体系建设",
    "政务服务",
    "双随机一公开",
    "人才引进",
    "农村饮用水",
    "燃气安全",
    "物业管理",
    "停车管理",
    "粮食安全",
    "生态环境保护",
    "残疾人保障",
    "交通安全",
)
_NEWS = (
    "{who}召开{t}工作推进会",
    "{who}开展{t}专项行动",
    "{who}部署{t}重点工作",
    "{who}举办{t}业务培训班",
    "{who}扎实推进{t}工作",
    "{who}专题研究{t}工作",
    "{who}调研{t}工作情况",
    "{who}召开{t}座谈会",
    "{who}组织开展{t}宣传活动",
    "{who}全力做好{t}各项工作取得阶段性成效并获得上级部门充分肯定",
)
_NOTICE = (
    "关于{t}有关事项的通知",
    "关于开展{t}检查的通知",
    "{year}年{t}项目公示",
    "关于{t}工作情况的公告",
    "关于征求{t}意见建议的公告",
)
_NORM = (
    "{org}关于印发《{place}{t}管理办法》的通知",
    "{org}关于进一步加强{t}工作的意见",
    "{org}关于印发《{place}{t}实施细则》的通知",
    "{org}关于{t}的若干规定",
)
_OTHER_DOCS = (
    "{place}{year}年{t}工作总结",
    "{place}{year}年{t}工作情况报告",
    "{place}{t}专题会议纪要（{year}年第{n}期）",
)
_PERSONNEL = (
    "关于{name}等同志职务任免的通知",
    "{dept}{year}年公开招聘工作人员拟聘用人员公示",
    "关于{name}同志任职的通知",
)
_PLAN = ("{place}{t}五年规划", "{place}{year}年{t}工作计划", "{dept}{year}年{t}工作要点")
_SPECIAL = ("{t}专题", "{year}年{t}宣传周", "{t}知识问答")
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超秀霞平刚桂英华"
_SENTENCES = (
    "会议强调，要坚持以人民为中心的发展思想，把{t}工作摆在更加突出的位置。",
    "各相关单位要进一步提高思想认识，压实工作责任，确保{t}各项任务落到实处。",
    "{year}年以来，全区上下认真贯彻落实上级决策部署，{t}工作取得明显成效。",
    "下一步，将聚焦重点领域和关键环节，持续深化{t}，不断提升群众获得感。",
    "要健全工作机制，加强部门协同，形成推进{t}的强大合力。",
    "截至{year}年{m}月底，已累计完成{t}相关项目{k}个，总投资{money}万元。",
    "有关问题可拨打12345政务服务便民热线咨询，或致电0571-12345678。",
    "各街道（镇）要对照任务清单，于{year}年{m}月{d}日前报送工作进展情况。",
    "对工作中发现的问题，要建立台账，明确整改时限，做到即知即改。",
    "本次活动共发放宣传资料{k}余份，接受群众咨询{k}人次。",
    "要加强宣传引导，营造全社会共同关心支持{t}的良好氛围。",
)


class _Words:
    def __init__(self, rng: random.Random, place: str) -> None:
        self.rng = rng
        self.place = place
        self.seen: set[str] = set()

    def unique(self, title: str) -> str:
        n = 2
        base = title
        while title in self.seen:
            title = f"{base}（{_cn_number(n)}）"
            n += 1
        self.seen.add(title)
        return title

    def name(self) -> str:
        rng = self.rng
        return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))

    def fill(self, pattern: str, year: int) -> str:
        rng = self.rng
        who = rng.choice((self.place, self.place + rng.choice(_DEPTS), rng.choice(_TOWNS)))
        return pattern.format(
            who=who,
            t=rng.choice(_TOPICS),
            year=year,
            org=self.place + rng.choice(("人民政府", "人民政府办公室")),
            place=self.place,
            name=self.name(),
            dept=self.place + rng.choice(_DEPTS),
            n=rng.randint(1, 12),
        )

    def paragraphs(self, count: int, year: int) -> list[str]:
        rng = self.rng
        out = []
        for _ in range(count):
            parts = [
                s.format(
                    t=rng.choice(_TOPICS),
                    year=year,
                    m=rng.randint(1, 12),
                    d=rng.randint(1, 28),
                    k=rng.randint(3, 900),
                    money=f"{rng.randint(100, 99999)}.{rng.randint(10, 99)}",
                )
                for s in rng.sample(_SENTENCES, 3)
            ]
            out.append("".join(parts))
        return out


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else str(n)


# --- personal data -------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, region: str) -> str:
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randint(0, 45 * 365))
    first = f"{region}{born:%Y%m%d}{rng.randint(10, 999):03d}"
    total = sum(int(d) * w for d, w in zip(first, _ID_WEIGHTS, strict=True))
    return first + "10X98765432"[total % 11]


def mobile_number(rng: random.Random) -> str:
    return (
        "1"
        + rng.choice(("38", "39", "50", "58", "86", "87", "35", "77"))
        + (f"{rng.randint(0, 99999999):08d}")
    )


def bank_card(rng: random.Random) -> str:
    body = "622848" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _mask_id(number: str) -> str:
    return number[:6] + "********" + number[-4:]


def _mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:]


# --- files ---------------------------------------------------------------------------------


def png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


_FIXED_TIME = dt.datetime(2026, 1, 1, 8, 0, 0, tzinfo=dt.UTC)


_W3C_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed member times, so a seed always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                member = _W3C_TIME.sub(b"2026-01-01T08:00:00Z", member)
            dst.writestr(fixed, member)
    return out.getvalue()


def make_docx(title: str, rows: list[list[str]], paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = _FIXED_TIME
    document.core_properties.modified = _FIXED_TIME
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def make_xlsx(title: str, rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def make_pdf(lines: list[str]) -> bytes:
    """A PDF of ASCII lines (no CJK font is assumed to be installed)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(_FIXED_TIME)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- the model -----------------------------------------------------------------------------


@dataclass
class _Column:
    key: str
    name: str
    kind: str  # news / notice / policy / personnel / plan / interp / other / empty
    section: str  # the parent's name in the breadcrumb
    section_key: str
    normative: bool = False
    items: list[_Item] = field(default_factory=list)
    newest_age: int = 0
    paths: list[str] = field(default_factory=list)  # list pages, first is the column's URL
    pinned_old: bool = False


@dataclass
class _Item:
    id: int
    column: _Column
    title: str
    date: dt.date
    path: str = ""
    meta: dict[str, str] | None = None  # canonical field → value shown
    meta_layout: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    interp: _Item | None = None  # for documents: their interpretation
    doc: _Item | None = None  # for interpretations: their document
    link_doc_to_interp: bool = True
    link_interp_to_doc: bool = True
    validity_mark: str = ""  # what the body shows prominently
    body_extra: list[str] = field(default_factory=list)  # HTML paragraphs added
    related_override: tuple[str, str] | None = None  # (text, href) wrong link
    broken_links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    broken_img: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    source: str = ""
    repost: bool = False
    image: str = ""


_LABELS = {
    "index_number": ("索引号", "信息索引号", "索 引 号"),
    "topic": ("主题分类", "主题分类", "信息分类"),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布机关"),
    "written_date": ("成文日期", "发文日期", "印发日期"),
    "publish_date": ("发布日期", "公开日期", "发布时间"),
    "doc_number": ("文号", "发文字号", "文 号"),
    "validity": ("有效性", "生效状态", "时效", "效力状态"),
}
_FIELD_ORDER = (
    "index_number",
    "topic",
    "publisher",
    "written_date",
    "doc_number",
    "publish_date",
    "validity",
)
REQUIRED_FIELDS = ("index_number", "publisher", "written_date", "publish_date", "validity")
_VALID = ("有效", "现行有效", "有效")
_REPEALED = ("已废止", "废止", "已失效", "失效")


@dataclass(frozen=True)
class _Family:
    name: str
    list_markup: str  # ul / table / div / modern
    meta_layouts: tuple[str, ...]  # first is the main one
    list_date: str  # format name
    home_date: str
    article_date: str
    crumb_label: str
    crumb_sep: str
    footer: str
    copyright_no_repost: bool
    personnel_meta: bool  # 人事 pages carry a metadata block (信息公开目录 style)
    pinned_old: bool = False  # the notices column has an old item pinned (置顶) on top


_FAMILY = {
    "trs": _Family(
        "trs",
        "ul",
        ("th_td", "td_td"),
        "iso",
        "iso",
        "iso_time",
        "当前位置：",
        " &gt; ",
        "lines",
        False,
        True,
    ),
    "hanweb": _Family(
        "hanweb",
        "table",
        ("td_td", "spans"),
        "bracket_iso",
        "md",
        "cn",
        "您现在的位置：",
        " » ",
        "table",
        True,
        True,
    ),
    "dede": _Family(
        "dede",
        "div",
        ("dl", "th_td"),
        "slash",
        "slash",
        "cn_pad",
        "您的位置：",
        " > ",
        "blocks",
        False,
        False,
    ),
    "modern": _Family(
        "modern",
        "modern",
        ("spans", "dl", "p"),
        "cn_pad",
        "iso",
        "iso",
        "当前位置：",
        " / ",
        "flex",
        False,
        False,
    ),
    # rendered by their own classes (_XxgkSite, _TableSite); the fields used by the planning
    # are meta_layouts, personnel_meta, copyright_no_repost and pinned_old
    "xxgk": _Family(
        "xxgk",
        "xxgk",
        ("xxgk_div", "ul_spans", "suoyin4"),
        "iso",
        "md",
        "cn_pad",
        "当前位置：",
        " › ",
        "xxgk",
        False,
        True,
    ),
    "oldtable": _Family(
        "oldtable",
        "oldtable",
        ("suoyin4", "td2", "inline"),
        "ymd",
        "md",
        "ymd",
        "所在位置：",
        " → ",
        "oldtable",
        True,
        False,
        pinned_old=True,
    ),
}


def fmt_date(day: dt.date, style: str, today: dt.date | None = None) -> str:
    if style == "iso":
        return day.isoformat()
    if style == "iso_time":
        return f"{day.isoformat()} {9 + day.day % 8:02d}:{day.day * 2 % 60:02d}"
    if style == "bracket_iso":
        return f"[{day.isoformat()}]"
    if style == "slash":
        return f"{day:%Y/%m/%d}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "cn_pad":
        return f"{day:%Y}年{day:%m}月{day:%d}日"
    if style == "md":
        # [03-02]: only for dates within the last ten months, so the year is unambiguous
        if today is not None and (today - day).days < 300:
            return f"[{day:%m-%d}]"
        return f"[{day.isoformat()}]"
    raise ValueError(style)


# --- the generator -------------------------------------------------------------------------


class _Site:
    # Wording a family may vary (the rng draws the same number of choices whatever the text).
    label_table: ClassVar[dict[str, tuple[str, ...]]] = _LABELS
    interp_patterns: ClassVar[tuple[str, ...]] = (
        "《{d}》政策解读",
        "一图读懂《{d}》",
        "关于《{d}》的解读",
    )
    column_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "yw": ("政务要闻", "要闻动态", "今日要闻"),
        "gzdt": ("工作动态", "部门动态"),
        "xzdt": ("乡镇动态", "镇街动态"),
        "tzgg": ("通知公告", "公示公告"),
        "gfxwj": ("规范性文件", "行政规范性文件"),
        "rsxx": ("人事信息", "人事任免"),
        "ghjh": ("规划计划", "发展规划"),
        "ztzl": ("专题专栏", "历史专题"),
    }
    fixed_names: ClassVar[dict[str, str]] = {"qtwj": "其他文件", "zcjd": "政策解读"}
    dead_search = "/jsearchfront/search.do"  # the search form's action when its results 404

    def __init__(
        self, dest: Path, seed: int, pages: int, today: dt.date, defects: bool, family: str
    ) -> None:
        self.dest = dest
        self.seed = seed
        self.today = today
        self.target_pages = max(pages, 60)
        self.defects_on = defects
        self.fam = _FAMILY[family]
        self.rng = random.Random(seed * 7919 + 17)  # noqa: S311  # repeatable test data
        rng = self.rng
        self.place = rng.choice(_PLACES)
        self.site_name = f"{self.place}人民政府"
        self.province = rng.choice(_PROVINCE)
        self.words = _Words(rng, self.place)
        self.manifest = Manifest(seed, family, today, 0, 0, 0)
        self.items: list[_Item] = []
        self.columns: list[_Column] = []
        self.next_id = 1000 + rng.randint(0, 500)
        self.per_page = rng.choice((15, 20))
        self.cls = rng.choice(("list", "news_list", "lb", "infolist"))
        self.written: set[str] = set()
        # Site-level choices, by seed, so that a handful of seeds covers them all.
        self.home_stale = defects and seed % 4 == 1
        self.search_mode = ("ok", "ok", "missing", "dead")[seed % 4] if defects else "ok"
        self.dropped_identifier = IDENTIFIERS[seed % 5] if defects and seed % 3 != 0 else ""
        self.terms = self._terms()
        self._attachment_cache: dict[str, bytes] = {}
        self._leaky_files: dict[str, str] = {}
        self._header = ""
        self._footer = ""

    # -- helpers ---------------------------------------------------------------------------

    def defect(self, type_: str, path: str, note: str = "", related: str = "") -> None:
        self.manifest.defects.append(Defect(type_, path, note, related))

    def _terms(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if TERMS_FILE.exists():
            for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.startswith("#") or "\t" not in line:
                    continue
                wrong, right = (p.strip() for p in line.split("\t")[:2])
                if wrong and right and wrong not in right and len(wrong) >= 2:
                    pairs.append((wrong, right))
        if not pairs:
            pairs = list(_FALLBACK_TERMS)
        return pairs

    def new_id(self) -> int:
        self.next_id += self.rng.randint(1, 9)
        return self.next_id

    # -- URLs ------------------------------------------------------------------------------

    def column_path(self, col: _Column, page: int) -> str:
        f = self.fam.name
        if f == "trs":
            base = f"/{col.section_key}/{col.key}/"
            return base + ("index.html" if page == 0 else f"index_{page}.html")
        if f == "hanweb":
            cid = 1200 + self.columns.index(col) * 7
            return f"/col/col{cid}/index.html" if page == 0 else f"/col/col{cid}/index_{page}.html"
        if f == "dede":
            cid = 3 + self.columns.index(col)
            return f"/a/{col.key}/" if page == 0 else f"/a/{col.key}/list_{cid}_{page + 1}.html"
        base = f"/{col.section_key}/{col.key}/"
        return base if page == 0 else f"{base}page/{page + 1}/"

    def item_path(self, item: _Item) -> str:
        f, d, col = self.fam.name, item.date, item.column
        if f == "trs":
            return f"/{col.section_key}/{col.key}/{d:%Y%m}/t{d:%Y%m%d}_{item.id}.html"
        if f == "hanweb":
            cid = 1200 + self.columns.index(col) * 7
            return f"/art/{d.year}/{d.month}/{d.day}/art_{cid}_{item.id}.html"
        if f == "dede":
            return f"/a/{col.key}/{d:%Y%m%d}/{item.id}.html"
        return f"/content/{d:%Y}/{d:%m}/{item.id}.html"

    def file_path(self, item: _Item, n: int, ext: str) -> str:
        folder = item.path.rsplit("/", 1)[0]
        return f"{folder}/P0{item.date:%Y%m%d}{item.id}{n}.{ext}"

    def write(self, path: str, data: bytes | str) -> None:
        rel = path.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        target = self.dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.written.add(path)

    # -- plan ------------------------------------------------------------------------------

    def plan_columns(self) -> None:
        rng = self.rng
        c = self.columns
        news_sec, gk_sec, pol_sec = ("新闻中心", "xwzx"), ("政务公开", "zwgk"), ("政策文件", "zcwj")
        names, fixed = self.column_names, self.fixed_names
        c.append(_Column("yw", rng.choice(names["yw"]), "news", *news_sec))
        c.append(_Column("gzdt", rng.choice(names["gzdt"]), "news", *news_sec))
        c.append(_Column("xzdt", rng.choice(names["xzdt"]), "news", *news_sec))
        c.append(_Column("tzgg", rng.choice(names["tzgg"]), "notice", *gk_sec))
        c.append(_Column("gfxwj", rng.choice(names["gfxwj"]), "policy", *pol_sec, normative=True))
        c.append(_Column("qtwj", fixed["qtwj"], "policy", *pol_sec))
        c.append(_Column("zcjd", fixed["zcjd"], "interp", *gk_sec))
        c.append(_Column("rsxx", rng.choice(names["rsxx"]), "personnel", *gk_sec))
        c.append(_Column("ghjh", rng.choice(names["ghjh"]), "plan", *gk_sec))
        c.append(_Column("ztzl", rng.choice(names["ztzl"]), "other", *news_sec))
        if self.defects_on:
            empties = rng.sample(
                [("czyjs", "财政预决算"), ("jytabl", "建议提案办理"), ("sjxx", "审计信息"),
                 ("yjgl", "应急管理"), ("tjxx", "统计信息")],
                rng.choice((1, 2)),
            )  # fmt: skip
            for key, name in empties:
                c.append(_Column(key, name, "empty", *gk_sec))

    def plan_ages(self) -> None:
        """The newest item's age per column: stale ones clearly past their threshold, fresh
        ones inside it (some close to the edge, to catch checks that misjudge it)."""
        rng = self.rng
        kinded = [c for c in self.columns if c.kind in THRESHOLDS]
        stale: set[str] = set()
        if self.defects_on:
            stale = {c.key for c in rng.sample(kinded, rng.choice((1, 2, 2)))}
        for col in self.columns:
            kind = col.kind
            if kind in ("interp",):
                col.newest_age = rng.randint(0, 40)
            elif kind == "other":
                col.newest_age = rng.randint(500, 900)  # no threshold for it: never stale
            elif col.key in stale:
                col.newest_age = {
                    "news": rng.randint(25, 60),
                    "notice": rng.randint(230, 330),
                    "policy": rng.randint(230, 330),
                    "personnel": rng.randint(430, 600),
                    "plan": rng.randint(430, 600),
                }[kind]
            elif kind == "news":
                col.newest_age = rng.choice((0, 1, 2, 3, 5, 10, 11))
            elif kind in ("notice", "policy"):
                col.newest_age = rng.choice((1, 7, 30, 60, 140, 155))
            elif kind in ("personnel", "plan"):
                col.newest_age = rng.choice((10, 60, 200, 300, 320))
        if self.home_stale:
            for col in self.columns:
                if col.kind in THRESHOLDS or col.kind == "interp":
                    col.newest_age = max(col.newest_age, rng.randint(20, 40))
        else:
            self.columns[0].newest_age = rng.randint(0, 2)  # 要闻 on the home page
        for col in self.columns:
            if col.kind == "news" and col.newest_age > THRESHOLDS["news"]:
                stale.add(col.key)
        self.stale_keys = stale
        if self.fam.name == "dede" or self.fam.pinned_old:
            notice = next(c for c in self.columns if c.kind == "notice")
            notice.pinned_old = True  # an old item pinned (置顶) on top: the newest is below

    def plan_items(self) -> None:
        rng = self.rng
        weights = {
            "news": 0.15,
            "notice": 0.1,
            "policy": 0.07,
            "personnel": 0.05,
            "plan": 0.04,
            "other": 0.03,
        }
        content_cols = [c for c in self.columns if c.kind in weights]
        fixed = 8 + len(self.columns)  # home, search, section pages, error-free extras
        budget = max(self.target_pages - fixed, 40)
        # documents bring an interpretation each: count them twice
        total_w = sum(weights[c.kind] * (2 if c.kind == "policy" else 1) for c in content_cols)
        per = self.per_page
        usable = budget * per / (per + 1)
        for col in content_cols:
            n = max(4, int(usable * weights[col.kind] / total_w))
            span = max(60, min(1500, n * 3))
            for i in range(n):
                age = col.newest_age + (0 if i == 0 else rng.randint(0, span) + i % 3)
                day = self.today - dt.timedelta(days=age)
                item = _Item(self.new_id(), col, self._title(col, day), day)
                col.items.append(item)
            col.items.sort(key=lambda it: (it.date, it.id), reverse=True)
            if col.pinned_old and len(col.items) > 3:
                old = col.items.pop()
                col.items.insert(0, old)
        interp = next(c for c in self.columns if c.kind == "interp")
        for col in self.columns:
            if col.kind != "policy":
                continue
            for doc in col.items:
                lag = rng.randint(0, 3)
                day = min(doc.date + dt.timedelta(days=lag), self.today)
                name = _short_name(doc.title)
                pattern = rng.choice(self.interp_patterns)
                it = _Item(self.new_id(), interp, self.words.unique(pattern.format(d=name)), day)
                it.doc, doc.interp = doc, it
                interp.items.append(it)
        interp.items.sort(key=lambda it: (it.date, it.id), reverse=True)
        if interp.items:
            interp.newest_age = (self.today - interp.items[0].date).days
        for col in self.columns:
            for item in col.items:
                item.path = self.item_path(item)
                self.items.append(item)
            pages = max(1, math.ceil(len(col.items) / per))
            col.paths = [self.column_path(col, p) for p in range(pages)]

    def _title(self, col: _Column, day: dt.date) -> str:
        pattern = {
            "news": _NEWS,
            "notice": _NOTICE,
            "personnel": _PERSONNEL,
            "plan": _PLAN,
            "other": _SPECIAL,
        }.get(col.kind)
        if col.kind == "policy":
            pattern = _NORM if col.normative else _OTHER_DOCS
        assert pattern is not None
        year = day.year - (1 if col.key == "qtwj" else 0)
        return self.words.unique(self.words.fill(self.rng.choice(pattern), year))

    def plan_documents(self) -> None:
        """Metadata blocks, interpretations and validity for the policy documents."""
        rng = self.rng
        fam = self.fam
        table = self.label_table
        base_labels = {k: rng.choice(v) for k, v in table.items()}
        docs = [it for it in self.items if it.column.kind == "policy"]
        people = [it for it in self.items if it.column.kind == "personnel"]
        holders = docs + (people if fam.personnel_meta else [])
        for n, item in enumerate(holders):
            labels = dict(base_labels)
            if rng.random() < 0.3:
                labels = {k: rng.choice(v) for k, v in table.items()}
            item.labels = labels
            layouts = fam.meta_layouts
            item.meta_layout = layouts[0] if rng.random() < 0.75 else rng.choice(layouts[1:])
            pub = self.place + rng.choice(("人民政府", "人民政府办公室", "司法局", "财政局"))
            written = item.date - dt.timedelta(days=rng.randint(0, 9))
            short = self.place[0]
            date_style = rng.choice(("iso", "cn_pad"))
            meta = {
                "index_number": self._index_number(item),
                "topic": rng.choice(("综合政务", "城乡建设", "卫生健康", "财政金融", "民政")),
                "publisher": pub,
                "written_date": fmt_date(written, date_style),
                "publish_date": fmt_date(item.date, date_style),
                "validity": rng.choice(_VALID),
            }
            if item.column.normative:
                kind = rng.choice(("政规", "政办规", "政发"))
                meta["doc_number"] = f"{short}{kind}〔{written.year}〕{rng.randint(1, 40)}号"
            elif item.column.kind == "personnel":
                meta["doc_number"] = f"{short}政干〔{written.year}〕{rng.randint(1, 40)}号"
            elif n % 2 == 0:
                meta["doc_number"] = "无"  # not applicable: shown as 无
                self.manifest.traps["doc_number_na_shown"] += 1
            else:
                self.manifest.traps["doc_number_na_absent"] += 1
            item.meta = meta
            if item.column.kind == "personnel":
                self.manifest.traps["personnel_metadata_no_interpretation"] += 1
        if not self.defects_on:
            return
        # missing_metadata: one or two required fields left out (or left empty)
        picks = rng.sample(holders, max(2, len(holders) // 9))
        for item in picks:
            assert item.meta is not None
            required = list(REQUIRED_FIELDS)
            if item.column.normative:
                required.append("doc_number")
            gone = rng.sample(required, rng.choice((1, 1, 2)))
            for name in gone:
                if rng.random() < 0.25:
                    item.meta[name] = ""  # the label is there, the value is not
                else:
                    del item.meta[name]
            self.defect("missing_metadata", item.path, "、".join(_LABELS[g][0] for g in gone))
        # validity: repealed and marked (fine), repealed unmarked, marked but 有效 in metadata
        pool = [d for d in docs if d not in picks]
        rng.shuffle(pool)
        marked, unmarked, contradicted = pool[:3], pool[3:5], pool[5:6]
        for item in marked:
            assert item.meta is not None
            item.meta["validity"] = rng.choice(_REPEALED)
            item.validity_mark = item.meta["validity"].lstrip("已")
            self.manifest.traps["repealed_marked"] += 1
        for item in unmarked:
            assert item.meta is not None
            item.meta["validity"] = rng.choice(_REPEALED)
            self.defect("missing_validity_mark", item.path, "元数据已废止/失效，正文未标注")
        for item in contradicted:
            assert item.meta is not None
            item.meta["validity"] = "有效"
            item.validity_mark = "废止"
            self.defect("missing_validity_mark", item.path, "正文标注已废止，元数据为有效")
        # interpretations: both ways, one way, or none at all (the defect)
        no_interp = rng.sample(docs, max(2, len(docs) // 10))
        for doc in docs:
            interp = doc.interp
            assert interp is not None
            r = rng.random()
            doc.link_doc_to_interp = r < 0.8
            interp.link_interp_to_doc = r >= 0.6
        interp_col = next(c for c in self.columns if c.kind == "interp")
        for doc in no_interp:
            interp = doc.interp
            assert interp is not None
            interp_col.items.remove(interp)
            self.items.remove(interp)
            doc.interp = None
            self.defect("missing_interpretation", doc.path)

    def _index_number(self, item: _Item) -> str:
        rng = self.rng
        style = rng.randint(0, 2)
        seq = f"{item.date.year}-{rng.randint(1, 99999):05d}"
        if style == 0:
            return f"00{rng.randint(1000000, 9999999)}/{seq}"
        if style == 1:
            code = f"11{self.province[2]}MB{rng.randint(1000000, 9999999)}{rng.choice('XY0123')}"
            return f"{code}/{seq}"  # an 18-character 统一社会信用代码: not an ID number
        return f"{self.place[0]}{item.column.key.upper()}-{seq}"

    def plan_defects(self) -> None:
        rng = self.rng
        articles = [
            it
            for it in self.items
            if it.column.kind in ("news", "notice", "personnel", "plan", "other")
        ]
        news = [it for it in self.items if it.column.kind == "news"]
        notices = [it for it in self.items if it.column.kind == "notice"]
        docs = [it for it in self.items if it.column.kind == "policy"]
        for it in news:
            r = rng.random()
            if r < 0.55:
                it.source = rng.choice(
                    ("本站", self.site_name + "办公室", self.place + "融媒体中心")
                )
            elif r < 0.65:
                it.repost, it.source = True, rng.choice(("新华社", "人民网", "浙江日报"))
                self.manifest.traps["repost_with_source"] += 1
        # images: working ones on some news pages
        for it in rng.sample(news, min(len(news), max(2, len(news) // 6))):
            it.image = f"/images/upload/{it.date:%Y%m}/img_{it.id}.png"
        # privacy non-defects on some notices: masked numbers (公示 with redaction)
        for it in rng.sample(notices, min(len(notices), 2)):
            idn = id_number(rng, self.province[2])
            it.body_extra.append(
                f"<p>公示对象：{self.words.name()}，身份证号：{_mask_id(idn)}，联系电话："
                f"{_mask_mobile(mobile_number(rng))}。</p>"
            )
            self.manifest.traps["masked_personal_data"] += 1
        # trap: a document repealing an older one in its body, while itself in force
        for it in rng.sample(docs, min(len(docs), 2)):
            if it.validity_mark or (it.meta and it.meta.get("validity", "有效") not in _VALID):
                continue
            it.body_extra.append(
                f"<p>本办法自印发之日起施行，原《{self.place}有关管理暂行办法》"
                f"（{self.place[0]}政发〔2019〕8号）同时废止。</p>"
            )
            self.manifest.traps["repeals_other_in_body"] += 1
        # attachments on documents and notices (clean ones)
        holders = rng.sample(docs + notices, min(len(docs + notices), max(3, len(docs) // 3)))
        kinds = ("pdf", "docx", "xlsx", "txt")
        for n, it in enumerate(holders):
            ext = kinds[n % 4]
            path = self.file_path(it, 1, ext)
            it.attachments.append((f"附件1：{_short_name(it.title)[:14]}相关材料.{ext}", path))
        if not self.defects_on:
            return
        used: set[int] = set()

        def take(pool: list[_Item], k: int) -> list[_Item]:
            free = [it for it in pool if it.id not in used]
            out = rng.sample(free, min(k, len(free)))
            used.update(it.id for it in out)
            return out

        # repost_without_source
        for it in take([n for n in news if not n.source], 2):
            it.repost = True
            self.defect("repost_without_source", it.path)
        # privacy_leak in pages: 公示 with full numbers
        leaks = take(notices, 2) + take(news, 1)
        for n, it in enumerate(leaks):
            which = n % 3
            if which == 0:
                value = id_number(rng, self.province[2])
                text = f"身份证号：{value}"
            elif which == 1:
                text = f"联系人：{self.words.name()}，手机：{mobile_number(rng)}"
            else:
                text = f"收款银行卡号：{bank_card(rng)}"
            it.body_extra.append(self.leak_html(self.words.name(), text))
            self.defect("privacy_leak", it.path, "page")
        # privacy_leak in attachments (the page itself is clean)
        carriers = take(docs + notices, 3)
        for n, it in enumerate(carriers):
            ext = ("docx", "xlsx", "pdf", "txt")[(n + self.seed) % 4]
            path = self.file_path(it, 2, ext)
            it.attachments.append((f"附件2：拟享受补助人员名单.{ext}", path))
            self.defect("privacy_leak", path, f"attachment:{ext}")
            self._leaky_files[path] = ext
        # broken links: 2–3 missing pages, each linked from 1..3 pages, and one missing image
        for k in range(rng.choice((2, 3))):
            ghost_day = self.today - dt.timedelta(days=rng.randint(30, 400))
            col = rng.choice([c for c in self.columns if c.kind in ("news", "notice")])
            ghost = _Item(9_900_000 + k, col, "", ghost_day)
            target = self.item_path(ghost)
            text = self.words.fill(rng.choice(_NEWS), ghost_day.year)
            for it in take(articles, rng.randint(1, 3)):
                it.broken_links.append((text, target))
            self.defect("broken_link", target)
        for it in take(news, 1):
            it.broken_img = f"/images/upload/{it.date:%Y%m}/pic_{it.id}_missing.jpg"
            self.defect("broken_link", it.broken_img, "img")
        # wrong_link: a related-reading link named after one item, pointing at another
        for it in take(articles, 2):
            for _ in range(50):
                a, b = rng.sample(self.items, 2)
                if a.column.kind in ("interp",) or b is it or a is it or b.id in used:
                    continue
                if _overlap(a.title, b.title) < 0.35:
                    break
            used.add(b.id)
            it.related_override = (a.title, b.path)
            self.defect("wrong_link", b.path, a.title, it.path)
        # typo_or_wrong_term
        for n, it in enumerate(take(articles, 2)):
            wrong, right = self.terms[(self.seed + n) % len(self.terms)]
            it.body_extra.append(f"<p>会议要求，各部门要以“{wrong}”为要求，确保工作落到实处。</p>")
            self.defect("typo_or_wrong_term", it.path, f"{wrong}→{right}")
        # correct forms elsewhere: never a finding
        for n, it in enumerate(take(articles, 3)):
            _, right = self.terms[(self.seed + n + 1) % len(self.terms)]
            it.body_extra.append(f"<p>会议要求，各部门要以“{right}”为要求，确保工作落到实处。</p>")
            self.manifest.traps["correct_term"] += 1

    # -- rendering -------------------------------------------------------------------------

    def leak_html(self, name: str, text: str) -> str:
        """A paragraph of a 公示 naming a person with a full (unmasked) number in `text`."""
        return f"<p>公示对象：{name}，{text}。</p>"

    def section_path(self, key: str) -> str:
        return f"/{key}/"

    def nav(self) -> str:
        f = self.fam.name
        links = [("/", "首页")] + [
            (c.paths[0], c.name) for c in self.columns if c.kind not in ("empty",)
        ]
        links += [(c.paths[0], c.name) for c in self.columns if c.kind == "empty"]
        if f == "modern":
            inner = "".join(
                f'<li class="site-nav__item"><a class="site-nav__link" href="{h}">{t}</a></li>'
                for h, t in links
            )
            return f'<nav class="site-nav"><ul class="site-nav__list">{inner}</ul></nav>'
        if f == "hanweb":
            cells = "".join(f'<td><a href="{h}" target="_self">{t}</a></td>' for h, t in links)
            return f'<table class="daohang" width="100%"><tr>{cells}</tr></table>'
        inner = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links)
        cls = "nav" if f == "trs" else "menu"
        return f'<div class="{cls}"><ul>{inner}</ul></div>'

    def search_form(self) -> str:
        if self.search_mode == "missing":
            return ""
        action = "/search/" if self.search_mode == "ok" else self.dead_search
        f = self.fam.name
        field_name = {"trs": "searchword", "hanweb": "q", "dede": "keyword", "modern": "q"}[f]
        return (
            f'<form class="search" action="{action}" method="get" target="_blank">'
            f'<input type="text" name="{field_name}" placeholder="请输入关键词">'
            '<input type="submit" value="搜索"></form>'
        )

    def header(self) -> str:
        return (
            f'<div class="top"><div class="logo"><a href="/"><img src="/images/logo.png" '
            f'alt="{self.site_name}"></a></div>{self.search_form()}</div>{self.nav()}'
        )

    def footer(self) -> str:
        fam = self.fam
        prov, _, region, area = self.province
        drop = self.dropped_identifier
        code = f"{region[:4]}{self.seed % 1000:03d}001"[:10]
        police = f"{region}02{self.seed % 100000:06d}"
        icp = f"{prov}ICP备{10000000 + self.seed * 37 % 89999999}号-1"
        parts: dict[str, str] = {
            "党政机关网站标识": (
                '<a href="http://bszs.conac.cn/sitename?method=show&amp;id=0A1B2C" '
                'target="_blank"><img src="/images/dzjg.png" alt="党政机关"></a>'
            ),
            "主办单位": f"主办单位：{self.site_name}办公室",
            "网站标识码": f"网站标识码：{code}",
            "ICP备案编号": f'<a href="https://beian.miit.gov.cn/" target="_blank">{icp}</a>',
            "公安机关备案号": (
                f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={police}" '
                f'target="_blank"><img src="/images/ga.png" alt="">{prov}公网安备 {police}号</a>'
            ),
        }
        if fam.name == "dede":
            parts["党政机关网站标识"] = (
                '<span id="_ideConac"><img src="/images/red.png" alt="党政机关网站标识"></span>'
            )
        contact = f"联系电话：{area}-87{self.seed % 1000:03d}{self.seed % 89 + 10:02d}7"
        extra = [contact, "地址：" + self.place + "人民路1号", f"邮编：{region}"]
        keep = [v for k, v in parts.items() if k != drop]
        copyright_line = f"版权所有：{self.site_name}"
        if fam.copyright_no_repost:
            copyright_line += "　未经授权禁止转载"
        if fam.footer == "lines":
            lines = [copyright_line, *keep[1:], contact]
            body = "".join(f"<p>{x}</p>" for x in lines) + keep[0]
            return f'<div class="footer">{body}</div>'
        if fam.footer == "table":
            cells = "<br>".join([copyright_line, *keep[1:], *extra])
            badge = keep[0] if drop != "党政机关网站标识" else ""
            if drop == "党政机关网站标识":
                cells = "<br>".join([copyright_line, *keep, *extra])
            return (
                f'<table class="bottom" width="100%"><tr><td width="120">{badge}</td>'
                f"<td>{cells}</td></tr></table>"
            )
        if fam.footer == "blocks":
            spans = "".join(f'<span class="ft-item">{x}</span>' for x in keep + extra)
            links = '<div class="ft-links"><a href="/">网站地图</a></div>'
            return f'<div id="footer">{links}{spans}</div>'
        items = "".join(f'<li class="site-footer__item">{x}</li>' for x in keep + extra)
        return (
            f'<footer class="site-footer"><ul class="site-footer__list">{items}</ul>'
            f'<p class="site-footer__copy">{copyright_line}</p></footer>'
        )

    def page(self, title: str, body: str, crumbs: list[tuple[str, str]]) -> str:
        crumb = ""
        if crumbs:
            sep = self.fam.crumb_sep
            links = sep.join(
                f'<a href="{h}">{escape(t)}</a>' if h else escape(t) for h, t in crumbs
            )
            cls = {"trs": "position", "hanweb": "dqwz", "dede": "place", "modern": "breadcrumb"}
            crumb = f'<div class="{cls[self.fam.name]}">{self.fam.crumb_label}{links}</div>'
        return (
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            '<link rel="stylesheet" href="/css/style.css"></head><body>'
            f'{self._header}<div class="main">{crumb}{body}</div>{self._footer}'
            '<script src="/js/common.js"></script></body></html>'
        )

    def render_list(self, items: list[_Item], style: str, cls: str = "") -> str:
        f = self.fam.list_markup
        cls = cls or self.cls
        rows = []
        for it in items:
            text = it.title if len(it.title) <= 30 else it.title[:28] + "..."
            if len(it.title) > 30:
                self.manifest.traps["truncated_title"] += 1
            date = fmt_date(it.date, style, self.today)
            a = f'<a href="{it.path}" title="{escape(it.title)}" target="_blank">{escape(text)}</a>'
            if f == "table":
                rows.append(f'<tr><td class="bt">{a}</td><td class="bt_time">{date}</td></tr>')
            elif f == "div":
                rows.append(f'<div class="item">{a}<em>{date}</em></div>')
            elif f == "modern":
                rows.append(
                    f'<li class="news-list__item">{a}<time class="news-list__date" '
                    f'datetime="{it.date.isoformat()}">{date}</time></li>'
                )
            else:
                rows.append(f"<li>{a}<span>{date}</span></li>")
        if f == "table":
            return f'<table class="{cls}" width="100%">{"".join(rows)}</table>'
        if f == "div":
            return f'<div class="{cls}">{"".join(rows)}</div>'
        if f == "modern":
            return f'<ul class="news-list">{"".join(rows)}</ul>'
        return f'<ul class="{cls}">{"".join(rows)}</ul>'

    def pager(self, col: _Column, page: int) -> str:
        total = len(col.paths)
        if total <= 1:
            return ""
        parts = [f'<a href="{col.paths[0]}">首页</a>']
        if page > 0:
            parts.append(f'<a href="{col.paths[page - 1]}">上一页</a>')
        lo, hi = max(0, page - 4), min(total, page + 5)
        for p in range(lo, hi):
            parts.append(
                f"<span>{p + 1}</span>" if p == page else f'<a href="{col.paths[p]}">{p + 1}</a>'
            )
        if page + 1 < total:
            parts.append(f'<a href="{col.paths[page + 1]}">下一页</a>')
        parts.append(f'<a href="{col.paths[-1]}">尾页</a>')
        parts.append(f"<span>共{total}页</span>")
        return f'<div class="page">{"".join(parts)}</div>'

    def col_crumbs(self, col: _Column) -> list[tuple[str, str]]:
        section = self.section_path(col.section_key)
        return [("/", "首页"), (section, col.section), (col.paths[0], col.name)]

    def write_columns(self) -> None:
        for col in self.columns:
            pages = [
                col.items[i : i + self.per_page] for i in range(0, len(col.items), self.per_page)
            ]
            if not pages:
                pages = [[]]
            for n, chunk in enumerate(pages):
                self.write(col.paths[n], self.column_page(col, n, chunk))
            info: dict[str, Any] = {"name": col.name, "kind": col.kind, "path": col.paths[0]}
            info["items"] = len(col.items)
            info["newest_age"] = col.newest_age if col.items else None
            self.manifest.columns.append(info)
            if not self.defects_on:
                continue
            if col.kind == "empty":
                self.defect("empty_column", col.paths[0])
            elif self.is_stale(col):
                newest = max(it.date for it in col.items)
                self.defect("stale_column", col.paths[0], f"{(self.today - newest).days}天")

    def column_page(self, col: _Column, n: int, chunk: list[_Item]) -> str:
        """Page `n` of the column's list (`chunk` is empty for an empty column)."""
        if chunk:
            inner = self.render_list(chunk, self.fam.list_date) + self.pager(col, n)
        else:
            inner = '<div class="nodata">暂无信息</div>'
        heading = f'<div class="lm-title"><h2>{col.name}</h2></div>'
        title = f"{col.name}_{self.site_name}"
        return self.page(title, heading + inner, self.col_crumbs(col))

    def is_stale(self, col: _Column) -> bool:
        if col.kind not in THRESHOLDS or not col.items:
            return False
        newest = max(it.date for it in col.items)
        return (self.today - newest).days > THRESHOLDS[col.kind]

    def write_sections(self) -> None:
        sections: dict[str, tuple[str, list[_Column]]] = {}
        for col in self.columns:
            sections.setdefault(col.section_key, (col.section, []))[1].append(col)
        for key, (name, cols) in sections.items():
            self.write(self.section_path(key), self.section_page(key, name, cols))
            kinded = [c for c in cols if c.kind in THRESHOLDS and c.items]
            if len({c.kind for c in kinded}) == 1 and all(self.is_stale(c) for c in kinded):
                # an overview of columns of one kind, all stale: reporting it too is fair
                self.manifest.tolerated.append(Defect("stale_column", self.section_path(key)))

    def section_page(self, key: str, name: str, cols: list[_Column]) -> str:
        """A section's overview: a box with the newest items of each of its columns."""
        boxes = []
        for col in cols:
            more = f'<a href="{col.paths[0]}">更多&gt;&gt;</a>'
            head = f'<div class="box-hd"><h3>{col.name}</h3>{more}</div>'
            boxes.append(
                f'<div class="box">{head}'
                f"{self.render_list(col.items[:5], self.fam.list_date)}</div>"
            )
        crumbs = [("/", "首页"), ("", name)]
        return self.page(f"{name}_{self.site_name}", "".join(boxes), crumbs)

    def meta_block(self, item: _Item) -> str:
        assert item.meta is not None
        layout = item.meta_layout
        fields = [(item.labels[k], item.meta[k]) for k in _FIELD_ORDER if k in item.meta]
        fields.insert(0, ("名称" if layout != "spans" else "标题", item.title))
        if layout == "th_td":
            rows = []
            for i in range(0, len(fields), 2):
                pair = fields[i : i + 2]
                cells = "".join(f"<th>{escape(k)}：</th><td>{escape(v)}</td>" for k, v in pair)
                rows.append(f"<tr>{cells}</tr>")
            return f'<table class="xxgk-table" border="1">{"".join(rows)}</table>'
        if layout == "td_td":
            trs = "".join(
                f'<tr><td class="xxgk_title">{escape(k)}：</td>'
                f'<td class="xxgk_val">{escape(v)}</td></tr>'
                for k, v in fields
            )
            return f'<table class="xxgk_info" cellspacing="0">{trs}</table>'
        if layout == "dl":
            pairs = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in fields)
            return f'<dl class="doc-info">{pairs}</dl>'
        if layout == "spans":
            lis = "".join(
                f'<li><span class="label">{escape(k)}：</span>'
                f'<span class="value">{escape(v)}</span></li>'
                for k, v in fields
            )
            return f'<ul class="doc-meta">{lis}</ul>'
        ps = "".join(f"<p>{escape(k)}：{escape(v)}</p>" for k, v in fields)
        return f'<div class="article-attr">{ps}</div>'

    def info_line(self, item: _Item) -> str:
        parts = [f"发布时间：{fmt_date(item.date, self.fam.article_date)}"]
        if item.source:
            parts.append(f"来源：{item.source}")
        if item.repost:
            parts.append("【转载】" if item.source or self.rng.random() < 0.5 else "（本文为转载）")
        parts.append(f'浏览次数：<span id="hits">{self.rng.randint(10, 9999)}</span>')
        return f'<div class="info">{"　".join(parts)}</div>'

    def write_item(self, item: _Item) -> None:
        rng = self.rng
        year = item.date.year
        col = item.column
        out = []
        mark = ""
        if item.validity_mark:
            mark = rng.choice(
                (
                    f'<div class="fz-tip">本文件已{item.validity_mark}</div>',
                    f'<p class="red">【已{item.validity_mark}】</p>',
                )
            )
        heading = item.title + (
            f"（已{item.validity_mark}）" if item.validity_mark and rng.random() < 0.3 else ""
        )
        if item.meta is not None:
            out.append(self.meta_block(item))
        out.append(f'<h1 class="article-title">{escape(heading)}</h1>')
        out.append(mark)
        if item.meta is None:
            out.append(self.info_line(item))
        paras = self.words.paragraphs(rng.randint(3, 6), year)
        body = "".join(f"<p>{escape(p)}</p>" for p in paras)
        if item.image:
            body = (
                f'<p style="text-align:center"><img src="{item.image}" '
                f'alt="{escape(item.title[:10])}"></p>' + body
            )
        if item.broken_img:
            body += f'<p><img src="{item.broken_img}" alt="现场图片"></p>'
        body += "".join(item.body_extra)
        for text, href in item.broken_links:
            body += f'<p>详见：<a href="{href}">{escape(text)}</a></p>'
        if item.meta is not None and item.meta.get("doc_number", "无") != "无":
            body += f"<p>{self.place}人民政府办公室</p><p>{fmt_date(item.date, 'cn')}</p>"
        if item.meta is None and col.kind == "personnel":
            body += f"<p>任免文号：{self.place[0]}政干〔{year}〕{rng.randint(1, 30)}号</p>"
        out.append(f'<div class="TRS_Editor">{body}</div>')
        if item.attachments:
            links = "".join(
                f'<li><a href="{href}">{escape(text)}</a></li>' for text, href in item.attachments
            )
            out.append(f'<div class="fujian">附件：<ul>{links}</ul></div>')
        if item.interp is not None and item.link_doc_to_interp:
            out.append(
                f'<div class="xgjd">相关解读：<a href="{item.interp.path}">'
                f"{escape(item.interp.title)}</a></div>"
            )
        if item.doc is not None and item.link_interp_to_doc:
            out.append(
                f'<div class="xgwj">相关文件：<a href="{item.doc.path}">'
                f"《{escape(_short_name(item.doc.title))}》</a></div>"
            )
        out.append(self.related(item))
        crumbs = [*self.col_crumbs(col), ("", "正文")]
        self.write(item.path, self.page(f"{item.title}_{self.site_name}", "".join(out), crumbs))

    def related(self, item: _Item) -> str:
        siblings = [it for it in item.column.items[:4] if it is not item][:3]
        links = [(it.title, it.path) for it in siblings]
        if item.related_override is not None:
            links = [item.related_override, *links[:2]]
        if not links:
            return ""
        lis = "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for t, h in links)
        return f'<div class="xgyd"><h4>相关阅读</h4><ul>{lis}</ul></div>'

    def home_columns(self) -> list[_Column]:
        """The columns whose newest items the home page shows."""
        return [
            c
            for c in self.columns
            if c.kind in ("news", "notice", "policy", "interp") and c.key not in ("xzdt", "qtwj")
        ]

    def write_home(self) -> None:
        fam = self.fam
        blocks = []
        for col in self.home_columns():
            more = f'<a class="more" href="{col.paths[0]}">更多</a>'
            head = f'<div class="hd"><h3>{col.name}</h3>{more}</div>'
            blocks.append(
                f'<div class="home-box">{head}'
                f"{self.render_list(col.items[:7], fam.home_date, 'home-list')}</div>"
            )
        self.write("/", self.page(self.site_name, "".join(blocks), []))
        self.home_defects()

    def home_defects(self) -> None:
        if self.home_stale:
            self.defect("homepage_not_updated", "/")
        if self.search_mode != "ok":
            note = "无搜索框" if self.search_mode == "missing" else "搜索结果页404"
            self.defect("search_broken", "/", note)
            if self.search_mode == "dead":
                self.manifest.tolerated.append(Defect("broken_link", self.dead_search))
        if self.dropped_identifier:
            self.defect("missing_site_identifier", "/", self.dropped_identifier)

    def write_extras(self) -> None:
        # search result page (static: the same page for every query)
        results = [it for it in self.items if it.column.kind == "news"][:5]
        lis = "".join(f'<li><a href="{it.path}">{escape(it.title)}</a></li>' for it in results)
        body = f'<div class="search-result"><p>共找到{len(results)}条结果</p><ul>{lis}</ul></div>'
        self.write(
            "/search/", self.page(f"搜索结果_{self.site_name}", body, [("/", "首页"), ("", "搜索")])
        )
        # 政务新媒体 accounts' pages: registered in the config, not linked from the site
        for n, name in enumerate((f"{self.place}发布", f"{self.place}政务服务")):
            stale = self.defects_on and n == 1 and self.seed % 2 == 1
            newest = self.rng.randint(20, 60) if stale else self.rng.randint(0, 6)
            posts = [
                (
                    self.words.fill(self.rng.choice(_NEWS), self.today.year),
                    self.today - dt.timedelta(days=newest + 3 * k),
                )
                for k in range(8)
            ]
            lis = "".join(f"<li><span>{d.isoformat()}</span> {escape(t)}</li>" for t, d in posts)
            path = f"/xmt/account{n + 1}.html"
            html = (
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head>'
                f'<body><h1>{name}</h1><ul class="posts">{lis}</ul></body></html>'
            )
            self.write(path, html)
            self.manifest.new_media.append((name, path))
            if stale:
                self.defect("new_media_stale", path, f"{newest}天")
        # static files
        self.write("/images/logo.png", png(40, 10, (20, 60, 160)))
        self.write("/images/dzjg.png", png(12, 14, (200, 20, 20)))
        self.write("/images/red.png", png(12, 14, (210, 20, 20)))
        self.write("/images/ga.png", png(8, 8, (40, 40, 200)))
        self.write("/css/style.css", "body{font-family:sans-serif}.footer{color:#666}\n")
        self.write("/js/common.js", "window.siteReady=true;\n")
        self.write("/robots.txt", "User-agent: *\nDisallow: /admin/\n")
        for it in self.items:
            if it.image:
                self.write(it.image, png(6, 4, (90, 120, 60)))
                self.manifest.images += 1

    def write_attachments(self) -> None:
        for item in self.items:
            for _text, href in item.attachments:
                ext = href.rsplit(".", 1)[1]
                if href in self._leaky_files:
                    data = self.leaky_file(ext, item)
                else:
                    data = self.clean_file(ext)
                self.write(href, data)
                self.manifest.attachments += 1

    def clean_file(self, ext: str) -> bytes:
        cached = self._attachment_cache.get(ext)
        if cached is not None:
            return cached
        lines = ["咨询电话：12345", f"联系电话：{self.province[3]}-12345678", "邮编：310000"]
        if ext == "docx":
            data = make_docx("有关材料", [["项目", "金额（万元）"], ["道路改造", "1234.50"]], lines)
        elif ext == "xlsx":
            data = make_xlsx("有关材料", [["项目", "金额（万元）"], ["道路改造", "1234.50"]])
        elif ext == "pdf":
            data = make_pdf(["Project list 2026", "Hotline: 12345", "Tel: 0571-12345678"])
        else:
            data = "\n".join(["有关材料", *lines]).encode("utf-8")
        self._attachment_cache[ext] = data
        return data

    def leaky_file(self, ext: str, item: _Item) -> bytes:
        rng = self.rng
        region = self.province[2]
        people = [(self.words.name(), id_number(rng, region), mobile_number(rng)) for _ in range(3)]
        rows = [["序号", "姓名", "身份证号码", "联系电话"]] + [
            [str(i + 1), n, idn, tel] for i, (n, idn, tel) in enumerate(people)
        ]
        if ext == "docx":
            return make_docx("拟享受补助人员名单", rows, ["以下人员经审核符合条件，现予公示。"])
        if ext == "xlsx":
            return make_xlsx("拟享受补助人员名单", rows)
        if ext == "pdf":
            return make_pdf(
                ["Subsidy recipients"]
                + [f"{i + 1}. ID {idn}  Tel {tel}" for i, (_, idn, tel) in enumerate(people)]
            )
        return "\n".join("\t".join(r) for r in rows).encode("utf-8")

    def run(self) -> Manifest:
        self.plan_columns()
        self.plan_ages()
        self.plan_items()
        self.plan_documents()
        for col in self.columns:  # interpretations may have been taken away
            pages = max(1, math.ceil(len(col.items) / self.per_page))
            col.paths = [self.column_path(col, p) for p in range(pages)]
        self.plan_defects()
        self._header, self._footer = self.header(), self.footer()
        if self.fam.copyright_no_repost:
            self.manifest.traps["footer_says_no_repost"] += 1
        self.write_columns()
        self.write_sections()
        for item in self.items:
            self.write_item(item)
        self.write_home()
        self.write_extras()
        self.write_attachments()
        self.manifest.terms = list(self.terms)
        self.manifest.pages = sum(1 for p in self.written if _is_html(p))
        return self.manifest


# --- further template families -------------------------------------------------------------
#
# Two families written apart from the four above, after CMS markup seen on county and district
# sites: "xxgk", a 政府信息公开平台 with a portal in front of it (the metadata in a
# <div class="xxgk-info"> grid, labels without colons, 索 引 号 with spaces, 生成日期, 是否有效,
# the national page meta tags, dates before titles, a policy list as a table, breadcrumbs with ›,
# a footer in <div id="footer"> with the identifiers split over elements and images), and
# "oldtable", an older layout-table site served as GB2312 (<font> tags, dates like 2026-3-2,
# relative links, 所在位置 with →, a 信息索引 table of four columns, &nbsp; for an empty value,
# an empty 信息来源 label, [置顶] items, the 党政机关 badge as the conac script). They plan the same
# site and inject the same defects with the same manifest semantics; only the markup differs.

_GOV_LINKS = (
    ("中国政府网", "https://www.gov.cn/"),
    ("国家政务服务平台", "https://gjzwfw.www.gov.cn/"),
    ("国务院客户端", "https://www.gov.cn/govweb/app/"),
    ("浙江省人民政府", "https://www.zj.gov.cn/"),
    ("江苏省人民政府", "http://www.jiangsu.gov.cn/"),
    ("广东省人民政府", "http://www.gd.gov.cn/"),
    ("山东省人民政府", "http://www.shandong.gov.cn/"),
    ("国家发展改革委", "https://www.ndrc.gov.cn/"),
    ("教育部", "http://www.moe.gov.cn/"),
    ("民政部", "https://www.mca.gov.cn/"),
    ("财政部", "http://www.mof.gov.cn/"),
    ("人力资源社会保障部", "http://www.mohrss.gov.cn/"),
    ("自然资源部", "https://www.mnr.gov.cn/"),
    ("生态环境部", "https://www.mee.gov.cn/"),
    ("住房城乡建设部", "https://www.mohurd.gov.cn/"),
    ("交通运输部", "https://www.mot.gov.cn/"),
    ("农业农村部", "http://www.moa.gov.cn/"),
    ("国家卫生健康委", "http://www.nhc.gov.cn/"),
    ("应急管理部", "https://www.mem.gov.cn/"),
    ("国家统计局", "https://www.stats.gov.cn/"),
)

_PINYIN = {
    "临江区": "linjiang",
    "青山区": "qingshan",
    "东湖区": "donghu",
    "南屏县": "nanping",
    "白石县": "baishi",
    "清河区": "qinghe",
    "西岭县": "xiling",
    "金川区": "jinchuan",
}


def _local_links(place: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The county's department and township sites (other hosts: external links)."""
    host = _PINYIN[place]
    depts = [(place + d, f"http://bm{n:02d}.{host}.gov.cn/") for n, d in enumerate(_DEPTS)]
    towns = [(t, f"http://zj{n:02d}.{host}.gov.cn/") for n, t in enumerate(_TOWNS)]
    return [("部门网站", depts), ("镇街网站", towns)]


_XXGK_STYLE = """<style type="text/css">
*{margin:0;padding:0}body{font:14px/1.5 "Microsoft YaHei",Arial,sans-serif;color:#333;
background:#f4f6f9}
a{color:#333;text-decoration:none}a:hover{color:#1d5ba8}ul,li{list-style:none}
.w1200{width:1200px;margin:0 auto}.clearfix:after{content:"";display:block;clear:both}
.topbar{height:36px;line-height:36px;background:#eef2f7;border-bottom:1px solid #dde3ea}
.topbar a{margin-left:14px;color:#666}.topbar .date{float:left;color:#666}
.header{height:150px;background:#1d5ba8 url(/images/logo.png) no-repeat 0 30px}
.header .search{float:right;margin-top:54px}.header .search input{height:34px;border:0;
padding:0 10px}
.nav{background:#154a8c;height:50px}.nav-list>li{float:left;position:relative}
.nav-list>li>a{display:block;padding:0 26px;line-height:50px;color:#fff;font-size:17px}
.nav-list .subnav{display:none;position:absolute;top:50px;left:0;background:#fff;
width:180px;z-index:9}
.nav-list li:hover .subnav{display:block}.subnav a{display:block;line-height:36px;
padding:0 14px}
.crumbs{height:44px;line-height:44px;color:#666}.crumbs a{color:#666}
.crumbs span{color:#999}
.container{background:#fff;padding:20px;margin-bottom:20px}.left{float:left;width:240px}
.right{float:right;width:900px}.side-tt{background:#1d5ba8;color:#fff;font-size:18px;
padding:12px}
.side-list li a{display:block;border-bottom:1px dashed #ddd;line-height:44px;
padding-left:20px}
.side-list li.on a{color:#1d5ba8;font-weight:bold}
.column-hd{border-bottom:2px solid #1d5ba8}
.column-hd .name{display:inline-block;background:#1d5ba8;color:#fff;padding:6px 20px}
.list-ul li,.xxgk-list li{line-height:42px;border-bottom:1px dashed #e5e5e5;overflow:hidden}
.list-ul .date{float:left;width:110px;color:#999}.xxgk-list .time{float:right;color:#999}
.list-item{line-height:42px;border-bottom:1px dashed #e5e5e5}.list-item em{float:right;
color:#999;font-style:normal}
.zfxxgk-list{width:100%;border-collapse:collapse}.zfxxgk-list th{background:#eef2f7}
.zfxxgk-list th,.zfxxgk-list td{border:1px solid #dde3ea;padding:8px;text-align:center}
.zfxxgk-list td.title{text-align:left}.pagination{text-align:center;margin:24px 0}
.pagination a,.pagination span{display:inline-block;border:1px solid #ddd;padding:4px 10px;
margin:0 3px}
.pagination a.cur{background:#1d5ba8;color:#fff}
.xxgk-info{border:1px solid #dde3ea;background:#f8fafc;padding:12px 20px;margin-bottom:20px}
.xxgk-info .info-row{overflow:hidden;line-height:34px}.xxgk-info .info-item{float:left;
width:50%}
.xxgk-info .info-row.full .info-item{width:100%}.xxgk-info label{color:#666;
display:inline-block;width:90px}
.xxgk-meta li{float:left;width:50%;line-height:34px}.xxgk-meta .xxgk-lb{color:#888;
margin-right:8px}
.xxgk-table{width:100%;border-collapse:collapse;margin-bottom:20px}
.xxgk-table td{border:1px solid #dde3ea;padding:8px}
.xxgk-table .t1{background:#f2f5f9;width:110px;text-align:right}
.article h1.title{font-size:26px;text-align:center;color:#1d5ba8;line-height:40px;
padding:10px 0}
.article-info{text-align:center;color:#888;border-bottom:1px solid #e5e5e5;
padding-bottom:12px}
.article-info span{margin:0 10px}.article-content{font-size:16px;line-height:2;
padding:20px 0}
.article-content p{text-indent:2em;margin-bottom:10px}.yfz-tip,.fz-status{color:#c00;
font-weight:bold}
.article-attach{border-top:1px dashed #ddd;padding:10px 0}
.xgjd-box,.related-news{margin-top:20px}
.box-tt{font-size:18px;border-left:4px solid #1d5ba8;padding-left:10px;margin-bottom:8px}
.zcyw{background:#f8fafc;padding:10px;margin-top:10px}.article-tools{text-align:right;
color:#666}
.home-box{float:left;width:580px;margin:0 10px 20px}
.home-box .hd{border-bottom:2px solid #1d5ba8}
.tab-hd span{display:inline-block;padding:8px 20px;cursor:pointer}
.tab-hd span.on{background:#1d5ba8;color:#fff}
.headline h3{font-size:20px;color:#c00;text-align:center}.headline p{color:#666;
text-indent:2em}
.service a{display:inline-block;width:180px;height:80px;margin:8px;background:#eef2f7;
text-align:center;line-height:80px}
#footer{background:#1d3f6e;color:#dfe7f2;padding:24px 0;margin-top:20px}
#footer a{color:#dfe7f2}
#footer .footer-links{text-align:center;border-bottom:1px solid #36598a;padding-bottom:12px}
#footer .footer-inner{overflow:hidden;padding-top:16px}#footer .ft-left{float:left;
width:120px}
#footer .ft-mid{float:left;width:900px;line-height:28px}#footer .ft-right{float:right;
width:120px}
.friend-links{background:#fff;padding:12px 20px;margin-top:10px}
.friend-links a{margin-right:16px;line-height:30px}
</style>"""

_XXGK_SCRIPT = """<script type="text/javascript">
(function(){var d=new Date(),w=["日","一","二","三","四","五","六"];
var el=document.getElementById("today");
if(el){el.innerHTML=d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()
+"日 星期"+w[d.getDay()];}})();
function doZoom(size){var z=document.getElementById("zoom");
if(z){z.style.fontSize=size+"px";}}
function checkSearch(f){var v=f.searchWord.value.replace(/^\\s+|\\s+$/g,"");
if(v===""||v==="请输入关键词"){alert("请输入检索关键词");return false;}return true;}
var tabs=document.querySelectorAll(".tab-hd span");for(var i=0;i<tabs.length;
i++){(function(n){
tabs[n].onmouseover=function(){var bd=document.querySelectorAll(".tab-bd ul");for(var j=0;
j<bd.length;j++){
bd[j].style.display=j===n?"block":"none";tabs[j].className=j===n?"on":"";}};})(i);}
var _hmt=_hmt||[];(function(){var hm=document.createElement("script");
hm.src="https://hm.baidu.com/hm.js?3b1a4c9d8e7f6a5b4c3d2e1f0a9b8c7d";
var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);})();
</script>"""

_OLD_STYLE = """<style type="text/css">
<!--
body{margin:0px;font-size:12px;background-color:#E9EEF4}
td{font-size:12px;line-height:20px}
a:link,a:visited{color:#000000;text-decoration:none}
a:hover{color:#CC0000;text-decoration:underline}
.hui12{font-size:12px;color:#666666;line-height:22px}
.hui14b{font-size:14px;font-weight:bold;color:#333333}
.bai14{font-size:14px;color:#FFFFFF;font-weight:bold}
.bai14 a:link,.bai14 a:visited{color:#FFFFFF}
.lan14{font-size:14px;color:#0A4C8C;font-weight:bold}
.content{font-size:16px;line-height:30px;color:#000000}
.content p{text-indent:2em;margin:6px 0}
.xxgk_table td{border:1px solid #CCCCCC;padding:4px;font-size:12px}
.fy{font-size:12px;color:#333333}
.fy a{color:#0A4C8C}
.lm_bg{background-color:#F2F6FB;border:1px solid #C9D8EA}
.lm_tt{background-color:#2F6CB1;height:30px}
.bottom{background-color:#DCE6F2;border-top:3px solid #2F6CB1}
-->
</style>"""

_OLD_SCRIPT = """<script language="JavaScript" type="text/javascript">
<!--
var today=new Date();
var weekday=new Array("星期日","星期一","星期二","星期三","星期四","星期五","星期六");
function showDate(){document.write(today.getFullYear()+"年"+(today.getMonth()+1)+"月"
+today.getDate()+"日 "+weekday[today.getDay()]);}
function fontZoom(size){document.getElementById("fontzoom").style.fontSize=size+"px";}
function MM_jumpMenu(targ,selObj,restore){
eval(targ+".location='"+selObj.options[selObj.selectedIndex].value+"'");
if(restore)selObj.selectedIndex=0;}
function AddFavorite(sURL,sTitle){try{window.external.addFavorite(sURL,sTitle);}
catch(e){try{window.sidebar.addPanel(sTitle,sURL,"");}
catch(e){alert("加入收藏失败，请使用Ctrl+D进行添加");}}}
//-->
</script>"""


def _ymd(day: dt.date) -> str:
    """2026-3-2: the unpadded date older CMSs print."""
    return f"{day.year}-{day.month}-{day.day}"


def _clock(item: _Item) -> str:
    return f"{8 + item.id % 10:02d}:{item.id * 7 % 60:02d}"


def _rel(here: str, target: str) -> str:
    """`target` relative to the page at `here` (both site paths), as older CMSs write links."""
    if not here or not target.startswith("/") or target == "/":
        return target
    return posixpath.relpath(target, here.rsplit("/", 1)[0] or "/")


class _XxgkSite(_Site):
    """A 政府信息公开平台 behind a portal (UTF-8, div layout)."""

    label_table: ClassVar[dict[str, tuple[str, ...]]] = {
        "index_number": ("索引号", "索 引 号", "信息索引号"),
        "topic": ("主题分类", "信息类别", "组配分类"),
        "publisher": ("发布机构", "发文机关", "发文单位"),
        "written_date": ("成文日期", "生成日期", "发文日期"),
        "publish_date": ("发布日期", "公开日期", "公布日期"),
        "doc_number": ("文号", "发文字号", "文　　号"),
        "validity": ("有效性", "效力状态", "是否有效", "时效性"),
    }
    interp_patterns: ClassVar[tuple[str, ...]] = (
        "图解：{d}",
        "【政策解读】《{d}》",
        "一图读懂《{d}》",
        "有关负责人就《{d}》答记者问",
    )
    column_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "yw": ("政务要闻", "今日要闻", "要闻"),
        "gzdt": ("部门动态", "部门信息", "工作动态"),
        "xzdt": ("镇街动态", "基层动态"),
        "tzgg": ("通知公告", "公告公示", "通知通告"),
        "gfxwj": ("行政规范性文件", "规范性文件", "区政府规范性文件"),
        "rsxx": ("人事信息", "人事任免", "干部任免"),
        "ghjh": ("规划计划", "规划信息", "发展规划"),
        "ztzl": ("专题专栏", "专题活动"),
    }
    dead_search = "/was5/web/search"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.org_code = f"{(self.seed * 7919 + 11) % 10**9:09d}"
        self.site_code = f"{self.province[2][:4]}{self.seed % 1000:03d}001"[:10]
        self.host = f"www.{_PINYIN[self.place]}.gov.cn"

    # URLs: news under /xwzx/ (gov.cn style), the rest on the disclosure platform /zfxxgk/

    def column_path(self, col: _Column, page: int) -> str:
        if col.section_key == "xwzx":
            base = f"/xwzx/{col.key}/"
            return base + ("index.htm" if page == 0 else f"index_{page}.htm")
        base = f"/zfxxgk/{self.org_code}/{col.key}/"
        return base + ("list.htm" if page == 0 else f"list_{page + 1}.htm")

    def item_path(self, item: _Item) -> str:
        d, col = item.date, item.column
        if col.section_key == "xwzx":
            return f"/xwzx/{col.key}/{d:%Y-%m}/{d:%d}/content_{item.id}.htm"
        return f"/zfxxgk/{self.org_code}/{col.key}/content/post_{item.id}.html"

    def file_path(self, item: _Item, n: int, ext: str) -> str:
        return f"/uploadfiles/{item.date:%Y%m}/{item.id}{n:02d}.{ext}"

    def section_path(self, key: str) -> str:
        return f"/{key}/index.htm"

    # page furniture

    def leak_html(self, name: str, text: str) -> str:
        return f'<p style="text-indent:2em">附：{name}（{text}）</p>'

    def sections(self) -> list[tuple[str, str, list[_Column]]]:
        out: dict[str, tuple[str, list[_Column]]] = {}
        for col in self.columns:
            out.setdefault(col.section_key, (col.section, []))[1].append(col)
        return [(k, name, cols) for k, (name, cols) in out.items()]

    def search_form(self) -> str:
        if self.search_mode == "missing":
            return ""
        action = "/search/" if self.search_mode == "ok" else self.dead_search
        return (
            f'<div class="search"><form id="searchForm" name="searchForm" action="{action}" '
            'method="get" target="_blank" onsubmit="return checkSearch(this)">'
            '<input type="hidden" name="siteId" value="14">'
            '<input type="text" name="searchWord" id="searchWord" placeholder="请输入关键词">'
            '<button type="submit" class="btn-search">搜 索</button></form></div>'
        )

    def header(self) -> str:
        prov_site = {"浙": "zj", "苏": "jiangsu", "粤": "gd", "鲁": "shandong"}[self.province[0]]
        top = (
            '<div class="topbar"><div class="w1200"><span class="date" id="today"></span>'
            '<a href="javascript:;" id="wza">无障碍浏览</a>'
            '<a href="javascript:;" id="zzms">长者模式</a>'
            f'<a href="https://www.{prov_site}.gov.cn/" target="_blank">省政府门户</a>'
            '<a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a>'
            '<a href="#" id="mobile">手机版</a></div></div>'
        )
        lis = ['<li><a href="/">首页</a></li>']
        for key, name, cols in self.sections():
            sub = "".join(f'<a href="{c.paths[0]}">{c.name}</a>' for c in cols)
            lis.append(
                f'<li><a href="{self.section_path(key)}">{name}</a>'
                f'<div class="subnav">{sub}</div></li>'
            )
        lis.append('<li><a href="https://www.zjzwfw.gov.cn/" target="_blank">政务服务</a></li>')
        lis.append('<li><a href="javascript:;">互动交流</a></li>')
        nav = f'<div class="nav"><ul class="nav-list w1200">{"".join(lis)}</ul></div>'
        logo = (
            f'<div class="header"><div class="w1200"><a href="/" class="logo">'
            f'<img src="/images/logo.png" alt="{self.site_name}"></a>{self.search_form()}'
            "</div></div>"
        )
        return top + logo + nav

    def footer(self) -> str:
        prov, _, region, area = self.province
        drop = self.dropped_identifier
        police = f"{region}02{self.seed % 100000:06d}"
        icp = f"{prov}ICP备{10000000 + self.seed * 41 % 89999999}号-2"
        links = (
            '<div class="footer-links"><a href="/wzdt/index.htm">网站地图</a> | '
            '<a href="/lxwm/index.htm">联系我们</a> | <a href="/wzsm/index.htm">网站声明</a> | '
            '<a href="javascript:;">隐私保护</a></div>'
        )
        left = ""
        if drop != "党政机关网站标识":
            left = (
                '<span id="_ideConac"><a href="http://bszs.conac.cn/sitename?method=show&amp;'
                f'id={self.org_code[:6]}A3" target="_blank"><img id="imgConac" vspace="0" '
                'hspace="0" border="0" src="/images/red.png"></a></span>'
            )
        rows = []
        if drop != "主办单位":
            rows.append(
                f"<li>主办单位：{self.site_name}办公室　承办：{self.place}大数据发展管理中心</li>"
            )
        line = []
        if drop != "网站标识码":
            line.append(f"<span>网站标识码：</span>\n<em>{self.site_code}</em>")
        if drop != "ICP备案编号":
            line.append(
                f'<span>备案号：</span><a href="https://beian.miit.gov.cn/" '
                f'target="_blank">{icp}</a>'
            )
        if line:
            rows.append(f"<li>{'　'.join(line)}</li>")
        if drop != "公安机关备案号":
            rows.append(
                '<li><img src="/images/ga.png" alt="">'
                f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={police}"'
                f' target="_blank">{prov}公网安备 {police}号</a></li>'
            )
        rows.append(
            f"<li>地址：{self.place}人民路1号　联系电话：{area}-87{self.seed % 1000:03d}"
            f'{self.seed % 89 + 10:02d}7　<a href="mailto:bgs@{self.host}">联系邮箱</a></li>'
        )
        rows.append("<li>建议使用1920×1080分辨率及以上浏览器访问本站</li>")
        right = ""
        if drop != "网站标识码":
            right = (
                f'<script id="_jiucuo_" sitecode="{self.site_code}" '
                'src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
            )
        return (
            f'<div id="footer"><div class="w1200">{links}<div class="footer-inner">'
            f'<div class="ft-left">{left}</div><div class="ft-mid"><ul>{"".join(rows)}</ul>'
            f'</div><div class="ft-right">{right}</div></div></div></div>'
        )

    def friend_links(self) -> str:
        groups = [("政府网站", list(_GOV_LINKS)), *_local_links(self.place)]
        out = []
        for name, pairs in groups:
            links = "".join(f'<a href="{u}" target="_blank">{escape(n)}</a>' for n, u in pairs)
            out.append(f'<div class="friend-links w1200"><strong>{name}：</strong>{links}</div>')
        media = "".join(
            f'<li><img src="/images/logo.png" width="90" height="90" alt="{n}"><p>{n}</p></li>'
            for n in (f"{self.place}发布", f"{self.place}政务服务", "微信公众号", "政务微博")
        )
        out.append(f'<div class="media w1200"><h4>政务新媒体</h4><ul>{media}</ul></div>')
        return "".join(out)

    def sidebar(self, section_key: str, current: str = "") -> str:
        cols = next((c for k, _n, c in self.sections() if k == section_key), [])
        name = next((n for k, n, _c in self.sections() if k == section_key), "")
        lis = "".join(
            ('<li class="on">' if c.key == current else "<li>")
            + f'<a href="{c.paths[0]}">{c.name}</a></li>'
            for c in cols
        )
        extra = ""
        if section_key != "xwzx":
            extra = (
                '<div class="side-tt">政府信息公开</div><ul class="side-list">'
                '<li><a href="/zfxxgk/xxgkzn/index.htm">政府信息公开指南</a></li>'
                '<li><a href="/zfxxgk/xxgkzd/index.htm">政府信息公开制度</a></li>'
                '<li><a href="javascript:;">依申请公开</a></li></ul>'
            )
        return f'<div class="side-tt">{name}</div><ul class="side-list">{lis}</ul>{extra}'

    def page(
        self,
        title: str,
        body: str,
        crumbs: list[tuple[str, str]],
        *,
        side: str = "",
        metas: dict[str, str] | None = None,
    ) -> str:
        heads = {"SiteName": self.site_name, "SiteDomain": self.host}
        if self.dropped_identifier != "网站标识码":
            heads["SiteIDCode"] = self.site_code
        heads.update(metas or {})
        meta_tags = "".join(
            f'<meta name="{k}" content="{escape(v)}">' for k, v in heads.items() if v
        )
        crumb = ""
        if crumbs:
            links = " › ".join(
                f'<a href="{h}">{escape(t)}</a>' if h else f"<span>{escape(t)}</span>"
                for h, t in crumbs
            )
            crumb = f'<div class="crumbs w1200"><span>当前位置：</span>{links}</div>'
        if side:
            main = (
                f'<div class="container w1200 clearfix"><div class="left">{side}</div>'
                f'<div class="right">{body}</div></div>'
            )
        else:
            main = f'<div class="container w1200 clearfix">{body}</div>'
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">\n'
            f"{meta_tags}\n<title>{escape(title)}</title>\n"
            f'<link rel="stylesheet" href="/css/style.css">\n{_XXGK_STYLE}\n</head>\n<body>\n'
            f"{self._header}\n{crumb}\n{main}\n{self.friend_links()}\n{self._footer}\n"
            f'<script src="/js/common.js"></script>\n{_XXGK_SCRIPT}\n</body>\n</html>\n'
        )

    # lists

    def render_list(self, items: list[_Item], style: str, cls: str = "") -> str:
        kinds = {it.column.kind for it in items}
        kind = kinds.pop() if len(kinds) == 1 else "news"
        if kind == "policy" and style != "home":
            rows = []
            for n, it in enumerate(items, 1):
                number = (it.meta or {}).get("doc_number", "")
                rows.append(
                    f'<tr><td>{n}</td><td class="title"><a href="{it.path}" target="_blank" '
                    f'title="{escape(it.title)}">{escape(it.title)}</a></td>'
                    f"<td>{escape(number)}</td><td>{it.date.isoformat()}</td></tr>"
                )
            return (
                '<table class="zfxxgk-list"><thead><tr><th width="50">序号</th><th>标题</th>'
                '<th width="170">文号</th><th width="110">发布日期</th></tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        out = []
        for it in items:
            text = it.title
            if len(text) > 32:
                text = text[:31] + "…"
                self.manifest.traps["truncated_title"] += 1
            a = f'<a href="{it.path}" target="_blank" title="{escape(it.title)}">{escape(text)}</a>'
            if style == "home":
                date = (
                    f"{it.date:%m-%d}" if (self.today - it.date).days < 300 else it.date.isoformat()
                )
                out.append(f'<li>{a}<span class="time">{date}</span></li>')
            elif kind == "news":
                out.append(f'<li><span class="date">{it.date.isoformat()}</span>{a}</li>')
            elif kind == "interp":
                out.append(f'<div class="list-item">{a}<em>{it.date.isoformat()}</em></div>')
            else:
                out.append(f'<li>{a}<span class="time">({it.date.isoformat()})</span></li>')
        if style != "home" and kind == "interp":
            return f'<div class="list-box">{"".join(out)}</div>'
        cls = "list-ul" if kind == "news" and style != "home" else "xxgk-list"
        return f'<ul class="{cls}">{"".join(out)}</ul>'

    def pager(self, col: _Column, page: int) -> str:
        total = len(col.paths)
        count = len(col.items)
        if total <= 1:
            return f'<div class="pagination"><span>共{count}条记录</span></div>'
        parts = [f'<a href="{col.paths[0]}">首页</a>']
        if page > 0:
            parts.append(f'<a href="{col.paths[page - 1]}">上一页</a>')
        for p in range(max(0, page - 3), min(total, page + 4)):
            cur = ' class="cur"' if p == page else ""
            parts.append(f'<a href="{col.paths[p]}"{cur}>{p + 1}</a>')
        if page + 1 < total:
            parts.append(f'<a href="{col.paths[page + 1]}">下一页</a>')
        parts.append(f'<a href="{col.paths[-1]}">末页</a>')
        parts.append(f"<span>共{total}页 {count}条记录</span>")
        return f'<div class="pagination">{"".join(parts)}</div>'

    def column_page(self, col: _Column, n: int, chunk: list[_Item]) -> str:
        head = f'<div class="column-hd"><span class="name">{col.name}</span></div>'
        if chunk:
            inner = self.render_list(chunk, "list") + self.pager(col, n)
        else:
            inner = '<ul class="xxgk-list"></ul>' + self.pager(col, 0)
        side = self.sidebar(col.section_key, col.key)
        metas = {"ColumnName": col.name, "ColumnType": col.name}
        title = f"{col.name}_{self.site_name}"
        return self.page(title, head + inner, self.col_crumbs(col), side=side, metas=metas)

    def section_page(self, key: str, name: str, cols: list[_Column]) -> str:
        boxes = []
        for col in cols:
            more = f'<a class="more" href="{col.paths[0]}">更多+</a>'
            boxes.append(
                f'<div class="home-box"><div class="hd"><h3>{col.name}</h3>{more}</div>'
                f"{self.render_list(col.items[:5], 'list')}</div>"
            )
        crumbs = [("/", "首页"), ("", name)]
        body = f'<div class="clearfix">{"".join(boxes)}</div>'
        return self.page(f"{name}_{self.site_name}", body, crumbs, side=self.sidebar(key))

    # documents and articles

    def meta_block(self, item: _Item) -> str:
        assert item.meta is not None
        fields = [(item.labels[k], item.meta[k]) for k in _FIELD_ORDER if k in item.meta]
        layout = item.meta_layout
        if layout == "suoyin4":  # gov.cn: pairs in four columns, the title on a row of its own
            rows = []
            pairs = [fields[i : i + 2] for i in range(0, len(fields), 2)]
            for n, pair in enumerate(pairs):
                cells = "".join(
                    f'<td class="t1"><b>{escape(k)}：</b></td><td>{escape(v)}</td>' for k, v in pair
                )
                if len(pair) == 1:
                    cells = cells.replace("<td>", '<td colspan="3">', 1)
                rows.append(f"<tr>{cells}</tr>")
                if n == 1:
                    rows.append(
                        '<tr><td class="t1"><b>标　　题：</b></td>'
                        f'<td colspan="3">{escape(item.title)}</td></tr>'
                    )
            return f'<table class="xxgk-table"><tbody>{"".join(rows)}</tbody></table>'
        if layout == "ul_spans":  # labels without colons
            lis = "".join(
                f'<li><span class="xxgk-lb">{escape(k)}</span>'
                f'<span class="xxgk-val">{escape(v)}</span></li>'
                for k, v in [("名称", item.title), *fields]
            )
            return f'<ul class="xxgk-meta clearfix">{lis}</ul>'
        rows = [
            '<div class="info-row full"><div class="info-item"><label>标　　题：</label>'
            f"<span>{escape(item.title)}</span></div></div>"
        ]
        for i in range(0, len(fields), 2):
            cells = "".join(
                f'<div class="info-item"><label>{escape(k)}：</label><span>{escape(v)}</span></div>'
                for k, v in fields[i : i + 2]
            )
            rows.append(f'<div class="info-row">{cells}</div>')
        return f'<div class="xxgk-info">{"".join(rows)}</div>'

    def info_line(self, item: _Item) -> str:
        rng = self.rng
        d = item.date
        parts = [f"<span>发布时间：{d:%Y}年{d:%m}月{d:%d}日 {_clock(item)}</span>"]
        if item.repost and item.source:
            parts.append(
                rng.choice(
                    (
                        f"<span>转载自：{item.source}</span>",
                        f"<span>来源：{item.source}（转载）</span>",
                    )
                )
            )
        elif item.repost:
            parts.append(rng.choice(("<span>（转载）</span>", "<span>本文为转载稿件</span>")))
        elif item.source:
            parts.append(f"<span>来源：{item.source}</span>")
        parts.append(f'<span>浏览次数：<i id="views">{rng.randint(10, 9999)}</i></span>')
        parts.append(
            '<span>字号：<a href="javascript:doZoom(18)">大</a> '
            '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span>'
        )
        return f'<div class="article-info">{"".join(parts)}</div>'

    def related(self, item: _Item) -> str:
        siblings = [it for it in item.column.items[:4] if it is not item][:3]
        links = [(it.title, it.path) for it in siblings]
        if item.related_override is not None:
            links = [item.related_override, *links[:2]]
        if not links:
            return ""
        lis = "".join(
            f'<li><a href="{h}" target="_blank" title="{escape(t)}">{escape(t)}</a></li>'
            for t, h in links
        )
        return f'<div class="related-news"><div class="box-tt">相关信息</div><ul>{lis}</ul></div>'

    def write_item(self, item: _Item) -> None:
        rng = self.rng
        col = item.column
        out = []
        mark = ""
        if item.validity_mark:
            mark = rng.choice(
                (
                    f'<div class="yfz-tip">该文件已{item.validity_mark}</div>',
                    f'<span class="fz-status">【已{item.validity_mark}】</span>',
                )
            )
        heading = item.title
        if item.validity_mark and rng.random() < 0.3:
            heading += f"（已{item.validity_mark}）"
        if item.meta is not None:
            out.append(self.meta_block(item))
        out.append(f'<div class="article-hd"><h1 class="title">{escape(heading)}</h1>{mark}</div>')
        if item.meta is None:
            out.append(self.info_line(item))
        paras = self.words.paragraphs(rng.randint(3, 6), item.date.year)
        body = "".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in paras)
        if item.image:
            body = (
                f'<p style="text-align:center"><img src="{item.image}" border="0" '
                f'alt="" width="600"></p>' + body
            )
        if item.broken_img:
            body += f'<p style="text-align:center"><img src="{item.broken_img}"></p>'
        body += "".join(item.body_extra)
        for text, href in item.broken_links:
            body += f'<p>点击查看：<a href="{href}" target="_blank">{escape(text)}</a></p>'
        if item.meta is not None and item.meta.get("doc_number", "无") != "无":
            d = item.date
            body += (
                f'<p style="text-align:right">{self.place}人民政府办公室</p>'
                f'<p style="text-align:right">{d.year}年{d.month}月{d.day}日</p>'
            )
        out.append(f'<div class="article-content" id="zoom">{body}</div>')
        if item.attachments:
            links = "".join(
                f'<p><a href="{href}" target="_blank">{escape(text)}</a></p>'
                for text, href in item.attachments
            )
            out.append(f'<div class="article-attach"><p class="attach-tt">附件：</p>{links}</div>')
        if item.interp is not None and item.link_doc_to_interp:
            out.append(
                '<div class="xgjd-box"><div class="box-tt">相关解读</div><ul>'
                f'<li><a href="{item.interp.path}" target="_blank">'
                f"{escape(item.interp.title)}</a></li></ul></div>"
            )
        if item.doc is not None and item.link_interp_to_doc:
            out.append(
                f'<div class="zcyw">政策原文：<a href="{item.doc.path}" target="_blank">'
                f"{escape(item.doc.title)}</a></div>"
            )
        out.append(
            '<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a>'
            '<a href="javascript:window.close()">【关闭窗口】</a></div>'
        )
        out.append(self.related(item))
        metas = {
            "ColumnName": col.name,
            "ArticleTitle": item.title,
            "PubDate": f"{item.date.isoformat()} {_clock(item)}",
            "ContentSource": item.source,
        }
        crumbs = self.col_crumbs(col)
        side = self.sidebar(col.section_key, col.key)
        title = f"{item.title}_{col.name}_{self.site_name}"
        html = self.page(
            title, f'<div class="article">{"".join(out)}</div>', crumbs, side=side, metas=metas
        )
        self.write(item.path, html)

    def write_home(self) -> None:
        cols = self.home_columns()
        first, rest = cols[0], cols[1:]
        top = first.items[0] if first.items else None
        headline = ""
        if top is not None:
            summary = self.words.paragraphs(1, top.date.year)[0][:60]
            headline = (
                f'<div class="headline"><a href="{top.path}" target="_blank">'
                f"<h3>{escape(top.title)}</h3></a><p>{escape(summary)}…</p></div>"
            )
        yw = (
            f'<div class="home-box"><div class="hd"><h3>{first.name}</h3>'
            f'<a class="more" href="{first.paths[0]}">更多+</a></div>{headline}'
            f"{self.render_list(first.items[:7], 'home')}</div>"
        )
        heads = "".join(
            ('<span class="on">' if n == 0 else "<span>") + f"{c.name}</span>"
            for n, c in enumerate(rest)
        )
        bodies = []
        for n, c in enumerate(rest):
            lis = self.render_list(c.items[:7], "home")
            lis = lis[lis.index(">") + 1 : -len("</ul>")]
            display = "block" if n == 0 else "none"
            bodies.append(
                f'<ul style="display:{display}">{lis}'
                f'<li class="more"><a href="{c.paths[0]}">更多+</a></li></ul>'
            )
        tabs = (
            f'<div class="home-box"><div class="tab-hd">{heads}</div>'
            f'<div class="tab-bd">{"".join(bodies)}</div></div>'
        )
        special = next((c for c in self.columns if c.kind == "other"), None)
        banner = ""
        if special is not None:
            banner = (
                f'<div class="zt-banner"><a href="{special.paths[0]}"><img src="/images/logo.png" '
                f'alt="{special.name}" width="1180" height="90"></a></div>'
            )
        service = "".join(
            f'<a href="https://www.zjzwfw.gov.cn/" target="_blank">{t}</a>'
            for t in ("个人办事", "法人办事", "部门服务", "便民服务", "好差评")
        )
        body = (
            f'<div class="clearfix">{yw}{tabs}</div>{banner}'
            f'<div class="service clearfix">{service}</div>'
        )
        self.write("/", self.page(self.site_name, body, []))
        self.home_defects()

    def write_extras(self) -> None:
        super().write_extras()
        self.write("/images/nodata.png", png(8, 8, (220, 220, 220)))
        columns = "".join(
            f'<dl><dt><a href="{self.section_path(k)}">{n}</a></dt>'
            + "".join(f'<dd><a href="{c.paths[0]}">{c.name}</a></dd>' for c in cols)
            + "</dl>"
            for k, n, cols in self.sections()
        )
        pages = {
            "/wzdt/index.htm": ("网站地图", f'<div class="sitemap">{columns}</div>'),
            "/lxwm/index.htm": (
                "联系我们",
                f"<p>通信地址：{self.place}人民路1号</p><p>邮政编码：{self.province[2]}</p>"
                f"<p>联系电话：{self.province[3]}-87001234（工作日 8:30-17:00）</p>",
            ),
            "/wzsm/index.htm": (
                "网站声明",
                f"<p>本网站由{self.site_name}办公室主办，所载内容版权归本网站所有。</p>"
                "<p>本网站提供的链接仅为方便用户，对链接网站的内容不承担责任。</p>",
            ),
            "/zfxxgk/xxgkzn/index.htm": (
                "政府信息公开指南",
                f"<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，"
                f"编制《{self.site_name}政府信息公开指南》。</p>"
                "<p>一、主动公开：本机关主动公开的政府信息，通过政府网站、政务新媒体等方式公开。</p>"
                "<p>二、依申请公开：公民、法人或者其他组织可以向本机关申请获取相关政府信息。</p>",
            ),
            "/zfxxgk/xxgkzd/index.htm": (
                "政府信息公开制度",
                "<p>包括政府信息公开审查制度、主动公开制度、依申请公开制度和监督保障制度。</p>",
            ),
        }
        for path, (name, text) in pages.items():
            body = (
                f'<div class="article"><h1 class="title">{name}</h1>'
                f'<div class="article-content">{text}</div></div>'
            )
            self.write(
                path, self.page(f"{name}_{self.site_name}", body, [("/", "首页"), ("", name)])
            )


class _TableSite(_Site):
    """An older layout-table site served as GB2312."""

    label_table: ClassVar[dict[str, tuple[str, ...]]] = {
        "index_number": ("索引号", "索 引 号", "索 取 号"),
        "topic": ("主题分类", "所属分类", "信息分类"),
        "publisher": ("发布机构", "发文机关", "制发机关"),
        "written_date": ("成文日期", "发文日期", "成文时间"),
        "publish_date": ("发布日期", "公布日期", "发布时间"),
        "doc_number": ("文号", "文　　号", "发文字号"),
        "validity": ("有效性", "是否有效", "效力状态"),
    }
    interp_patterns: ClassVar[tuple[str, ...]] = (
        "【政策解读】《{d}》",
        "图解：《{d}》",
        "一图读懂《{d}》",
        "《{d}》政策解读",
    )
    column_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "yw": ("政务要闻", "本地新闻", "要闻动态"),
        "gzdt": ("工作动态", "部门动态"),
        "xzdt": ("乡镇动态", "乡镇传真"),
        "tzgg": ("通知公告", "公示公告", "公告栏"),
        "gfxwj": ("规范性文件", "政府文件"),
        "rsxx": ("人事信息", "人事任免"),
        "ghjh": ("规划计划", "计划总结"),
        "ztzl": ("专题专栏", "专题报道"),
    }
    dead_search = "/Search.asp"
    _section_ids: ClassVar[dict[str, int]] = {"xwzx": 1, "zwgk": 2, "zcwj": 3}

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.site_code = f"{self.province[2][:4]}{self.seed % 1000:03d}002"[:10]

    def write(self, path: str, data: bytes | str) -> None:
        if isinstance(data, str) and "charset=gb2312" in data[:400]:
            data = data.encode("gbk", errors="xmlcharrefreplace")
        super().write(path, data)

    def leak_html(self, name: str, text: str) -> str:
        label, _, value = text.partition("：")
        return (
            '<table width="90%" border="1" align="center" cellpadding="2" cellspacing="0" '
            'style="border-collapse:collapse"><tr><td>公示对象</td><td>'
            f"{name}</td><td>{label}</td><td>{value}</td></tr></table>"
        )

    def cid(self, col: _Column) -> int:
        return 10 + self.columns.index(col) * 3

    def column_path(self, col: _Column, page: int) -> str:
        base = f"/Article/Class{self.cid(col)}/"
        return base + ("Index.html" if page == 0 else f"List_{page + 1}.html")

    def item_path(self, item: _Item) -> str:
        return f"/Article/Class{self.cid(item.column)}/{item.date:%Y%m}/{item.id}.html"

    def file_path(self, item: _Item, n: int, ext: str) -> str:
        return f"/UploadFiles/{item.date:%Y%m}/{item.date:%Y%m%d}{item.id}{n}.{ext}"

    def section_path(self, key: str) -> str:
        return f"/Article/Class{self._section_ids[key]}/Index.html"

    def col_crumbs(self, col: _Column) -> list[tuple[str, str]]:
        section = self.section_path(col.section_key)
        return [("/", "网站首页"), (section, col.section), (col.paths[0], col.name)]

    def search_form(self) -> str:
        if self.search_mode == "missing":
            return ""
        action = "/search/" if self.search_mode == "ok" else self.dead_search
        return (
            f'<form name="search" method="get" action="{action}" target="_blank" '
            'style="margin:0px"><select name="field"><option value="title" selected>标题'
            '</option><option value="content">内容</option></select> '
            '<input name="keyword" type="text" size="16" value="请输入关键字" '
            "onfocus=\"this.value=''\"> "
            '<input type="image" src="/images/search.png" align="absmiddle" border="0"></form>'
        )

    def header(self) -> str:
        cells = ['<td align="center" class="bai14"><a href="/">网站首页</a></td>']
        seen = set()
        for col in self.columns:
            if col.section_key not in seen:
                seen.add(col.section_key)
                cells.append(
                    f'<td align="center" class="bai14"><a href="'
                    f'{self.section_path(col.section_key)}">{col.section}</a></td>'
                )
        for col in self.columns:
            if col.kind in ("news", "notice", "interp", "personnel"):
                cells.append(
                    f'<td align="center" class="bai14"><a href="{col.paths[0]}">{col.name}</a></td>'
                )
        sep = '<td width="2"><img src="/images/line.png" width="2" height="36"></td>'
        sub = " | ".join(
            f'<a href="{c.paths[0]}" target="_self"><font color="#0A4C8C">{c.name}</font></a>'
            for c in self.columns
        )
        nav = sep.join(cells)
        return (
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
            'bgcolor="#FFFFFF"><tr><td height="28" class="hui12">&nbsp;今天是：'
            '<script language="javascript">showDate();</script>　'
            '<a href="#" onclick="this.style.behavior=\'url(#default#homepage)\';">设为首页</a>'
            ' | <a href="javascript:AddFavorite(location.href,document.title)">加入收藏</a></td>'
            f'<td align="right">{self.search_form()}</td></tr>'
            '<tr><td colspan="2"><img src="/images/logo.png" width="1000" height="140" '
            'border="0"></td></tr></table>'
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
            f'background="/images/navbg.png"><tr height="36">{nav}</tr></table>'
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
            f'bgcolor="#F2F6FB"><tr><td height="30" class="hui12">&nbsp;{sub}</td></tr></table>'
        )

    def footer(self) -> str:
        prov, _, region, area = self.province
        drop = self.dropped_identifier
        police = f"{region}02{self.seed % 100000:06d}"
        icp = f"{prov}ICP备{10000000 + self.seed * 53 % 89999999}号"
        lines = [
            '<a href="/">设为首页</a> | <a href="javascript:AddFavorite(location.href,'
            'document.title)">加入收藏</a> | <a href="/Article/lxwm.html">联系我们</a>',
            f"Copyright &copy; 2009-2026 {self.site_name} 版权所有　转载请注明出处",
        ]
        if drop != "主办单位":
            lines.append(f"主办：{self.site_name}办公室　承办：{self.place}信息中心")
        lines.append(
            f"地址：{self.place}人民路1号　邮编：{region}　电话：{area}-87{self.seed % 1000:03d}"
            f"{self.seed % 89 + 10:02d}7"
        )
        ids = []
        if drop != "网站标识码":
            ids.append(f"网站标识码：{self.site_code}")
        if drop != "ICP备案编号":
            ids.append(f'<a href="https://beian.miit.gov.cn/" target="_blank">{icp}</a>')
        if ids:
            lines.append("　".join(ids))
        if drop != "公安机关备案号":
            lines.append(
                '<img src="/images/ga.png" align="absmiddle" border="0"> '
                f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={police}"'
                f' target="_blank">{prov}公网安备 {police}号</a>'
            )
        badge = ""
        if drop != "党政机关网站标识":
            code = f"{region[:2]}000{self.seed % 10000:04d}{self.org_hint()}"
            badge = (
                '<span id="_ideConac"></span><script type="text/javascript" '
                f'src="https://dcs.conac.cn/js/{region[:2]}/000/0000/{code}/CA{code}0001.js">'
                "</script>"
            )
        jiucuo = ""
        if drop != "网站标识码":
            jiucuo = (
                f'<script id="_jiucuo_" sitecode="{self.site_code}" '
                'src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
            )
        return (
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
            'class="bottom"><tr><td width="120" align="center">'
            f'{badge}</td><td align="center" class="hui12" style="line-height:24px">'
            f'{"<br>".join(lines)}</td><td width="120" align="center">{jiucuo}</td></tr></table>'
        )

    def org_hint(self) -> str:
        return f"{(self.seed * 31) % 1000:03d}"

    def left_column(self, section_key: str, here: str) -> str:
        cols = [c for c in self.columns if c.section_key == section_key]
        name = cols[0].section if cols else ""
        rows = "".join(
            '<tr><td height="28" style="border-bottom:1px dashed #C9D8EA">&nbsp;'
            f'<img src="/images/dot.png" width="9" height="9"> <a href="{_rel(here, c.paths[0])}">'
            f"{c.name}</a></td></tr>"
            for c in cols
        )
        links = "".join(f'<option value="{u}">{escape(n)}</option>' for n, u in _GOV_LINKS)
        local = ""
        for group, pairs in _local_links(self.place):
            trs = "".join(
                f'<tr><td height="24">&nbsp;·<a href="{u}" target="_blank">{escape(n)}</a>'
                "</td></tr>"
                for n, u in pairs
            )
            local += (
                '<br><table width="100%" border="0" cellpadding="0" cellspacing="0" '
                f'class="lm_bg"><tr><td class="lm_tt bai14">&nbsp;{group}</td></tr>{trs}</table>'
            )
        return (
            '<table width="100%" border="0" cellpadding="0" cellspacing="0" class="lm_bg">'
            f'<tr><td class="lm_tt bai14">&nbsp;{name}</td></tr>{rows}</table><br>'
            '<table width="100%" border="0" cellpadding="0" cellspacing="0" class="lm_bg">'
            '<tr><td class="lm_tt bai14">&nbsp;政府网站链接</td></tr><tr><td height="40" '
            'align="center"><select name="links" onchange="MM_jumpMenu(\'parent\',this,0)">'
            f"<option selected>--请选择--</option>{links}</select></td></tr></table>{local}"
        )

    def page(
        self,
        title: str,
        body: str,
        crumbs: list[tuple[str, str]],
        *,
        left: str = "",
    ) -> str:
        crumb = ""
        if crumbs:
            links = " → ".join(
                f'<a href="{h}">{escape(t)}</a>' if h else escape(t) for h, t in crumbs
            )
            crumb = (
                '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
                'bgcolor="#FFFFFF"><tr><td height="30" class="hui12">&nbsp;'
                '<img src="/images/dot.png" width="9" height="9"> '
                f"所在位置：{links}</td></tr></table>"
            )
        if left:
            main = (
                '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
                f'bgcolor="#FFFFFF"><tr valign="top"><td width="230">{left}</td>'
                f'<td width="10">&nbsp;</td><td width="760">{body}</td></tr></table>'
            )
        else:
            main = (
                '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" '
                f'bgcolor="#FFFFFF"><tr valign="top"><td>{body}</td></tr></table>'
            )
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
            '"http://www.w3.org/TR/html4/loose.dtd">\r\n<html>\r\n<head>\r\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\r\n'
            f"<title>{escape(title)}</title>\r\n"
            f'<meta name="keywords" content="{self.site_name},政务公开,政府信息公开">\r\n'
            '<link href="/css/style.css" rel="stylesheet" type="text/css">\r\n'
            f'{_OLD_STYLE}\r\n{_OLD_SCRIPT}\r\n<script language="javascript" '
            'src="/js/common.js"></script>\r\n</head>\r\n'
            '<body leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">\r\n'
            f"{self._header}\r\n{crumb}\r\n{main}\r\n{self._footer}\r\n</body>\r\n</html>\r\n"
        )

    def render_list(self, items: list[_Item], style: str, cls: str = "", here: str = "") -> str:
        rows = []
        for n, it in enumerate(items):
            text = it.title if len(it.title) <= 28 else it.title[:26] + "..."
            if len(it.title) > 28:
                self.manifest.traps["truncated_title"] += 1
            pin = ""
            if style == "list" and n == 0 and it.column.pinned_old and it is it.column.items[0]:
                pin = '<font color="#FF0000">[置顶]</font>'
            new = ""
            if (self.today - it.date).days <= 3:
                new = ' <img src="/images/new.png" border="0">'
            if style == "home":
                date = (
                    f"{it.date.month}-{it.date.day}"
                    if (self.today - it.date).days < 300
                    else _ymd(it.date)
                )
            else:
                date = _ymd(it.date)
            rows.append(
                '<tr><td width="15" height="26" align="center"><img src="/images/dot.png" '
                f'width="9" height="9"></td><td class="hui12">{pin}<a href="{_rel(here, it.path)}" '
                f'target="_blank" title="{escape(it.title)}">{escape(text)}</a>{new}</td>'
                f'<td width="80" align="right"><font color="#999999">{date}</font></td></tr>'
            )
            if style == "list":
                rows.append('<tr><td colspan="3" height="1" bgcolor="#DDDDDD"></td></tr>')
        return (
            '<table width="100%" border="0" cellspacing="0" cellpadding="0">'
            f"{''.join(rows)}</table>"
        )

    def pager(self, col: _Column, page: int) -> str:
        total = len(col.paths)
        here = col.paths[page]

        def link(p: int, text: str) -> str:
            return f'[<a href="{_rel(here, col.paths[p])}">{text}</a>]'

        parts = [
            f'共 <font color="#FF0000">{len(col.items)}</font> 条记录　'
            f'页次：<font color="#FF0000">{page + 1}</font>/{total}页　每页 {self.per_page} 条　'
        ]
        parts.append(link(0, "首页") if page > 0 else "[首页]")
        parts.append(link(page - 1, "上一页") if page > 0 else "[上一页]")
        parts.append(link(page + 1, "下一页") if page + 1 < total else "[下一页]")
        parts.append(link(total - 1, "尾页") if page + 1 < total else "[尾页]")
        options = "".join(
            f'<option value="{_rel(here, p)}"{" selected" if i == page else ""}>'
            f"第{i + 1}页</option>"
            for i, p in enumerate(col.paths)
        )
        parts.append(
            '　转到：<select name="page" onchange="javascript:window.location=this.options'
            f'[this.selectedIndex].value;">{options}</select>'
        )
        return (
            '<table width="100%" border="0"><tr><td align="center" height="36" class="fy">'
            f"{' '.join(parts)}</td></tr></table>"
        )

    def column_page(self, col: _Column, n: int, chunk: list[_Item]) -> str:
        here = col.paths[n]
        if chunk:
            inner = self.render_list(chunk, "list", here=here) + self.pager(col, n)
        else:
            inner = (
                '<table width="100%" border="0"><tr><td height="80" align="center">'
                '<font color="#999999">本栏目暂无内容！</font></td></tr></table>'
            )
        head = (
            '<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
            '<td height="32" class="lan14" style="border-bottom:2px solid #2F6CB1">'
            f"&nbsp;{col.name}"
            "</td></tr></table>"
        )
        left = self.left_column(col.section_key, here)
        return self.page(
            f"{self.site_name}--{col.name}", head + inner, self.col_crumbs(col), left=left
        )

    def section_page(self, key: str, name: str, cols: list[_Column]) -> str:
        here = self.section_path(key)
        boxes = []
        for col in cols:
            boxes.append(
                '<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
                f'<td height="30" class="lan14">&nbsp;{col.name}</td><td align="right">'
                f'<a href="{_rel(here, col.paths[0])}">更多&gt;&gt;</a></td></tr>'
                '<tr><td colspan="2">'
                f"{self.render_list(col.items[:5], 'list', here=here)}</td></tr></table>"
            )
        crumbs = [("/", "网站首页"), ("", name)]
        return self.page(
            f"{self.site_name}--{name}", "".join(boxes), crumbs, left=self.left_column(key, here)
        )

    def meta_block(self, item: _Item) -> str:
        assert item.meta is not None
        fields = [(item.labels[k], item.meta[k]) for k in _FIELD_ORDER if k in item.meta]

        def val(v: str) -> str:
            return escape(v) if v else "&nbsp;"

        layout = item.meta_layout
        if layout == "inline":  # every pair on a line, separated by spaces
            lines = []
            for i in range(0, len(fields), 2):
                lines.append("　　".join(f"{escape(k)}：{escape(v)}" for k, v in fields[i : i + 2]))
            return (
                '<table width="96%" border="0" align="center"><tr><td align="center" '
                f'class="hui12" bgcolor="#F5F5F5">{"<br>".join(lines)}</td></tr></table>'
            )
        if layout == "td2":  # one pair a row, labels in bold without colons
            trs = "".join(
                f'<tr><td width="20%" align="right" bgcolor="#F2F2F2"><strong>{escape(k)}'
                f"</strong></td><td>{val(v)}</td></tr>"
                for k, v in [("文件名称", item.title), *fields]
            )
            return (
                '<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0" '
                f'class="xxgk_table">{trs}</table>'
            )
        rows: list[str] = []
        pairs = [fields[i : i + 2] for i in range(0, len(fields), 2)]
        for n, pair in enumerate(pairs):
            cells = "".join(
                '<td width="15%" align="right" bgcolor="#F2F2F2"><font color="#333333"><b>'
                f'{escape(k)}：</b></font></td><td width="35%">{val(v)}</td>'
                for k, v in pair
            )
            if len(pair) == 1:
                cells += '<td width="15%" bgcolor="#F2F2F2">&nbsp;</td><td>&nbsp;</td>'
            rows.append(f"<tr>{cells}</tr>")
            if n == 0:
                rows.append(
                    '<tr><td align="right" bgcolor="#F2F2F2"><font color="#333333"><b>名　　称：'
                    f'</b></font></td><td colspan="3">{escape(item.title)}</td></tr>'
                )
        return (
            '<table width="96%" border="1" align="center" cellpadding="0" cellspacing="0" '
            'bordercolor="#CCCCCC" style="border-collapse:collapse" class="xxgk_table">'
            f'<tr><td colspan="4" bgcolor="#2F6CB1" class="bai14">&nbsp;信息索引</td></tr>'
            f"{''.join(rows)}</table>"
        )

    def info_line(self, item: _Item) -> str:
        rng = self.rng
        parts = [f"发布日期：{_ymd(item.date)} {_clock(item)}:00"]
        if item.repost and item.source:
            parts.append(
                rng.choice((f"转载自：{item.source}", f"信息来源：{item.source}　【转载】"))
            )
        elif item.repost:
            parts.append(rng.choice(("信息来源：　【转载】", "【转载】")))
        else:
            parts.append(f"信息来源：{item.source}")
        parts.append(f'点击数：<font color="#FF0000">{rng.randint(10, 9999)}</font>')
        parts.append(
            '【字体：<a href="javascript:fontZoom(16)">大</a> <a href="javascript:fontZoom(14)">'
            '中</a> <a href="javascript:fontZoom(12)">小</a>】'
        )
        return (
            '<tr><td align="center" height="30" class="hui12" style="border-bottom:1px dashed '
            f'#CCCCCC">{"　".join(parts)}</td></tr>'
        )

    def related(self, item: _Item) -> str:
        siblings = [it for it in item.column.items[:4] if it is not item][:3]
        links = [(it.title, it.path) for it in siblings]
        if item.related_override is not None:
            links = [item.related_override, *links[:2]]
        if not links:
            return ""
        rows = "".join(
            f'<tr><td height="24">·<a href="{_rel(item.path, h)}" target="_blank">{escape(t)}</a>'
            "</td></tr>"
            for t, h in links
        )
        return (
            '<table width="96%" border="0" align="center"><tr><td class="hui14b">相关文章：</td>'
            f"</tr>{rows}</table>"
        )

    def write_item(self, item: _Item) -> None:
        rng = self.rng
        col = item.column
        here = item.path
        rows = []
        if item.meta is not None:
            rows.append(f'<tr><td height="10"></td></tr><tr><td>{self.meta_block(item)}</td></tr>')
        heading = item.title
        if item.validity_mark and rng.random() < 0.3:
            heading += f"（已{item.validity_mark}）"
        rows.append(
            '<tr><td align="center" height="60"><font style="font-size:22px" color="#CC0000"><b>'
            f"{escape(heading)}</b></font></td></tr>"
        )
        if item.validity_mark:
            mark = rng.choice(
                (
                    f'<font color="#FF0000">【此文件已{item.validity_mark}】</font>',
                    f'<font color="#FF0000"><b>本文件已{item.validity_mark}</b></font>',
                )
            )
            rows.append(f'<tr><td align="center">{mark}</td></tr>')
        if item.meta is None:
            rows.append(self.info_line(item))
        paras = self.words.paragraphs(rng.randint(3, 6), item.date.year)
        body = "".join(
            f'<p><font face="仿宋_GB2312" size="4">{escape(p)}</font></p>' for p in paras
        )
        if item.image:
            body = (
                f'<p align="center"><img src="{_rel(here, item.image)}" border="0" '
                'width="500"></p>' + body
            )
        if item.broken_img:
            body += f'<p align="center"><img src="{item.broken_img}" border="0"></p>'
        body += "".join(item.body_extra)
        for text, href in item.broken_links:
            body += (
                f'<p>相关链接：<a href="{_rel(here, href)}" target="_blank">{escape(text)}</a></p>'
            )
        if item.meta is not None and item.meta.get("doc_number", "无") != "无":
            d = item.date
            body += (
                f'<p align="right">{self.place}人民政府办公室</p>'
                f'<p align="right">{d.year}年{d.month}月{d.day}日</p>'
            )
        rows.append(f'<tr><td class="content" id="fontzoom">{body}</td></tr>')
        if item.attachments:
            links = "<br>".join(
                f'<a href="{_rel(here, href)}" target="_blank">{escape(text)}</a>'
                for text, href in item.attachments
            )
            rows.append(f'<tr><td class="hui12"><b>附件：</b><br>{links}</td></tr>')
        if item.interp is not None and item.link_doc_to_interp:
            rows.append(
                '<tr><td height="30"><font color="#CC0000"><b>【相关解读】</b></font>'
                f'<a href="{_rel(here, item.interp.path)}" target="_blank">'
                f"{escape(item.interp.title)}</a></td></tr>"
            )
        if item.doc is not None and item.link_interp_to_doc:
            rows.append(
                '<tr><td height="30"><font color="#0000FF">相关文件：</font>'
                f'<a href="{_rel(here, item.doc.path)}" target="_blank">'
                f"{escape(item.doc.title)}</a></td></tr>"
            )
        rows.append(
            '<tr><td align="right" class="hui12">'
            '【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>'
        )
        body_table = (
            '<table width="100%" border="0" cellpadding="0" cellspacing="0">'
            f"{''.join(rows)}</table>{self.related(item)}"
        )
        crumbs = [*self.col_crumbs(col), ("", "正文")]
        left = self.left_column(col.section_key, here)
        self.write(
            here, self.page(f"{item.title}--{self.site_name}", body_table, crumbs, left=left)
        )

    def write_home(self) -> None:
        cols = self.home_columns()

        def box(col: _Column, width: str) -> str:
            return (
                f'<td width="{width}" valign="top"><table width="100%" border="0" cellpadding="0" '
                f'cellspacing="0" class="lm_bg"><tr><td class="lm_tt bai14">&nbsp;{col.name}</td>'
                f'<td class="lm_tt" align="right"><a href="{col.paths[0]}"><font color="#FFFFFF">'
                f'更多&gt;&gt;</font></a>&nbsp;</td></tr><tr><td colspan="2">'
                f"{self.render_list(col.items[:7], 'home', here='/')}</td></tr></table></td>"
            )

        pics = [it for it in self.items if it.image][:1]
        pic = ""
        if pics:
            it = pics[0]
            pic = (
                f'<td width="300" align="center" valign="top"><a href="{it.path}" target="_blank">'
                f'<img src="{it.image}" width="290" height="200" border="0"></a><br>'
                f'<a href="{it.path}" target="_blank">{escape(it.title[:18])}</a></td>'
            )
        rows = []
        for i in range(0, len(cols), 2):
            pair = cols[i : i + 2]
            cells = '<td width="10"></td>'.join(box(c, "50%") for c in pair)
            if i == 0:
                cells = pic + cells
            rows.append(f'<tr>{cells}</tr><tr><td height="10" colspan="5"></td></tr>')
        body = (
            '<table width="100%" border="0" cellpadding="0" cellspacing="0">'
            f"{''.join(rows)}</table>"
        )
        self.write("/", self.page(f"{self.site_name}--欢迎您", body, []))
        self.home_defects()

    def write_extras(self) -> None:
        super().write_extras()
        for name, rgb in (
            ("navbg", (47, 108, 177)),
            ("line", (255, 255, 255)),
            ("dot", (47, 108, 177)),
            ("new", (255, 0, 0)),
            ("search", (47, 108, 177)),
        ):
            self.write(f"/images/{name}.png", png(6, 6, rgb))
        text = (
            f"<p>通信地址：{self.place}人民路1号　邮政编码：{self.province[2]}</p>"
            f"<p>联系电话：{self.province[3]}-87001234</p>"
        )
        crumbs = [("/", "网站首页"), ("", "联系我们")]
        self.write("/Article/lxwm.html", self.page(f"{self.site_name}--联系我们", text, crumbs))


_SITE_CLASSES: dict[str, type[_Site]] = {"xxgk": _XxgkSite, "oldtable": _TableSite}


def _is_html(path: str) -> bool:
    return path.endswith((".html", ".htm", "/"))


def _short_name(title: str) -> str:
    """The document's own name: 《…》 inside a 印发 title, else the title without 关于."""
    if "《" in title and "》" in title:
        return title[title.index("《") + 1 : title.index("》")]
    return title


def _overlap(a: str, b: str) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb)))


def generate(
    dest: Path,
    *,
    seed: int,
    pages: int,
    today: dt.date,
    defects: bool = True,
    family: str | None = None,
) -> Manifest:
    """Write a site of about `pages` HTML pages into `dest` (created if missing) and return
    what was injected. The same arguments always give the same site."""
    family = family or FAMILIES[seed % len(FAMILIES)]
    if family not in _FAMILY:
        raise ValueError(f"unknown template family {family!r}; one of {ALL_FAMILIES}")
    dest.mkdir(parents=True, exist_ok=True)
    site_class = _SITE_CLASSES.get(family, _Site)
    return site_class(dest, seed, pages, today, defects, family).run()


def write_manifest(manifest: Manifest, path: Path) -> None:
    path.write_text(json.dumps(manifest.to_json(), ensure_ascii=False, indent=1), "utf-8")


# --- a loopback server for tests ---------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path | str) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (an ephemeral port) in a thread; yields the base URL
    without a trailing slash."""
    handler: Callable[..., Any] = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="testsite", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
