"""The public side of 意见征集 under /portal/yjzj/: what shows and what never does, and the
comment form's protections (CSRF, a trap for robots, a size cap, a per-address rate limit),
with hostile text posted everywhere it can be and shown neutralised everywhere it is shown."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.consult import actions
from gongkai.consult.actions import CommentInput, DraftInput
from gongkai.consult.models import Comment, Consultation, ConsultState, Outcome
from tests.conftest import Cast, client_for
from tests.test_consult import SHANGHAI, at, comment, text_of

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)">点我</a><svg onload=alert(3)>'
)


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Any) -> None:
    """The production default (files) in a folder of this test's own, so counters of other
    test processes sharing var/cache cannot meet ours."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def open_consultation(cast: Cast, **changes: Any) -> Consultation:
    """Published on 1 March 2025 for 3 March – 1 April."""
    fields: dict[str, Any] = {
        "unit": cast.justice,
        "title": "区行政执法公示办法（征求意见稿）",
        "draft": "第一条 为规范行政执法公示，制定本办法。",
        "explanation": "落实行政执法三项制度。",
        "opens_on": dt.date(2025, 3, 3),
        "closes_on": dt.date(2025, 4, 1),
    } | changes
    with at("2025-03-01 10:00"):
        c = actions.create_draft(cast.justice_liaison, DraftInput(**fields))
        return actions.publish(cast.office, c)


