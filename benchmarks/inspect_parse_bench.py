"""Per-page cost of the website inspector's parser and content checks, on one core.

    .venv/bin/python benchmarks/inspect_parse_bench.py [--pages 600] [--runs 3] [--seed 7]
        [--set standard|large|both]

Generates realistic pages (Chinese, a navigation bar, a breadcrumb, a list of dated items or a
policy document with its metadata block, a footer with the identifiers) in the shapes Chinese
government sites use, several layouts mixed by seed, then times `parse_page` followed by every
content check's `on_page`, page by page. Prints the median and p95 per page for the parse, the
checks and the whole, and pages/s on one core, for each set of pages:

- standard: 12–23 KB (15 KB median), a navigation menu of 54 links; the set earlier figures
  were measured on, generated exactly as before for a seed;
- large: 20–30 KB, a navigation menu of 60–80 links with sub-menus, a longer list or
  document, a sidebar and a block of links to other departments' sites, as on many city and
  district portals.

Target: the whole well under 1 ms median, so the crawler can check > 1000 pages/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.inspect.checks import build  # noqa: E402
from gongkai.inspect.checks.content import CONTENT_CHECKS  # noqa: E402
from gongkai.inspect.config import InspectConfig  # noqa: E402
from gongkai.inspect.page import parse_page  # noqa: E402
from gongkai.inspect.site import QuietProbe, Site  # noqa: E402

TODAY = dt.date(2026, 3, 20)
HOST = "https://www.example.gov.cn"
WORDS = [
    "深化",
    "政务公开",
    "标准化",
    "规范化",
    "建设",
    "推进",
    "决策",
    "执行",
    "管理",
    "服务",
    "结果",
    "公开",
    "优化",
    "营商环境",
    "全面",
    "落实",
    "政府信息公开条例",
    "要求",
    "加强",
    "政策解读",
    "回应关切",
    "做好",
    "基层",
    "重点领域",
    "信息",
    "发布",
    "统筹",
    "协调",
    "安全生产",
    "民生保障",
    "乡村振兴",
    "高质量发展",
    "数字政府",
    "一网通办",
    "便民",
    "服务",
    "事项",
    "清单",
    "动态",
    "调整",
    "监督",
    "检查",
    "考核",
    "评估",
    "工作",
    "会议",
    "召开",
    "部署",
    "年度",
    "任务",
]
COLUMNS = (
    ("工作动态", "gzdt"),
    ("通知公告", "tzgg"),
    ("政策文件", "zcwj"),
    ("人事信息", "rsxx"),
    ("规划计划", "ghjh"),
    ("部门动态", "bmdt"),
)
LABELS = (
    ("索引号", "信息索引号", "索 引 号"),
    ("发布机构", "发文机关", "发布单位"),
    ("成文日期", "成文时间", "印发日期"),
    ("发布日期", "公开日期", "发布时间"),
    ("文号", "发文字号", "文件编号"),
    ("有效性", "时效", "生效状态"),
    ("主题分类", "分类", "主题词"),
)


def sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n))


def day(rng: random.Random, within: int) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randrange(within))


def date_text(rng: random.Random, d: dt.date) -> str:
    form = rng.randrange(4)
    if form == 0:
        return d.isoformat()
    if form == 1:
        return d.strftime("%Y/%m/%d")
    if form == 2:
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%Y.%m.%d")


def nav(rng: random.Random) -> str:
    options = "".join(
        f'<option value="https://www.dept{i}.example.gov.cn/">{sentence(rng, 2)}</option>'
        for i in range(30)
    )
    items = "".join(
        f'<li><a href="/{slug}/">{name}</a><ul class="sub">'
        + "".join(
            f'<li class="sub-item"><a href="/{slug}/s{i}/" target="_blank" '
            f'style="color:#333;font-size:14px">{sentence(rng, 2)}</a></li>'
            for i in range(8)
        )
        + "</ul></li>"
        for name, slug in COLUMNS
    )
    return (
        '<div class="header"><div class="logo"><img src="/images/logo.png" alt="某市人民政府">'
        '</div><form action="/search/" method="get"><input type="text" name="searchword">'
        '<input type="submit" value="搜索"></form></div>'
        f'<div class="nav"><ul>{items}</ul></div>'
        f'<div class="links"><select onchange="window.open(this.value)">{options}</select></div>'
    )


def footer(rng: random.Random) -> str:
    style = rng.randrange(3)
    inner = (
        '<a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a><br>'
        "主办单位：某市人民政府办公室　承办：某市大数据中心<br>"
        '网站标识码：4207000016　<a href="https://beian.miit.gov.cn/">京ICP备05070218号</a>'
        '　<img src="/images/ga.png" alt="公安备案">京公网安备 11010202000001号<br>'
        '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=1"><img '
        'src="/images/red.png" alt="党政机关"></a>　联系电话：010-12345678　服务热线：12345'
    )
    if style == 0:
        return f"<footer>{inner}</footer>"
    if style == 1:
        return f'<div class="footer"><div class="copyright">{inner}</div></div>'
    return f'<div id="bottom"><p>{inner}</p></div>'


def list_body(rng: random.Random, column: tuple[str, str], n: int) -> str:
    name, slug = column
    fresh = rng.randrange(3) != 0
    style = rng.randrange(3)
    rows = []
    for i in range(n):
        d = day(rng, 30 if fresh else 900)
        title = sentence(rng, rng.randrange(6, 12))
        href = f"/{slug}/2026{i:02d}/t2026_{rng.randrange(10**6)}.html"
        if style == 0:
            rows.append(f'<li><a href="{href}" title="{title}">{title}</a>'
                        f"<span>{date_text(rng, d)}</span></li>")  # fmt: skip
        elif style == 1:
            rows.append(f'<tr><td><a href="{href}">{title}</a></td>'
                        f"<td>{date_text(rng, d)}</td></tr>")  # fmt: skip
        else:
            rows.append(f'<div class="item"><a href="{href}">{title}</a>'
                        f'<em class="date">[{d:%m-%d}]</em></div>')  # fmt: skip
    items = "".join(rows)
    if style == 0:
        block = f'<ul class="list">{items}</ul>'
    elif style == 1:
        block = f'<table class="list">{items}</table>'
    else:
        block = f'<div class="list">{items}</div>'
    pages = "".join(f'<a href="/{slug}/index_{i}.html">{i}</a>' for i in range(1, 8))
    return (
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/{slug}/">{name}</a>'
        f'</div><div class="main"><h2>{name}</h2>{block}<div class="page">{pages}</div></div>'
    )


def document_body(rng: random.Random) -> str:
    labels = [rng.choice(v) for v in LABELS]
    values = [
        f"11010000{rng.randrange(10**6):06d}/2026-{rng.randrange(10**5):05d}",
        "某市人民政府办公室",
        date_text(rng, day(rng, 60)),
        date_text(rng, day(rng, 60)),
        f"某政办发〔2026〕{rng.randrange(1, 60)}号",
        rng.choice(("有效", "有效", "已废止")),
        "综合政务",
    ]
    layout = rng.randrange(3)
    if layout == 0:
        cells = "".join(
            f"<tr><th>{label}：</th><td>{value}</td></tr>"
            for label, value in zip(labels, values, strict=True)
        )
        meta = f'<table class="xxgk">{cells}</table>'
    elif layout == 1:
        cells = "".join(
            f"<dt>{label}</dt><dd>{value}</dd>" for label, value in zip(labels, values, strict=True)
        )
        meta = f'<dl class="meta">{cells}</dl>'
    else:
        cells = "".join(
            f"<li><span>{label}：</span>{value}</li>"
            for label, value in zip(labels, values, strict=True)
        )
        meta = f'<ul class="info">{cells}</ul>'
    title = "某市人民政府办公室关于" + sentence(rng, 5) + "的通知"
    paras = "".join(
        f'<p style="text-indent:2em;line-height:1.8">{sentence(rng, rng.randrange(30, 70))}。</p>'
        for _ in range(24)
    )
    return (
        '<div class="crumb">您的位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a> '
        f'&gt; 正文</div><div class="article">{meta}<h1>{title}</h1>'
        f'<div class="content">{paras}<p><a href="/zcjd/1.html">【政策解读】{title}</a></p>'
        f'<p>附件：<a href="/files/a.docx">附件1</a></p></div></div>'
    )


def big_nav(rng: random.Random) -> str:
    """A long menu: 60–80 links in columns with sub-menus, as on city and district portals."""
    total = rng.randrange(60, 81)
    per = [total // len(COLUMNS)] * len(COLUMNS)
    for i in range(total - sum(per)):
        per[i] += 1
    items = "".join(
        f'<li class="nav-item"><a href="/{slug}/" class="nav-link">{name}</a>'
        '<div class="sub-menu"><ul>'
        + "".join(
            f'<li><a href="/{slug}/{slug}{i:02d}/index.html" target="_self" '
            f'title="{sentence(rng, 3)}">{sentence(rng, 2)}</a></li>'
            for i in range(n - 1)
        )
        + "</ul></div></li>"
        for (name, slug), n in zip(COLUMNS, per, strict=True)
    )
    return (
        '<div class="top-bar"><span>今天是2026年3月20日</span><a href="/wza/">无障碍</a>'
        '<a href="/en/">English</a><a href="/m/">手机版</a></div>'
        '<div class="header"><div class="logo"><img src="/images/logo.png" alt="某市人民政府">'
        '</div><form action="/search/" method="get"><input type="text" name="searchword">'
        '<input type="submit" value="搜索"></form></div>'
        f'<div class="nav"><ul class="nav-list">{items}</ul></div>'
    )


def specials(rng: random.Random) -> str:
    """专题专栏: banner images that link to topic pages."""
    items = "".join(
        f'<li><a href="/ztzl/zt{i}/index.html" target="_blank" title="{sentence(rng, 3)}">'
        f'<img src="/images/zt/zt{i}.jpg" alt="{sentence(rng, 3)}" width="280" height="80">'
        "</a></li>"
        for i in range(rng.randrange(10, 17))
    )
    return f'<div class="special"><h3>专题专栏</h3><ul class="zt-list">{items}</ul></div>'


def departments(rng: random.Random) -> str:
    links = "".join(
        f'<li><a href="https://www.dept{i}.example.gov.cn/" target="_blank">'
        f"{sentence(rng, 2)}局</a></li>"
        for i in range(rng.randrange(12, 24))
    )
    return f'<div class="dept-links"><h3>部门网站</h3><ul>{links}</ul></div>'


def page_html(rng: random.Random, kind: str, *, large: bool = False) -> str:
    if large:
        return large_page_html(rng, kind)
    if kind == "list":
        body = list_body(rng, rng.choice(COLUMNS), rng.randrange(15, 30))
    elif kind == "home":
        body = "".join(list_body(rng, c, 10) for c in COLUMNS[:4])
    else:
        body = document_body(rng)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市人民政府</title>'
        '<link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.js"></script>'
        "<script>var _hmt = _hmt || []; (function(){ var x = 1; })();</script>"
        f"<style>.nav li{{float:left}} .list li{{height:30px}}</style></head><body>"
        f'{nav(rng)}<div class="container">{body}{sidebar(rng)}</div>{footer(rng)}'
        '<script>$(function(){ $(".nav li").hover(function(){ $(this).addClass("on"); }); });'
        "</script></body></html>"
    )


def large_page_html(rng: random.Random, kind: str) -> str:
    if kind == "list":
        body = list_body(rng, rng.choice(COLUMNS), rng.randrange(30, 45))
    elif kind == "home":
        body = "".join(list_body(rng, c, 8) for c in COLUMNS)
    else:
        body = document_body(rng)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市人民政府</title>'
        '<meta name="keywords" content="某市,人民政府,政务公开"><link rel="stylesheet" '
        'href="/css/main.css"><link rel="stylesheet" href="/css/sub.css"><script '
        'src="/js/jquery.js"></script><script>var _hmt = _hmt || []; (function(){ var x = 1; '
        "})();</script><style>.nav li{float:left} .list li{height:30px}</style></head><body>"
        f'{big_nav(rng)}<div class="container">{body}{sidebar(rng)}{specials(rng)}'
        f"{departments(rng)}</div>"
        f"{footer(rng)}"
        '<script>$(function(){ $(".nav li").hover(function(){ $(this).addClass("on"); }); });'
        "</script></body></html>"
    )


def sidebar(rng: random.Random) -> str:
    hot = "".join(f'<li><a href="/rdzt/{i}.html">{sentence(rng, 5)}</a></li>' for i in range(10))
    return f'<div class="side"><h3>热点专题</h3><ul>{hot}</ul></div>'


def generate(n: int, seed: int, *, large: bool = False) -> list[tuple[str, bytes, bool]]:
    rng = random.Random(seed)  # noqa: S311 - page content, not secrets
    pages = []
    for i in range(n):
        kind = "home" if i == 0 else rng.choice(("list", "list", "document"))
        url = f"{HOST}/p{i}/index.html" if i else f"{HOST}/"
        pages.append((url, page_html(rng, kind, large=large).encode(), i == 0))
    return pages


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(pages: list[tuple[str, bytes, bool]], runs: int) -> None:
    sizes = [len(body) for _, body, _ in pages]
    print(f"{len(pages)} pages, {statistics.median(sizes) / 1024:.1f} KB median "
          f"({min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB)")  # fmt: skip
    config = InspectConfig(start_urls=[HOST + "/"], today=TODAY)
    parse_t: list[float] = []
    check_t: list[float] = []
    findings = 0
    links = 0
    checks = []
    for _ in range(runs):
        site = Site(config, TODAY, HOST + "/", {"www.example.gov.cn"}, QuietProbe())
        checks = [c for c in build(config) if type(c) in CONTENT_CHECKS]
        for url, body, is_home in pages:
            t0 = time.perf_counter()
            page = parse_page(url, url, 200, "text/html; charset=utf-8", body, is_home=is_home)
            t1 = time.perf_counter()
            for check in checks:
                findings += len(list(check.on_page(page, site)))
            t2 = time.perf_counter()
            parse_t.append(t1 - t0)
            check_t.append(t2 - t1)
            links += len(page.links)
        for check in checks:
            findings += len(list(check.on_finish(site)))
    total = [a + b for a, b in zip(parse_t, check_t, strict=True)]
    print(f"links per page: {links / len(total):.0f}")
    for name, values in (("parse", parse_t), ("checks", check_t), ("whole", total)):
        print(f"{name:7s} median {statistics.median(values) * 1e3:.3f} ms   "
              f"p95 {pct(values, 0.95) * 1e3:.3f} ms")  # fmt: skip
    print(f"pages/s on one core: {len(total) / sum(total):.0f} (mean), "
          f"{1 / statistics.median(total):.0f} (median)")  # fmt: skip
    print(f"findings: {findings // runs} per run over {len(checks)} checks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--set", choices=("standard", "large", "both"), default="both")
    args = parser.parse_args()
    for name in ("standard", "large"):
        if args.set in (name, "both"):
            print(f"== {name} pages")
            measure(generate(args.pages, args.seed, large=name == "large"), args.runs)


if __name__ == "__main__":
    main()
