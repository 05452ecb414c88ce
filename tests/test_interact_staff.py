"""The staff side of 互动交流: who may see and do what, the office's acts (route, transfer,
mark invalid, review), the liaison's (draft, give back), two reviewers at once, and the privacy
gate's override."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.accounts.models import Role, User
from gongkai.audit.models import AuditEvent
from gongkai.interact import actions, stats
from gongkai.interact.actions import AskInput
from gongkai.interact.models import EventKind, InvalidReason, Question, QuestionState
from tests.conftest import Cast, client_for
from tests.test_interact import D, act, at, ok, text_of

pytestmark = pytest.mark.django_db


def new_question(body: str = "请问公证处的办公时间？", agree: bool = True) -> Question:
    question, _ = actions.ask(
        AskInput(
            contact="13800001111",
            title="公证处办公时间",
            body=body,
            agree_publish=agree,
            asker_name="赵六",
        )
    )
    return question


def routed(cast: Cast, body: str = "请问公证处的办公时间？", agree: bool = True) -> Question:
    return actions.route(cast.office, new_question(body, agree), cast.justice)


def in_review(cast: Cast, body: str = "请问公证处的办公时间？", agree: bool = True) -> Question:
    return actions.submit(cast.justice_liaison, routed(cast, body, agree), "工作日 9:00-17:00。")


def test_a_liaison_of_another_unit_gets_404_on_page_and_acts(cast: Cast) -> None:
    question = routed(cast)
    outsider = client_for(cast.finance_liaison)
    assert outsider.get(f"/interact/{question.pk}/").status_code == 404
    for slug in ("draft", "give-back", "route", "review", "reject", "mask", "override"):
        response = act(outsider, question, slug, reply="x", intent="submit", reason="x")
        assert response.status_code == 404, slug
    assert question.tracking_no not in text_of(outsider.get("/interact/?tab=all"))
    owner = client_for(cast.justice_liaison)
    assert owner.get(f"/interact/{question.pk}/").status_code == 200
    assert question.tracking_no in text_of(owner.get("/interact/?tab=all"))


def test_unrouted_questions_are_the_offices_only(cast: Cast) -> None:
    question = new_question()
    assert client_for(cast.justice_liaison).get(f"/interact/{question.pk}/").status_code == 404
    assert client_for(cast.office).get(f"/interact/{question.pk}/").status_code == 200


def test_an_evaluator_reads_everything_but_cannot_post(cast: Cast) -> None:
    question = routed(cast)
    evaluator = client_for(cast.evaluator)
    page = evaluator.get(f"/interact/{question.pk}/")
    assert page.status_code == 200
    assert "13800001111" not in text_of(page)  # the asker's contact is not theirs to read
    assert 'id="acts"' not in page.content.decode()  # no act is offered
    office_page = client_for(cast.office).get(f"/interact/{question.pk}/").content.decode()
    assert 'id="acts"' in office_page and "13800001111" in office_page
    posts: dict[str, dict[str, Any]] = {
        "draft": {"reply": "答复", "intent": "submit"},
        "transfer": {"unit": cast.finance.pk, "reason": "转办"},
        "reject": {"reason": "spam"},
        "give-back": {"reason": "不属于本单位"},
    }
    for slug, fields in posts.items():
        assert act(evaluator, question, slug, **fields).status_code == 403, slug
    question.refresh_from_db()
    assert (question.state, question.unit_id, question.reply) == (
        QuestionState.ROUTED,
        cast.justice.pk,
        "",
    )


def test_a_leader_reads_but_does_not_draft_and_a_liaison_does_not_route(cast: Cast) -> None:
    question = routed(cast)
    leader = client_for(cast.justice_leader)
    assert leader.get(f"/interact/{question.pk}/").status_code == 200
    assert act(leader, question, "draft", reply="答复", intent="save").status_code == 403
    fresh = new_question()
    liaison = client_for(cast.justice_liaison)
    assert act(liaison, fresh, "route", unit=cast.justice.pk).status_code == 404  # not theirs
    assert act(liaison, question, "review", decision="approve", round=1).status_code == 403


def test_the_first_of_two_reviewers_wins(cast: Cast) -> None:
    question = in_review(cast)
    second = User.objects.create_user(username="office2", role=Role.OFFICE, full_name="李审核")
    first_client, second_client = client_for(cast.office), client_for(second)
    # Both opened the page on round 1; the first approves, the second tries to return it.
    ok(act(first_client, question, "review", decision="approve", comment="同意", round=1))
    late = act(second_client, question, "review", decision="return", comment="请补充", round=1)
    assert late.status_code == 409
    assert "该答复已由office于" in text_of(late) and "审核通过），以其审核结果为准" in text_of(late)
    question.refresh_from_db()
    assert (question.state, question.reviewed_by) == (QuestionState.PUBLISHED, cast.office)
    assert question.events.filter(kind=EventKind.APPROVED).count() == 1


def test_a_decision_on_an_older_draft_is_refused(cast: Cast) -> None:
    question = in_review(cast)
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)
    ok(act(office, question, "review", decision="return", comment="请写明地址", round=1))
    ok(act(liaison, question, "draft", reply="地址：某路1号。", intent="submit"))
    stale = act(office, question, "review", decision="approve", round=1)
    assert stale.status_code == 409
    assert "请刷新页面后再审核" in text_of(stale)
    ok(act(office, question, "review", decision="approve", round=2))


def test_returning_needs_a_comment(cast: Cast) -> None:
    question = in_review(cast)
    response = act(client_for(cast.office), question, "review", decision="return", round=1)
    assert response.status_code == 400
    assert "退回时请填写审核意见" in text_of(response)
    question.refresh_from_db()
    assert question.state == QuestionState.REVIEW


def test_the_privacy_gate_can_be_overridden_with_a_reason(cast: Cast) -> None:
    question = in_review(cast, body="我的手机13912345678，请回电。")
    office = client_for(cast.office)
    blocked = act(office, question, "review", decision="approve", round=1)
    assert blocked.status_code == 400
    assert "留言内容：手机号码 1 处" in text_of(blocked)
    short = act(office, question, "override", reason="可")
    assert short.status_code == 400 and "至少 4 个字" in text_of(short)
    ok(act(office, question, "override", reason="留言人要求公开其联系电话"))
    ok(act(office, question, "review", decision="approve", round=1))
    question.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    assert "13912345678" in question.body  # let through, not masked
    assert question.privacy_override_by == cast.office
    audited = AuditEvent.objects.filter(comment__contains="个人信息放行").get()
    assert "留言人要求公开其联系电话" in audited.comment


def test_a_question_the_asker_keeps_private_is_answered_past_the_gate(cast: Cast) -> None:
    question = in_review(cast, body="我的手机13912345678，请回电。", agree=False)
    ok(act(client_for(cast.office), question, "review", decision="approve", round=1))
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED and question.published_at is None
    assert question.events.filter(kind=EventKind.ANSWERED).exists()


def test_a_transfer_keeps_the_clock_and_moves_the_question(cast: Cast) -> None:
    with at("2026-03-02"):
        question = routed(cast)
        assert question.due_on == D("2026-03-09")
    with at("2026-03-04"):
        ok(
            act(
                client_for(cast.office),
                question,
                "transfer",
                unit=cast.finance.pk,
                reason="涉及财政资金",
            )
        )
    question.refresh_from_db()
    assert (question.unit, question.state, question.due_on) == (
        cast.finance,
        QuestionState.ROUTED,
        D("2026-03-09"),
    )
    assert client_for(cast.justice_liaison).get(f"/interact/{question.pk}/").status_code == 404
    ok(act(client_for(cast.finance_liaison), question, "draft", reply="草稿", intent="save"))
    moved = question.events.get(kind=EventKind.TRANSFERRED)
    assert (moved.from_unit, moved.to_unit, moved.note) == (
        cast.justice,
        cast.finance,
        "涉及财政资金",
    )


def test_a_liaison_gives_a_misrouted_question_back_to_the_office(cast: Cast) -> None:
    question = routed(cast)
    liaison = client_for(cast.justice_liaison)
    empty = act(liaison, question, "give-back", reason="")
    assert empty.status_code == 400
    ok(act(liaison, question, "give-back", reason="属于财政局职责"))
    question.refresh_from_db()
    assert (question.state, question.unit) == (QuestionState.RECEIVED, None)
    assert liaison.get(f"/interact/{question.pk}/").status_code == 404
    page = text_of(client_for(cast.office).get("/interact/?tab=new"))
    assert question.tracking_no in page


def test_marking_invalid_takes_the_question_out_of_every_figure(cast: Cast) -> None:
    office = client_for(cast.office)
    duplicate, spam = new_question(), new_question()
    missing = act(office, duplicate, "reject", reason="duplicate")
    assert missing.status_code == 400 and "写明此前留言的编号" in text_of(missing)
    ok(act(office, duplicate, "reject", reason="duplicate", note="与 HD-2026-00001 重复"))
    ok(act(office, spam, "reject", reason="spam"))
    assert set(Question.objects.values_list("state", "invalid_reason")) == {
        (QuestionState.REJECTED, InvalidReason.DUPLICATE),
        (QuestionState.REJECTED, InvalidReason.SPAM),
    }
    assert stats.total().received == 0
    assert Question.objects.open().count() == 0
    page = text_of(office.get("/interact/?tab=invalid"))
    assert duplicate.tracking_no in page and spam.tracking_no in page


def test_the_office_sees_overdue_and_alarmed_questions_first(cast: Cast) -> None:
    with at("2026-03-02"):
        late = routed(cast)
        fresh = new_question()
    with at("2026-03-03"):
        page = text_of(client_for(cast.office).get("/interact/"))
        assert "没有符合条件的留言" not in page and fresh.tracking_no in page  # 待分办
    with at("2026-03-12"):
        page = text_of(client_for(cast.office).get("/interact/"))
        assert "2 件留言已逾期或已告警" in page
        assert late.tracking_no in page and "逾期 3 个工作日" in page
        liaison_page = text_of(client_for(cast.justice_liaison).get("/interact/"))
        assert "逾期/告警" not in liaison_page and late.tracking_no in liaison_page


def test_every_act_is_audited(cast: Cast) -> None:
    question = in_review(cast)
    actions.review(cast.office, question, approve=True, round_seen=1)
    question.refresh_from_db()
    trail = list(
        AuditEvent.objects.filter(object_id=str(question.pk), content_type__model="question")
        .order_by("pk")
        .values_list("action", "comment")
    )
    assert trail == [
        ("create", "公众在线留言"),
        ("change", "分办至区司法局"),
        ("transition", ""),  # received → routed
        ("change", "第1次报送审核"),
        ("transition", ""),  # routed → review
        ("transition", ""),  # review → published
        ("change", "答复审核通过"),
    ]


def test_the_staff_page_shows_the_receipt_in_local_time(cast: Cast) -> None:
    with at("2026-03-02", 9, 30):
        question = new_question()
    with at("2026-03-02", 11):
        page = text_of(client_for(cast.office).get(f"/interact/{question.pk}/"))
    assert "受理日期 2026-03-02 09:30 在线留言" in page
    assert dt.date(2026, 3, 9) == question.due_on
