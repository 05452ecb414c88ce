"""The document register's staff pages (gongkai/publishing/views/) over HTTP, with CSRF on: who
may open and do what, the whole way from draft to publication through the pages, the privacy
gate's buttons, sanitised bodies, attachments, refused input that keeps what was typed, the
review conflict, validity, withdrawal, the list's tabs and filters, the review queue, the
yearly cleanup, the catalogue tree and the review policy."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from docx import Document as WordDocument

from gongkai.audit.models import AuditEvent
from gongkai.publishing import actions
from gongkai.publishing.models import (
    Category,
    Cleanup,
    DocKind,
    DocState,
    Document,
    PrivacyResolution,
    ReviewPolicy,
    ReviewStep,
    Validity,
)
from tests.conftest import Cast, client_for, csrf_post

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
ID_NUMBER = "110101199003074573"  # a valid check digit (…578, often quoted, is not)
DAY = "2026-04-02"  # a Thursday with a published holiday schedule around it


def at(day: str = DAY, hour: int = 10) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def ok(response: Any) -> None:
    assert response.status_code == 302, text_of(response)[:3000]


def word_file(*paragraphs: str, name: str = "附件1.docx") -> SimpleUploadedFile:
    doc = WordDocument()
    for p in paragraphs:
        doc.add_paragraph(p)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def form_data(unit: Any, **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "kind": DocKind.NORMATIVE,
        "title": "区司法局关于规范法律援助申请受理工作的通知",
        "body": "<p>各司法所：为规范法律援助申请受理工作，现就有关事项通知如下。</p>",
        "doc_number": "X司发〔2026〕3号",
        "written_on": "2026-03-27",
        "publisher": "",
        "topic": "司法",
    } | extra


def create(client: Client, unit: Any, **extra: Any) -> Document:
    response = csrf_post(client, "/publishing/new/", form_data(unit, **extra))
    ok(response)
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return Document.objects.get(pk=pk)


def made(cast: Cast, *, body: str = "<p>正文</p>", **fields: Any) -> Document:
    """A draft of 司法局 made with the actions (for tests about something else)."""
    values: dict[str, Any] = {
        "kind": DocKind.NORMATIVE,
        "title": "区司法局关于某事项的通知",
        "body_html": body,
        "publisher": "区司法局",
        "doc_number": "X司发〔2026〕1号",
        "written_on": D("2026-03-27"),
    } | fields
    return actions.create_document(cast.justice_liaison, unit=cast.justice, **values)


def approved(cast: Cast, **fields: Any) -> Document:
    """A 司法局 document through all three reviews (made with the actions)."""
    doc = made(cast, **fields)
    actions.submit(cast.justice_liaison, doc)
    doc.refresh_from_db()  # the acts take the row as the page saw it
    for reviewer in (cast.justice_liaison, cast.justice_leader, cast.office):
        actions.review(reviewer, doc, approve=True)
    doc.refresh_from_db()
    assert doc.state == DocState.APPROVED
    return doc


def published(cast: Cast, **fields: Any) -> Document:
    doc = approved(cast, **fields)
    actions.publish(cast.office, doc, published_on=D(DAY))
    doc.refresh_from_db()
    return doc


def review(client: Client, doc: Document, decision: str, comment: str = "", **extra: Any) -> Any:
    data = {"decision": decision, "comment": comment} | extra
    return csrf_post(client, f"/publishing/{doc.pk}/review/", data)


# -- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/publishing/", "/publishing/new/", "/publishing/1/", "/publishing/catalogue/"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(anon: Client, url: str) -> None:
    response = anon.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_every_role_sees_the_list_queue_and_cleanups(cast: Cast) -> None:
    for user in (
        cast.office,
        cast.justice_liaison,
        cast.justice_leader,
        cast.finance_liaison,
        cast.evaluator,
    ):
        client = client_for(user)
        for url in ("/publishing/", "/publishing/reviews/", "/publishing/cleanup/"):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
        assert "主动公开" in text_of(client.get("/publishing/"))


def test_only_the_office_and_liaisons_draft(cast: Cast) -> None:
    assert client_for(cast.office).get("/publishing/new/").status_code == 200
    page = client_for(cast.justice_liaison).get("/publishing/new/")
    assert page.status_code == 200
    # A liaison drafts only for their own units; the publisher defaults to the unit's name.
    assert "区司法局" in text_of(page) and "区财政局" not in text_of(page)
    for user in (cast.justice_leader, cast.evaluator):
        refused = client_for(user).get("/publishing/new/")
        assert refused.status_code == 403 and "没有权限" in text_of(refused)
        assert (
            csrf_post(client_for(user), "/publishing/new/", form_data(cast.justice)).status_code
            == 403
        )
    assert Document.objects.count() == 0


def test_a_liaison_cannot_draft_for_another_unit(cast: Cast) -> None:
    response = csrf_post(
        client_for(cast.finance_liaison), "/publishing/new/", form_data(cast.justice)
    )
    assert response.status_code == 400 and "请选择责任单位" in text_of(response)
    assert Document.objects.count() == 0


@pytest.mark.parametrize("url", ["/publishing/catalogue/", "/publishing/policy/"])
def test_catalogue_and_policy_pages_are_the_offices(cast: Cast, url: str) -> None:
    assert client_for(cast.office).get(url).status_code == 200
    read_only = client_for(cast.evaluator).get(url)
    assert read_only.status_code == 200 and "保存" not in text_of(read_only)
    for user in (cast.justice_liaison, cast.justice_leader):
        assert client_for(user).get(url).status_code == 403


# -- the whole way, through the pages ---------------------------------------------------------


def test_draft_reviews_gate_redaction_and_publication_over_http(cast: Cast) -> None:
    liaison, leader, office = (
        client_for(cast.justice_liaison),
        client_for(cast.justice_leader),
        client_for(cast.office),
    )
    body = f"<p>请联系申请人张某（身份证号 {ID_NUMBER}）补充材料。</p>"
    with at():
        doc = create(
            liaison,
            cast.justice,
            body=body,
            needs_interpretation="on",
            attachments=[word_file("法律援助申请登记表（样表）")],
        )
        assert doc.state == DocState.DRAFT and doc.publisher == "区司法局"
        assert doc.attachments.count() == 1
        page = liaison.get(f"/publishing/{doc.pk}/")
        assert page.status_code == 200
        text = text_of(page)
        privacy = text[text.index("隐私检查") : text.index("处理记录")]
        assert "阻止发布" in privacy and "身份证号" in privacy
        assert ID_NUMBER not in privacy and "110101********4573" in privacy  # masked
        assert "附件1.docx" in text and "修改" in text

        ok(csrf_post(liaison, f"/publishing/{doc.pk}/submit/"))
        doc.refresh_from_db()
        assert doc.state == DocState.REVIEW
        # Submitted: no more editing; the liaison decides 初审.
        assert liaison.get(f"/publishing/{doc.pk}/edit/").status_code == 302
        assert "当前等待： 初审（起草单位）" in text_of(liaison.get(f"/publishing/{doc.pk}/"))
        assert doc.title in text_of(liaison.get("/publishing/reviews/"))
        assert doc.title not in text_of(leader.get("/publishing/reviews/"))
        ok(review(liaison, doc, "approve", "内容无误", stage="initial"))

        # 复审 is the leader's: the liaison may not decide it.
        assert review(liaison, doc, "approve", stage="leader").status_code == 403
        assert doc.title in text_of(leader.get("/publishing/reviews/"))
        ok(review(leader, doc, "approve", "同意发布", stage="leader"))
        ok(review(office, doc, "approve", "同意", stage="final"))
    doc.refresh_from_db()
    assert doc.state == DocState.APPROVED
    steps = list(doc.review_steps.order_by("pk").values_list("stage", "reviewer__username"))
    assert steps == [
        ("initial", "justice"),
        ("leader", "justice_leader"),
        ("final", "office"),
    ]

    with at():
        # The body's ID number blocks publication: the button is off and says why.
        page = office.get(f"/publishing/{doc.pk}/")
        content = page.content.decode()
        assert re.search(r"<button type=\"submit\" disabled[^>]*>发布</button>", content)
        assert "标题和正文：发现身份证号码 1 处" in text_of(page)
        refused = csrf_post(office, f"/publishing/{doc.pk}/publish/", {"published_on": DAY})
        assert refused.status_code == 400
        assert "身份证号" in text_of(refused) and DAY in refused.content.decode()
        doc.refresh_from_db()
        assert doc.state == DocState.APPROVED and doc.index_number is None

        # One click masks it; the new scan is clear and the button comes on.
        ok(csrf_post(liaison, f"/publishing/{doc.pk}/redact/"))
        doc.refresh_from_db()
        assert ID_NUMBER not in doc.body_html and ID_NUMBER not in doc.body_text
        assert actions.gate(doc) == []
        page = office.get(f"/publishing/{doc.pk}/")
        assert not re.search(r"disabled[^>]*>发布</button>", page.content.decode())
        assert "已遮盖" in text_of(page)
        ok(csrf_post(office, f"/publishing/{doc.pk}/publish/", {"published_on": DAY}))

    doc.refresh_from_db()
    assert doc.state == DocState.PUBLISHED and doc.published_on == D(DAY)
    assert doc.index_number
    assert doc.interpretation_due == D("2026-04-08")  # 3 working days across 清明
    page = text_of(office.get(f"/publishing/{doc.pk}/"))
    assert doc.index_number in page and "已发布" in page and "2026-04-08" in page
    try:
        public = doc.public_url()
    except NoReverseMatch:
        return  # the portal is not mounted yet: the staff page is the proof
    assert Client().get(public).status_code == 200
    assert public in office.get(f"/publishing/{doc.pk}/").content.decode()


def test_a_return_needs_a_comment_and_sends_the_draft_back(cast: Cast) -> None:
    doc = made(cast)
    actions.submit(cast.justice_liaison, doc)
    liaison = client_for(cast.justice_liaison)
    refused = review(liaison, doc, "return", "  ", stage="initial")
    assert refused.status_code == 400 and "退回时请填写审核意见" in text_of(refused)
    ok(review(liaison, doc, "return", "文号有误，请核对", stage="initial"))
    doc.refresh_from_db()
    assert doc.state == DocState.RETURNED
    page = text_of(liaison.get(f"/publishing/{doc.pk}/"))
    assert "文号有误，请核对" in page and "退回" in page
    # Back to the drafter: editable, and resubmitting starts a new round.
    assert liaison.get(f"/publishing/{doc.pk}/edit/").status_code == 200
    ok(csrf_post(liaison, f"/publishing/{doc.pk}/submit/"))
    doc.refresh_from_db()
    assert doc.state == DocState.REVIEW


def test_a_second_reviewer_of_the_same_stage_gets_409_and_keeps_the_comment(cast: Cast) -> None:
    doc = made(cast)
    actions.submit(cast.justice_liaison, doc)
    # Both had the page open at 初审; the liaison decides first.
    ok(review(client_for(cast.justice_liaison), doc, "approve", stage="initial"))
    late = review(client_for(cast.office), doc, "return", "第二位审核人的意见", stage="initial")
    assert late.status_code == 409
    page = text_of(late)
    assert "第二位审核人的意见" in page and "已由他人" in page
    assert ReviewStep.objects.filter(document=doc).count() == 1  # theirs stands
    doc.refresh_from_db()
    assert doc.state == DocState.REVIEW


def test_the_office_overrides_the_gate_only_with_a_reason(cast: Cast) -> None:
    doc = approved(cast, body=f"<p>联系电话 13912345678，身份证 {ID_NUMBER}</p>")
    [check] = actions.gate(doc)
    office = client_for(cast.office)
    url = f"/publishing/{doc.pk}/override/"
    refused = csrf_post(office, url, {"check": check.pk, "reason": ""})
    assert refused.status_code == 400 and "请填写确认可发布的理由" in text_of(refused)
    assert (
        csrf_post(
            client_for(cast.justice_liaison), url, {"check": check.pk, "reason": "x"}
        ).status_code
        == 403
    )
    ok(
        csrf_post(
            office, url, {"check": check.pk, "reason": "公开的是单位办公电话，经核实可以公开"}
        )
    )
    check.refresh_from_db()
    assert check.resolution == PrivacyResolution.OVERRIDDEN
    assert actions.gate(doc) == []
    page = text_of(office.get(f"/publishing/{doc.pk}/"))
    assert "公开的是单位办公电话，经核实可以公开" in page and "公开办确认可发布" in page


def test_a_publication_date_in_the_future_is_refused_and_kept(cast: Cast) -> None:
    doc = approved(cast)
    with at():
        response = csrf_post(
            client_for(cast.office),
            f"/publishing/{doc.pk}/publish/",
            {"published_on": "2026-05-01"},
        )
    assert response.status_code == 400 and "发布日期不能晚于今天" in text_of(response)
    assert 'value="2026-05-01"' in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == DocState.APPROVED


# -- what the page shows, and to whom ---------------------------------------------------------


def test_scripts_handlers_and_javascript_urls_are_neutralised(cast: Cast) -> None:
    hostile = (
        "<p>正文<script>alert('x1')</script></p>"
        '<img src="x" onerror="alert(\'x2\')">'
        "<p onclick=\"alert('x3')\">点击</p>"
        "<a href=\"javascript:alert('x4')\">链接</a>"
        '<a href="https://www.gov.cn/" onmouseover="alert(\'x5\')">政府网</a>'
        '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>'
    )
    doc = create(client_for(cast.justice_liaison), cast.justice, body=hostile)
    content = client_for(cast.office).get(f"/publishing/{doc.pk}/").content.decode()
    body = content[content.index('id="body"') : content.index('id="attachments"')]
    for bad in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<style",
        "<img",
    ):
        assert bad not in body, bad
    assert "点击" in body and "政府网" in body
    assert 'href="https://www.gov.cn/"' in body and 'rel="noopener noreferrer"' in body
    doc.refresh_from_db()
    assert "alert(" not in doc.body_html and "javascript:" not in doc.body_html


def test_plain_text_bodies_are_escaped_paragraphs(cast: Cast) -> None:
    doc = create(
        client_for(cast.justice_liaison),
        cast.justice,
        body="第一段 <b>不是标签</b>\n\n第二段",
        plain_text="on",
    )
    assert doc.body_html == "<p>第一段 &lt;b&gt;不是标签&lt;/b&gt;</p><p>第二段</p>"
    page = client_for(cast.justice_liaison).get(f"/publishing/{doc.pk}/").content.decode()
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in page


def test_another_units_liaison_gets_404_everywhere(cast: Cast) -> None:
    doc = made(cast)
    attachment = actions.add_attachment(
        cast.justice_liaison, doc, word_file("样表", name="样表.docx")
    )
    outsider = client_for(cast.finance_liaison)
    for url in (
        f"/publishing/{doc.pk}/",
        f"/publishing/{doc.pk}/edit/",
        f"/publishing/files/{attachment.pk}",
    ):
        assert outsider.get(url).status_code == 404, url
    for act in (
        "submit",
        "review",
        "redact",
        "override",
        "publish",
        "withdraw",
        "validity",
        "attachments",
    ):
        assert csrf_post(outsider, f"/publishing/{doc.pk}/{act}/", {}).status_code == 404, act
    assert csrf_post(outsider, f"/publishing/files/{attachment.pk}/remove/").status_code == 404
    assert doc.title not in text_of(outsider.get("/publishing/?tab=all"))
    assert outsider.get("/publishing/999999/").status_code == 404


def test_an_evaluator_reads_everything_but_posts_nothing(cast: Cast) -> None:
    doc = made(cast, body=f"<p>{ID_NUMBER}</p>")
    attachment = actions.add_attachment(cast.justice_liaison, doc, word_file("样表"))
    evaluator = client_for(cast.evaluator)
    assert evaluator.get(f"/publishing/{doc.pk}/").status_code == 200
    assert doc.title in text_of(evaluator.get("/publishing/?tab=all"))
    assert evaluator.get(f"/publishing/files/{attachment.pk}").status_code == 200
    page = evaluator.get(f"/publishing/{doc.pk}/").content.decode()
    assert f"/publishing/{doc.pk}/submit/" not in page and "一键遮盖" not in page
    assert f"/publishing/{doc.pk}/edit/" not in page
    assert evaluator.get(f"/publishing/{doc.pk}/edit/").status_code == 403
    for act, data in (
        ("submit", {}),
        ("redact", {}),
        ("attachments", {}),
        ("publish", {"published_on": DAY}),
        ("withdraw", {"reason": "x"}),
        ("validity", {"validity": "repealed", "effective_on": DAY}),
    ):
        assert csrf_post(evaluator, f"/publishing/{doc.pk}/{act}/", data).status_code == 403, act
    assert csrf_post(evaluator, f"/publishing/files/{attachment.pk}/remove/").status_code == 403
    actions.submit(cast.justice_liaison, doc)
    assert review(evaluator, doc, "approve", stage="initial").status_code == 403
    doc.refresh_from_db()
    assert doc.state == DocState.REVIEW and not doc.review_steps.exists()


def test_attachments_download_only_as_files(cast: Cast) -> None:
    doc = made(cast)
    attachment = actions.add_attachment(
        cast.justice_liaison, doc, word_file("样表", name="登记表.docx")
    )
    response: Any = client_for(cast.justice_leader).get(f"/publishing/files/{attachment.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_attachments_are_added_and_removed_while_a_draft(cast: Cast) -> None:
    doc = made(cast)
    liaison = client_for(cast.justice_liaison)
    url = f"/publishing/{doc.pk}/attachments/"
    ok(
        csrf_post(
            liaison, url, {"attachments": [word_file("一"), word_file("二", name="附件2.docx")]}
        )
    )
    assert doc.attachments.count() == 2
    junk = SimpleUploadedFile("伪装.docx", b"not a word file at all")
    refused = csrf_post(liaison, url, {"attachments": [junk]})
    assert refused.status_code == 400 and doc.attachments.count() == 2
    first = doc.attachments.order_by("pk").first()
    assert first is not None
    ok(csrf_post(liaison, f"/publishing/files/{first.pk}/remove/"))
    assert doc.attachments.count() == 1
    actions.submit(cast.justice_liaison, doc)
    last = doc.attachments.get()
    assert csrf_post(liaison, f"/publishing/files/{last.pk}/remove/").status_code == 403
    assert doc.attachments.count() == 1


# -- the form ---------------------------------------------------------------------------------


def test_refused_input_keeps_what_was_typed(cast: Cast) -> None:
    liaison = client_for(cast.justice_liaison)
    response = csrf_post(
        liaison,
        "/publishing/new/",
        form_data(cast.justice, title="一个保留的标题", is_repost="on", source=""),
    )
    assert response.status_code == 400
    assert "转载的信息须注明来源" in text_of(response)
    assert 'value="一个保留的标题"' in response.content.decode()
    assert Document.objects.count() == 0
    interpretation = csrf_post(
        liaison, "/publishing/new/", form_data(cast.justice, kind=DocKind.INTERPRETATION)
    )
    assert interpretation.status_code == 400
    assert "政策解读须选择所解读的政策文件" in text_of(interpretation)


def test_an_interpretation_links_both_ways(cast: Cast) -> None:
    policy = made(cast, title="区司法局法律援助实施办法", needs_interpretation=True)
    hidden = actions.create_document(
        cast.finance_liaison, unit=cast.finance, kind=DocKind.POLICY, title="财政局的文件"
    )
    liaison = client_for(cast.justice_liaison)
    form = liaison.get("/publishing/new/").content.decode()
    assert "区司法局法律援助实施办法" in form and "财政局的文件" not in form
    refused = csrf_post(
        liaison,
        "/publishing/new/",
        form_data(cast.justice, kind=DocKind.INTERPRETATION, interprets=hidden.pk),
    )
    assert refused.status_code == 400  # another unit's document cannot be chosen
    reading = create(
        liaison,
        cast.justice,
        kind=DocKind.INTERPRETATION,
        title="《区司法局法律援助实施办法》解读",
        doc_number="",
        interprets=policy.pk,
    )
    assert reading.interprets_id == policy.pk
    assert "区司法局法律援助实施办法" in text_of(liaison.get(f"/publishing/{reading.pk}/"))
    assert "《区司法局法律援助实施办法》解读" in text_of(liaison.get(f"/publishing/{policy.pk}/"))


def test_edit_changes_a_draft_through_the_action(cast: Cast) -> None:
    doc = create(client_for(cast.justice_liaison), cast.justice)
    liaison = client_for(cast.justice_liaison)
    page = liaison.get(f"/publishing/{doc.pk}/edit/")
    assert page.status_code == 200 and doc.title in page.content.decode()
    ok(
        csrf_post(
            liaison,
            f"/publishing/{doc.pk}/edit/",
            form_data(cast.justice, title="改过的标题", body=f"<p>{ID_NUMBER}</p>"),
        )
    )
    doc.refresh_from_db()
    assert doc.title == "改过的标题"
    assert actions.gate(doc), "a changed body is scanned again"
    assert AuditEvent.objects.filter(object_id=str(doc.pk), action="change").exists()
    other = client_for(cast.justice_leader)
    assert other.get(f"/publishing/{doc.pk}/edit/").status_code == 403


# -- validity and withdrawal ------------------------------------------------------------------


def test_the_office_repeals_and_the_page_says_so(cast: Cast) -> None:
    with at():
        doc = published(cast)
        newer = published(cast, title="新的实施办法")
    office = client_for(cast.office)
    data = {
        "validity": Validity.REPEALED,
        "effective_on": "2026-04-02",
        "changed_by": newer.index_number,
        "reason": "已被新办法取代",
    }
    assert (
        csrf_post(
            client_for(cast.justice_liaison), f"/publishing/{doc.pk}/validity/", data
        ).status_code
        == 403
    )
    bad = csrf_post(office, f"/publishing/{doc.pk}/validity/", data | {"changed_by": "NO-SUCH"})
    assert bad.status_code == 400 and "没有找到索引号为 NO-SUCH" in text_of(bad)
    with at():
        ok(csrf_post(office, f"/publishing/{doc.pk}/validity/", data))
    doc.refresh_from_db()
    assert doc.validity == Validity.REPEALED and doc.validity_changed_by_id == newer.pk
    page = client_for(cast.justice_liaison).get(f"/publishing/{doc.pk}/")
    assert "validity-banner" in page.content.decode()
    text = text_of(page)
    assert "本文件已废止" in text and "新的实施办法" in text and "已被新办法取代" in text
    listed = text_of(office.get("/publishing/?tab=void"))
    assert doc.title in listed and "新的实施办法" not in listed


def test_the_office_withdraws_with_a_reason(cast: Cast) -> None:
    with at():
        doc = published(cast)
    office = client_for(cast.office)
    refused = csrf_post(office, f"/publishing/{doc.pk}/withdraw/", {"reason": ""})
    assert refused.status_code == 400 and "请填写撤回理由" in text_of(refused)
    ok(csrf_post(office, f"/publishing/{doc.pk}/withdraw/", {"reason": "内容有误，重新起草"}))
    doc.refresh_from_db()
    assert doc.state == DocState.WITHDRAWN
    assert "已撤回" in text_of(office.get(f"/publishing/{doc.pk}/"))


# -- the list and the queue -------------------------------------------------------------------


def test_tabs_filters_and_counts(cast: Cast) -> None:
    with at():
        draft = made(cast, title="草稿甲")
        waiting = made(cast, title="审核中乙")
        actions.submit(cast.justice_liaison, waiting)
        done = published(cast, title="已发布丙", kind=DocKind.POLICY)
        news = actions.create_document(
            cast.finance_liaison, unit=cast.finance, kind=DocKind.NEWS, title="财政动态丁"
        )
    office = client_for(cast.office)
    with at():
        drafts = text_of(office.get("/publishing/?tab=draft"))
        assert "草稿甲" in drafts and "财政动态丁" in drafts and "已发布丙" not in drafts
        assert "审核中乙" in text_of(office.get("/publishing/?tab=review"))
        assert "已发布丙" in text_of(office.get("/publishing/?tab=published"))
        only_justice = text_of(office.get(f"/publishing/?tab=all&unit={cast.justice.pk}"))
        assert "财政动态丁" not in only_justice and "草稿甲" in only_justice
        by_kind = text_of(office.get("/publishing/?tab=all&kind=news"))
        assert "财政动态丁" in by_kind and "草稿甲" not in by_kind
        by_title = text_of(office.get("/publishing/?tab=all&q=丙"))
        assert "已发布丙" in by_title and "草稿甲" not in by_title
        bad = text_of(office.get("/publishing/?tab=all&year=abc"))
        assert "筛选条件「年度」的值“abc”无效，已忽略" in bad and "草稿甲" in bad
        year = text_of(office.get("/publishing/?tab=all&year=2025"))
        assert "已发布丙" not in year and "草稿甲" not in year
    # 司法局's leader: 审核中乙 waits for its liaison, not for them.
    leader = text_of(client_for(cast.justice_leader).get("/publishing/?tab=review"))
    assert "审核中乙" not in leader
    everyone = text_of(client_for(cast.justice_leader).get("/publishing/?tab=review&all=1"))
    assert "审核中乙" in everyone
    assert done.title and draft.title and news.title


def test_an_overdue_interpretation_shows_in_its_tab(cast: Cast) -> None:
    with at():
        doc = published(cast, title="需要解读的办法", needs_interpretation=True)
    with at("2026-04-09"):
        tab = text_of(client_for(cast.justice_liaison).get("/publishing/?tab=overdue"))
        assert "需要解读的办法" in tab and "2026-04-08" in tab
        page = text_of(client_for(cast.justice_liaison).get(f"/publishing/{doc.pk}/"))
        assert "已逾期" in page


def test_the_queue_decides_and_returns_to_the_queue(cast: Cast) -> None:
    doc = made(cast)
    actions.submit(cast.justice_liaison, doc)
    liaison = client_for(cast.justice_liaison)
    response = review(liaison, doc, "approve", stage="initial", next="queue")
    assert response.status_code == 302 and response["Location"] == reverse("publishing:reviews")
    assert doc.title not in text_of(liaison.get("/publishing/reviews/"))


# -- the yearly cleanup -----------------------------------------------------------------------


def test_the_office_runs_and_publishes_a_cleanup(cast: Cast) -> None:
    with at():
        kept = published(cast, title="继续有效的文件")
        gone = published(cast, title="应当废止的文件")
    office = client_for(cast.office)
    assert (
        csrf_post(
            client_for(cast.justice_liaison),
            "/publishing/cleanup/new/",
            {"year": 2026, "title": "x"},
        ).status_code
        == 403
    )
    with at():
        ok(
            csrf_post(
                office,
                "/publishing/cleanup/new/",
                {"year": 2026, "title": "2026年度规范性文件清理结果"},
            )
        )
    cleanup = Cleanup.objects.get()
    url = f"/publishing/cleanup/{cleanup.pk}/"
    page = text_of(office.get(url))
    assert "继续有效的文件" in page and "应当废止的文件" in page
    ok(csrf_post(office, url + "items/", {"document": kept.pk, "outcome": "keep"}))
    ok(
        csrf_post(
            office,
            url + "items/",
            {"document": gone.pk, "outcome": "repeal", "note": "上位法已废止"},
        )
    )
    draft = made(cast, title="草稿不能清理")
    refused = csrf_post(office, url + "items/", {"document": draft.pk, "outcome": "repeal"})
    assert refused.status_code == 400 and "只能加入已发布的政策文件" in text_of(refused)
    assert (
        csrf_post(
            client_for(cast.justice_liaison), url + "publish/", {"effective_on": DAY}
        ).status_code
        == 403
    )
    with at():
        ok(csrf_post(office, url + "publish/", {"effective_on": DAY}))
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.validity == Validity.REPEALED and kept.validity == Validity.VALID
    result = text_of(client_for(cast.finance_liaison).get(url))
    assert "应当废止的文件" in result and "废止" in result and "上位法已废止" in result


# -- the catalogue tree and the review policy -------------------------------------------------


def test_the_catalogue_tree_is_edited_and_audited(cast: Cast) -> None:
    office = client_for(cast.office)
    ok(
        csrf_post(
            office,
            "/publishing/catalogue/add/",
            {"root-name": "法定主动公开内容", "root-code": "01"},
        )
    )
    root = Category.objects.get()
    for name in ("政策文件", "财政信息"):
        ok(
            csrf_post(
                office, "/publishing/catalogue/add/", {"parent": root.pk, f"a{root.pk}-name": name}
            )
        )
    policy_node, money = Category.objects.filter(parent=root).order_by("position")
    assert (policy_node.name, money.name) == ("政策文件", "财政信息")
    dupe = csrf_post(
        office, "/publishing/catalogue/add/", {"parent": root.pk, f"a{root.pk}-name": "政策文件"}
    )
    assert dupe.status_code == 400 and "同一级已有名为「政策文件」的目录" in text_of(dupe)

    ok(csrf_post(office, f"/publishing/catalogue/{money.pk}/move/", {"direction": "up"}))
    assert list(
        Category.objects.filter(parent=root).order_by("position").values_list("name", flat=True)
    ) == ["财政信息", "政策文件"]
    ok(
        csrf_post(
            office, f"/publishing/catalogue/{money.pk}/edit/", {f"c{money.pk}-name": "财政预决算"}
        )
    )
    money.refresh_from_db()
    assert money.name == "财政预决算"

    # In use: cannot be deleted, only deactivated, and then leaves the picker.
    made(cast, category=policy_node)
    refused = csrf_post(office, f"/publishing/catalogue/{policy_node.pk}/delete/")
    assert refused.status_code == 400 and "已有信息使用，不能删除，只能停用" in text_of(refused)
    ok(csrf_post(office, f"/publishing/catalogue/{policy_node.pk}/active/", {}))
    policy_node.refresh_from_db()
    assert not policy_node.active
    form = client_for(cast.justice_liaison).get("/publishing/new/").content.decode()
    picker = re.search(r'<select name="category".*?</select>', form, re.S)
    assert picker is not None
    assert "财政预决算" in picker.group() and "政策文件" not in picker.group()
    ok(csrf_post(office, f"/publishing/catalogue/{money.pk}/delete/"))
    assert not Category.objects.filter(pk=money.pk).exists()

    events = AuditEvent.objects.filter(content_type__model="category")
    assert set(events.values_list("action", flat=True)) == {"create", "change", "delete"}
    liaison = client_for(cast.justice_liaison)
    assert csrf_post(liaison, "/publishing/catalogue/add/", {"root-name": "x"}).status_code == 403
    assert csrf_post(liaison, f"/publishing/catalogue/{root.pk}/delete/").status_code == 403


def test_the_review_policy_per_kind_keeps_the_final_review(cast: Cast) -> None:
    office = client_for(cast.office)
    # 动态要闻: the unit leader and the office (two steps); 终审 cannot be dropped.
    ok(
        csrf_post(
            office,
            "/publishing/policy/",
            {"stages-news": ["leader"], "stages-rule": ["initial", "leader"]},
        )
    )
    news = ReviewPolicy.objects.get(kind=DocKind.NEWS)
    assert news.stages == ["leader", "final"]
    assert not ReviewPolicy.objects.filter(kind=DocKind.RULE).exists()  # all three: the default
    notice = ReviewPolicy.objects.get(kind=DocKind.NOTICE)
    assert notice.stages == ["final"]  # nothing ticked: the office alone
    doc = actions.create_document(
        cast.justice_liaison, unit=cast.justice, kind=DocKind.NEWS, title="动态"
    )
    assert [s.value for s in actions.stages_for(doc)] == ["leader", "final"]
    assert "复审（单位负责人） → 终审（公开办）" in text_of(
        client_for(cast.justice_liaison).get(f"/publishing/{doc.pk}/")
    )
    assert AuditEvent.objects.filter(content_type__model="reviewpolicy").count() >= 2
    assert csrf_post(client_for(cast.evaluator), "/publishing/policy/", {}).status_code == 403
    assert csrf_post(client_for(cast.justice_liaison), "/publishing/policy/", {}).status_code == 403


def test_the_home_page_counts_the_register(cast: Cast) -> None:
    with at():
        approved(cast, title="待发布的文件")
        made(cast, title="一份草稿")
        home = text_of(client_for(cast.office).get("/"))
        assert "待我审核 0 条，待发布 1 条，解读逾期 0 件" in home
        mine = text_of(client_for(cast.justice_liaison).get("/"))
        assert "本单位草稿 1 条，已退回 0 条，待我审核 0 条" in mine
        assert "本单位草稿 0 条" in text_of(client_for(cast.finance_liaison).get("/"))
    nav = client_for(cast.justice_liaison).get("/publishing/").content.decode()
    assert '<a href="/publishing/" aria-current="page">主动公开</a>' in nav


def test_dates_are_offered_in_the_form_a_date_field_reads(cast: Cast) -> None:
    doc = approved(cast)
    with at():
        page = client_for(cast.office).get(f"/publishing/{doc.pk}/").content.decode()
    assert f'type="date" name="published_on" value="{DAY}"' in page
    edit = client_for(cast.justice_liaison).get(f"/publishing/{made(cast).pk}/edit/")
    assert 'value="2026-03-27"' in edit.content.decode()


def test_a_deactivated_category_stays_on_a_draft_being_edited(cast: Cast) -> None:
    node = Category.objects.create(name="旧目录")
    doc = made(cast, category=node)
    node.active = False
    node.save()
    liaison = client_for(cast.justice_liaison)
    page = liaison.get(f"/publishing/{doc.pk}/edit/").content.decode()
    assert "旧目录（已停用）" in page
    data = form_data(cast.justice, title="新标题", category=node.pk)
    ok(csrf_post(liaison, f"/publishing/{doc.pk}/edit/", data))
    doc.refresh_from_db()
    assert doc.title == "新标题" and doc.category_id == node.pk


def test_posts_without_the_csrf_token_are_refused(cast: Cast) -> None:
    doc = made(cast)
    liaison = client_for(cast.justice_liaison)  # CSRF checks on, as in production
    assert liaison.post(f"/publishing/{doc.pk}/submit/").status_code == 403
    assert liaison.post("/publishing/new/", form_data(cast.justice)).status_code == 403
    doc.refresh_from_db()
    assert doc.state == DocState.DRAFT and Document.objects.count() == 1


def test_a_refused_file_loses_the_draft_and_leaves_no_file_behind(
    cast: Cast, settings: Any
) -> None:
    good, junk = word_file("样表"), SimpleUploadedFile("伪装.docx", b"not a word file at all")
    response = csrf_post(
        client_for(cast.justice_liaison),
        "/publishing/new/",
        form_data(cast.justice, title="保留的标题", attachments=[good, junk]),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "伪装.docx" in page and "请重新选择附件" in page
    assert 'value="保留的标题"' in response.content.decode()
    assert Document.objects.count() == 0
    stored = settings.MEDIA_ROOT / "publishing"
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]