class _Elements(HTMLParser):
    """Every element as the browser would build it: its tag, attributes and script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def neutralised(page: str) -> None:
    """Nothing of HOSTILE can run in the page as the browser parses it: no script with a body
    (the staff pages load htmx from our own static files, by src), no img or svg element, no
    event-handler attribute, no javascript: link."""
    parsed = _Elements()
    parsed.feed(page)
    assert not any(s.strip() for s in parsed.scripts), "an inline script"
    for tag, attrs in parsed.tags:
        assert tag not in ("img", "svg"), f"an {tag} element"
        for name, value in attrs:
            assert not name.startswith("on"), f"an event handler {name} on {tag}"
            if name in ("href", "src", "action"):
                assert not (value or "").strip().lower().startswith("javascript:"), value


def test_hostile_text_is_neutralised_everywhere_it_is_shown(cast: Cast, anon: Client) -> None:
    c = open_consultation(
        cast,
        title=f"标题{HOSTILE}",
        draft=f"<p>正文</p>{HOSTILE}",
        explanation=HOSTILE,
        interpretation=HOSTILE,
        short_reason=HOSTILE,
        postal_address=HOSTILE,
    )
    assert "<script" not in c.draft_html and "onerror" not in c.draft_html
    assert "javascript:" not in c.explanation_html
    with at("2025-03-05 10:00"):
        name = "<img src=x onerror=alert(1)>"
        assert comment(anon, c, f"意见{HOSTILE}", name=name).status_code == 302
        m = Comment.objects.get()
        actions.moderate_comment(cast.office, m, approve=True)
        public = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
        assert "&lt;script&gt;" in public  # shown, as text
        neutralised(public)
        neutralised(anon.get("/portal/yjzj/").content.decode())
        actions.set_outcome(cast.office, m, outcome=Outcome.NOT_ADOPTED, reason=HOSTILE, topic=name)
        actions.save_report(cast.office, c, f"总体情况{HOSTILE}")
        office = client_for(cast.office)
        for url in (f"/consult/{c.pk}/", f"/consult/{c.pk}/report/", "/consult/"):
            staff = office.get(url)
            assert staff.status_code == 200
            neutralised(staff.content.decode())
    with at("2025-04-02 10:00"):
        actions.publish_report(cast.office, c)
        report = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
        assert "未采纳（1 条）" in text_of(anon.get(f"/portal/yjzj/{c.pk}/"))
        neutralised(report)


def test_pending_and_rejected_comments_and_contacts_never_show(cast: Cast, anon: Client) -> None:
    c = open_consultation(cast)
    with at("2025-03-05 10:00"):
        for body, contact in (
            ("待审核的意见", "pending@example.cn"),
            ("不予公开的意见", "rejected@example.cn"),
            (
                "公开的意见，身份证 11010519491231002X，邮箱 zhang.san@example.cn",
                "shown@example.cn",
            ),
        ):
            comment(anon, c, body, contact=contact)
        _pending, rejected, shown = Comment.objects.order_by("pk")
        actions.moderate_comment(cast.justice_liaison, rejected, approve=False, reason="无关")
        approved = actions.moderate_comment(cast.justice_liaison, shown, approve=True)
        assert approved.privacy_hits == 2
        page = text_of(anon.get(f"/portal/yjzj/{c.pk}/"))
    assert "公开的意见（1 条）" in page
    assert "待审核的意见" not in page and "不予公开的意见" not in page
    assert "11010519491231002X" not in page and "110105********002X" in page
    assert "zhang.san@example.cn" not in page
    for contact in ("pending@example.cn", "rejected@example.cn", "shown@example.cn"):
        assert contact not in page
    assert "网友" in page  # no name given


def test_the_trap_field_answers_like_success_and_stores_nothing(
    cast: Cast, anon: Client, caplog: Any
) -> None:
    c = open_consultation(cast)
    with at("2025-03-05 10:00"):
        response = comment(anon, c, "机器人的意见", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/yjzj/{c.pk}/?sent=1#comment"
    assert not Comment.objects.exists()
    assert "trap field filled" in caplog.text


def test_a_comment_without_the_csrf_token_is_refused(cast: Cast, anon: Client) -> None:
    c = open_consultation(cast)
    with at("2025-03-05 10:00"):
        response = anon.post(
            f"/portal/yjzj/{c.pk}/comment/", {"contact": "1", "body": "无令牌的意见"}
        )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_size_caps_refuse_long_comments(cast: Cast, anon: Client) -> None:
    c = open_consultation(cast)
    with at("2025-03-05 10:00"):
        too_long = comment(anon, c, "长" * (actions.MAX_COMMENT + 1))
        assert too_long.status_code == 400
        assert f"意见内容不能超过 {actions.MAX_COMMENT} 字" in text_of(too_long)
        # The form keeps what was typed, so nothing is lost.
        assert "长" * 100 in too_long.content.decode()
        at_cap = comment(anon, c, "长" * actions.MAX_COMMENT)
        assert at_cap.status_code == 302
        huge = comment(anon, c, "x" * 70_000)  # refused on its declared length, unread
        assert huge.status_code == 413
        assert "提交的内容过大" in text_of(huge)
        contact = comment(anon, c, "正常的意见", contact="9" * 129)
        assert contact.status_code == 400
    assert Comment.objects.count() == 1


def test_the_rate_limit_counts_per_address(cast: Cast, settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT = 2
    c = open_consultation(cast)
    one = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.5")
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.6")
    with at("2025-03-05 10:00:10"):
        assert comment(one, c, "第一条").status_code == 302
        assert comment(one, c, "第二条").status_code == 302
        refused = comment(one, c, "第三条")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert "提交过于频繁" in text_of(refused)
        assert comment(other, c, "另一地址").status_code == 302
    with at("2025-03-05 10:01:05"):
        assert comment(one, c, "下一分钟").status_code == 302
    assert sorted(Comment.objects.values_list("body", flat=True)) == sorted(
        ["第一条", "第二条", "另一地址", "下一分钟"]
    )


def test_the_window_follows_the_office_time_zone(cast: Cast) -> None:
    c = open_consultation(cast)
    # 2 March 23:30 in Shanghai is 15:30 UTC; 3 March 00:10 in Shanghai is still 2 March in UTC.
    cases = [
        ("2025-03-02 23:30", False),
        ("2025-03-03 00:10", True),
        ("2025-04-01 23:59", True),
        ("2025-04-02 00:01", False),
    ]
    for moment, accepted in cases:
        with at(moment):
            if accepted:
                actions.submit_comment(c, CommentInput("意见", "联系"))
            else:
                with pytest.raises(actions.ConsultRejected):
                    actions.submit_comment(c, CommentInput("意见", "联系"))
    assert Comment.objects.count() == 2


def test_drafts_are_not_public(cast: Cast, anon: Client) -> None:
    png = SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    with at("2025-03-01 10:00"):
        draft = actions.create_draft(
            cast.justice_liaison, DraftInput(unit=cast.justice, title="内部草稿")
        )
        attachment = actions.add_attachment(cast.justice_liaison, draft, png)
        assert anon.get(f"/portal/yjzj/{draft.pk}/").status_code == 404
        assert anon.get(f"/portal/yjzj/files/{attachment.pk}").status_code == 404
        assert "内部草稿" not in anon.get("/portal/yjzj/").content.decode()
        with pytest.raises(actions.ConsultRejected):
            actions.submit_comment(draft, CommentInput("意见", "联系"))
        assert comment(anon, draft, "意见").status_code == 404


def test_the_list_puts_open_consultations_first_with_days_left(cast: Cast, anon: Client) -> None:
    ended = open_consultation(cast, title="已结束的征集", opens_on=dt.date(2025, 3, 3))
    current = open_consultation(
        cast,
        title="正在征求意见的征集",
        opens_on=dt.date(2025, 3, 10),
        closes_on=dt.date(2025, 5, 1),
    )
    upcoming = open_consultation(
        cast, title="即将开始的征集", opens_on=dt.date(2025, 4, 20), closes_on=dt.date(2025, 6, 1)
    )
    with at("2025-04-10 10:00"):
        page = text_of(anon.get("/portal/yjzj/"))
        response = anon.get("/portal/yjzj/")
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'none'")
    assert page.index("正在征求意见") < page.index(current.title) < page.index("已结束 ")
    assert "还剩 22 天" in page  # 10 April to 1 May, today counted
    assert page.index(upcoming.title) < page.index("已结束 ") < page.index(ended.title)
    assert "2025-04-20 开始" in page
    assert "意见正在整理，反馈报告待发布" in page


def test_an_attachment_of_a_published_draft_downloads(cast: Cast, anon: Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    with at("2025-03-01 10:00"):
        c = actions.create_draft(
            cast.justice_liaison,
            DraftInput(
                unit=cast.justice,
                title="附件测试",
                draft="正文",
                explanation="说明",
                opens_on=dt.date(2025, 3, 3),
                closes_on=dt.date(2025, 4, 1),
            ),
        )
        a = actions.add_attachment(cast.justice_liaison, c, SimpleUploadedFile("图表.png", png))
        with pytest.raises(actions.ConsultRejected, match="无法检查，需人工处理"):
            actions.publish(cast.office, c)  # an image cannot be scanned: a person must look
        actions.publish(cast.office, c, privacy_override="图表不含个人信息，已人工核对")
        page = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
        assert f'href="/portal/yjzj/files/{a.pk}"' in page
        response = anon.get(f"/portal/yjzj/files/{a.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png  # type: ignore[attr-defined]  # FileResponse
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


def test_the_form_works_without_javascript(cast: Cast, anon: Client) -> None:
    c = open_consultation(cast)
    with time_machine.travel(dt.datetime(2025, 3, 5, 10, tzinfo=SHANGHAI), tick=False):
        page = anon.get(f"/portal/yjzj/{c.pk}/").content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form and form.group(1) == f"/portal/yjzj/{c.pk}/comment/"
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert '<button type="submit">提交意见</button>' in form.group(2)
    assert "<script" not in page
    for field in ("name", "contact", "body"):
        assert f'<label for="id_{field}"' in form.group(2)
    assert c.state == ConsultState.OPEN


def test_a_consultation_without_online_comments_refuses_a_posted_one(
    cast: Cast, anon: Client
) -> None:
    # The page shows no form when only e-mail and post are offered; a form posted anyway (an
    # old page, a robot) must not slip in through the endpoint.
    c = open_consultation(cast, accepts_online=False, email="yjzj@example.gov.cn")
    with at("2025-03-10 10:00"):
        page = anon.get(f"/portal/yjzj/{c.pk}/")
        assert "本次征求意见不接受网上提交" in page.content.decode()
        response = comment(anon, c, "建议增加公示期限。")
    assert response.status_code == 400
    assert "不接受网上提交" in response.content.decode()
    assert not Comment.objects.filter(consultation=c).exists()
