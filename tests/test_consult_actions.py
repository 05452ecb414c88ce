"""The acts of 意见征集 beyond the HTTP story: the window rule table, the privacy scan before
publication, comments that came by e-mail or post, rich text cleaned on the way in, the daily
digest for windows that are over, and the demo data."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as DocxDocument

from gongkai.audit.models import AuditEvent
from gongkai.consult import actions, reminders
from gongkai.consult.actions import CommentInput, DraftInput
from gongkai.consult.demo import load_demo
from gongkai.consult.models import (
    Comment,
    CommentChannel,
    Consultation,
    ConsultState,
    Moderation,
    Outcome,
)
from gongkai.work.models import NotifySettings, Reminder
from gongkai.work.reminders import build_digests, run_reminders
from tests.conftest import Cast
from tests.test_consult import SHANGHAI, at

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def draft(cast: Cast, **changes: Any) -> Consultation:
    fields: dict[str, Any] = {
        "unit": cast.justice,
        "title": "区行政执法公示办法（征求意见稿）",
        "draft": "第一条 为规范行政执法公示，制定本办法。",
        "explanation": "落实行政执法三项制度。",
        "opens_on": D("2025-03-03"),
        "closes_on": D("2025-04-01"),
    } | changes
    return actions.create_draft(cast.justice_liaison, DraftInput(**fields))


@pytest.mark.parametrize(
    ("opens", "closes", "reason", "refused"),
    [
        ("2025-03-03", "2025-04-01", "", ""),  # 30 days, both ends counted
        ("2025-03-03", "2025-03-31", "", "征求意见期为 29 日"),
        ("2025-03-03", "2025-03-27", "", "征求意见期为 25 日"),
        ("2025-03-03", "2025-03-27", "时间紧迫", ""),  # shorter, with its reason
        ("2025-03-03", "2025-03-27", "   ", "征求意见期为 25 日"),  # a blank reason is none
        ("2025-03-03", "2025-03-03", "当日征求", ""),  # one day, with a reason
        ("2025-03-03", "2025-03-02", "理由", "截止日期不能早于开始日期"),
        ("2024-02-01", "2024-03-01", "", ""),  # 29 days of a leap February + 1 March
        ("2025-02-01", "2025-03-02", "", ""),  # 28 of February + 2 of March
        ("2025-02-01", "2025-03-01", "", "征求意见期为 29 日"),
    ],
)
def test_the_window_rule(opens: str, closes: str, reason: str, refused: str) -> None:
    problem = actions.window_problem(D(opens), D(closes), reason)
    if refused:
        assert refused in problem
    else:
        assert problem == ""


def docx_with(text: str) -> bytes:
    document = DocxDocument()
    document.add_paragraph("附件：征求意见稿全文")
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_personal_data_blocks_publication_until_the_office_gives_a_reason(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = draft(cast, explanation="起草人联系电话 13812345678。")
        upload = SimpleUploadedFile("全文.docx", docx_with("申请人身份证号 11010519491231002X"))
        actions.add_attachment(cast.justice_liaison, c, upload)
        findings = actions.privacy_findings(c)
        assert findings == [
            "起草说明中有手机号码 1 处",
            "附件「全文.docx」中有身份证号码 1 处",
        ]
        with pytest.raises(actions.ConsultRejected, match="身份证号码 1 处"):
            actions.publish(cast.office, c)
        c.refresh_from_db()
        assert c.state == ConsultState.DRAFT
        published = actions.publish(
            cast.office, c, privacy_override="联系电话为办公专用手机，已核实可公开；附件已替换"
        )
    assert published.state == ConsultState.OPEN
    assert published.privacy_override.startswith("联系电话为办公专用手机")
    event = AuditEvent.objects.for_object(c).filter(comment__startswith="个人信息检查").get()
    assert "身份证号码" in event.comment


def test_only_the_drafting_unit_or_the_office_edits_and_only_drafts(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = draft(cast)
        with pytest.raises(PermissionDenied):
            actions.create_draft(
                cast.justice_liaison, DraftInput(unit=cast.finance, title="别的单位")
            )
        with pytest.raises(PermissionDenied):
            actions.edit_draft(cast.finance_liaison, c, DraftInput(unit=cast.finance, title="x"))
        with pytest.raises(PermissionDenied):
            actions.publish(cast.justice_liaison, c)
        actions.publish(cast.office, c)
        with pytest.raises(actions.ConsultRejected, match="不能修改"):
            actions.edit_draft(cast.office, c, DraftInput(unit=cast.justice, title="改"))
        png = SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
        with pytest.raises(actions.ConsultRejected, match="添加附件"):
            actions.add_attachment(cast.office, c, png)


def test_rich_text_is_cleaned_and_plain_text_becomes_paragraphs(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = draft(
            cast,
            draft='<p onclick="x()">第一条</p><script>alert(1)</script>'
            '<a href="javascript:x">链接</a>',
            explanation="第一段\n\n第二段 <不是标签",
        )
    assert c.draft_html == '<p>第一条</p><a rel="noopener noreferrer">链接</a>'
    assert c.explanation_html == "<p>第一段</p><p>第二段 &lt;不是标签</p>"


def test_a_file_that_is_not_what_it_claims_is_refused(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = draft(cast)
        fake = SimpleUploadedFile("全文.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(actions.ConsultRejected, match=r"全文\.pdf"):
            actions.add_attachment(cast.justice_liaison, c, fake)
    assert not c.attachments.exists()


def test_comments_by_email_or_post_are_entered_and_moderated_like_the_rest(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = actions.publish(cast.office, draft(cast))
    with at("2025-04-03 10:00"):
        # A letter posted in time arrives after the deadline: the office may still enter it.
        data = CommentInput("建议增加听证程序。", "某市某路1号", "李先生")
        with pytest.raises(actions.ConsultRejected, match="来源"):
            actions.record_comment(
                cast.justice_liaison, c, data, channel="online", received_on=D("2025-04-02")
            )
        with pytest.raises(actions.ConsultRejected, match="不能晚于今天"):
            actions.record_comment(
                cast.justice_liaison, c, data, channel="post", received_on=D("2025-04-04")
            )
        with pytest.raises(PermissionDenied):
            actions.record_comment(
                cast.finance_liaison, c, data, channel="post", received_on=D("2025-04-02")
            )
        made = actions.record_comment(
            cast.justice_liaison, c, data, channel=CommentChannel.POST, received_on=D("2025-04-02")
        )
    assert made.moderation == Moderation.PENDING
    assert made.recorded_by == cast.justice_liaison
    c.refresh_from_db()
    assert c.state == ConsultState.ENDED


def test_only_approved_comments_get_an_outcome(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = actions.publish(cast.office, draft(cast))
    with at("2025-03-05 10:00"):
        m = actions.submit_comment(c, CommentInput("意见", "联系"))
        with pytest.raises(actions.ConsultRejected, match="只有已审核公开的意见"):
            actions.set_outcome(cast.office, m, outcome=Outcome.ADOPTED)
        actions.moderate_comment(cast.office, m, approve=True)
        with pytest.raises(actions.ConsultRejected, match="请选择采纳情况"):
            actions.set_outcome(cast.office, m, outcome="maybe")
        done = actions.set_outcome(cast.office, m, outcome=Outcome.PARTLY)
        assert not done.outcome_complete
        assert actions.report_problems(c, D("2025-04-02")) == [
            "1 条部分采纳或未采纳的意见尚未说明理由",
            "请先填写并保存反馈报告的总体情况说明",
        ]
        # Comments stay in the window: before it ends, the report waits for it.
        assert "截止后才能发布反馈报告" in actions.report_problems(c, D("2025-04-01"))[0]


def test_a_unit_hears_once_that_its_window_is_over(cast: Cast, settings: Any) -> None:
    settings.BASE_URL = "https://gongkai.example.gov.cn"
    NotifySettings.objects.create(unit=cast.justice, emails="liaison@example.cn")
    with at("2025-03-01 10:00"):
        c = actions.publish(cast.office, draft(cast, closes_on=D("2025-04-03")))
        other = actions.publish(cast.office, draft(cast, title="另一个", closes_on=D("2025-05-30")))
    with at("2025-03-05 10:00"):
        m = actions.submit_comment(c, CommentInput("意见内容保密", "13900001111", "王先生"))
        actions.moderate_comment(cast.office, m, approve=True)
    # 4–6 April 2025 are the 清明 holiday: Monday 7 April is the first working day after.
    holiday = dt.datetime(2025, 4, 4, 9, tzinfo=SHANGHAI)
    assert build_digests(holiday.date(), holiday) == 0
    monday = dt.datetime(2025, 4, 7, 9, tzinfo=SHANGHAI)
    assert build_digests(monday.date(), monday) == 1
    c.refresh_from_db()
    other.refresh_from_db()
    assert c.state == ConsultState.ENDED and other.state == ConsultState.OPEN
    reminder = Reminder.objects.get(unit=cast.justice)
    assert reminder.payload[reminders.ENDED] == [
        {"id": c.pk, "title": c.title, "closed": "2025-04-03", "comments": 1}
    ]
    with at("2025-04-07 09:00"):
        run_reminders()
    [message] = mail.outbox
    assert "意见征集" in message.body
    assert f"https://gongkai.example.gov.cn/consult/{c.pk}/" in message.body
    assert "意见内容保密" not in message.body and "13900001111" not in message.body
    tuesday = dt.datetime(2025, 4, 8, 9, tzinfo=SHANGHAI)
    assert build_digests(tuesday.date(), tuesday) == 0  # told once


def test_the_demo_tells_each_part_of_the_story() -> None:
    from gongkai.accounts.models import Role, User
    from gongkai.units.models import Unit, UnitKind

    gov = Unit.objects.create(name="张店区人民政府办公室", kind=UnitKind.GOVERNMENT)
    sifa = Unit.objects.create(name="张店区司法局", kind=UnitKind.DEPARTMENT, parent=gov)
    caizheng = Unit.objects.create(name="张店区财政局", kind=UnitKind.DEPARTMENT, parent=gov)
    for name, role, unit in (
        ("office", Role.OFFICE, gov),
        ("sifa", Role.LIAISON, sifa),
        ("caizheng", Role.LIAISON, caizheng),
    ):
        User.objects.create_user(username=name, password="x", role=role).units.set([unit])
    today = D("2025-06-16")
    with at("2025-06-16 09:00"):
        load_demo(today)
        load_demo(today)  # once only
        rows = {c.unit.name: c for c in Consultation.objects.select_related("unit")}
        assert len(rows) == 3
        current, ended, done = (
            rows["张店区司法局"],
            rows["张店区财政局"],
            rows["张店区人民政府办公室"],
        )
        assert current.accepts_comments(today) and current.days_left(today) == 21
        assert set(current.comments.values_list("moderation", flat=True)) == set(Moderation.values)
        assert ended.state == ConsultState.ENDED
        assert actions.report_problems(ended, today) == [
            "1 条已公开的意见尚未填写采纳情况",
            "1 条部分采纳或未采纳的意见尚未说明理由",
            "请先填写并保存反馈报告的总体情况说明",
        ]
        assert done.state == ConsultState.CONCLUDED and done.report.is_published
        assert done.is_short and done.short_reason and done.is_major_decision
        for c in rows.values():
            assert c.comments.filter(submitted_at__date__gt=c.closes_on).count() == 0
    assert Comment.objects.count() == 11


def test_the_privacy_scan_reads_the_title_and_link_attributes_too(cast: Cast) -> None:
    # What the public page shows besides the texts' words: the title, and the link addresses
    # and tooltips the sanitiser keeps in the rich texts.
    with at("2025-03-01 10:00"):
        c = draft(
            cast,
            title="关于13812345678来电反映问题的办法（征求意见稿）",
            draft='<p>详见<a href="mailto:zhang.san@example.com" title="11010519491231002X">'
            "联系人</a></p>",
        )
        assert actions.privacy_findings(c) == [
            "标题中有手机号码 1 处",
            "征求意见稿中有电子邮箱 1 处、身份证号码 1 处",
        ]
        with pytest.raises(actions.ConsultRejected, match="标题中有手机号码"):
            actions.publish(cast.office, c)


def test_the_draft_s_texts_stay_out_of_the_audit_trail(cast: Cast) -> None:
    # The scan before publication finds an ID number in the draft; the drafter edits it out.
    # The trail must not keep the number the draft no longer holds.
    number = "11010519491231002X"
    with at("2025-03-01 10:00"):
        c = draft(cast, draft=f"第一条 申请人身份证号 {number}。", interpretation=number)
        with pytest.raises(actions.ConsultRejected, match="身份证号码 1 处"):
            actions.publish(cast.office, c)
        actions.edit_draft(
            cast.justice_liaison,
            c,
            DraftInput(
                unit=cast.justice,
                title=c.title,
                draft="第一条 为规范行政执法公示，制定本办法。",
                explanation="落实行政执法三项制度。",
                opens_on=c.opens_on,
                closes_on=c.closes_on,
            ),
        )
        actions.publish(cast.office, c)
    events = AuditEvent.objects.for_object(c)
    assert events.count() >= 3
    trail = " ".join(str(e.changes) + e.comment for e in events)
    assert number not in trail
    assert "draft_html" in trail and "摘要" in trail  # that the texts changed is still shown
