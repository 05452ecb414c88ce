"""互动交流 acceptance story, through HTTP, with the clock standing still on the days things
happen.

A member of the public asks on Friday 13 February 2026, the day before the 春节 break (the
Saturday 14th is a 调休 working day, the 15th–23rd are off): five working days later is
Friday 27 February. The office routes it on the 24th as 简单 (three working days: due the 25th);
the unit hears "soon", "today" and "overdue" once each, the office hears "overdue" once; the
question stays unanswered until the 60-day alarm on 14 April, which fires once. The reply is
drafted, the privacy gate stops publication for the ID number in the question until the office
masks it, and the published Q&A shows 受理日期, 答复日期 and 答复单位; the statistics count it
late, next to one answered on time and one marked invalid.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.interact.models import EventKind, Question, QuestionState
from gongkai.work.models import NotifySettings
from gongkai.work.reminders import run_reminders
from tests.conftest import Cast, client_for, csrf_post

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date.fromisoformat
ID_NUMBER = "110105198503071230"  # a valid check digit: the privacy scan finds it
ASKER = "王小明"
CONTACT = "13912345678"


def at(day: str, hour: int = 10, minute: int = 0) -> Any:
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def text_of(response: Any) -> str:
    """The page as a reader sees it: styles and tags dropped, entities decoded."""
    body = re.sub(r"<style.*?</style>", " ", response.content.decode(), flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def ok(response: Any) -> None:
    assert response.status_code == 302, text_of(response)[:3000]


def ask(client: Client, **fields: Any) -> tuple[Question, str]:
    """Ask through the public form; the question and the 查询码 shown once on the receipt."""
    data = {
        "asker_name": ASKER,
        "contact": CONTACT,
        "title": "春节后办理公证的时间",
        "body": "请问春节后公证处哪天开始上班？",
        "agree_publish": "on",
    } | fields
    response = csrf_post(client, "/portal/hdjl/ask/", data)
    ok(response)
    assert response["Location"] == "/portal/hdjl/ask/done/"
    receipt = text_of(client.get("/portal/hdjl/ask/done/"))
    found = re.search(r"留言编号 (HD-\d{4}-\d{5}) 查询码 (\S+)", receipt)
    assert found, receipt
    return Question.objects.get(tracking_no=found.group(1)), found.group(2)


def act(client: Client, question: Question, slug: str, **fields: Any) -> Any:
    """Post one act from the question's page (its forms carry the act as prefix)."""
    data = {f"{slug}-{k}": v for k, v in fields.items()}
    return csrf_post(client, f"/interact/{question.pk}/{slug}/", data)


def fresh(question: Question) -> Question:
    question.refresh_from_db()
    return question


def run_days(first: str, last: str, hours: tuple[int, ...] = (9, 16)) -> dict[str, list[str]]:
    """Beat runs at `hours` each day from `first` to `last`; the subjects sent by day, and
    every body under "bodies"."""
    sent: dict[str, list[str]] = {"bodies": []}
    day = D(first)
    while day <= D(last):
        for hour in hours:
            with at(day.isoformat(), hour):
                run_reminders()
        if mail.outbox:
            sent[day.isoformat()] = sorted(str(m.subject) for m in mail.outbox)
            sent["bodies"] += [str(m.body) for m in mail.outbox]
        mail.outbox.clear()
        day += dt.timedelta(days=1)
    return sent


