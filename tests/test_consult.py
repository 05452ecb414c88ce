"""意见征集 through HTTP, with the clock standing still on the days things happen: a draft with a
25-day window is refused until its reason is recorded; the public comments while the window is
open (and not before or after); moderation decides what shows; outcomes and reasons are
required before the feedback report publishes; closing waits for the report; every act is in
the audit trail; another unit's liaison gets 404, leaders and evaluators read only.

Window convention (docs/consult.md): opens_on..closes_on, both days counted.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.consult.models import (
    Comment,
    Consultation,
    ConsultState,
    FeedbackReport,
    Moderation,
)
from tests.conftest import Cast, client_for, csrf_post

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(moment: str) -> Any:
    return time_machine.travel(
        dt.datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI), tick=False
    )


def text_of(response: Any) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def draft_form(cast: Cast, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": cast.justice.pk,
        "title": "区行政执法公示办法（征求意见稿）",
        "draft": "第一条 为规范行政执法公示，制定本办法。\n\n第二条 执法决定七日内公开。",
        "explanation": "落实行政执法三项制度。",
        "interpretation": "本办法规定了公示的范围和时限。",
        "accepts_online": "on",
        "email": "yjzj@example.gov.cn",
        "postal_address": "某区人民路1号",
        "opens_on": "2025-03-03",
        "closes_on": "2025-04-01",
        "short_reason": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def create(client: Client, cast: Cast, **changes: Any) -> Consultation:
    response = csrf_post(client, "/consult/new/", draft_form(cast, **changes))
    assert response.status_code == 302, text_of(response)[:3000]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return Consultation.objects.get(pk=pk)


def comment(client: Client, c: Consultation, body: str, **extra: Any) -> Any:
    data = {"name": "", "contact": "13900001111", "body": body, "website": ""} | extra
    return csrf_post(client, f"/portal/yjzj/{c.pk}/comment/", data)


def moderate(client: Client, m: Comment, decision: str, reason: str = "") -> Any:
    data = {f"m{m.pk}-decision": decision, f"m{m.pk}-reason": reason}
    return csrf_post(client, f"/consult/comments/{m.pk}/moderate/", data)


def outcome(client: Client, m: Comment, value: str, reason: str = "", topic: str = "") -> Any:
    data = {f"o{m.pk}-outcome": value, f"o{m.pk}-reason": reason, f"o{m.pk}-topic": topic}
    return csrf_post(client, f"/consult/comments/{m.pk}/outcome/", data)


def events(obj: Any) -> list[tuple[str, str]]:
    return [(e.action, e.comment) for e in AuditEvent.objects.for_object(obj).order_by("pk")]


@pytest.fixture
def _cache(settings: Any, tmp_path: Any) -> None:
    """A cache of this test's own, so the rate-limit counters of other test processes sharing
    var/cache never meet ours."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@pytest.mark.usefixtures("_cache")
