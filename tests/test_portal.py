"""The public portal (/portal/) and the office's editors (/site/): what a member of the public
reads with no login and no script, and what only the office may change."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from gongkai.accounts.models import User
from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.portal.models import ColumnPage, SiteIdentity
from gongkai.portal.templatetags.portal_site import navigation
from gongkai.publishing import actions
from gongkai.publishing.models import (
    POLICY_KINDS,
    Category,
    CleanupOutcome,
    DocKind,
    DocState,
    Document,
    Validity,
)
from gongkai.reports.models import AnnualReport, ReportState
from gongkai.units.models import Unit
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

HOME = "/portal/"
LIST = "/portal/zwgk/documents/"
SEARCH = "/portal/search/"
GUIDE = "/portal/zwgk/guide/"
DAY = dt.date(2025, 6, 2)


# -- making published documents ----------------------------------------------------------
# Through the register's own acts (gongkai.publishing.actions), done by the office, so the
# rows are what the portal meets in production: sanitised bodies, 索引号, the search index.


def _office() -> User:
    return User.objects.get(username="office")  # the cast's office


def _drafted(
    unit: Unit, title: str, kind: str, body: str, files: Sequence[Any], **fields: Any
) -> Document:
    if kind in POLICY_KINDS:
        fields.setdefault("written_on", DAY - dt.timedelta(days=7))
    if kind in (DocKind.RULE, DocKind.NORMATIVE):
        fields.setdefault("doc_number", f"张政发〔{DAY.year}〕{Document.objects.count() + 1}号")
    doc = actions.create_document(
        _office(), unit=unit, kind=kind, title=title, body_html=body, **fields
    )
    for upload in files:
        actions.add_attachment(_office(), doc, upload)
    return doc


def _approved(doc: Document) -> Document:
    doc = actions.submit(_office(), doc)
    for _ in actions.stages_for(doc):
        actions.review(_office(), doc, approve=True)
    doc.refresh_from_db()
    return doc


def publish(
    unit: Unit,
    title: str,
    *,
    kind: str = DocKind.NEWS,
    body: str = "<p>正文内容。</p>",
    on: dt.date = DAY,
    files: Sequence[Any] = (),
    **fields: Any,
) -> Document:
    """A document drafted, reviewed and published by the office on `on`."""
    if kind in POLICY_KINDS:
        fields.setdefault("written_on", on - dt.timedelta(days=7))
    doc = _approved(_drafted(unit, title, kind, body, files, **fields))
    return actions.publish(_office(), doc, published_on=on)


def unpublished(unit: Unit, title: str, state: str = DocState.DRAFT) -> Document:
    """A document stopped at `state` on its way to publication."""
    doc = _drafted(unit, title, DocKind.NEWS, "<p>内部审核稿。</p>", ())
    if state == DocState.REVIEW:
        doc = actions.submit(_office(), doc)
    elif state == DocState.RETURNED:
        doc = actions.submit(_office(), doc)
        actions.review(_office(), doc, approve=False, comment="请修改")
    elif state == DocState.APPROVED:
        doc = _approved(doc)
    doc.refresh_from_db()
    assert doc.state == state
    return doc


def withdraw(doc: Document) -> None:
    actions.withdraw(_office(), doc, "内容有误，撤回修改")


def repeal(doc: Document, on: dt.date, by: Document | None, reason: str = "") -> None:
    actions.change_validity(
        _office(),
        doc,
        validity=Validity.REPEALED,
        effective_on=on,
        changed_by_document=by,
        reason=reason,
    )


def pdf_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


@pytest.fixture
def anon() -> Client:
    """A member of the public at an address of their own: the cache that counts searches per
    address (var/cache) is shared with any other test run on this machine."""
    address = ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=f"10.{address}")


@pytest.fixture
def tree(db: None) -> dict[str, Category]:
    policy = Category.objects.create(name="政策文件", position=1)
    return {
        "organisation": Category.objects.create(name="机构职能", position=0),
        "policy": policy,
        "rules": Category.objects.create(name="规章", parent=policy, position=0),
        "normative": Category.objects.create(name="行政规范性文件", parent=policy, position=1),
        "budget": Category.objects.create(name="财政预决算", position=2),
    }


# -- the frame: no script, identifiers in the footer ----------------------------------------


def test_every_portal_page_works_without_any_script(anon: Client, cast: Cast, tree: Any) -> None:
    doc = publish(cast.justice, "关于公布行政执法事项清单的通知", kind=DocKind.NOTICE)
    for url in (
        HOME,
        "/portal/zwgk/",
        GUIDE,
        "/portal/zwgk/system/",
        LIST,
        f"{LIST}?category={tree['policy'].pk}",
        f"/portal/documents/{doc.pk}/",
        f"{SEARCH}?q=执法",
        "/portal/zwgk/reports/",
        "/portal/zwgk/cleanups/",
    ):
        response = anon.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "<script" not in html.lower(), url
        assert "script-src 'none'" in response["Content-Security-Policy"], url
        # One page, one frame: a skip link to <main>, the landmarks, the navigation.
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html, url
        assert "<header" in html and "<footer" in html and 'aria-label="网站导航"' in html, url
        assert html.count("<h1") == 1, url


def test_the_footer_shows_the_identifiers_the_office_entered(anon: Client, cast: Cast) -> None:
    before = page(anon, HOME)
    assert "网站标识码" not in before and "ICP" not in before  # none entered: none shown
    assert "dzjg.svg" not in before
    SiteIdentity.objects.create(
        site_name="淄博市张店区人民政府",
        organizer="张店区人民政府办公室",
        site_code="3703030001",
        icp_number="鲁ICP备05012345号-1",
        police_number="鲁公网安备37030302000123号",
        police_url="https://beian.mps.gov.cn/#/query/webSearch?code=37030302000123",
        badge_url="https://bszs.conac.cn/sitename?method=show&id=0123",
        phone="0533-2181234",
        email="zdgk@example.gov.cn",
        address="张店区人民西路 88 号",
    )
    html = page(anon, HOME)
    footer = html[html.index("<footer") :]
    assert "<title>首页 - 淄博市张店区人民政府</title>" in html
    assert "主办单位：张店区人民政府办公室" in footer
    assert "网站标识码：3703030001" in footer
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">鲁ICP备05012345号-1</a>'
        in footer
    )
    assert "鲁公网安备37030302000123号</a>" in footer
    assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=0123"' in footer
    assert re.search(r'<img src="/static/portal/dzjg.svg"[^>]*alt="党政机关网站标识"', footer)
    assert "联系电话：0533-2181234" in footer and "张店区人民西路 88 号" in footer
    assert "承办单位" not in footer  # not entered


def test_the_navigation_links_what_exists_and_marks_where_you_are() -> None:
    items = {i.label: i for i in navigation("/portal/zwgk/documents/", "interpretation")}
    assert items["政策解读"].current and not items["政府信息公开"].current
    assert items["政策文件"].url == "/portal/zwgk/documents/?kind=policies"
    assert items["依申请公开"].url == reverse("apply:form")
    assert [i.label for i in navigation("/portal/", "") if i.current] == ["首页"]
    assert [i.label for i in navigation("/portal/zwgk/guide/", "") if i.current] == ["政府信息公开"]
    assert [i.label for i in navigation("/portal/search/", "") if i.current] == ["搜索"]
    assert [i.label for i in navigation("/portal/documents/7/", "") if i.current] == [
        "政府信息公开"
    ]
    assert [i.label for i in navigation("/apply/status/", "") if i.current] == ["依申请公开"]


# -- the home page and the column ----------------------------------------------------------


def test_the_home_page_shows_the_latest_of_each_kind(anon: Client, cast: Cast) -> None:
    publish(cast.gov, "区政府召开常务会议", kind=DocKind.NEWS)
    publish(cast.gov, "关于2025年端午节放假的通知", kind=DocKind.NOTICE)
    policy = publish(
        cast.justice,
        "张店区行政执法公示办法",
        kind=DocKind.NORMATIVE,
        doc_number="张司发〔2025〕3号",
    )
    publish(
        cast.justice,
        "《张店区行政执法公示办法》解读",
        kind=DocKind.INTERPRETATION,
        interprets=policy,
    )
    unpublished(cast.gov, "尚未发布的要闻")
    html = page(anon, HOME)
    for title in (
        "区政府召开常务会议",
        "关于2025年端午节放假的通知",
        "张店区行政执法公示办法",
        "《张店区行政执法公示办法》解读",
    ):
        assert title in html
    assert "尚未发布的要闻" not in html
    for heading in ("动态要闻", "通知公告", "政策文件", "政策解读"):
        assert f">{heading} <a" in html
    assert 'action="/portal/search/"' in html and '<label for="home-q"' in html
    for url in (GUIDE, "/portal/zwgk/system/", LIST, "/portal/zwgk/reports/"):
        assert f'href="{url}"' in html


def test_a_kind_too_rare_for_the_newest_window_still_fills_its_box(
    anon: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.portal import catalogue

    monkeypatch.setattr(catalogue, "WINDOW", 3)
    publish(cast.gov, "很久以前的通知", kind=DocKind.NOTICE, on=DAY - dt.timedelta(days=30))
    for n in range(4):
        publish(cast.gov, f"第{n}条要闻", on=DAY - dt.timedelta(days=n))
    html = page(anon, HOME)
    assert "很久以前的通知" in html
    news = html[html.index(">动态要闻 <a") : html.index(">通知公告 <a")]
    assert [t for t in re.findall(r"第(\d)条要闻", news)] == ["0", "1", "2", "3"]


def test_the_column_has_its_four_parts(anon: Client, cast: Cast, tree: Any) -> None:
    html = page(anon, "/portal/zwgk/")
    for part in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"):
        assert part in html
    assert "规章" in html and f"?category={tree['rules'].pk}" in html  # the catalogue


def test_the_guide_starts_from_a_template_with_every_element_of_article_12(anon: Client) -> None:
    html = page(anon, GUIDE)
    assert "<h1>政府信息公开指南</h1>" in html
    for element in (
        "分类",
        "编排体系",
        "获取政府信息的方式",
        "办公地址",
        "办公时间",
        "联系电话",
        "传真",
        "电子邮箱",
    ):
        assert element in html
    assert "【办公地址】" in html  # a placeholder the office must fill in
    assert "更新日期" not in html  # never saved: no date to show


# -- the office edits the guide, the system page and the identifiers -------------------------


def test_the_office_edits_the_guide_and_the_page_shows_its_date(anon: Client, cast: Cast) -> None:
    office = client_for(cast.office)
    form = page(office, "/site/guide/")
    assert "【办公地址】" in form and "还有" in form  # placeholders listed
    response = csrf_post(
        office,
        "/site/guide/",
        {
            "title": "张店区人民政府政府信息公开指南",
            "body_html": (
                "<h2>一、分类与编排体系</h2><p>按目录分类编排。</p>"
                '<h2>二、获取方式</h2><p onclick="steal()">主动公开和依申请公开。</p>'
                "<script>alert(1)</script>"
                "<h2>三、工作机构</h2><p>机构名称：区政府办公室；办公地址：人民西路 88 号；"
                "办公时间：工作日；电话：0533-2181234；传真：0533-2181235；"
                '网址：<a href="javascript:alert(1)">点此</a>，电子邮箱 gk@example.gov.cn</p>'
            ),
            "updated_on": "2025-06-03",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ColumnPage.objects.get(slug="guide")
    assert "<script" not in saved.body_html and "onclick" not in saved.body_html
    assert "javascript:" not in saved.body_html
    event = AuditEvent.objects.get(object_repr="张店区人民政府政府信息公开指南")
    assert event.action == AuditAction.CREATE and event.actor == cast.office
    html = page(anon, GUIDE)
    assert "<h1>张店区人民政府政府信息公开指南</h1>" in html
    assert '更新日期：<time datetime="2025-06-03">2025年6月3日</time>' in html
    assert "alert(1)" not in html and "steal()" not in html
    # The editor now finds every element and no placeholder.
    again = page(office, "/site/guide/")
    assert "没有找到的内容" not in again and "占位内容" not in again

    csrf_post(
        office,
        "/site/guide/",
        {
            "title": "张店区人民政府政府信息公开指南",
            "body_html": saved.body_html + "<p>补充。</p>",
            "updated_on": "2025-07-01",
        },
    )
    change = AuditEvent.objects.filter(action=AuditAction.CHANGE).get()
    assert set(change.changes) >= {"body_html", "updated_on"}
    assert "2025年7月1日" in page(anon, GUIDE)


def test_the_editor_says_what_a_guide_lacks(cast: Cast) -> None:
    office = client_for(cast.office)
    response = csrf_post(
        office,
        "/site/guide/",
        {"title": "指南", "body_html": "<p>请来电咨询。</p>", "updated_on": "2025-06-03"},
    )
    assert response.status_code == 302
    html = page(office, "/site/guide/")
    assert "没有找到的内容" in html
    for missing in ("编排体系", "传真", "办公时间"):
        assert f"<li>{missing}</li>" in html


def test_an_empty_or_scripted_only_body_is_refused_with_a_reason(cast: Cast) -> None:
    office = client_for(cast.office)
    response = csrf_post(
        office,
        "/site/system/",
        {"title": "制度", "body_html": "<script>x()</script>", "updated_on": "2025-06-03"},
    )
    assert response.status_code == 400
    assert "请填写正文" in response.content.decode()
    assert not ColumnPage.objects.exists()
    assert not AuditEvent.objects.filter(content_type__app_label="portal").exists()


@pytest.mark.parametrize("url", ["/site/", "/site/identity/", "/site/guide/", "/site/system/"])
def test_only_the_office_may_open_the_portal_editors(cast: Cast, anon: Client, url: str) -> None:
    for user in (cast.justice_liaison, cast.justice_leader, cast.evaluator):
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert csrf_post(
            client,
            url,
            {"title": "x", "body_html": "<p>x</p>", "updated_on": "2025-01-01", "site_name": "x"},
        ).status_code in (403, 405)
    assert anon.get(url).status_code == 302
    assert client_for(cast.office).get(url).status_code == 200
    assert not ColumnPage.objects.exists() and not SiteIdentity.objects.exists()


def test_the_office_sets_the_identifiers_audited_and_bad_links_are_refused(
    cast: Cast, anon: Client
) -> None:
    office = client_for(cast.office)
    fields = {
        "site_name": "张店区政府信息公开",
        "organizer": "张店区人民政府办公室",
        "undertaker": "",
        "site_code": "3703030001",
        "icp_number": "鲁ICP备05012345号-1",
        "police_number": "",
        "police_url": "",
        "badge_url": "javascript:alert(1)",
        "phone": "",
        "email": "",
        "address": "",
    }
    refused = csrf_post(office, "/site/identity/", fields)
    assert refused.status_code == 400 and "http://" in refused.content.decode()
    assert not SiteIdentity.objects.exists()
    fields["badge_url"] = "https://bszs.conac.cn/sitename?method=show&id=1"
    assert csrf_post(office, "/site/identity/", fields).status_code == 302
    identity = SiteIdentity.objects.get()
    assert identity.site_code == "3703030001" and identity.updated_by == cast.office
    assert AuditEvent.objects.get(action=AuditAction.CREATE).actor == cast.office
    fields["site_code"] = "3703030002"
    csrf_post(office, "/site/identity/", fields)
    assert AuditEvent.objects.get(action=AuditAction.CHANGE).changes["site_code"] == [
        "3703030001",
        "3703030002",
    ]
    assert "网站标识码：3703030002" in page(anon, HOME)


# -- the list ------------------------------------------------------------------------------


def test_the_list_filters_by_kind_category_with_descendants_unit_and_year(
    anon: Client, cast: Cast, tree: dict[str, Category]
) -> None:
    rule = publish(
        cast.justice,
        "张店区行政执法监督规定",
        kind=DocKind.RULE,
        category=tree["rules"],
        doc_number="张政令〔2024〕1号",
        on=dt.date(2024, 5, 6),
    )
    normative = publish(
        cast.finance,
        "财政专项资金管理办法",
        kind=DocKind.NORMATIVE,
        category=tree["normative"],
        on=dt.date(2025, 3, 3),
    )
    budget = publish(
        cast.finance, "区财政局2025年部门预算", kind=DocKind.BUDGET, category=tree["budget"]
    )
    news = publish(cast.gov, "区政府召开常务会议")

    def titles(query: str) -> set[str]:
        html = page(anon, LIST + query)
        return {d.title for d in (rule, normative, budget, news) if f">{d.title}</a>" in html}

    assert titles("") == {rule.title, normative.title, budget.title, news.title}
    assert titles(f"?category={tree['policy'].pk}") == {rule.title, normative.title}  # its children
    assert titles(f"?category={tree['rules'].pk}") == {rule.title}
    assert titles("?kind=policies") == {rule.title, normative.title}
    assert titles("?kind=budget") == {budget.title}
    assert titles(f"?unit={cast.finance.pk}") == {normative.title, budget.title}
    assert titles("?year=2024") == {rule.title}
    assert titles(f"?year=2025&unit={cast.finance.pk}&category={tree['policy'].pk}") == {
        normative.title
    }
    # Nonsense filters are dropped, not errors.
    assert titles("?kind=nope&category=abc&year=99999999999999&page=-3") == titles("")
    html = page(anon, f"{LIST}?category={tree['rules'].pk}")
    assert "<h1>规章</h1>" in html and "张政令〔2024〕1号" in html
    assert '<th scope="col">发布日期</th>' in html and '<label for="f-kind">' in html
    assert f'href="/portal/zwgk/documents/?category={tree["rules"].pk}" aria-current="page"' in html


def test_the_list_pages_twenty_at_a_time_with_page_numbers(anon: Client, cast: Cast) -> None:
    for n in range(45):
        publish(cast.gov, f"第{n:02d}号通知", kind=DocKind.NOTICE, on=DAY - dt.timedelta(days=n))
    first = page(anon, LIST + "?kind=notice")
    assert "共 45 条，第 1 / 3 页" in first
    assert first.count('<a href="/portal/documents/') == 20
    assert "第00号通知" in first and "第20号通知" not in first  # newest first
    assert 'href="?kind=notice&amp;page=2"' in first and 'href="?kind=notice&amp;page=3"' in first
    third = page(anon, LIST + "?kind=notice&page=3")
    assert third.count('<a href="/portal/documents/') == 5 and "第44号通知" in third
    assert '<span aria-current="page">3</span>' in third and 'rel="prev"' in third
    assert "第 3 / 3 页" in page(anon, LIST + "?kind=notice&page=99")  # past the end: the last


def test_deep_pages_found_by_seeking_match_plain_paging(cast: Cast) -> None:
    from gongkai.portal import catalogue

    # Three documents a day: the date ties are where seeking could go wrong.
    made = [
        publish(cast.gov, f"通知{n:02d}", kind=DocKind.NOTICE, on=DAY - dt.timedelta(days=n // 3))
        for n in range(23)
    ]
    newest_first = sorted(made, key=lambda d: (d.published_on, d.pk), reverse=True)
    everything = catalogue.public_documents()
    for start in range(0, 23):
        for size in (1, 4):
            plain = catalogue.page_of(everything, start, size, ["title"])
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(catalogue, "SEEK_FROM", 0)
                sought = catalogue.page_of(everything, start, size, ["title"], seek=True)
            expected = [d.pk for d in newest_first[start : start + size]]
            assert [d.pk for d in plain] == [d.pk for d in sought] == expected, (start, size)


def test_the_validity_shows_as_a_badge_in_lists(anon: Client, cast: Cast) -> None:
    old = publish(cast.justice, "旧的执法办法", kind=DocKind.NORMATIVE)
    repeal(old, dt.date(2025, 6, 30), None)
    publish(cast.justice, "新的执法办法", kind=DocKind.NORMATIVE)
    html = page(anon, LIST)
    assert '旧的执法办法</a><span class="badge badge-repealed">已废止</span>' in html
    assert "新的执法办法</a></td>" in html  # valid: no badge


# -- what the public may not see -----------------------------------------------------------


@pytest.mark.parametrize(
    "state", [DocState.DRAFT, DocState.REVIEW, DocState.RETURNED, DocState.APPROVED]
)
def test_unpublished_documents_are_404_and_in_no_list(anon: Client, cast: Cast, state: str) -> None:
    hidden = unpublished(cast.justice, "内部审核中的文件", state)
    publish(cast.justice, "已公开的文件")
    assert anon.get(f"/portal/documents/{hidden.pk}/").status_code == 404
    for url in (HOME, LIST, f"{LIST}?unit={cast.justice.pk}", f"{SEARCH}?q=文件"):
        assert "内部审核中的文件" not in page(anon, url), url


def test_a_withdrawn_document_leaves_every_page(anon: Client, cast: Cast, tmp_path: Any) -> None:
    doc = publish(cast.justice, "撤回的执法文件", kind=DocKind.NOTICE, files=[pdf_file("附件.pdf")])
    file = doc.attachments.get()
    assert "撤回的<mark>执法</mark>文件" in page(anon, f"{SEARCH}?q=执法")
    withdraw(doc)
    assert anon.get(f"/portal/documents/{doc.pk}/").status_code == 404
    assert anon.get(f"/portal/documents/{doc.pk}/files/{file.pk}").status_code == 404
    for url in (HOME, LIST, f"{SEARCH}?q=执法"):
        assert "撤回的执法文件" not in page(anon, url), url


# -- the document page ---------------------------------------------------------------------


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Annex")
    return bytes(pdf.output())


def test_the_document_page_shows_the_metadata_block(
    anon: Client, cast: Cast, tree: dict[str, Category]
) -> None:
    doc = publish(
        cast.justice,
        "张店区行政执法公示办法",
        kind=DocKind.NORMATIVE,
        category=tree["normative"],
        topic="司法",
        doc_number="张司发〔2025〕3号",
        written_on=dt.date(2025, 5, 20),
        publisher="张店区司法局",
        body="<p>第一条 为了规范行政执法……</p>",
    )
    html = page(anon, f"/portal/documents/{doc.pk}/")
    cells = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>(.*?)</dd></div>", html))
    assert cells["索引号"] == doc.index_number
    assert cells["发布机构"] == "张店区司法局"
    assert "2025年5月20日" in cells["成文日期"] and "2025年6月2日" in cells["发布日期"]
    assert cells["文号"] == "张司发〔2025〕3号"
    assert cells["有效性"] == "有效" and cells["主题分类"] == "司法"
    assert cells["公开目录"] == "政策文件 / 行政规范性文件"
    assert '<h1 class="doc-title">张店区行政执法公示办法</h1>' in html
    assert "<p>第一条 为了规范行政执法……</p>" in html
    assert "validity-notice" not in html


def test_a_repealed_document_says_so_with_date_link_and_history(anon: Client, cast: Cast) -> None:
    old = publish(cast.justice, "张店区行政执法公示办法（2019）", kind=DocKind.NORMATIVE)
    new = publish(
        cast.justice,
        "关于废止部分行政规范性文件的决定",
        kind=DocKind.NORMATIVE,
        doc_number="张司发〔2025〕9号",
    )
    repeal(old, dt.date(2025, 7, 1), new, "已被新办法取代")
    html = page(anon, f"/portal/documents/{old.pk}/")
    notice = html[html.index('class="validity-notice') : html.index("</section>")]
    assert '本文件已于<time datetime="2025-07-01">2025年7月1日</time>废止' in notice
    assert f'<a href="/portal/documents/{new.pk}/">关于废止部分行政规范性文件的决定</a>' in notice
    assert "（张司发〔2025〕9号）" in notice
    history = html[html.index("有效性变更记录") :]
    assert "有效 → 已废止" in history and "已被新办法取代" in history
    assert f'href="/portal/documents/{new.pk}/"' in history
    # The notice comes before the text it qualifies.
    assert html.index("validity-notice") < html.index('class="doc-body"')


def test_a_changing_document_withdrawn_later_is_no_longer_linked(anon: Client, cast: Cast) -> None:
    old = publish(cast.justice, "旧办法", kind=DocKind.NORMATIVE)
    hidden = publish(cast.justice, "内部决定", kind=DocKind.NORMATIVE)
    repeal(old, dt.date(2025, 7, 1), hidden)
    assert f"/portal/documents/{hidden.pk}/" in page(anon, f"/portal/documents/{old.pk}/")
    withdraw(hidden)
    html = page(anon, f"/portal/documents/{old.pk}/")
    assert (
        "已废止" in html
        and "内部决定" not in html
        and f"/portal/documents/{hidden.pk}/" not in html
    )


def test_interpretations_and_their_document_link_each_other(anon: Client, cast: Cast) -> None:
    policy = publish(cast.justice, "张店区行政执法公示办法", kind=DocKind.NORMATIVE)
    reading = publish(
        cast.justice,
        "《张店区行政执法公示办法》政策解读",
        kind=DocKind.INTERPRETATION,
        interprets=policy,
    )
    waiting = actions.create_document(
        _office(),
        unit=cast.justice,
        kind=DocKind.INTERPRETATION,
        title="未发布的解读",
        body_html="<p>解读稿</p>",
        interprets=policy,
    )
    html = page(anon, f"/portal/documents/{policy.pk}/")
    assert (
        f'<a href="/portal/documents/{reading.pk}/">《张店区行政执法公示办法》政策解读</a>' in html
    )
    assert waiting.title not in html
    back = page(anon, f"/portal/documents/{reading.pk}/")
    assert "解读的文件" in back
    assert f'<a href="/portal/documents/{policy.pk}/">张店区行政执法公示办法</a>' in back


def test_a_repost_names_its_source(anon: Client, cast: Cast) -> None:
    doc = publish(
        cast.gov,
        "国务院办公厅关于做好政务公开工作的通知",
        kind=DocKind.NOTICE,
        is_repost=True,
        source="中国政府网",
        source_url="https://www.gov.cn/zhengce/",
    )
    html = page(anon, f"/portal/documents/{doc.pk}/")
    assert (
        '来源：<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">中国政府网</a>'
        in html
    )


def test_an_attachment_downloads_as_a_file_with_nosniff(anon: Client, cast: Cast) -> None:
    content = pdf_bytes()  # once: the PDF carries its creation time
    doc = publish(
        cast.finance,
        "区财政局2025年部门预算",
        kind=DocKind.BUDGET,
        files=[SimpleUploadedFile("2025年部门预算表.pdf", content, "application/pdf")],
    )
    file = doc.attachments.get()
    html = page(anon, f"/portal/documents/{doc.pk}/")
    url = f"/portal/documents/{doc.pk}/files/{file.pk}"
    assert f'<a href="{url}" download>2025年部门预算表.pdf</a>' in html
    response = anon.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    other = publish(cast.finance, "别的文件")
    assert anon.get(f"/portal/documents/{other.pk}/files/{file.pk}").status_code == 404


# -- XSS -----------------------------------------------------------------------------------


def test_script_in_a_title_or_body_is_neutralised(anon: Client, cast: Cast) -> None:
    doc = publish(
        cast.gov,
        '<script>alert("t")</script>标题<img src=x onerror=alert(2)>',
        kind=DocKind.NOTICE,
        body=(
            '<p onmouseover="alert(3)">正文</p><script>alert(4)</script>'
            '<a href="javascript:alert(5)">链接</a><img src="x" onerror="alert(6)">'
            '<iframe src="https://evil.example/"></iframe>'
        ),
    )
    # A row written around the register's sanitiser (an import, a SQL fix) is cleaned too.
    Document.objects.filter(pk=doc.pk).update(body_html=doc.body_html + "<script>alert(7)</script>")
    for url in (f"/portal/documents/{doc.pk}/", HOME, LIST, f"{SEARCH}?q=标题"):
        html = page(anon, url)
        main = html[html.index("<main") : html.index("</main>")]
        assert "<script" not in main and "<img" not in main and "<iframe" not in main, url
        assert "onerror=" not in main.replace("onerror=alert(2)&gt;", ""), url
        assert "onmouseover" not in main and "javascript:" not in main, url
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;标题" in main or url.startswith(
            SEARCH
        ), url


def test_a_search_query_is_shown_escaped(anon: Client, cast: Cast) -> None:
    publish(cast.gov, "政务公开通知")
    query = '"><script>alert(1)</script><a href="javascript:x" onerror=y>'
    html = page(anon, SEARCH + "?q=" + query.replace("&", "%26").replace("#", "%23"))
    assert "<script>alert(1)" not in html
    assert 'href="javascript:x"' not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- search --------------------------------------------------------------------------------


def test_search_finds_two_character_words_with_highlights_and_count(
    anon: Client, cast: Cast
) -> None:
    budget = publish(
        cast.finance,
        "区财政局2025年部门预算",
        kind=DocKind.BUDGET,
        body="<p>本部门财政拨款收入预算。</p>",
    )
    rule = publish(
        cast.justice, "行政执法公示办法", kind=DocKind.NORMATIVE, body="<p>执法结果向社会公开。</p>"
    )
    points = publish(
        cast.gov,
        "政务公开工作要点",
        kind=DocKind.NOTICE,
        body="<p>推进财政预决算公开。</p>",
        on=dt.date(2024, 3, 1),
    )
    html = page(anon, SEARCH + "?q=财政")
    assert "找到 2 条与“财政”相关的结果" in html
    assert (
        "区<mark>财政</mark>局2025年部门预算" in html and "推进<mark>财政</mark>预决算公开" in html
    )
    results = html[html.index('class="results"') :]
    assert f'href="/portal/documents/{budget.pk}/"' in results
    assert f'href="/portal/documents/{points.pk}/"' in results
    assert f"/portal/documents/{rule.pk}/" not in results
    dated = page(anon, SEARCH + "?q=公开&order=date")
    assert dated.index(f"/portal/documents/{rule.pk}/") < dated.index(
        f"/portal/documents/{points.pk}/"
    )
    assert "找到 1 条" in page(anon, SEARCH + f"?q=公开&unit={cast.justice.pk}")
    assert "找到 1 条" in page(anon, SEARCH + "?q=公开&year=2024")
    assert "找到 1 条" in page(anon, SEARCH + "?q=公开&kind=normative")
    assert "没有找到结果" in page(anon, SEARCH + "?q=量子通信")


def test_a_search_past_the_index_bound_says_there_are_more(
    anon: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.search import query

    monkeypatch.setattr(query, "MAX_MATCHES", 2)
    for n in range(3):
        publish(cast.gov, f"政务公开第{n}期简报")
    html = page(anon, SEARCH + "?q=简报")
    assert "找到 2 条以上与“简报”相关的结果，只列出前 1 页" in html


def test_search_filters_by_validity(anon: Client, cast: Cast) -> None:
    old = publish(cast.justice, "旧的执法办法", kind=DocKind.NORMATIVE)
    publish(cast.justice, "新的执法办法", kind=DocKind.NORMATIVE)
    repeal(old, dt.date(2025, 7, 1), None)
    html = page(anon, SEARCH + "?q=执法&validity=repealed")
    assert "找到 1 条" in html and "旧的<mark>执法</mark>办法" in html
    assert '<span class="badge badge-repealed">已废止</span>' in html


def test_empty_and_too_long_queries_get_a_message(anon: Client, cast: Cast) -> None:
    assert "请输入要检索的词语" in page(anon, SEARCH + "?q=+++")
    html = page(anon, SEARCH + "?q=" + "公开" * 51, status=400)
    assert "检索词过长：最多 100 个字" in html
    assert "没有可以检索的文字" in page(anon, SEARCH + "?q=！？。")
    assert "找到" not in page(anon, SEARCH)  # the bare form


def test_search_is_limited_per_address(anon: Client, cast: Cast, settings: Any) -> None:
    settings.SEARCH_RATE_LIMIT = 3
    # A cache of this test's own: the shared file cache (var/cache) is emptied by every other
    # test run on the machine (conftest), which would reset the count under our feet.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    publish(cast.gov, "政务公开工作要点")
    # All in one minute's window (the limit counts per calendar minute).
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 15, 5, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            assert anon.get(SEARCH + "?q=公开").status_code == 200
        refused = anon.get(SEARCH + "?q=公开")
        assert refused.status_code == 429
        assert "检索次数已达上限" in refused.content.decode()
        assert refused["Retry-After"] == "55"
        other = Client(REMOTE_ADDR="192.0.2.1")
        assert other.get(SEARCH + "?q=公开").status_code == 200  # another address counts apart
        assert anon.get(SEARCH).status_code == 200  # the bare form is not a search
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 16, 1, tzinfo=dt.UTC), tick=False):
        assert anon.get(SEARCH + "?q=公开").status_code == 200  # the next minute


# -- the annual reports and the cleanup results -------------------------------------------


def test_published_annual_reports_are_listed_and_shown(anon: Client, cast: Cast) -> None:
    from gongkai.reports.build import build_annual

    built = build_annual(2024)
    published = AnnualReport.objects.create(
        year=2024, state=ReportState.PUBLISHED, published=built, published_at=timezone.now()
    )
    draft_report = AnnualReport.objects.create(year=2025, unit=cast.justice)
    html = page(anon, "/portal/zwgk/reports/")
    assert f'href="/portal/zwgk/reports/{published.pk}/"' in html
    assert f"/portal/zwgk/reports/{draft_report.pk}/" not in html
    report = page(anon, f"/portal/zwgk/reports/{published.pk}/")
    assert built["title"] in report and 'id="table3"' in report
    assert "二、主动公开政府信息情况" in report
    assert anon.get(f"/portal/zwgk/reports/{draft_report.pk}/").status_code == 404


def test_published_cleanup_results_are_listed(anon: Client, cast: Cast) -> None:
    kept = publish(
        cast.justice, "继续有效的办法", kind=DocKind.NORMATIVE, doc_number="张司发〔2020〕1号"
    )
    gone = publish(cast.justice, "废止的办法", kind=DocKind.NORMATIVE)
    office = _office()
    cleanup = actions.create_cleanup(office, year=2025, title="2025年行政规范性文件清理结果")
    actions.set_cleanup_item(office, cleanup, kept, outcome=CleanupOutcome.KEEP)
    actions.set_cleanup_item(office, cleanup, gone, outcome=CleanupOutcome.REPEAL, note="已过时")
    actions.publish_cleanup(office, cleanup, effective_on=dt.date(2025, 7, 1))
    waiting = actions.create_cleanup(office, year=2026, title="尚未发布的清理")
    assert 'href="/portal/zwgk/cleanups/"' in page(anon, LIST)  # linked from 法定主动公开内容
    assert "2025年行政规范性文件清理结果" in page(anon, "/portal/zwgk/cleanups/")
    html = page(anon, f"/portal/zwgk/cleanups/{cleanup.pk}/")
    assert f'<a href="/portal/documents/{kept.pk}/">继续有效的办法</a>' in html
    assert (
        "张司发〔2020〕1号" in html and "继续有效" in html and "废止" in html and "已过时" in html
    )
    assert anon.get(f"/portal/zwgk/cleanups/{waiting.pk}/").status_code == 404
    assert "已废止" in page(anon, f"/portal/documents/{gone.pk}/")  # the cleanup repealed it
    assert "尚未发布的清理" not in page(anon, "/portal/zwgk/cleanups/")


def test_the_demo_fills_in_every_placeholder_of_the_guide(anon: Client, cast: Cast) -> None:
    from gongkai.portal.demo import load_demo
    from gongkai.portal.guide import missing_elements, placeholders

    load_demo(DAY)
    guide = ColumnPage.objects.get(slug="guide")
    assert placeholders(guide.body_html) == [] and missing_elements(guide.body_html) == []
    assert "示例区人民政府" in page(anon, GUIDE)
    assert "网站标识码：0000000000" in page(anon, HOME)
    assert AuditEvent.objects.filter(content_type__app_label="portal").count() == 2
    load_demo(DAY)  # once only
    assert AuditEvent.objects.filter(content_type__app_label="portal").count() == 2
