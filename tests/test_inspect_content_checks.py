"""The content checks, each both firing and staying quiet (hotlines, 文号, dates, correct
terms), fed pages parsed from small HTML strings as the crawler would feed them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.inspect.checks import CHECKS, Attachment, Check, build
from gongkai.inspect.checks.columns import EmptyColumn, HomepageNotUpdated, StaleColumn
from gongkai.inspect.checks.content import CONTENT_CHECKS
from gongkai.inspect.checks.identifiers import MissingSiteIdentifier
from gongkai.inspect.checks.interpretation import MissingInterpretation
from gongkai.inspect.checks.metadata import MissingMetadata, MissingValidityMark
from gongkai.inspect.checks.privacy_leak import PrivacyLeak, page_hits
from gongkai.inspect.checks.repost import RepostWithoutSource
from gongkai.inspect.checks.terms import Matcher, Term, TypoOrWrongTerm, default_terms
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.findings import Finding, Severity
from gongkai.inspect.page import Page, parse_page
from gongkai.inspect.site import LinkStatus, QuietProbe, Site
from gongkai.privacy import find_hits
from gongkai.privacy.detect import id_check_char

TODAY = dt.date(2026, 3, 20)
HOME = "https://www.example.gov.cn/"
FOOTER = (
    '<div class="footer"><p>主办单位：某市人民政府办公室　网站标识码：4207000016</p>'
    '<p><a href="https://beian.miit.gov.cn/">京ICP备05070218号</a>　京公网安备 11010202000001号'
    '　<img src="/img/red.png" alt="党政机关"></p><p>服务热线：12345　电话：010-12345678</p></div>'
)


def make_site(**config: Any) -> Site:
    return Site(InspectConfig([HOME], today=TODAY, **config), TODAY, HOME, {"www.example.gov.cn"},
                QuietProbe())  # fmt: skip


def page(body: str, url: str = HOME + "a/1.html", *, home: bool = False, depth: int = 2,
         footer: str = FOOTER) -> Page:  # fmt: skip
    html = f"<html><head><title>某市人民政府</title></head><body>{body}{footer}</body></html>"
    return parse_page(url, url, 200, "text/html", html.encode(), is_home=home, depth=depth,
                      today=TODAY)  # fmt: skip


def run(check: Check, pages: Iterable[Page], site: Site | None = None) -> list[Finding]:
    site = site or make_site()
    found = [f for p in pages for f in check.on_page(p, site)]
    return found + list(check.on_finish(site))


def dated_list(column: str, dates: list[dt.date]) -> str:
    rows = "".join(
        f'<li><a href="/c/{i}.html">{column}的第{i}条信息</a><span>{d.isoformat()}</span></li>'
        for i, d in enumerate(dates)
    )
    return f'<div class="crumb">当前位置：首页 &gt; {column}</div><ul class="list">{rows}</ul>'


def days_ago(*days: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=d) for d in days]


def test_content_checks_are_registered_first_with_unique_types() -> None:
    assert CHECKS[: len(CONTENT_CHECKS)] == CONTENT_CHECKS
    types = [c.type for c in CHECKS]
    assert len(types) == len(set(types))
    config = InspectConfig([HOME], checks={"privacy_leak": {"enabled": False}})
    assert "privacy_leak" not in {c.type for c in build(config)}


# --- columns -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "ages", "stale"),
    [
        ("工作动态", (3, 10, 20), False),
        ("工作动态", (15, 20, 40), True),
        ("通知公告", (100, 150, 170), False),
        ("通知公告", (190, 200, 300), True),
        ("政策文件", (200, 250, 300), True),
        ("人事信息", (300, 320, 350), False),
        ("规划计划", (400, 500, 600), True),
        ("专题专栏", (800, 900, 1000), False),  # kind unknown: not judged by default
    ],
)
def test_stale_column_thresholds_by_kind(column: str, ages: tuple[int, ...], stale: bool) -> None:
    found = run(StaleColumn(), [page(dated_list(column, days_ago(*ages)), url=HOME + "lm/")])
    assert bool(found) == stale
    if stale:
        assert found[0].url == HOME + "lm/" and str(min(ages)) in found[0].detail


def test_stale_column_options_and_pagination_and_duplicates() -> None:
    body = dated_list("工作动态", days_ago(20, 30, 40))
    assert run(StaleColumn({"news": 30}), [page(body, url=HOME + "gzdt/")]) == []
    assert run(StaleColumn(), [page(body, url=HOME + "gzdt/index_3.html")]) == []
    twice = [page(body, url=HOME + "gzdt/"), page(body, url=HOME + "gzdt/index.html")]
    assert len(run(StaleColumn(), twice)) == 1
    other = dated_list("专题专栏", days_ago(800, 900, 1000))
    assert len(run(StaleColumn({"other": 365}), [page(other, url=HOME + "ztzl/")])) == 1


def test_empty_column_fires_on_an_empty_list_only() -> None:
    empty = page('<div class="crumb">当前位置：首页 &gt; 通知公告</div><ul></ul><p>暂无信息</p>',
                 url=HOME + "tzgg/")  # fmt: skip
    found = run(EmptyColumn(), [empty])
    assert len(found) == 1 and "通知公告" in found[0].detail
    full = page(dated_list("通知公告", days_ago(1, 2, 3)), url=HOME + "tzgg/")
    assert run(EmptyColumn(), [full]) == []
    article = page("<h1>某新闻</h1><p>发布时间：2026-03-01</p><p>目前暂无相关数据可供公开。</p>")
    assert run(EmptyColumn(), [article]) == []


def test_homepage_not_updated() -> None:
    fresh = page(dated_list("要闻", days_ago(2, 30)), url=HOME, home=True, depth=0)
    assert run(HomepageNotUpdated(), [fresh]) == []
    old = page(dated_list("要闻", days_ago(15, 30)), url=HOME, home=True, depth=0)
    found = run(HomepageNotUpdated(), [old])
    assert len(found) == 1 and found[0].severity == Severity.VETO
    assert found[0].evidence == (TODAY - dt.timedelta(days=15)).isoformat()
    bare = page('<a href="/gzdt/">工作动态</a>', url=HOME, home=True, depth=0)
    assert len(run(HomepageNotUpdated(), [bare])) == 1
    # A navigation-only home page passes when a column one click away was updated.
    column = page(dated_list("工作动态", days_ago(3)), url=HOME + "gzdt/", depth=1)
    assert run(HomepageNotUpdated(), [bare, column]) == []


# --- metadata and validity ------------------------------------------------------------------

FULL_META = (
    "<table><tr><td>索引号：</td><td>000014349/2026-00012</td><td>发布机构：</td><td>某市人民政府</td></tr>"
    "<tr><td>成文日期：</td><td>2026-03-02</td><td>发布日期：</td><td>2026-03-05</td></tr>"
    "<tr><td>文号：</td><td>某政发〔2026〕12号</td><td>有效性：</td><td>{validity}</td></tr></table>"
)


def test_missing_metadata_lists_what_is_missing() -> None:
    complete = page(FULL_META.format(validity="有效") + "<h1>关于某事的通知</h1>")
    assert run(MissingMetadata(), [complete]) == []
    partial = page(
        "<dl><dt>索引号</dt><dd>0001/2026-1</dd><dt>发文机关</dt><dd>某市人民政府</dd>"
        "<dt>成文日期</dt><dd>2026-03-02</dd></dl><h1>某市数据资源管理办法</h1>"
    )
    found = run(MissingMetadata(), [partial])
    assert len(found) == 1
    assert found[0].evidence == "发布日期、有效性"
    empty_number = page(FULL_META.format(validity="有效").replace("某政发〔2026〕12号", ""))
    assert run(MissingMetadata(), [empty_number])[0].evidence == "文号"
    gfxwj = page(
        '<div class="crumb">当前位置：首页 &gt; 规范性文件</div><ul><li>索引号：0001</li>'
        "<li>发布机构：某局</li><li>成文日期：2026-03-02</li><li>发布日期：2026-03-05</li>"
        "<li>有效性：有效</li></ul><h1>某办法</h1>"
    )
    assert run(MissingMetadata(), [gfxwj])[0].evidence == "文号"
    news = page("<h1>某新闻</h1><p>发布时间：2026-03-01</p><p>来源：本网</p>")
    assert run(MissingMetadata(), [news]) == []


def test_missing_validity_mark() -> None:
    repealed = FULL_META.format(validity="已废止") + "<h1>某办法</h1>"
    assert len(run(MissingValidityMark(), [page(repealed)])) == 1
    assert run(MissingValidityMark(), [page(repealed + "<p>【已废止】</p>")]) == []
    in_force = FULL_META.format(validity="有效") + "<h1>某办法</h1>"
    assert run(MissingValidityMark(), [page(in_force)]) == []
    contradicting = run(MissingValidityMark(), [page(in_force + "<p>此件已废止。</p>")])
    assert len(contradicting) == 1 and "有效" in contradicting[0].detail


# --- interpretation -------------------------------------------------------------------------


def test_missing_interpretation_decided_on_links_seen() -> None:
    doc = FULL_META.format(validity="有效") + "<h1>某办法</h1>"
    with_link = page(
        doc + '<p><a href="/zcjd/9.html">【图解】某办法</a></p>', url=HOME + "d/1.html"
    )
    bare = page(doc, url=HOME + "d/2.html")
    linked_to = page(doc, url=HOME + "d/3.html")
    interpretation = page(
        '<h1>《某办法》政策解读</h1><p>发布时间：2026-03-06</p><a href="/d/3.html">原文</a>',
        url=HOME + "zcjd/3.html",
    )
    # Published without its interpretation, then repealed: still published without it.
    repealed = page(FULL_META.format(validity="已废止") + "<h1>旧办法</h1>", url=HOME + "d/4.html")
    found = run(MissingInterpretation(), [with_link, bare, linked_to, interpretation, repealed])
    assert [f.url for f in found] == [HOME + "d/2.html", HOME + "d/4.html"]


def test_the_menu_entry_and_side_bars_are_not_the_documents_interpretation() -> None:
    doc = FULL_META.format(validity="有效") + "<h1>关于印发某市河道管理办法的通知</h1>"
    menu = '<ul class="nav"><li><a href="/zcjd/">政策解读</a></li></ul>'
    items = "".join(
        f'<li><a href="/zcjd/{i}.html">某解读{i}</a><span>2026-03-0{i}</span></li>'
        for i in range(1, 6)
    )
    column = page("<h1>政策解读</h1>" + items, url=HOME + "zcjd/")
    only_menu = page(menu + doc, url=HOME + "d/1.html")
    # An interpretation of another document that lists this one in its side bar.
    other = page(
        "<h1>《某市停车场管理办法》政策解读</h1><p>发布时间：2026-03-06</p>"
        '<div class="related"><a href="/d/1.html">关于印发某市河道管理办法的通知</a></div>',
        url=HOME + "zcjd/7.html",
    )
    found = run(MissingInterpretation(), [column, only_menu, other])
    assert [f.url for f in found] == [HOME + "d/1.html"]
    named = page(menu + doc + '<a href="/zcjd/8.html">一图读懂《某市河道管理办法》</a>',
                 url=HOME + "d/1.html")  # fmt: skip
    assert run(MissingInterpretation(), [column, named, other]) == []


# --- privacy --------------------------------------------------------------------------------


def valid_id(prefix17: str = "11010519491231002") -> str:
    return prefix17 + id_check_char(prefix17)


def test_privacy_leak_masks_and_ignores_hotlines_email_and_numbers() -> None:
    number = valid_id()
    leak = page(f"<p>申请人张三，身份证号{number}，手机13912345678。</p>")
    found = run(PrivacyLeak(), [leak])
    assert len(found) == 1
    assert number not in (found[0].evidence or "") and "13912345678" not in found[0].detail
    assert "身份证号码 1 处" in found[0].detail and "手机号码 1 处" in found[0].detail
    quiet = page(
        "<p>咨询电话：010-12345678，服务热线 12345，邮箱 xxgk@example.gov.cn，"
        "文号某政发〔2026〕12号，索引号：000014349/2026-00012，金额 12345678901.50元。</p>"
        f"<p>统一社会信用代码：91110000{number[:10]}</p>"
    )
    assert run(PrivacyLeak(), [quiet]) == []
    assert (
        run(
            PrivacyLeak(),
            [page(f"<p>身份证号{number[:-1]}{'0' if number[-1] != '0' else '1'}</p>")],
        )
        == []
    )


def test_privacy_windows_find_what_the_whole_text_finds() -> None:
    text = (
        "公示名单\n" + "　".join(f"王{i} 1391234{i:04d}" for i in range(30)) + "\n卡号：6222 0202 "
        "0000 1234 567\n" + "正文。" * 300 + f"身份证{valid_id()}\n联系电话 010-12345678"
    )
    whole = [h.masked for h in find_hits(text) if h.kind != "email"]
    assert [h.masked for h in page_hits(text)] == whole and whole


def test_privacy_in_attachments() -> None:
    body = f"姓名\t手机\n李四\t13812345678\n身份证 {valid_id()}\n".encode()
    att = Attachment(HOME + "f/a.txt", "text/plain", body, False, [HOME + "a/1.html"])
    found = list(PrivacyLeak().on_attachment(att, make_site()))
    # Plain text is not a format the document scanner reads: no finding, never a crash.
    assert all(f.type == "privacy_leak" for f in found)


# --- identifiers ----------------------------------------------------------------------------


def test_missing_site_identifier_one_finding_per_identifier() -> None:
    complete = [page("<p>首页</p>", url=HOME, home=True, depth=0), page("<p>内页</p>")]
    assert run(MissingSiteIdentifier(), complete) == []
    bare_footer = '<div class="footer"><p>版权所有：某市人民政府　服务热线：12345</p></div>'
    pages = [page("<p>首页</p>", url=HOME, home=True, depth=0, footer=bare_footer)]
    pages += [page(f"<p>内页{i}</p>", url=HOME + f"{i}.html", footer=bare_footer) for i in range(3)]
    found = run(MissingSiteIdentifier(), pages)
    expected = ["党政机关网站标识", "网站标识码", "ICP备案编号", "公安机关备案号", "主办单位"]
    assert [f.evidence for f in found] == expected
    assert len({f.key for f in found}) == 5


def test_missing_site_identifier_not_confirmed_by_other_pages() -> None:
    odd_home = page("<p>首页</p>", url=HOME, home=True, depth=0, footer="<p>版权所有</p>")
    others = [page(f"<p>内页{i}</p>", url=HOME + f"{i}.html") for i in range(4)]
    assert run(MissingSiteIdentifier(), [odd_home, *others]) == []


def test_site_identifier_variants() -> None:
    footer = (
        "<footer>网站主办：某局　网站标识码 bm12000001<br>蜀ICP备 12345678号-1<br>"
        '川公网安备51010402000123号<a href="https://bszs.conac.cn/x">'
        '<img src="/a.png"></a></footer>'
    )
    pages = [page("<p>首页</p>", url=HOME, home=True, depth=0, footer=footer)]
    assert run(MissingSiteIdentifier(), pages) == []


# --- repost -------------------------------------------------------------------------------


def test_repost_without_source() -> None:
    check = RepostWithoutSource()
    assert len(run(check, [page("<h1>某新闻</h1><p>【转载】</p><p>正文</p>")])) == 1
    assert run(RepostWithoutSource(), [page("<h1>某新闻</h1><p>【转载】来源：新华社</p>")]) == []
    assert run(RepostWithoutSource(), [page("<h1>某新闻</h1><p>转自：人民网</p>")]) == []
    assert run(RepostWithoutSource(), [page("<h1>某新闻</h1><p>版权所有 转载请注明出处</p>")]) == []


# --- terms ----------------------------------------------------------------------------------


def test_terms_dictionary_is_sound() -> None:
    terms = default_terms()
    assert len(terms) >= 30
    wrongs = {t.wrong for t in terms}
    assert all(t.right not in wrongs for t in terms)
    # No right form of the dictionary is itself flagged.
    matcher = Matcher(terms)
    for term in terms:
        assert matcher.find(term.right) == [], term


def test_typo_fires_on_wrong_form_not_on_right_form() -> None:
    wrong = page("<p>依据《中华人民共和国政府信息公开条列》第十条，申请行政复义。</p>")
    found = run(TypoOrWrongTerm(), [wrong])
    assert len(found) == 1 and found[0].severity == Severity.MINOR
    assert "「政府信息公开条列」应为「政府信息公开条例」" in found[0].detail
    right = page("<p>依据《中华人民共和国政府信息公开条例》第十条，申请行政复议。</p>")
    assert run(TypoOrWrongTerm(), [right]) == []


def test_typo_veto_pairs_and_site_terms() -> None:
    found = run(TypoOrWrongTerm(), [page("<p>习近平总书计指出</p>")])
    assert found[0].severity == Severity.VETO and "严重表述错误" in found[0].detail
    site = make_site(terms=[("某某局长张三", "某某局局长张三")])
    assert len(run(TypoOrWrongTerm(), [page("<p>某某局长张三出席</p>")], site)) == 1
    assert run(TypoOrWrongTerm(), [page("<p>某某局局长张三出席</p>")], site) == []
    opts = {"veto": ["营商坏境"], "terms": [["网上办事大厅", "政务服务网", "veto"]]}
    found = run(TypoOrWrongTerm(opts), [page("<p>优化营商坏境</p>")])
    assert found[0].severity == Severity.VETO
    assert (
        run(TypoOrWrongTerm(opts), [page("<p>登录网上办事大厅</p>")])[0].severity == Severity.VETO
    )


def test_term_that_is_part_of_its_right_form_is_skipped() -> None:
    matcher = Matcher([Term("局长", "副局长")])  # contrived: the wrong form inside the right one
    assert matcher.find("副局长出席") == []
    assert [term.right for _, term in matcher.find("局长出席")] == ["副局长"]


@given(st.binary(max_size=1500))
def test_every_content_check_takes_junk_pages(body: bytes) -> None:
    junk = parse_page(HOME, HOME, 200, "text/html", body, is_home=True, today=TODAY)
    site = make_site()
    for cls in CONTENT_CHECKS:
        check = cls()
        list(check.on_page(junk, site))
        list(check.on_finish(site))


def test_an_interpretation_names_the_document_by_its_book_title() -> None:
    doc = page(
        FULL_META.format(validity="已废止")
        + "<h1>某市人民政府办公室关于印发《某市安全生产实施细则》的通知（已废止）</h1>",
        url=HOME + "d/5.html",
    )
    interpretation = page(
        "<h1>关于《某市安全生产实施细则》的解读</h1><p>发布时间：2026-03-06</p>"
        '<a href="/d/5.html">文件原文</a>',
        url=HOME + "zcjd/5.html",
    )
    assert run(MissingInterpretation(), [doc, interpretation]) == []
    assert len(run(MissingInterpretation(), [doc])) == 1


def test_a_home_page_that_fails_vetoes_as_not_updated() -> None:
    site = make_site()
    site.statuses[HOME] = LinkStatus(HOME, 500)
    check = HomepageNotUpdated()
    found = list(check.on_finish(site))
    assert len(found) == 1 and found[0].severity == Severity.VETO and "HTTP 500" in found[0].detail
    site.statuses[HOME] = LinkStatus(HOME, 200)
    assert list(HomepageNotUpdated().on_finish(site)) == []  # fetched, but not HTML: no judgement