def test_a_consultation_from_draft_to_closed(cast: Cast, anon: Client) -> None:
    liaison = client_for(cast.justice_liaison)
    office = client_for(cast.office)

    # -- drafting and the window rule ---------------------------------------------------------
    with at("2025-03-01 10:00"):
        # 3 March to 27 March, both counted: 25 days.
        c = create(liaison, cast, closes_on="2025-03-27")
        assert c.state == ConsultState.DRAFT and c.window_days() == 25

        refused = csrf_post(office, f"/consult/{c.pk}/publish/", {})
        assert refused.status_code == 400
        assert "征求意见期为 25 日" in text_of(refused)
        assert "少于 30 日" in text_of(refused)
        c.refresh_from_db()
        assert c.state == ConsultState.DRAFT and c.published_at is None

        # The liaison may not publish, even with everything in order.
        assert csrf_post(liaison, f"/consult/{c.pk}/publish/", {}).status_code == 403

        reason = "上级要求3月底前报送，征求意见期缩短为25日"
        edited = csrf_post(
            liaison,
            f"/consult/{c.pk}/edit/",
            draft_form(cast, closes_on="2025-03-27", short_reason=reason),
        )
        assert edited.status_code == 302
        published = csrf_post(office, f"/consult/{c.pk}/publish/", {})
        assert published.status_code == 302, text_of(published)[:2000]
        c.refresh_from_db()
        assert c.state == ConsultState.OPEN and c.short_reason == reason

        # Published: no more edits.
        assert csrf_post(liaison, f"/consult/{c.pk}/edit/", draft_form(cast)).status_code == 400

        # Not yet open: the page says when it opens, and a comment is refused.
        before = anon.get(f"/portal/yjzj/{c.pk}/")
        assert before.status_code == 200
        assert "征求意见将于 2025年3月3日 开始" in text_of(before)
        assert reason in text_of(before)  # the shortened window's reason is public
        early = comment(anon, c, "提前提交的意见")
        assert early.status_code == 400
        assert "将于 2025-03-03 开始" in text_of(early)
        assert not Comment.objects.exists()

    # -- comments while open ------------------------------------------------------------------
    with at("2025-03-03 08:30"):
        sent = comment(
            anon, c, "建议第二条改为五个工作日。如需联系请拨打 13812345678。", name="王先生"
        )
        assert sent.status_code == 302
        assert sent["Location"] == f"/portal/yjzj/{c.pk}/?sent=1#comment"
        comment(anon, c, "<script>alert(1)</script>第三条应细化。", contact="a@example.cn")
        comment(anon, c, "广告：低价推广", contact="spam@example.cn")
        first, second, spam = Comment.objects.order_by("pk")
        assert [m.moderation for m in (first, second, spam)] == [Moderation.PENDING] * 3

        page = text_of(anon.get(f"/portal/yjzj/{c.pk}/"))
        assert "建议第二条" not in page and "第三条应细化" not in page  # pending: not shown
        assert "还剩 25 天" in page

        assert moderate(liaison, first, "approve").status_code == 302
        no_reason = moderate(liaison, spam, "reject")
        assert no_reason.status_code == 400
        assert "不予公开的意见须填写理由" in text_of(no_reason)
        assert moderate(liaison, spam, "reject", "与本次征求意见无关的广告").status_code == 302

        page = text_of(anon.get(f"/portal/yjzj/{c.pk}/"))
        assert "建议第二条改为五个工作日" in page
        assert "138****5678" in page and "13812345678" not in page  # masked
        assert "13900001111" not in page  # the contact is never shown
        assert "王先生" in page
        assert "低价推广" not in page  # rejected
        assert "第三条应细化" not in page  # still pending

    # -- after the window ---------------------------------------------------------------------
    with at("2025-03-28 00:05"):
        after = anon.get(f"/portal/yjzj/{c.pk}/")
        assert "征求意见已于 2025年3月27日 截止" in text_of(after)
        assert 'action="/portal/yjzj/' not in after.content.decode()  # no form
        late = comment(anon, c, "截止后的意见")
        assert late.status_code == 400
        assert "已于 2025-03-27 截止" in text_of(late)
        assert Comment.objects.count() == 3

        # Closing waits for the feedback report.
        refused = csrf_post(office, f"/consult/{c.pk}/close/", {})
        assert refused.status_code == 400
        assert "意见反馈报告发布前不能办结" in text_of(refused)
        c.refresh_from_db()
        assert c.state == ConsultState.ENDED  # the window's end, recorded on the way

        saved = csrf_post(liaison, f"/consult/{c.pk}/report/", {"summary": "共收到意见3条。"})
        assert saved.status_code == 302

        # A pending comment stops the report.
        refused = csrf_post(office, f"/consult/{c.pk}/report/publish/", {})
        assert refused.status_code == 400
        assert "还有 1 条意见待审核" in text_of(refused)
        assert moderate(liaison, second, "approve").status_code == 302

        # An approved comment without an outcome stops it.
        refused = csrf_post(office, f"/consult/{c.pk}/report/publish/", {})
        assert "2 条已公开的意见尚未填写采纳情况" in text_of(refused)

        assert outcome(liaison, first, "adopted", topic="时限").status_code == 302
        saved = outcome(liaison, second, "not_adopted")  # saved, but incomplete
        assert saved.status_code == 302
        refused = csrf_post(office, f"/consult/{c.pk}/report/publish/", {})
        assert refused.status_code == 400
        assert "1 条部分采纳或未采纳的意见尚未说明理由" in text_of(refused)
        assert not FeedbackReport.objects.get(consultation=c).is_published

        # The liaison may not publish the report.
        assert csrf_post(liaison, f"/consult/{c.pk}/report/publish/", {}).status_code == 403

        why = "第三条已规定细化办法，由实施细则规定"
        assert outcome(liaison, second, "not_adopted", why).status_code == 302
        done = csrf_post(office, f"/consult/{c.pk}/report/publish/", {})
        assert done.status_code == 302, text_of(done)[:2000]
        c.refresh_from_db()
        assert c.state == ConsultState.CONCLUDED

        raw = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
        page = text_of(anon.get(f"/portal/yjzj/{c.pk}/"))
        assert "共收到意见3条。" in page
        assert "采纳（1 条）" in page and "部分采纳（0 条）" in page and "未采纳（1 条）" in page
        assert page.index("采纳（1 条）") < page.index("建议第二条") < page.index("未采纳（1 条）")
        assert page.index("未采纳（1 条）") < page.index(why)
        assert "<script>alert(1)</script>" not in raw
        assert "&lt;script&gt;alert(1)&lt;/script&gt;第三条应细化" in raw

        # Moderation and outcomes are frozen with the report.
        assert moderate(liaison, first, "reject", "改变主意").status_code == 400

        assert csrf_post(office, f"/consult/{c.pk}/close/", {}).status_code == 302
        c.refresh_from_db()
        assert c.state == ConsultState.CLOSED

    # -- the audit trail ------------------------------------------------------------------------
    trail = events(c)
    assert trail[0] == (AuditAction.CREATE, "新建征求意见稿")
    assert (AuditAction.CHANGE, "修改征求意见稿") in trail
    moves = AuditEvent.objects.for_object(c).filter(action=AuditAction.TRANSITION).order_by("pk")
    transitions = [e.changes["state"] for e in moves]
    assert transitions == [
        ["draft", "open"],
        ["open", "ended"],
        ["ended", "concluded"],
        ["concluded", "closed"],
    ]
    assert [e.actor_name for e in moves] == ["office", "系统", "office", "office"]
    for m in (first, second, spam):
        assert events(m)[0] == (AuditAction.CREATE, "收到意见")
        assert AuditEvent.objects.for_object(m).filter(action=AuditAction.TRANSITION).exists()
    assert len(AuditEvent.objects.for_object(second).filter(action=AuditAction.CHANGE)) == 2
    report = FeedbackReport.objects.get(consultation=c)
    assert [comment for _, comment in events(report)] == ["起草意见反馈报告", "发布意见反馈报告"]
    assert all(e.unit_id == cast.justice.pk for e in AuditEvent.objects.for_object(first))