def test_a_question_is_asked_routed_alarmed_masked_published_and_counted(
    cast: Cast, anon: Client
) -> None:
    NotifySettings.objects.create(unit=cast.justice, emails="sifa@example.cn", days_before=3)
    NotifySettings.objects.create(unit=cast.gov, emails="office@example.cn", days_before=3)
    office, liaison = client_for(cast.office), client_for(cast.justice_liaison)

    # Friday before 春节: five working days are the 调休 Saturday and 24–27 February.
    with at("2026-02-13"):
        question, secret = ask(
            anon,
            title="春节后办理公证的时间",
            body=f"我的身份证号是{ID_NUMBER}，请问春节后公证处哪天开始上班？",
        )
        assert question.due_on == D("2026-02-27")
        assert question.received_on == D("2026-02-13")
        assert question.state == QuestionState.RECEIVED and question.unit is None
        assert question.secret_digest and secret not in question.secret_digest
        page = text_of(office.get(f"/interact/{question.pk}/"))
        assert "答复期限 2026-02-27 剩 5 个工作日" in page
        assert "受理日期次日起 5 个工作日" in page
        assert "最迟须于 2026-05-13 答复" in page  # the 3-month veto date
        assert secret not in page  # the 查询码 is shown once, to the asker only

    # Nothing to tell while the question is new and not yet due soon.
    sent = run_days("2026-02-13", "2026-02-23")
    assert sent == {"bodies": []}
    # On the 24th at 09:00 the unrouted question is due soon: the office, whose job it is, hears.
    sent = run_days("2026-02-24", "2026-02-24", hours=(9,))
    bodies = sent.pop("bodies")
    assert sent == {
        "2026-02-24": ["【政务公开】区人民政府办公室 任务提醒（2026-02-24）：留言临期1件"]
    }

    # The office routes it at 10:00, as a simple question: due in 3 working days.
    with at("2026-02-24"):
        ok(act(office, question, "route", unit=cast.justice.pk, simple="on"))
        question = fresh(question)
        assert (question.state, question.unit, question.simple) == (
            QuestionState.ROUTED,
            cast.justice,
            True,
        )
        assert question.due_on == D("2026-02-25")

    sent = run_days("2026-02-24", "2026-02-24", hours=(16,))
    later = run_days("2026-02-25", "2026-03-03")
    bodies += sent.pop("bodies") + later.pop("bodies")
    assert sent | later == {
        "2026-02-24": ["【政务公开】区司法局 任务提醒（2026-02-24）：留言临期1件"],
        "2026-02-25": ["【政务公开】区司法局 任务提醒（2026-02-25）：留言今日到期1件"],
        "2026-02-26": [
            "【政务公开】区人民政府办公室 任务提醒（2026-02-26）：各单位留言逾期1件",
            "【政务公开】区司法局 任务提醒（2026-02-26）：留言逾期1件",
        ],
    }
    overdue = next(b for b in bodies if "各单位答复已逾期的留言" in b)
    assert f"{question.tracking_no}（区司法局，已分办，受理 2026-02-13，答复期限 2026-02-25）" in (
        overdue
    )
    assert f"/interact/{question.pk}/" in overdue
    for body in bodies:  # nothing about the asker or the question leaves the system
        assert ASKER not in body and CONTACT not in body and ID_NUMBER not in body
        assert "公证" not in body

    # 60 calendar days after receipt: the alarm, once, to the unit and to the office.
    sent = run_days("2026-04-13", "2026-04-16")
    bodies = sent.pop("bodies")
    assert sent == {
        "2026-04-14": [
            "【政务公开】区人民政府办公室 任务提醒（2026-04-14）：各单位留言告警1件",
            "【政务公开】区司法局 任务提醒（2026-04-14）：留言长期未答复告警1件",
        ]
    }
    assert all("超过 2026-05-13 仍未答复即构成单项否决" in b for b in bodies)
    question = fresh(question)
    assert timezone_day(question.alarm60_sent_at) == D("2026-04-14")
    assert question.events.filter(kind=EventKind.ALARM).count() == 1
    with at("2026-04-16", 11):
        page = text_of(office.get("/interact/"))  # the office's first tab
        assert "逾期/告警" in page and question.tracking_no in page and "60日告警" in page

    # The unit drafts and files its reply; the gate stops publication for the ID number.
    with at("2026-04-16", 14):
        reply = "您好：公证处自2月24日起正常上班，欢迎前来办理。"
        ok(act(liaison, question, "draft", reply=reply, intent="submit"))
        assert fresh(question).state == QuestionState.REVIEW
        response = act(office, question, "review", decision="approve", comment="", round=1)
        assert response.status_code == 400
        assert "发现个人信息，不能公开：留言内容：身份证号码 1 处" in text_of(response)
        assert fresh(question).state == QuestionState.REVIEW
        ok(act(office, question, "mask"))
        question = fresh(question)
        assert ID_NUMBER not in question.body and "110105********1230" in question.body
        masked = AuditEvent.objects.filter(comment__startswith="一键遮蔽").get()
        assert ID_NUMBER not in str(masked.changes)  # the audit says what, not the number
        ok(act(office, question, "review", decision="approve", comment="同意", round=1))

    question = fresh(question)
    assert question.state == QuestionState.PUBLISHED
    assert (question.replied_on, question.reply_unit) == (D("2026-04-16"), cast.justice)
    assert question.on_time is False
    assert question.reply_workdays == 39  # 2026-02-14 … 2026-04-16 without 春节 and 清明
    assert [e.kind for e in question.events.all()] == [
        EventKind.RECEIVED,
        EventKind.ROUTED,
        EventKind.ALARM,
        EventKind.SUBMITTED,
        EventKind.MASKED,
        EventKind.APPROVED,
        EventKind.PUBLISHED,
    ]

    # The public list and page show the three dates, never the asker.
    listing = anon.get("/portal/hdjl/")
    page = text_of(listing)
    assert "春节后办理公证的时间 2026-02-13 2026-04-16 区司法局" in page
    detail = text_of(anon.get(f"/portal/hdjl/{question.pk}/"))
    assert "受理日期 2026年2月13日 答复日期 2026年4月16日 答复单位 区司法局" in detail
    assert "公证处自2月24日起正常上班" in detail
    for shown in (page, detail):
        assert ASKER not in shown and CONTACT not in shown and ID_NUMBER not in shown

    # The asker's lookup shows the reply.
    response = csrf_post(
        anon, "/portal/hdjl/status/", {"tracking_no": question.tracking_no, "secret": secret}
    )
    assert response.status_code == 200
    status = text_of(response)
    assert "已答复，并已在网站公开" in status and "公证处自2月24日起正常上班" in status

    # Statistics: one answered late (39 working days, 62 calendar days), one answered on time
    # without publication, one invalid message that counts nowhere.
    with at("2026-04-20", 9):
        on_time, _ = ask(anon, title="公证预约电话", body="请问公证预约电话是多少？")
        spam, _ = ask(anon, title="代开发票", body="低价代开发票，加微信")
        ok(act(office, on_time, "route", unit=cast.justice.pk))
        ok(act(office, spam, "reject", reason="spam"))
    with at("2026-04-22", 9):
        ok(act(liaison, on_time, "draft", reply="预约电话见公证处网站。", intent="submit"))
        ok(act(office, on_time, "review", decision="approve", round=1))
    assert fresh(on_time).state == QuestionState.PUBLISHED and on_time.on_time is True
    stats = text_of(anon.get("/portal/hdjl/stats/"))
    # received 2 valid, replied 2, 1 on time; (39 + 2) / 2 working days, (62 + 2) / 2 days.
    assert "2026年 2 2 1 50.0% 20.5 32.0" in stats
    assert "区司法局 2 2 1 50.0% 20.5 32.0" in stats
    assert "代开发票" not in text_of(anon.get("/portal/hdjl/"))


def timezone_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(SHANGHAI).date() if moment else None
