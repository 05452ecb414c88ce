"""The page parser: one lxml parse into links, text, footer, breadcrumb, metadata block, dated
lists and the page's kind, across the layouts and label variants government sites use; its
fast paths checked against what the plain ways give; and `privacy_leak` on attachments the
document scanner does not read (plain text, legacy Office)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.inspect.checks import Attachment
from gongkai.inspect.checks.privacy_leak import PrivacyLeak
from gongkai.inspect.config import InspectConfig
from gongkai.inspect.page import Page, PageKind, parse_date, parse_page
from gongkai.inspect.site import QuietProbe, Site
from gongkai.privacy.detect import id_check_char

TODAY = dt.date(2026, 3, 20)
URL = "https://www.example.gov.cn/zwgk/tzgg/index.html"
FOOTER = (
    '<div class="footer"><p>主办单位：某市人民政府办公室　网站标识码：4207000016</p>'
    '<p><a href="https://beian.miit.gov.cn/">京ICP备05070218号</a>　京公网安备 11010202000001号'
    '　<img src="/img/dzjg.png" alt="党政机关"></p><p>服务热线：12345</p></div>'
)


def page_of(body: str, url: str = URL, *, home: bool = False, ctype: str = "text/html") -> Page:
    html = f"<html><head><title>某市人民政府</title></head><body>{body}</body></html>"
    return parse_page(url, url, 200, ctype, html.encode(), is_home=home, today=TODAY)


def test_links_are_absolute_without_fragments_and_skip_non_web_schemes() -> None:
    page = page_of(
        '<a href="../a.html#top">上级</a><a href="/b/">根</a><a href="c.html?x=1">同级</a>'
        '<a href="//cdn.example.com/x.js">协议相对</a><a href="javascript:void(0)">脚本</a>'
        '<a href="mailto:a@b.cn">信</a><a href="tel:12345">电话</a><a href="#">顶部</a>'
        '<img src="/i.png" alt="图"><script src="/s.js"></script>'
        '<link rel="stylesheet" href="s.css">'
        '<iframe src="https://v.example.com/p"></iframe><map><area href="/m.html" alt="区"></map>'
    )
    urls = {(link.tag, link.url, link.text) for link in page.links}
    assert urls == {
        ("a", "https://www.example.gov.cn/zwgk/a.html", "上级"),
        ("a", "https://www.example.gov.cn/b/", "根"),
        ("a", "https://www.example.gov.cn/zwgk/tzgg/c.html?x=1", "同级"),
        ("a", "https://cdn.example.com/x.js", "协议相对"),
        ("img", "https://www.example.gov.cn/i.png", "图"),
        ("script", "https://www.example.gov.cn/s.js", ""),
        ("link", "https://www.example.gov.cn/zwgk/tzgg/s.css", ""),
        ("iframe", "https://v.example.com/p", ""),
        ("area", "https://www.example.gov.cn/m.html", "区"),
    }


def test_base_href_and_mixed_content_on_https() -> None:
    page = page_of(
        '<base href="https://www.example.gov.cn/root/"><a href="x.html">x</a>'
        '<img src="http://img.example.gov.cn/a.png"><a href="http://other.gov.cn/">外链</a>'
    )
    assert page.links[0].url == "https://www.example.gov.cn/root/x.html"
    assert page.mixed_content == ["http://img.example.gov.cn/a.png"]  # a plain link is not
    assert (
        page_of('<img src="http://a/b.png">', url="http://www.example.gov.cn/").mixed_content == []
    )


def test_visible_text_leaves_scripts_and_styles_out_and_keeps_cells_apart() -> None:
    page = page_of(
        "<style>.x{color:red}</style><script>var secret = 1;</script>"
        "<table><tr><td>13800</td><td>138000</td></tr></table><p>正文内容</p>"
    )
    assert "secret" not in page.text and "color" not in page.text
    assert "13800\n138000" in page.text and "正文内容" in page.text


@pytest.mark.parametrize(
    "footer",
    [
        FOOTER,
        FOOTER.replace('<div class="footer">', "<footer>").replace("</div>", "</footer>"),
        FOOTER.replace('class="footer"', 'id="bottom"'),
        FOOTER.replace('class="footer"', 'class="copyright-wrap"'),
        FOOTER.replace('<div class="footer">', "<div>"),  # no marker: the last block
    ],
)
def test_footer_is_found_in_every_layout(footer: str) -> None:
    page = page_of(f'<div class="main"><a href="/x.html">正文链接</a></div>{footer}')
    assert "网站标识码：4207000016" in page.footer_text
    assert "正文链接" not in page.footer_text
    assert any("党政机关" in image for image in page.footer_images)
    in_footer = {link.url: link.in_footer for link in page.links}
    assert in_footer["https://beian.miit.gov.cn/"] is True
    assert in_footer["https://www.example.gov.cn/x.html"] is False


@pytest.mark.parametrize(
    "crumb",
    [
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
        ' &gt; <a href="./">通知公告</a></div>',
        '<p><span>您的位置:</span><a href="/">首页</a>»<a href="/zwgk/">政务公开</a>»通知公告</p>',
        '<nav class="breadcrumb"><a href="/">首页</a> / <a href="/zwgk/">政务公开</a>'
        " / 通知公告</nav>",
    ],
)
def test_breadcrumb(crumb: str) -> None:
    assert page_of(crumb).breadcrumb == ["首页", "政务公开", "通知公告"]


META_LAYOUTS = [
    # th/td pairs, full-width colons, spaces inside a label
    "<table><tr><th>索 引 号：</th><td>000014349/2026-00012</td><th>主题分类：</th>"
    "<td>综合政务</td></tr><tr><th>发文机关：</th><td>某市人民政府</td><th>成文日期：</th>"
    "<td>2026年03月02日</td></tr>"
    "<tr><th>标　　题：</th><td>关于印发某办法的通知</td></tr><tr><th>发文字号：</th>"
    "<td>某政发〔2026〕12号</td><th>发布日期：</th><td>2026-03-05</td></tr><tr><th>有效性：</th>"
    "<td>有效</td></tr></table>",
    # td/td pairs, half-width colons and no colons
    "<table><tr><td>信息索引号</td><td>000014349/2026-00012</td></tr><tr><td>发布机构:</td>"
    "<td>某市人民政府</td></tr><tr><td>印发日期</td><td>2026/03/02</td></tr><tr><td>公开日期</td>"
    "<td>2026.03.05</td></tr><tr><td>文件编号</td><td>某政发〔2026〕12号</td></tr>"
    "<tr><td>时效性</td><td>有效</td></tr></table>",
    # dl/dt/dd
    "<dl><dt>索引号</dt><dd>000014349/2026-00012</dd><dt>制发机关</dt><dd>某市人民政府</dd>"
    "<dt>成文时间</dt><dd>2026-03-02</dd><dt>发布时间</dt><dd>2026-03-05</dd><dt>文号</dt>"
    "<dd>某政发〔2026〕12号</dd><dt>生效状态</dt><dd>有效</dd></dl>",
    # label：value in spans, two on a line
    '<div class="xxgk"><p><span>索引号：</span>000014349/2026-00012　<span>发布单位：</span>'
    "某市人民政府</p><p>发文日期：2026-03-02　公布日期：2026-03-05</p>"
    "<p>发文文号：某政发〔2026〕12号</p><p>效力状态：有效</p></div>",
    # li, label in <b>, value in its tail
    "<ul><li><b>索引号</b>：000014349/2026-00012</li><li><b>发文单位</b>：某市人民政府</li>"
    "<li><b>成文日期</b>：2026-03-02</li><li><b>发布日期</b>：2026-03-05</li>"
    "<li><b>文　　号</b>：某政发〔2026〕12号</li><li><b>时效</b>：有效</li></ul>",
]


@pytest.mark.parametrize("layout", META_LAYOUTS)
def test_metadata_block_in_every_layout_and_label_variant(layout: str) -> None:
    page = page_of(
        f"{layout}<h1>关于印发某办法的通知</h1><p>各区人民政府：现将办法印发给你们。</p>"
    )
    assert page.metadata["index_number"] == "000014349/2026-00012"
    assert page.metadata["publisher"] == "某市人民政府"
    assert parse_date(page.metadata["written_date"]) == dt.date(2026, 3, 2)
    assert parse_date(page.metadata["publish_date"]) == dt.date(2026, 3, 5)
    assert page.metadata["doc_number"] == "某政发〔2026〕12号"
    assert page.metadata["validity"] == "有效"
    assert page.kind == PageKind.DOCUMENT
    assert page.date == dt.date(2026, 3, 5)
    assert page.headline == "关于印发某办法的通知"


def test_empty_metadata_value_is_kept_as_shown_but_empty() -> None:
    page = page_of(
        "<table><tr><td>索引号：</td><td>0001/2026-1</td><td>文号：</td><td></td></tr>"
        "<tr><td>发布机构：</td><td>某局</td><td>成文日期：</td><td>2026-03-01</td></tr></table>"
    )
    assert page.metadata["doc_number"] == ""
    assert page.metadata["publisher"] == "某局"


def test_labels_inside_sentences_and_list_table_headers_are_not_metadata() -> None:
    page = page_of(
        "<p>本办法自发布日期起施行，资金来源：财政拨款。</p>"
        "<table><tr><th>索引号</th><th>标题</th><th>发文字号</th><th>发布日期</th></tr>"
        '<tr><td>0001/2026-1</td><td><a href="/a.html">关于某事的通知</a></td>'
        "<td>某发〔2026〕1号</td><td>2026-03-01</td></tr></table>"
    )
    assert "source" not in page.metadata and "index_number" not in page.metadata
    assert page.kind != PageKind.DOCUMENT


@pytest.mark.parametrize(
    ("item", "date"),
    [
        (
            '<li><a href="/a{i}.html">第{i}条信息标题</a><span>2026-03-0{i}</span></li>',
            "2026-03-0{i}",
        ),
        ('<li><a href="/a{i}.html">第{i}条信息标题</a> 2026/03/0{i}</li>', "2026-03-0{i}"),
        ('<li><a href="/a{i}.html">第{i}条信息标题</a><em>[03-0{i}]</em></li>', "2026-03-0{i}"),
        ('<li><a href="/a{i}.html">第{i}条信息标题</a><i>2026年3月{i}日</i></li>', "2026-03-0{i}"),
        ('<li><a href="/a{i}.html">第{i}条信息标题</a><i>2026.03.0{i}</i></li>', "2026-03-0{i}"),
    ],
)
def test_dated_lists_in_ul(item: str, date: str) -> None:
    rows = "".join(item.format(i=i) for i in range(1, 6))
    page = page_of(
        f'<div class="crumb">当前位置：首页 > 通知公告</div><ul class="list">{rows}</ul>'
    )
    assert page.kind == PageKind.LIST
    assert page.column_kind == "notice"
    assert [i.date.isoformat() if i.date else None for i in page.list_items] == [
        date.format(i=i) for i in range(1, 6)
    ]
    assert page.list_items[0].url == "https://www.example.gov.cn/a1.html"
    assert page.list_items[0].title == "第1条信息标题"
    assert page.newest_main == dt.date(2026, 3, 5)


def test_dated_lists_in_table_rows_and_div_items_and_year_inference() -> None:
    rows = "".join(
        f'<tr><td><a href="/t{i}.html">表格中的第{i}条</a></td><td>2025-12-2{i}</td></tr>'
        for i in range(5)
    )
    page = page_of(f"<table>{rows}</table>", url="https://www.example.gov.cn/gzdt/")
    assert page.kind == PageKind.LIST and page.column_kind == "news"
    assert page.main_list_size == 5
    divs = "".join(
        f'<div class="item"><a href="/d{i}.html">条目{i}号标题</a><span>[12-2{i}]</span></div>'
        for i in range(4)
    )
    page = page_of(f'<div class="list">{divs}</div>', url="https://www.example.gov.cn/rsxx/")
    # [12-20] seen on 2026-03-20 is from last December
    assert {i.date for i in page.list_items} == {dt.date(2025, 12, 20 + i) for i in range(4)}
    assert page.column_kind == "personnel"


def test_phone_numbers_and_doc_numbers_are_not_dates() -> None:
    assert parse_date("电话：010-12345678", TODAY) is None
    assert parse_date("某政发〔2026〕12号", TODAY) is None
    assert parse_date("版本 3.14.15", TODAY) is None
    assert parse_date("2026-02-30", TODAY) is None
    assert parse_date("发布：2026年3月2日", TODAY) == dt.date(2026, 3, 2)


def test_empty_list_page() -> None:
    page = page_of(
        '<div class="crumb">当前位置：首页 > 政策文件</div><ul class="list"></ul><p>暂无信息</p>',
        url="https://www.example.gov.cn/zcwj/",
    )
    assert page.kind == PageKind.LIST and page.list_items == [] and page.column_kind == "policy"


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        (
            "<h1>关于某政策的解读</h1><p>发布时间：2026-03-01</p><p>解读正文……</p>",
            PageKind.INTERPRETATION,
        ),
        ("<h1>市长调研某项工作</h1><p>发布时间：2026-03-01</p><p>新闻正文……</p>", PageKind.ARTICLE),
        ("<p>关于我们</p>", PageKind.OTHER),
    ],
)
def test_kinds(html: str, kind: PageKind) -> None:
    assert page_of(html).kind == kind


def test_home_and_search_pages() -> None:
    rows = "".join(
        f'<li><a href="/{i}.html">结果{i}的标题</a>2026-03-0{i}</li>' for i in range(1, 5)
    )
    assert page_of(f"<ul>{rows}</ul>", home=True).kind == PageKind.HOME
    search = page_of(f"<ul>{rows}</ul>", url="https://www.example.gov.cn/search?q=公开")
    assert search.kind == PageKind.SEARCH


def test_search_forms() -> None:
    page = page_of(
        '<form action="/jsearch/" method="post"><input type="text" name="searchword">'
        '<input type="hidden" name="siteid" value="1"></form>'
        '<form action="/login"><input type="text" name="username"></form>'
        '<form><input name="q"></form>'
    )
    assert [(f.action, f.method, f.field) for f in page.search_forms] == [
        ("https://www.example.gov.cn/jsearch/", "post", "searchword"),
        (URL, "get", "q"),
    ]


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<h1>某办法</h1><p>【已废止】</p>", "已废止"),
        ("<h1>某办法<span>（失效）</span></h1>", "已失效"),
        ("<p>此件已废止。</p>", "已废止"),
        ("<p>该文件已被修改，见新文件。</p>", "已修改"),
        ("<table><tr><td>有效性：</td><td>已废止</td></tr></table>", ""),  # metadata, not a mark
        ("<p>本办法自发布之日起施行，有效期五年。</p>", ""),
    ],
)
def test_validity_shown_in_the_body(html: str, shown: str) -> None:
    assert page_of(html).validity_shown == shown


@pytest.mark.parametrize(
    ("html", "repost", "source"),
    [
        ("<h1>标题</h1><p>来源：新华社</p><p>正文</p>", True, "新华社"),
        ("<h1>标题</h1><p>【转载】</p><p>正文</p>", True, ""),
        ("<h1>标题</h1><p>本文转自：中国政府网</p>", True, "中国政府网"),
        ("<h1>标题</h1><p>正文</p><p>版权所有，未经许可不得转载</p>", False, ""),
        ("<h1>标题</h1><p>来源：某市人民政府</p>", False, "某市人民政府"),  # the site itself
    ],
)
def test_repost(html: str, repost: bool, source: str) -> None:
    page = page_of(html)
    assert (page.repost, page.repost_source) == (repost, source)


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "text/html"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "text/html"),
        (b"", "text/html"),
        (b"<html><body><p>unclosed <b><i><table><tr><td>x", "text/html"),
        (b"\xff\xfe<\x00p\x00>\x00", "text/html"),
        (b"<p>" + "中文".encode("gbk") + b"</p>", "text/html"),
        (b"<a href='http://[::1'>bad</a><a href='http://a b/'>sp</a>", "text/html; charset=bogus"),
    ],
)
def test_never_raises_on_junk(body: bytes, ctype: str) -> None:
    page = parse_page(URL, URL, 200, ctype, body)
    assert page.url == URL


def test_binary_is_not_html_and_encodings_are_decoded() -> None:
    assert parse_page(URL, URL, 200, "text/html", b"%PDF-1.4\x00\x01\x02" * 100).not_html
    gbk = '<html><head><meta charset="gb2312"></head><body><p>政务公开</p></body></html>'
    assert "政务公开" in parse_page(URL, URL, 200, "text/html", gbk.encode("gbk")).text
    bare = "<p>政务公开 GBK 无声明</p>".encode("gb18030")
    assert "政务公开" in parse_page(URL, URL, 200, "text/html", bare).text
    header = "<p>头部声明</p>".encode("gbk")
    assert "头部声明" in parse_page(URL, URL, 200, "text/html; charset=GBK", header).text


def test_a_large_flat_page_is_read_in_linear_time() -> None:
    # One giant cell of text with labels and dates, and one flat block of thousands of links:
    # the shapes that make naive per-match searches quadratic.
    cell = "".join(f"文字 2026-01-{i % 28 + 1:02d} 索引号：{i} " for i in range(60000))
    flat = "".join(
        f'<a href="/{i}.html">标题{i}</a> 2026-01-{i % 28 + 1:02d} ' for i in range(30000)
    )
    body = f"<table><tr><td>{cell}</td></tr></table><div>{flat}</div>".encode()
    assert len(body) > 3_000_000
    started = time.perf_counter()
    page = parse_page(URL, URL, 200, "text/html", body, today=TODAY)
    assert time.perf_counter() - started < 20  # about 1 s here; quadratic would be minutes
    assert len(page.links) == 30000 and page.metadata["index_number"].startswith("0 ")


@given(st.binary(max_size=2000))
def test_never_raises_on_any_bytes(body: bytes) -> None:
    page = parse_page(URL, URL, 200, "text/html", body, today=TODAY)
    assert isinstance(page.links, list)


@given(st.text(alphabet="<>/ab =\"'&;#x0123456789:：-年月日索引号发布日期tdlia\n　", max_size=300))
def test_never_raises_on_tag_soup(html: str) -> None:
    page = parse_page(URL, URL, 200, "text/html", html.encode(), today=TODAY)
    assert isinstance(page.metadata, dict)


def test_a_news_item_with_publisher_date_and_category_is_not_a_document() -> None:
    page = page_of(
        "<h1>市政府召开常务会议</h1><p>发布机构：市政府办公室　发布时间：2026-03-01　"
        "分类：政务要闻　来源：本网</p><p>会议研究了……</p>"
    )
    assert page.kind == PageKind.ARTICLE and page.metadata["publish_date"] == "2026-03-01"


def test_a_column_named_research_is_not_a_search_page() -> None:
    rows = "".join(
        f'<li><a href="/{i}.html">调研报告{i}号</a>2026-03-0{i}</li>' for i in range(1, 5)
    )
    page = page_of(f"<ul>{rows}</ul>", url="https://www.example.gov.cn/research/")
    assert page.kind == PageKind.LIST
    feedback = page_of(
        '<form action="/ly"><input name="title"><textarea name="content"></textarea>'
    )
    assert feedback.search_forms == []


# --- fast paths give what the plain ways give -------------------------------------------------


def test_invalid_utf8_in_a_page_declared_utf8_is_replaced_as_python_would() -> None:
    # The body goes to libxml2 undecoded; bytes it reports as invalid send it through Python's
    # decoder (invalid sequences replaced), so the text is the same either way.
    body = "<p>政务公开".encode() + b"\xff\xfe" + "信息</p>".encode() + b"<p>\xe4\xb8</p>"
    page = parse_page(URL, URL, 200, "text/html; charset=utf-8", body, today=TODAY)
    expected = body.decode("utf-8", errors="replace")
    assert "政务公开\ufffd\ufffd信息" in page.text and "政务公开��信息" in expected
    assert page.text.endswith("\ufffd") and not page.not_html


def test_link_targets_are_remembered_per_site_and_follow_a_base_href() -> None:
    nav = '<a href="/zwgk/">政务公开</a><a href="//cdn.example.com/a.js">外部</a>'
    first = page_of(nav)
    other = page_of(nav, url="http://other.example.gov.cn/x/y.html")
    rebased = page_of('<base href="https://third.example.gov.cn/d/">' + nav)
    assert [link.url for link in first.links] == [
        "https://www.example.gov.cn/zwgk/",
        "https://cdn.example.com/a.js",
    ]
    assert [link.url for link in other.links] == [
        "http://other.example.gov.cn/zwgk/",
        "http://cdn.example.com/a.js",
    ]
    assert rebased.links[0].url == "https://third.example.gov.cn/zwgk/"


def test_metadata_label_followed_by_a_tab_and_a_footer_unit_label() -> None:
    # 主办单位： in the footer passes the first label gate; the block above uses tabs.
    page = page_of(
        "<table><tr><td>发文字号\t：</td><td>某政发〔2026〕3号</td></tr>"
        "<tr><td>索引号\t</td><td>0001/2026-7</td></tr></table>" + FOOTER
    )
    assert page.metadata == {"doc_number": "某政发〔2026〕3号", "index_number": "0001/2026-7"}
    assert page_of("<p>正文</p>" + FOOTER).metadata == {}


def test_headline_from_a_title_class_in_any_case_and_text_without_whitespace_kept() -> None:
    page = page_of('<div class="ArtTIT">关于某项工作的通知</div><a href="/a">甲\u3000乙</a>')
    assert page.headline == "关于某项工作的通知"
    assert page.links[0].text == "甲 乙"


# --- privacy_leak on attachments --------------------------------------------------------------


def _id_number(prefix17: str = "11010519491231002") -> str:
    return prefix17 + id_check_char(prefix17)


def _attachment(name: str, body: bytes) -> Attachment:
    home = "https://www.example.gov.cn/"
    return Attachment(home + "files/" + name, "application/octet-stream", body, False, [URL])


def _site() -> Site:
    home = "https://www.example.gov.cn/"
    config = InspectConfig([home], today=TODAY)
    return Site(config, TODAY, home, {"www.example.gov.cn"}, QuietProbe())


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_text_attachment_with_an_id_number_gives_a_masked_finding(encoding: str) -> None:
    number = _id_number()
    body = f"申请人名单\n姓名\t身份证号\n张三\t{number}\n联系电话 010-12345678\n".encode(encoding)
    check = PrivacyLeak()
    found = list(check.on_attachment(_attachment("mingdan.txt", body), _site()))
    assert len(found) == 1
    finding = found[0]
    assert finding.type == "privacy_leak" and finding.url.endswith("/files/mingdan.txt")
    assert finding.source_urls == [URL]
    assert "身份证号码 1 处" in finding.detail and "mingdan.txt" in finding.detail
    assert number not in (finding.evidence or "") and number not in finding.detail
    assert number[:6] in (finding.evidence or "")  # masked: the region code stays visible
    assert check.unread == []


def test_text_attachment_without_personal_data_or_with_a_bad_check_digit_is_quiet() -> None:
    number = _id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    body = f"服务热线 12345\n身份证号 {wrong}\n".encode()
    check = PrivacyLeak()
    assert list(check.on_attachment(_attachment("a.txt", body), _site())) == []
    assert check.unread == []


def test_legacy_office_attachment_is_recorded_as_unread_not_passed_silently() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + _id_number().encode()
    check = PrivacyLeak()
    assert list(check.on_attachment(_attachment("old.doc", ole), _site())) == []
    assert len(check.unread) == 1
    url, reason = check.unread[0]
    assert url.endswith("/files/old.doc") and "旧版 Office" in reason


# --- found by the accuracy measurement on generated sites ----------------------------------


@pytest.mark.parametrize(
    ("url", "later"),
    [
        ("https://www.example.gov.cn/list_3_2.html", True),  # DedeCMS
        ("https://www.example.gov.cn/list_3_1.html", False),
        ("https://www.example.gov.cn/news/page/2/", True),
        ("https://www.example.gov.cn/tzgg/index_4.html", True),
        ("https://www.example.gov.cn/tzgg/?page=3", True),
        ("https://www.example.gov.cn/tzgg/", False),
    ],
)
def test_later_pages_of_a_column_are_recognised(url: str, later: bool) -> None:
    assert (
        page_of("<ul><li><a href='/a.html'>某通知</a> 2026-03-01</li></ul>", url).pagination
        is later
    )


def test_a_column_takes_its_kind_from_its_own_name_not_its_parents() -> None:
    items = "".join(
        f"<li><a href='/n/{i}.html'>某条信息{i}</a> 2026-03-0{i}</li>" for i in range(1, 6)
    )
    crumb = "<div>当前位置：<a href='/'>首页</a> > <a href='/xwzx/'>新闻中心</a> > {}</div>"
    topic = page_of(crumb.format("专题专栏") + f"<ul>{items}</ul>", URL + "xwzx/ztzl/")
    news = page_of(crumb.format("工作动态") + f"<ul>{items}</ul>", URL + "xwzx/gzdt/")
    assert topic.kind == news.kind == PageKind.LIST
    assert (topic.column_kind, news.column_kind) == ("", "news")


def test_an_overview_page_is_as_fresh_as_its_freshest_box() -> None:
    old = "".join(f"<li><a href='/a/{i}.html'>旧文件{i}</a> 2025-0{i}-01</li>" for i in range(1, 7))
    new = "".join(
        f"<li><a href='/b/{i}.html'>新文件{i}</a> 2026-03-{i:02d}</li>" for i in range(1, 6)
    )
    overview = page_of(
        f"<div><h2>规范性文件</h2><ul>{old}</ul></div><div><h2>其他文件</h2><ul>{new}</ul></div>"
    )
    assert overview.newest_main == dt.date(2026, 3, 5)
    # A column with a small side bar is judged on its own list.
    side = "<li><a href='/s.html'>热点</a> 2026-03-19</li>"
    column = page_of(f"<ul>{old}</ul><div class='side'><ul>{side}</ul></div>")
    assert column.newest_main == dt.date(2025, 6, 1)


def test_said_to_be_reposted_without_brackets() -> None:
    assert page_of("<h1>标题</h1><p>正文。</p><p>（本文为转载）</p>").repost
    assert not page_of("<h1>标题</h1><p>未经许可不得转载</p>").repost


def test_an_empty_value_cell_is_empty_not_the_headline_below() -> None:
    page = page_of(
        "<table><tr><td>索引号：</td><td>000014349/2026-00012</td></tr>"
        "<tr><td>发布机关：</td><td>某市人民政府</td></tr><tr><td>成文日期：</td><td>2026-03-02</td></tr>"
        "<tr><td>时效：</td><td></td></tr></table><h1>某市河道管理办法</h1>"
    )
    assert page.metadata["publisher"] == "某市人民政府"
    assert page.metadata["validity"] == ""


def test_unpadded_month_days_alone_in_their_cell_are_dates() -> None:
    rows = "".join(
        f"<tr><td><a href='/n/{i}.html'>某条新闻{i}</a></td><td><font>{d}</font></td></tr>"
        for i, d in enumerate(("3-2", "2-28", "(1-5)"))
    )
    page = page_of(f"<table>{rows}</table><p>依据第3-4条办理。</p>")
    assert [i.date for i in page.list_items] == [
        dt.date(2026, 3, 2), dt.date(2026, 2, 28), dt.date(2026, 1, 5)
    ]  # fmt: skip


def test_a_field_label_left_empty_beside_the_repost_mark() -> None:
    page = page_of(
        "<h1>某街道召开专题会议</h1><div>发布日期：2025-12-24 12:38:00 信息来源：　【转载】 "
        "点击数：<font>8847</font></div><p>正文。</p>"
    )
    assert page.repost and page.repost_source == ""
    assert page.metadata["source"] == "【转载】"
    sourced = page_of("<h1>标题</h1><div>来源：新华社 点击数：<font>12</font></div><p>正文</p>")
    assert sourced.metadata["source"] == "新华社"


def test_the_written_date_of_the_old_catalogue_standard() -> None:
    page = page_of(
        "<table><tr><td>索引号：</td><td>000014349/2026-00012</td></tr>"
        "<tr><td>生成日期：</td><td>2026-03-02</td></tr></table>"
    )
    assert page.metadata["written_date"] == "2026-03-02"


def test_a_popular_target_keeps_each_distinct_link_text() -> None:
    from gongkai.inspect.site import MAX_SOURCES, LinkSource, Target

    target = Target()
    for i in range(MAX_SOURCES * 3):
        target.add(LinkSource(f"{URL}p{i}.html", "一图读懂《某办法》"))
    target.add(LinkSource(f"{URL}odd.html", "某局全力做好河湖长制各项工作"))
    assert target.count == MAX_SOURCES * 3 + 1
    assert len(target.sources) == MAX_SOURCES + 1
    assert target.sources[-1].page_url == f"{URL}odd.html"


def test_a_column_named_by_nothing_known_takes_its_own_directory() -> None:
    items = "".join(
        f"<li><a href='/n/{i}.html'>某条信息{i}</a> 2026-03-0{i}</li>" for i in range(1, 6)
    )
    crumb = "<div>当前位置：<a href='/'>首页</a> > <a href='/xwzx/'>新闻中心</a> > 部门信息</div>"
    page = page_of(crumb + f"<ul>{items}</ul>", URL + "xwzx/gzdt/index.htm")
    assert page.column_kind == "news"  # gzdt: 工作动态
    topic = page_of(crumb.replace("部门信息", "专题专栏") + f"<ul>{items}</ul>", URL + "xwzx/ztzl/")
    assert topic.column_kind == ""