def test_a_thirty_day_window_is_accepted_and_twenty_nine_days_are_not(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2025-03-01 10:00"):
        # 3 March to 1 April: 29 days of March (3rd–31st) and 1 April, 30 in all.
        thirty = create(office, cast, closes_on="2025-04-01")
        assert thirty.window_days() == 30
        assert csrf_post(office, f"/consult/{thirty.pk}/publish/", {}).status_code == 302
        thirty.refresh_from_db()
        assert thirty.state == ConsultState.OPEN and thirty.short_reason == ""

        twenty_nine = create(office, cast, closes_on="2025-03-31")
        refused = csrf_post(office, f"/consult/{twenty_nine.pk}/publish/", {})
        assert refused.status_code == 400
        assert "征求意见期为 29 日（2025-03-03 至 2025-03-31，首尾两日均计入）" in text_of(refused)


def test_the_window_is_checked_before_publication(cast: Cast) -> None:
    office = client_for(cast.office)
    with at("2025-03-10 10:00"):
        backwards = csrf_post(
            office, "/consult/new/", draft_form(cast, opens_on="2025-04-01", closes_on="2025-03-01")
        )
        assert backwards.status_code == 400
        assert "截止日期不能早于开始日期" in text_of(backwards)

        # Drafted earlier, its start date has passed by the time the office publishes.
        stale = create(office, cast, opens_on="2025-03-09", closes_on="2025-04-30")
        refused = csrf_post(office, f"/consult/{stale.pk}/publish/", {})
        assert refused.status_code == 400
        assert "开始日期 2025-03-09 早于今天（2025-03-10）" in text_of(refused)

        bare = create(office, cast, explanation="", opens_on="2025-03-10", closes_on="2025-04-30")
        page = text_of(client_for(cast.office).get(f"/consult/{bare.pk}/"))
        assert "请填写起草说明" in page  # the reason the button is disabled
        refused = csrf_post(office, f"/consult/{bare.pk}/publish/", {})
        assert refused.status_code == 400
        assert Consultation.objects.filter(state=ConsultState.OPEN).count() == 0


def test_the_office_extends_the_window_with_a_reason(cast: Cast, anon: Client) -> None:
    office = client_for(cast.office)
    with at("2025-03-01 10:00"):
        c = create(office, cast)
        csrf_post(office, f"/consult/{c.pk}/publish/", {})
    with at("2025-03-20 10:00"):
        no_reason = csrf_post(office, f"/consult/{c.pk}/extend/", {"closes_on": "2025-04-15"})
        assert no_reason.status_code == 400
        earlier = csrf_post(
            office, f"/consult/{c.pk}/extend/", {"closes_on": "2025-03-30", "reason": "x"}
        )
        assert "新的截止日期须晚于原截止日期 2025-04-01" in text_of(earlier)
        assert (
            csrf_post(
                client_for(cast.justice_liaison),
                f"/consult/{c.pk}/extend/",
                {"closes_on": "2025-04-15", "reason": "意见较多"},
            ).status_code
            == 403
        )
        done = csrf_post(
            office, f"/consult/{c.pk}/extend/", {"closes_on": "2025-04-15", "reason": "意见较多"}
        )
        assert done.status_code == 302
        c.refresh_from_db()
        assert c.closes_on == dt.date(2025, 4, 15)
        event = AuditEvent.objects.for_object(c).filter(comment__startswith="延长").get()
        assert event.changes["closes_on"] == ["2025-04-01", "2025-04-15"]
    with at("2025-04-10 10:00"):
        assert comment(anon, c, "延长期间的意见").status_code == 302
    with at("2025-04-16 10:00"):
        refused = csrf_post(
            office, f"/consult/{c.pk}/extend/", {"closes_on": "2025-05-15", "reason": "再延"}
        )
        assert refused.status_code == 400  # the window is over: it cannot be reopened
        assert "征求意见已结束，待反馈」，不能延长征求意见期" in text_of(refused)


def test_who_may_see_and_do_what(cast: Cast) -> None:
    with at("2025-03-01 10:00"):
        c = create(client_for(cast.justice_liaison), cast)
        csrf_post(client_for(cast.office), f"/consult/{c.pk}/publish/", {})
    with at("2025-03-05 10:00"):
        comment(Client(enforce_csrf_checks=True), c, "一条意见")
        m = Comment.objects.get()
        outsider = client_for(cast.finance_liaison)
        for url in (f"/consult/{c.pk}/", f"/consult/{c.pk}/report/"):
            assert outsider.get(url).status_code == 404
        assert moderate(outsider, m, "approve").status_code == 404
        assert csrf_post(outsider, f"/consult/{c.pk}/publish/", {}).status_code == 404
        assert c.title not in outsider.get("/consult/").content.decode()

        for reader in (cast.evaluator, cast.justice_leader):
            client = client_for(reader)
            seen = client.get(f"/consult/{c.pk}/")
            assert seen.status_code == 200
            assert "13900001111" not in seen.content.decode()  # contacts: for those who act
            assert f'action="/consult/comments/{m.pk}/moderate/"' not in seen.content.decode()
            assert moderate(client, m, "approve").status_code == 403
            assert outcome(client, m, "adopted").status_code == 403
            assert (
                csrf_post(client, f"/consult/{c.pk}/report/", {"summary": "x"}).status_code == 403
            )
            assert csrf_post(client, f"/consult/{c.pk}/close/", {}).status_code == 403
        assert (
            csrf_post(client_for(cast.evaluator), "/consult/new/", draft_form(cast)).status_code
            == 403
        )

        owner = client_for(cast.justice_liaison)
        page = owner.get(f"/consult/{c.pk}/").content.decode()
        assert "13900001111" in page
        assert f'action="/consult/comments/{m.pk}/moderate/"' in page
        # A liaison drafts only for their own unit.
        other = csrf_post(owner, "/consult/new/", draft_form(cast, unit=cast.finance.pk))
        assert other.status_code == 400
        assert Consultation.objects.count() == 1
    m.refresh_from_db()
    assert m.moderation == Moderation.PENDING


def test_attachments_and_the_privacy_check_through_the_pages(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_consult_actions import docx_with

    liaison, office = client_for(cast.justice_liaison), client_for(cast.office)
    with at("2025-03-01 10:00"):
        c = create(liaison, cast, explanation="联系人手机 13812345678")
        upload = SimpleUploadedFile("全文.docx", docx_with("第一条 正文"))
        added = csrf_post(liaison, f"/consult/{c.pk}/attachments/", {"file": upload})
        assert added.status_code == 302
        [a] = c.attachments.all()
        assert a.filename == "全文.docx"
        download = liaison.get(f"/consult/attachments/{a.pk}")
        assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
        fake = SimpleUploadedFile("假.pdf", b"not a pdf at all")
        refused = csrf_post(liaison, f"/consult/{c.pk}/attachments/", {"file": fake})
        assert refused.status_code == 400 and "假.pdf" in text_of(refused)

        blocked = csrf_post(office, f"/consult/{c.pk}/publish/", {})
        assert blocked.status_code == 400
        assert "起草说明中有手机号码 1 处" in text_of(blocked)
        done = csrf_post(
            office, f"/consult/{c.pk}/publish/", {"privacy_override": "起草人办公手机，可以公开"}
        )
        assert done.status_code == 302
        c.refresh_from_db()
        assert c.state == ConsultState.OPEN and c.privacy_override == "起草人办公手机，可以公开"
        # Published: the attachments are fixed.
        removed = csrf_post(liaison, f"/consult/attachments/{a.pk}/remove/", {})
        assert removed.status_code == 400
        assert c.attachments.count() == 1


def test_the_decision_document_is_linked_once_published(cast: Cast, anon: Client) -> None:
    from gongkai.publishing.models import DocKind, DocState, Document

    office = client_for(cast.office)
    decision = Document.objects.create(
        unit=cast.justice,
        kind=DocKind.NORMATIVE,
        title="区行政执法公示办法",
        state=DocState.PUBLISHED,
        index_number="SFJ/2025-00007",
        published_on=dt.date(2025, 5, 6),
    )
    unpublished = Document.objects.create(
        unit=cast.justice, kind=DocKind.NORMATIVE, title="草稿", index_number="SFJ/2025-00008"
    )
    with at("2025-03-01 10:00"):
        c = create(office, cast)
        refused = csrf_post(
            office, f"/consult/{c.pk}/decision/", {"index_number": "SFJ/2025-00007"}
        )
        assert refused.status_code == 400 and "发布后才能关联" in text_of(refused)
        csrf_post(office, f"/consult/{c.pk}/publish/", {})
    with at("2025-05-06 10:00"):
        for number in ("SFJ/2025-00008", "不存在"):
            missing = csrf_post(
                client_for(cast.justice_liaison),
                f"/consult/{c.pk}/decision/",
                {"index_number": number},
            )
            assert missing.status_code == 400
            assert f"没有找到索引号为「{number}」的已发布政府信息" in text_of(missing)
        linked = csrf_post(
            client_for(cast.justice_liaison),
            f"/consult/{c.pk}/decision/",
            {"index_number": "SFJ/2025-00007"},
        )
        assert linked.status_code == 302
        c.refresh_from_db()
        assert c.decision == decision and unpublished.pk != decision.pk
        event = AuditEvent.objects.for_object(c).filter(comment="关联决策文件").get()
        assert event.changes["decision"] == [None, decision.pk]
        page = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
        assert f'href="/portal/documents/{decision.pk}/"' in page
        assert "区行政执法公示办法</a>" in page
