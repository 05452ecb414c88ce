"""The public 互动交流 pages: the form's defences (CSRF, honeypot, size caps, rate limits,
contact check), the 查询码 lookup, escaping of everything a visitor typed on every page that
shows it, and what never appears publicly (the asker, unpublished questions, any script)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gongkai.interact import actions
from gongkai.interact.actions import AskInput
from gongkai.interact.models import Question, QuestionState
from tests.conftest import Cast, client_for, csrf_post
from tests.test_interact import act, ask, at, ok, text_of

pytestmark = pytest.mark.django_db

FORM = {
    "asker_name": "李四",
    "contact": "13800001111",
    "title": "办事指南在哪里查",
    "body": "请问不动产登记的办事指南在哪里可以查到？",
    "agree_publish": "on",
}
XSS_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>'
XSS_BODY = (
    "<script>alert('b')</script>\n"
    '<a href="javascript:alert(2)">点我</a> <svg onload=alert(3)>\n'
    "<img src=x onerror=alert(4)>"
)
XSS_REPLY = '<iframe src="javascript:alert(5)"></iframe><b onmouseover=alert(6)>答复</b>'


def publish(cast: Cast, question: Question) -> Question:
    """Route to 司法局, draft, approve: the question is answered (and published if agreed)."""
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)
    ok(act(office, question, "route", unit=cast.justice.pk))
    ok(act(liaison, question, "draft", reply="您好：在区政务服务网可以查到。", intent="submit"))
    ok(act(office, question, "review", decision="approve", round=1))
    question.refresh_from_db()
    return question


def assert_neutral(page: str) -> None:
    """No markup a visitor typed survives as markup: only escaped text."""
    lowered = page.lower()
    for tag in ("<script>alert", "<img src=x", "<svg", "<iframe", "<b onmouseover"):
        assert tag not in lowered, tag
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", lowered), "an event-handler attribute"
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", lowered)


def test_script_tags_event_handlers_and_javascript_urls_are_neutralised_everywhere(
    cast: Cast, anon: Client
) -> None:
    question, secret = ask(anon, title=XSS_TITLE, body=XSS_BODY, asker_name="<b>x</b>")
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)
    ok(act(office, question, "route", unit=cast.justice.pk))
    ok(act(liaison, question, "draft", reply=XSS_REPLY, intent="submit"))
    ok(act(office, question, "review", decision="approve", round=1))
    question.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    assert question.title.startswith("<script>")  # stored as typed; escaped on the way out

    lookup = csrf_post(
        anon, "/portal/hdjl/status/", {"tracking_no": question.tracking_no, "secret": secret}
    )
    pages = {
        "public list": anon.get("/portal/hdjl/"),
        "public page": anon.get(f"/portal/hdjl/{question.pk}/"),
        "status": lookup,
        "staff list": office.get("/interact/?tab=all"),
        "staff page": office.get(f"/interact/{question.pk}/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert_neutral(page)
        assert "&lt;script&gt;alert(" in page, name  # shown, as text
    assert (
        "&lt;iframe src=&quot;javascript:alert(5)&quot;&gt;"
        in pages["public page"].content.decode()
    )


def test_public_pages_need_no_script_and_never_show_the_asker(cast: Cast, anon: Client) -> None:
    question, _ = ask(anon)
    publish(cast, question)
    for url in (
        "/portal/hdjl/",
        f"/portal/hdjl/{question.pk}/",
        "/portal/hdjl/ask/",
        "/portal/hdjl/status/",
        "/portal/hdjl/stats/",
    ):
        response = anon.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "<script" not in page.lower(), url
        assert "李四" not in page and "13800001111" not in page, url


def test_only_published_questions_have_public_pages(cast: Cast, anon: Client) -> None:
    waiting, _ = ask(anon)
    private, _ = ask(anon, agree_publish="", title="不愿公开的咨询")
    private = publish(cast, private)
    assert private.state == QuestionState.ANSWERED  # the asker did not agree
    assert anon.get(f"/portal/hdjl/{waiting.pk}/").status_code == 404
    assert anon.get(f"/portal/hdjl/{private.pk}/").status_code == 404
    assert anon.get("/portal/hdjl/999999/").status_code == 404
    assert "不愿公开的咨询" not in text_of(anon.get("/portal/hdjl/"))


def test_the_receipt_shows_the_number_and_code_once(anon: Client) -> None:
    question, secret = ask(anon)
    assert question.tracking_no.startswith("HD-")
    again = text_of(anon.get("/portal/hdjl/ask/done/"))
    assert question.tracking_no not in again and secret not in again
    assert "本页已显示过或已失效" in again


def test_a_filled_trap_field_stores_nothing_but_looks_like_success(anon: Client) -> None:
    response = csrf_post(anon, "/portal/hdjl/ask/", FORM | {"website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == "/portal/hdjl/ask/done/"
    assert Question.objects.count() == 0
    assert "本页已显示过或已失效" in text_of(anon.get("/portal/hdjl/ask/done/"))


def test_the_form_needs_its_csrf_token(anon: Client) -> None:
    response = anon.post("/portal/hdjl/ask/", FORM)
    assert response.status_code == 403
    assert Question.objects.count() == 0


def test_asking_is_limited_per_address(anon: Client, settings: Any) -> None:
    settings.QUESTION_RATE_LIMIT = 2
    with at("2026-03-02", 10, 0):  # one fixed one-minute window
        _ask_three_times(anon)


def _ask_three_times(anon: Client) -> None:
    assert csrf_post(anon, "/portal/hdjl/ask/", FORM).status_code == 302
    assert csrf_post(anon, "/portal/hdjl/ask/", FORM).status_code == 302
    refused = csrf_post(anon, "/portal/hdjl/ask/", FORM)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "一分钟内的留言次数已达上限" in text_of(refused)
    assert Question.objects.count() == 2
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.7")
    assert csrf_post(other, "/portal/hdjl/ask/", FORM).status_code == 302  # another address


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact", "", "联系方式：请填写联系方式"),
        ("contact", "call me", "联系方式应为手机号码、固定电话（可带区号）或电子邮箱"),
        ("contact", "12345", "联系方式应为手机号码、固定电话（可带区号）或电子邮箱"),
        ("contact", "someone@", "电子邮箱格式不正确"),
        ("title", "", "标题：请填写标题"),
        ("title", "长" * 101, "标题不能超过 100 字"),
        ("body", "   ", "留言内容：请填写留言内容"),
        ("body", "字" * 3001, "留言内容不能超过 3000 字"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    anon: Client, field: str, value: str, message: str
) -> None:
    response = csrf_post(anon, "/portal/hdjl/ask/", FORM | {field: value})
    assert response.status_code == 400
    page = text_of(response)
    assert "留言未提交" in page and message in page
    assert Question.objects.count() == 0
    assert "请问不动产登记的办事指南" in page or field == "body"  # what was typed is kept


@pytest.mark.parametrize(
    "contact", ["13800001111", "138 0000 1111", "0533-2000001", "(0533)2000001", "a.b@c.gov.cn"]
)
def test_phone_numbers_and_e_mail_addresses_are_accepted(anon: Client, contact: str) -> None:
    response = csrf_post(anon, "/portal/hdjl/ask/", FORM | {"contact": contact})
    assert response.status_code == 302, text_of(response)[:500]
    assert Question.objects.get().contact == contact


def test_an_oversized_body_is_refused_before_it_is_read(anon: Client) -> None:
    response = csrf_post(
        anon, "/portal/hdjl/ask/", FORM | {"body": "x" * 70_000}, CONTENT_LENGTH="100000"
    )
    assert response.status_code == 413
    assert "提交的内容过大" in text_of(response)
    assert Question.objects.count() == 0


def test_control_characters_are_stripped_from_what_is_kept(db: None) -> None:
    question, _ = actions.ask(
        AskInput(contact="13800001111", title="标\x00题\x0b", body="第一行\r\n第二行\x07")
    )
    assert (question.title, question.body) == ("标题", "第一行\n第二行")


def test_the_lookup_needs_the_right_number_and_code(cast: Cast, anon: Client) -> None:
    question, secret = ask(anon)
    wrong_code = csrf_post(
        anon, "/portal/hdjl/status/", {"tracking_no": question.tracking_no, "secret": "x" + secret}
    )
    wrong_number = csrf_post(
        anon, "/portal/hdjl/status/", {"tracking_no": "HD-2026-99999", "secret": secret}
    )
    for response in (wrong_code, wrong_number):
        assert response.status_code == 400
        page = text_of(response)
        assert "留言编号或查询码不正确" in page
        assert question.title not in page
    right = csrf_post(
        anon,
        "/portal/hdjl/status/",
        {"tracking_no": question.tracking_no.lower(), "secret": secret},
    )
    assert right.status_code == 200
    page = text_of(right)
    assert "已受理，正在分办" in page and question.title in page
    assert "答复期限" in page


def test_lookups_are_limited_per_address_right_or_wrong(anon: Client, settings: Any) -> None:
    settings.STATUS_RATE_LIMIT = 2
    question, secret = ask(anon)
    with at("2026-03-02", 10, 0):  # one fixed one-minute window
        for _ in range(2):
            csrf_post(anon, "/portal/hdjl/status/", {"tracking_no": "HD-1", "secret": "guess"})
        refused = csrf_post(
            anon, "/portal/hdjl/status/", {"tracking_no": question.tracking_no, "secret": secret}
        )
    assert refused.status_code == 429
    assert question.title not in text_of(refused)


def test_the_public_list_pages_by_twenty(cast: Cast, anon: Client) -> None:
    for n in range(21):
        question, _ = actions.ask(
            AskInput(contact="13800001111", title=f"问题{n:02d}", body="内容", agree_publish=True)
        )
        publish(cast, question)
    first = text_of(anon.get("/portal/hdjl/"))
    second = text_of(anon.get("/portal/hdjl/?page=2"))
    assert "共 21 条" in first and "第 1 / 2 页" in first
    assert "问题00" in second and "问题00" not in first  # newest first
    assert "问题20" in first


def test_the_cached_statistics_follow_each_act(
    cast: Cast, anon: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert "暂无数据" in text_of(anon.get("/portal/hdjl/stats/"))
    with django_capture_on_commit_callbacks(execute=True):
        question, _ = actions.ask(AskInput(contact="13800001111", title="问", body="内容"))
    assert "年 1 0 0 — — —" in text_of(anon.get("/portal/hdjl/stats/"))
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, question)
    assert "年 1 1 1 100.0%" in text_of(anon.get("/portal/hdjl/stats/"))
