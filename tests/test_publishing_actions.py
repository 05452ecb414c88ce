"""The document register's acts, called as the pages call them: drafting with its checks, the
三审 chain with its permissions and conflicts, the privacy gate (scan, redact, override),
publication with the 索引号, withdrawal and the audit trail.

Helpers here (`draft`, `approve_all`, `published`, `at`, file makers) are shared by the other
tests/test_publishing_*.py files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zoneinfo
from collections.abc import Iterator
from typing import Any

import docx
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF

from gongkai.audit.models import AuditEvent
from gongkai.privacy import scan_bytes
from gongkai.publishing import access, actions, files, hooks
from gongkai.publishing.actions import PublishRejected, ReviewConflict
from gongkai.publishing.indexnumber import check_scheme
from gongkai.publishing.models import (
    Category,
    DocKind,
    DocState,
    Document,
    DocumentAttachment,
    PrivacyCheck,
    PrivacyResolution,
    ReviewPolicy,
    ReviewStage,
    ReviewStep,
)
from gongkai.search.models import SearchEntry
from gongkai.units.models import Unit
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat


def _id_number(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


ID_NUMBER = _id_number("11010519800312004")
MASKED_ID = ID_NUMBER[:6] + "*" * 8 + ID_NUMBER[-4:]
PHONE = "13812345678"
BODY = "<p>为进一步规范行政执法行为，现将有关事项通知如下。</p>"


def at(day: str, hour: int = 10) -> Any:
    moment = dt.datetime.combine(D(day), dt.time(hour), ZONE)
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _spring_2026() -> Iterator[None]:
    """Tests run on a fixed working day of 2026 unless they travel elsewhere."""
    with at("2026-03-10"):
        yield


# -- making things ---------------------------------------------------------------------------


def draft(cast: Cast, user: Any = None, unit: Unit | None = None, **fields: Any) -> Document:
    """A 行政规范性文件 draft of 司法局 with everything review needs, unless told otherwise."""
    values: dict[str, Any] = {
        "kind": DocKind.NORMATIVE,
        "title": "关于规范行政执法公示工作的通知",
        "body_html": BODY,
        "doc_number": "区司发〔2026〕1号",
        "written_on": D("2026-03-02"),
    }
    values.update(fields)
    return actions.create_document(
        user or cast.justice_liaison, unit=unit or cast.justice, **values
    )


def approve_all(cast: Cast, document: Document) -> Document:
    """Submit, and pass every stage the kind needs, each by its proper reviewer."""
    reviewer = {
        ReviewStage.INITIAL: cast.justice_liaison,
        ReviewStage.LEADER: cast.justice_leader,
        ReviewStage.FINAL: cast.office,
    }
    liaison_of_unit = document.unit_id == cast.justice.pk
    actions.submit(cast.justice_liaison if liaison_of_unit else cast.office, document)
    document.refresh_from_db()
    while (stage := actions.next_stage(document)) is not None:
        user = reviewer[stage] if liaison_of_unit else cast.office
        actions.review(user, document, approve=True, comment="同意")
        document.refresh_from_db()
    assert document.state == DocState.APPROVED
    return document


def published(cast: Cast, document: Document, day: dt.date | None = None) -> Document:
    approve_all(cast, document)
    return actions.publish(cast.office, document, published_on=day)


def docx_bytes(*paragraphs: list[tuple[str, bool]], raw: str = "") -> bytes:
    """A .docx whose paragraphs are runs (text, bold); `raw` adds WordprocessingML."""
    document = docx.Document()
    for runs in paragraphs:
        p = document.add_paragraph()
        for text, bold in runs:
            p.add_run(text).bold = bold
    if raw:
        body = document.element.body
        body.insert(len(body) - 1, parse_xml(f"<w:p {nsdecls('w')}>{raw}</w:p>"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def split_id_docx() -> bytes:
    """The ID number split over three runs, the middle one bold (as Word often stores it)."""
    return docx_bytes(
        [
            ("当事人身份证号：", False),
            (ID_NUMBER[:6], False),
            (ID_NUMBER[6:14], True),
            (ID_NUMBER[14:], False),
            ("。", False),
        ]
    )


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.cell(text=text)
    return bytes(pdf.output())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def attach(cast: Cast, document: Document, name: str, data: bytes) -> DocumentAttachment:
    return actions.add_attachment(cast.justice_liaison, document, upload(name, data))


def latest(document: Document, attachment: DocumentAttachment | None = None) -> PrivacyCheck:
    checks = PrivacyCheck.objects.filter(document=document, attachment=attachment)
    found = checks.order_by("-pk").first()
    assert found is not None
    return found


def audit_text() -> str:
    return json.dumps(list(AuditEvent.objects.values("changes", "comment")), ensure_ascii=False)


# -- drafting ----------------------------------------------------------------------------------


def test_a_liaison_drafts_for_their_unit_with_a_sanitised_body(cast: Cast) -> None:
    raw = '<p onclick="x()">正文<script>alert(1)</script><a href="javascript:x">链接</a></p>'
    document = draft(cast, body_html=raw)
    assert document.state == DocState.DRAFT and document.unit == cast.justice
    assert document.created_by == cast.justice_liaison
    assert "script" not in document.body_html and "onclick" not in document.body_html
    assert "javascript" not in document.body_html
    assert document.body_text == "正文链接"
    check = latest(document)
    assert check.hits == 0 and not check.blocks
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="create").exists()


@pytest.mark.parametrize("who", ["finance_liaison", "justice_leader", "evaluator"])
def test_only_a_liaison_of_the_unit_or_the_office_may_draft(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        draft(cast, user=getattr(cast, who))
    assert draft(cast, user=cast.office).unit == cast.justice
    assert Document.objects.count() == 1


def test_a_repost_without_its_source_is_refused(cast: Cast) -> None:
    with pytest.raises(PublishRejected, match="转载的信息须注明来源"):
        draft(cast, kind=DocKind.NEWS, is_repost=True, source="  ")
    document = draft(cast, kind=DocKind.NEWS, is_repost=True, source="淄博市人民政府网站")
    with pytest.raises(PublishRejected, match="转载的信息须注明来源"):
        actions.update_document(cast.justice_liaison, document, source="")
    with pytest.raises(PublishRejected, match="来源网址"):
        actions.update_document(cast.justice_liaison, document, source_url="javascript:alert(1)")
    document.refresh_from_db()
    assert document.source == "淄博市人民政府网站"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "请填写标题"),
        ({"title": "长" * 301}, "标题不能超过 300 个字"),
        ({"kind": "poster"}, "请选择信息类别"),
        ({"doc_number": "号" * 101}, "文号不能超过 100 个字"),
        ({"written_on": D("2026-03-11")}, "成文日期不能晚于今天"),
        ({"kind": DocKind.NEWS, "needs_interpretation": True}, "需要解读"),
        ({"body_html": "x" * 500_001}, "正文过长"),
        ({"owner": "x"}, "不能修改以下字段：owner"),
    ],
)
def test_bad_fields_are_refused_in_chinese(
    cast: Cast, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(PublishRejected, match=message):
        draft(cast, **fields)
    assert not Document.objects.exists()


def test_an_inactive_category_cannot_be_chosen(cast: Cast) -> None:
    old = Category.objects.create(name="旧目录", active=False)
    with pytest.raises(PublishRejected, match="已停用"):
        draft(cast, category=old)
    live = Category.objects.create(name="行政规范性文件")
    assert draft(cast, category=live.pk).category == live


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": DocKind.POLICY, "written_on": None}, "其他政策文件须填写成文日期"),
        ({"doc_number": ""}, "行政规范性文件须填写文号"),
        ({"kind": DocKind.RULE, "doc_number": ""}, "规章须填写文号"),
        ({"body_html": ""}, "请填写正文或上传附件"),
        ({"kind": DocKind.INTERPRETATION}, "政策解读须选择所解读的政策文件"),
    ],
)
def test_what_review_needs_is_checked_at_submission(
    cast: Cast, fields: dict[str, Any], message: str
) -> None:
    document = draft(cast, **fields)
    with pytest.raises(PublishRejected, match=message):
        actions.submit(cast.justice_liaison, document)
    document.refresh_from_db()
    assert document.state == DocState.DRAFT and document.review_round == 0


def test_an_attachment_alone_is_enough_body(cast: Cast) -> None:
    document = draft(cast, body_html="")
    attach(cast, document, "通知.docx", docx_bytes([("通知全文见附件。", False)]))
    actions.submit(cast.justice_liaison, document)
    assert Document.objects.get(pk=document.pk).state == DocState.REVIEW


def test_an_interpretation_must_explain_a_policy_document_in_review_or_published(
    cast: Cast,
) -> None:
    news = draft(cast, kind=DocKind.NEWS, title="司法局召开会议")
    with pytest.raises(PublishRejected, match="不是政策文件"):
        draft(cast, kind=DocKind.INTERPRETATION, title="解读", interprets=news)
    policy = draft(cast)
    with pytest.raises(PublishRejected, match="只有政策解读可以关联"):
        draft(cast, kind=DocKind.NEWS, interprets=policy)
    reading = draft(cast, kind=DocKind.INTERPRETATION, title="《通知》解读", interprets=policy)
    with pytest.raises(PublishRejected, match="尚未送审或发布"):
        actions.submit(cast.justice_liaison, reading)
    actions.submit(cast.justice_liaison, policy)  # 三同步: reviewed together
    actions.submit(cast.justice_liaison, reading)
    assert Document.objects.get(pk=reading.pk).state == DocState.REVIEW
    # Another unit's liaison cannot even point at it: it is not theirs to see.
    with pytest.raises(PublishRejected, match="不存在或您无权查看"):
        draft(
            cast,
            user=cast.finance_liaison,
            unit=cast.finance,
            kind=DocKind.INTERPRETATION,
            interprets=policy,
        )


def test_an_upload_is_checked_by_its_content(cast: Cast) -> None:
    document = draft(cast)
    with pytest.raises(PublishRejected, match="不能上传"):
        attach(cast, document, "通知.docx", b"just some text, not a Word file")
    assert not DocumentAttachment.objects.exists()
    attachment = attach(cast, document, "通知.docx", docx_bytes([("附件正文：办理指南", False)]))
    assert attachment.file_type == "docx" and attachment.original_name == "通知.docx"
    assert "办理指南" in attachment.text
    assert files.read_bytes(attachment.stored_name).startswith(b"PK")


def test_attachments_only_change_while_the_document_is_a_draft(cast: Cast) -> None:
    document = draft(cast)
    attachment = attach(cast, document, "a.pdf", pdf_bytes("Annex"))
    with pytest.raises(PermissionDenied):
        actions.remove_attachment(cast.finance_liaison, attachment)
    actions.submit(cast.justice_liaison, document)
    with pytest.raises(PublishRejected, match="不能上传附件"):
        attach(cast, document, "b.pdf", pdf_bytes("More"))
    with pytest.raises(PublishRejected, match="不能删除附件"):
        actions.remove_attachment(cast.justice_liaison, attachment)
    with pytest.raises(PublishRejected, match="只有草稿或退回的信息可以修改"):
        actions.update_document(cast.justice_liaison, document, title="改标题")
    assert DocumentAttachment.objects.count() == 1


def test_removing_an_attachment_deletes_its_file_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    document = draft(cast)
    attachment = attach(cast, document, "a.pdf", pdf_bytes("Annex"))
    stored = attachment.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_attachment(cast.justice_liaison, attachment)
    assert not DocumentAttachment.objects.exists()
    assert not PrivacyCheck.objects.filter(attachment_id=attachment.pk).exists()
    with pytest.raises(FileNotFoundError):
        files.read_bytes(stored)


# -- the review chain ------------------------------------------------------------------------


def test_three_reviews_by_the_right_people_make_a_document_ready(cast: Cast) -> None:
    document = draft(cast)
    assert actions.stages_for(document) == [
        ReviewStage.INITIAL,
        ReviewStage.LEADER,
        ReviewStage.FINAL,
    ]
    approve_all(cast, document)
    steps = list(ReviewStep.objects.filter(document=document).order_by("pk"))
    assert [(s.stage, s.reviewer, s.round, s.comment) for s in steps] == [
        ("initial", cast.justice_liaison, 1, "同意"),
        ("leader", cast.justice_leader, 1, "同意"),
        ("final", cast.office, 1, "同意"),
    ]
    transitions = AuditEvent.objects.filter(object_id=str(document.pk), action="transition")
    assert [e.changes["state"] for e in transitions.order_by("pk")] == [
        ["draft", "review"],
        ["review", "approved"],
    ]


def test_news_needs_two_reviews_by_default_and_the_policy_can_change(cast: Cast) -> None:
    news = draft(cast, kind=DocKind.NEWS, title="区司法局开展普法宣传")
    assert actions.stages_for(news) == [ReviewStage.INITIAL, ReviewStage.FINAL]
    approve_all(cast, news)
    assert ReviewStep.objects.filter(document=news).count() == 2
    ReviewPolicy.objects.create(kind=DocKind.NOTICE, stages=["final"])
    notice = draft(cast, kind=DocKind.NOTICE, title="停水通知")
    assert actions.stages_for(notice) == [ReviewStage.FINAL]


@pytest.mark.parametrize(
    ("stage", "wrong"),
    [
        ("initial", ["finance_liaison", "justice_leader", "evaluator"]),
        ("leader", ["justice_liaison", "finance_liaison", "evaluator"]),
        ("final", ["justice_liaison", "justice_leader", "evaluator"]),
    ],
)
def test_a_stage_decided_by_the_wrong_role_is_forbidden(
    cast: Cast, stage: str, wrong: list[str]
) -> None:
    document = draft(cast)
    actions.submit(cast.justice_liaison, document)
    order = ["initial", "leader", "final"]
    right = {"initial": cast.justice_liaison, "leader": cast.justice_leader}
    for earlier in order[: order.index(stage)]:
        actions.review(right[earlier], document, approve=True)
    assert actions.next_stage(document) == stage
    for who in wrong:
        with pytest.raises(PermissionDenied):
            actions.review(getattr(cast, who), document, approve=True)
        with pytest.raises(PermissionDenied):
            actions.review(getattr(cast, who), document, approve=False, comment="不同意")
    assert ReviewStep.objects.filter(document=document, stage=stage).count() == 0
    assert actions.next_stage(document) == stage


def test_the_office_may_decide_any_stage(cast: Cast) -> None:
    document = draft(cast)
    actions.submit(cast.justice_liaison, document)
    for _ in range(3):
        actions.review(cast.office, document, approve=True)
    assert Document.objects.get(pk=document.pk).state == DocState.APPROVED


def test_a_return_needs_a_comment_and_goes_back_to_the_drafter_for_a_new_round(
    cast: Cast,
) -> None:
    document = draft(cast)
    actions.submit(cast.justice_liaison, document)
    actions.review(cast.justice_liaison, document, approve=True)
    with pytest.raises(PublishRejected, match="退回时请填写审核意见"):
        actions.review(cast.justice_leader, document, approve=False, comment="  ")
    step = actions.review(cast.justice_leader, document, approve=False, comment="请补充依据")
    assert step.decision == "returned" and step.stage == "leader"
    document.refresh_from_db()
    assert document.state == DocState.RETURNED and actions.next_stage(document) is None
    assert access.can_edit(cast.justice_liaison, document)
    actions.update_document(cast.justice_liaison, document, body_html="<p>依据：……</p>")
    actions.submit(cast.justice_liaison, document)
    document.refresh_from_db()
    assert document.review_round == 2 and actions.next_stage(document) == ReviewStage.INITIAL
    actions.review(cast.justice_liaison, document, approve=True)
    actions.review(cast.justice_leader, document, approve=True)
    actions.review(cast.office, document, approve=True)
    rounds = ReviewStep.objects.filter(document=document).values_list("round", "stage", "decision")
    assert list(rounds.order_by("pk")) == [
        (1, "initial", "approved"),
        (1, "leader", "returned"),
        (2, "initial", "approved"),
        (2, "leader", "approved"),
        (2, "final", "approved"),
    ]


def test_a_second_decision_on_the_same_stage_gets_a_conflict(cast: Cast) -> None:
    document = draft(cast)
    actions.submit(cast.justice_liaison, document)
    first = Document.objects.get(pk=document.pk)  # two reviewers open the page
    second = Document.objects.get(pk=document.pk)
    seen = actions.next_stage(second)
    actions.review(cast.justice_liaison, first, approve=True, stage=seen)
    with pytest.raises(ReviewConflict, match="已由他人作出决定"):
        actions.review(cast.office, second, approve=False, comment="退回", stage=seen)
    assert ReviewStep.objects.filter(document=document).count() == 1
    assert Document.objects.get(pk=document.pk).state == DocState.REVIEW


def test_a_decision_on_a_document_returned_meanwhile_gets_a_conflict(cast: Cast) -> None:
    document = draft(cast)
    actions.submit(cast.justice_liaison, document)
    stale = Document.objects.get(pk=document.pk)
    actions.review(cast.justice_liaison, document, approve=False, comment="格式不对")
    with pytest.raises(ReviewConflict, match="已由他人处理"):
        actions.review(cast.office, stale, approve=True)
    assert Document.objects.get(pk=document.pk).state == DocState.RETURNED


def test_nothing_to_decide_outside_review(cast: Cast) -> None:
    document = draft(cast)
    with pytest.raises(PublishRejected, match="不能审核"):
        actions.review(cast.office, document, approve=True)


# -- the privacy gate ------------------------------------------------------------------------


def test_an_id_number_in_the_body_blocks_publication_until_redacted(cast: Cast) -> None:
    document = draft(
        cast, body_html=f"<p>当事人<strong>张某</strong>，身份证号 <em>{ID_NUMBER}</em>。</p>"
    )
    check = latest(document)
    assert check.hits == 1 and check.blocks
    assert check.findings[0]["label"] == "身份证号码" and check.findings[0]["masked"] == MASKED_ID
    approve_all(cast, document)
    gate = actions.gate(document)
    assert [c.pk for c in gate] == [check.pk]
    with pytest.raises(PublishRejected, match="身份证号码 1 处"):
        actions.publish(cast.office, document)
    assert Document.objects.get(pk=document.pk).state == DocState.APPROVED

    new = actions.redact(cast.office, document)

    assert new.hits == 0 and not new.blocks and actions.gate(document) == []
    document.refresh_from_db()
    assert MASKED_ID in document.body_html and ID_NUMBER not in document.body_html
    assert "<strong>张某</strong>" in document.body_html  # the markup is kept
    check.refresh_from_db()
    assert check.resolution == PrivacyResolution.REDACTED and check.resolved_by == cast.office
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED
    # The number itself is stored nowhere but in the (now masked) document: not in any check
    # and not in the audit trail.
    assert ID_NUMBER not in json.dumps(list(PrivacyCheck.objects.values()), default=str)
    assert ID_NUMBER not in audit_text()


def test_a_number_in_the_title_or_a_link_address_is_found_and_masked(cast: Cast) -> None:
    document = draft(
        cast,
        title=f"关于{PHONE}来电反映问题的答复",
        body_html='<p>联系我们：<a href="mailto:zhang.san@example.com">邮件</a></p>',
    )
    where = sorted(f["where"] for f in latest(document).findings)
    assert where == ["标题", "正文中的链接地址"]
    actions.redact(cast.justice_liaison, document)
    document.refresh_from_db()
    assert PHONE not in document.title and "138****5678" in document.title
    assert "zhang.san@" not in document.body_html
    assert latest(document).hits == 0


def test_an_id_split_across_docx_runs_is_masked_in_a_new_file(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    document = draft(cast)
    attachment = attach(cast, document, "处罚决定.docx", split_id_docx())
    check = latest(document, attachment)
    assert check.hits == 1 and check.findings[0]["where"].startswith("正文第")
    original = attachment.stored_name

    with django_capture_on_commit_callbacks(execute=True):
        new = actions.redact(cast.justice_liaison, document, attachment)

    attachment.refresh_from_db()
    assert new.attachment == attachment and new.hits == 0 and not new.problems
    assert attachment.stored_name != original
    with pytest.raises(FileNotFoundError):
        files.read_bytes(original)  # the unmasked file is gone
    masked = files.read_bytes(attachment.stored_name)
    assert scan_bytes(masked).clean
    text = "".join(p.text for p in docx.Document(io.BytesIO(masked)).paragraphs)
    assert MASKED_ID in text and ID_NUMBER not in text
    runs = docx.Document(io.BytesIO(masked)).paragraphs[0].runs
    assert (
        [(r.text, r.bold) for r in runs]
        == [  # each run masked in place, formatting kept
            ("当事人身份证号：", False),
            (ID_NUMBER[:6], False),
            ("********", True),
            (ID_NUMBER[14:], False),
            ("。", False),
        ]
    )
    assert ID_NUMBER not in attachment.text and MASKED_ID in attachment.text
    assert attachment.size == len(masked)
    approve_all(cast, document)
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED


def test_a_pdf_cannot_be_redacted_and_needs_the_office_with_a_reason(cast: Cast) -> None:
    document = draft(cast)
    attachment = attach(cast, document, "名单.pdf", pdf_bytes(f"Tel: {PHONE}"))
    check = latest(document, attachment)
    assert check.blocks
    with pytest.raises(PublishRejected, match=r"PDF 文件不能在系统内自动遮盖.*公开办"):
        actions.redact(cast.justice_liaison, document, attachment)
    approve_all(cast, document)
    with pytest.raises(PublishRejected, match=r"附件「名单\.pdf」：发现手机号码 1 处"):
        actions.publish(cast.office, document)
    with pytest.raises(PublishRejected, match="请填写确认发布的理由"):
        actions.override_privacy(cast.office, check, "   ")
    with pytest.raises(PermissionDenied):
        actions.override_privacy(cast.justice_liaison, check, "是单位办公电话")

    actions.override_privacy(cast.office, check, "该号码为单位公开的办公电话")

    check.refresh_from_db()
    assert check.resolution == PrivacyResolution.OVERRIDDEN
    assert (check.reason, check.resolved_by) == ("该号码为单位公开的办公电话", cast.office)
    assert check.resolved_at is not None and not check.blocks
    event = AuditEvent.objects.get(object_id=str(check.pk), comment="该号码为单位公开的办公电话")
    assert event.changes["resolution"] == ["", "overridden"]
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED
    with pytest.raises(PublishRejected, match="已由公开办确认"):
        actions.override_privacy(cast.office, check, "再次确认")


def test_an_image_cannot_be_checked_so_it_needs_the_office(cast: Cast) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    document = draft(cast)
    attachment = attach(cast, document, "现场照片.png", png)
    check = latest(document, attachment)
    assert check.hits == 0 and check.problems and check.blocks
    with pytest.raises(PublishRejected, match="图片不能在系统内自动遮盖"):
        actions.redact(cast.office, document, attachment)
    approve_all(cast, document)
    with pytest.raises(PublishRejected, match="无法自动检查"):
        actions.publish(cast.office, document)
    actions.override_privacy(cast.office, check, "照片已人工核对，不含个人信息")
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED


def test_an_old_check_cannot_be_overridden_once_rescanned(cast: Cast) -> None:
    document = draft(cast, body_html=f"<p>电话 {PHONE}</p>")
    old = latest(document)
    actions.update_document(cast.justice_liaison, document, body_html=f"<p>手机 {PHONE}</p>")
    with pytest.raises(PublishRejected, match="已被新的检查取代"):
        actions.override_privacy(cast.office, old, "办公电话")


def test_redacting_what_has_no_hits_says_so(cast: Cast) -> None:
    document = draft(cast)
    with pytest.raises(PublishRejected, match="没有可以自动遮盖的个人信息"):
        actions.redact(cast.justice_liaison, document)
    attachment = attach(cast, document, "a.docx", docx_bytes([("无个人信息", False)]))
    with pytest.raises(PublishRejected, match="没有可以自动遮盖的个人信息"):
        actions.redact(cast.justice_liaison, document, attachment)


def test_only_the_unit_or_the_office_may_redact_and_liaisons_only_before_publication(
    cast: Cast,
) -> None:
    document = draft(cast, body_html=f"<p>电话 {PHONE}</p>")
    with pytest.raises(PermissionDenied):
        actions.redact(cast.finance_liaison, document)
    with pytest.raises(PermissionDenied):
        actions.redact(cast.evaluator, document)
    approve_all(cast, document)
    actions.override_privacy(cast.office, latest(document), "热线电话")
    actions.publish(cast.office, document)
    with pytest.raises(PermissionDenied):
        actions.redact(cast.justice_liaison, document)
    actions.redact(cast.office, document)  # the office may still mask a published page
    entry = SearchEntry.objects.get(source="document", object_id=str(document.pk))
    assert PHONE not in entry.body and "138****5678" in entry.body


# -- publication ------------------------------------------------------------------------------


def test_publication_is_the_office_s_once_approved(cast: Cast) -> None:
    document = draft(cast)
    with pytest.raises(PublishRejected, match="须先通过全部审核"):
        actions.publish(cast.office, document)
    approve_all(cast, document)
    for who in (cast.justice_liaison, cast.justice_leader, cast.evaluator):
        with pytest.raises(PermissionDenied):
            actions.publish(who, document)
    with pytest.raises(PublishRejected, match="发布日期不能晚于今天"):
        actions.publish(cast.office, document, published_on=D("2026-03-11"))
    with pytest.raises(PublishRejected, match="发布日期不能早于成文日期"):
        actions.publish(cast.office, document, published_on=D("2026-03-01"))
    done = actions.publish(cast.office, document)
    assert done.state == DocState.PUBLISHED and done.published_on == D("2026-03-10")
    assert done.publisher == "区司法局" and done.published_at is not None
    assert done.index_number == f"U{cast.justice.pk:04d}/2026-00001"


def test_index_numbers_count_per_unit_and_year_with_the_unit_code(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.justice.pk).update(code="SFJ")
    cast.justice.refresh_from_db()
    numbers = [published(cast, draft(cast, title=f"文件{i}")).index_number for i in range(3)]
    assert numbers == ["SFJ/2026-00001", "SFJ/2026-00002", "SFJ/2026-00003"]
    other = draft(cast, user=cast.office, unit=cast.finance, title="财政文件")
    assert published(cast, other).index_number == f"U{cast.finance.pk:04d}/2026-00001"
    older = published(cast, draft(cast, title="补录", written_on=D("2025-12-01")), D("2025-12-30"))
    assert older.index_number == "SFJ/2025-00001"


def test_the_index_scheme_is_configurable_and_checked(cast: Cast, settings: Any) -> None:
    settings.INDEX_SCHEME = "ZDQ-{unit_code}-{serial:04d}-{year}"
    assert published(cast, draft(cast)).index_number == f"ZDQ-U{cast.justice.pk:04d}-0001-2026"
    for bad, message in [
        ("{unit_code}/{year}", "须含且只含一个 {serial}"),
        ("{unit}/{serial}", "未知字段 {unit}"),
        ("{serial:x5}", "格式说明无效"),
        ("{serial", "格式有误"),
    ]:
        with pytest.raises(ImproperlyConfigured, match=message):
            check_scheme(bad)
        settings.INDEX_SCHEME = bad
        with pytest.raises(ImproperlyConfigured, match="GONGKAI_INDEX_SCHEME"):
            hooks.connect()  # start-up refuses it


def test_a_taken_number_is_skipped(cast: Cast) -> None:
    first = published(cast, draft(cast, title="一"))
    second = draft(cast, title="二")
    Document.objects.filter(pk=first.pk).update(index_number=f"U{cast.justice.pk:04d}/2026-00002")
    assert published(cast, second).index_number == f"U{cast.justice.pk:04d}/2026-00003"


def test_publication_indexes_the_document_for_search_and_withdrawal_removes_it(
    cast: Cast,
) -> None:
    document = draft(cast, body_html="<p>行政执法公示制度的具体要求</p>")
    attach(cast, document, "细则.docx", docx_bytes([("附件：财政资金管理细则", False)]))
    published(cast, document)
    entry = SearchEntry.objects.get(source="document", object_id=str(document.pk))
    assert entry.url == document.public_url() == f"/portal/documents/{document.pk}/"
    assert "行政执法公示" in entry.body and "财政资金管理细则" in entry.body
    assert (entry.unit_id, entry.doc_kind, entry.year) == (cast.justice.pk, "normative", 2026)
    assert (entry.validity, entry.published_on) == ("valid", D("2026-03-10"))
    with pytest.raises(PublishRejected, match="请填写撤回理由"):
        actions.withdraw(cast.office, document, "")
    with pytest.raises(PermissionDenied):
        actions.withdraw(cast.justice_liaison, document, "错发")
    actions.withdraw(cast.office, document, "误发，撤回")
    document.refresh_from_db()
    assert document.state == DocState.WITHDRAWN and document.withdrawn_reason == "误发，撤回"
    assert not SearchEntry.objects.filter(source="document", object_id=str(document.pk)).exists()


def test_an_interpretation_is_published_after_its_policy_and_stamps_it(cast: Cast) -> None:
    policy = draft(cast, needs_interpretation=True)
    reading = draft(cast, kind=DocKind.INTERPRETATION, title="《通知》解读", interprets=policy)
    approve_all(cast, policy)
    approve_all(cast, reading)
    with pytest.raises(PublishRejected, match="请先发布所解读的文件"):
        actions.publish(cast.office, reading)
    actions.publish(cast.office, policy)
    actions.publish(cast.office, reading)
    policy.refresh_from_db()
    assert policy.interpretation_published_on == D("2026-03-10")
    assert list(policy.interpretations.all()) == [reading]
    actions.withdraw(cast.office, reading, "内容有误，重新解读")
    policy.refresh_from_db()
    assert policy.interpretation_published_on is None  # its clock runs again


# -- who sees what ----------------------------------------------------------------------------


def test_documents_are_loaded_only_through_the_access_helpers(cast: Cast) -> None:
    mine = draft(cast)
    theirs = draft(cast, user=cast.office, unit=cast.finance, title="财政局文件")
    assert set(access.documents_for_user(cast.justice_liaison)) == {mine}
    assert set(access.documents_for_user(cast.evaluator)) == {mine, theirs}
    with pytest.raises(Http404):
        access.get_document_for_user(cast.justice_liaison, theirs.pk)
    assert access.get_document_for_user(cast.justice_leader, mine.pk, write=True) == mine
    assert access.get_document_for_user(cast.evaluator, theirs.pk) == theirs
    with pytest.raises(PermissionDenied):
        access.get_document_for_user(cast.evaluator, theirs.pk, write=True)
    assert not access.can_edit(cast.evaluator, mine) and access.can_edit(cast.office, theirs)
    attachment = attach(cast, mine, "a.pdf", pdf_bytes("Annex"))
    with pytest.raises(Http404):
        access.get_attachment_for_user(cast.finance_liaison, attachment.pk)
    with pytest.raises(Http404):
        access.get_check_for_user(cast.finance_liaison, latest(mine).pk)


def test_the_body_never_enters_the_audit_trail(cast: Cast) -> None:
    document = draft(cast, body_html=f"<p>联系人手机 {PHONE}</p>")
    actions.update_document(cast.justice_liaison, document, body_html=f"<p>手机：{PHONE}</p>")
    attach(cast, document, "a.docx", docx_bytes([(f"电话{PHONE}", False)]))
    assert PHONE not in audit_text()
    change = AuditEvent.objects.filter(object_id=str(document.pk), action="change").get()
    old, new = change.changes["body_html"]
    assert old.startswith("（") and "字，摘要" in new


def test_a_number_in_a_link_s_title_attribute_blocks_and_is_masked(cast: Cast) -> None:
    # The sanitiser keeps <a title>, which the browser shows as a tooltip: the gate must read
    # it (it used to read only the text and the href) and the one-click masking must mask it.
    document = draft(
        cast,
        body_html=f'<p>详见<a href="https://example.gov.cn/x" title="{ID_NUMBER}">此处</a></p>',
    )
    check = latest(document)
    assert check.blocks and [f["label"] for f in check.findings] == ["身份证号码"]
    approve_all(cast, document)
    with pytest.raises(PublishRejected, match="身份证号码 1 处"):
        actions.publish(cast.office, document)
    assert actions.redact(cast.justice_liaison, document).hits == 0
    document.refresh_from_db()
    assert ID_NUMBER not in document.body_html and MASKED_ID in document.body_html
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED


def test_a_number_in_the_metadata_blocks_and_is_masked(cast: Cast) -> None:
    # 来源, 发布机构 and the like are shown on the public page beside the title: the gate reads
    # them, an edit of them rescans, and the one-click masking masks them.
    document = draft(cast)
    assert not latest(document).blocks
    actions.update_document(
        cast.justice_liaison, document, is_repost=True, source=f"联系人 {PHONE}"
    )
    check = latest(document)
    assert check.blocks and [f["where"] for f in check.findings] == ["文号、发布机构、来源等元数据"]
    approve_all(cast, document)
    with pytest.raises(PublishRejected):
        actions.publish(cast.office, document)
    assert actions.redact(cast.justice_liaison, document).hits == 0
    document.refresh_from_db()
    assert PHONE not in document.source and document.source.startswith("联系人 ")
    assert actions.publish(cast.office, document).state == DocState.PUBLISHED
