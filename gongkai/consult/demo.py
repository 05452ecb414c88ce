"""Demo consultations (意见征集), made through the actions so every row is as the pages make it:

- one open for comment (司法局), with comments in each moderation state, one of them carrying a
  mobile number that the public page masks;
- one whose window ended a few days ago (财政局), outcomes partly recorded, feedback pending;
- one concluded (a 重大行政决策 draft of the 区政府办公室, with a shortened window and its
  reason), its feedback report published.

The acts only publish windows that start today, so each consultation is published with a window
starting today, its comments sent and handled, and then its dates (and the comments' times) are
moved back to where the story needs them — the one step done directly, audited as 演示数据.
Loaded once: nothing happens when there are consultations already, or without the demo users.
The commenters are invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.audit.record import record_change, snapshot
from gongkai.consult import actions
from gongkai.consult.actions import CommentInput, DraftInput
from gongkai.consult.models import Comment, Consultation, Outcome
from gongkai.units.models import Unit

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"
GOV = "张店区人民政府办公室"
DEMO = "演示数据：日期前移"


def _day(today: dt.date, offset: int) -> dt.date:
    return today + dt.timedelta(days=offset)


class _Loader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.office = User.objects.get(username="office")

    def publish(self, author: User, unit: str, title: str, days: int, **texts: Any) -> Consultation:
        data = DraftInput(
            unit=Unit.objects.get(name=unit),
            title=title,
            opens_on=self.today,
            closes_on=_day(self.today, days - 1),
            email="yjzj@zhangdian.example.gov.cn",
            postal_address="张店区人民路 1 号 区人民政府办公室（邮编 255000）",
            **texts,
        )
        c = actions.create_draft(author, data)
        return actions.publish(self.office, c)

    def comments(self, c: Consultation, rows: list[tuple[str, str, str]]) -> list[Comment]:
        return [
            actions.submit_comment(c, CommentInput(body, contact, name))
            for name, contact, body in rows
        ]

    def shift(self, c: Consultation, opens_on: dt.date) -> Consultation:
        """Move the window (and the comments' times, spread over it) back to start on opens_on."""
        c.refresh_from_db()
        assert c.opens_on is not None and c.closes_on is not None
        delta = opens_on - c.opens_on
        before = snapshot(c)
        c.opens_on += delta
        c.closes_on += delta
        if c.published_at is not None:
            c.published_at += delta
        c.save()
        record_change(None, c, before, DEMO)
        for n, comment in enumerate(c.comments.order_by("pk")):
            moment = timezone.make_aware(
                dt.datetime.combine(_day(c.opens_on, 1 + 2 * n), dt.time(9 + n % 8, 17))
            )
            before = snapshot(comment)
            comment.submitted_at = moment
            comment.save(update_fields=["submitted_at"])
            record_change(None, comment, before, DEMO)
        return c


def _open(load: _Loader) -> None:
    author = User.objects.get(username="sifa")
    c = load.publish(
        author,
        SIFA,
        "张店区行政执法公示办法（征求意见稿）",
        31,
        draft="第一条 为推进行政执法公示制度，规范行政执法行为，制定本办法。\n\n"
        "第二条 行政执法机关应当在执法决定作出之日起七个工作日内公开执法决定信息。\n\n"
        "第三条 公示信息涉及个人隐私的，应当作去标识化处理。",
        explanation="一、起草背景：落实行政执法“三项制度”。\n\n二、主要内容：公示的范围、时限和方式。",
        interpretation="本办法明确了事前、事中、事后三个环节的公示要求。",
    )
    rows = load.comments(
        c,
        [
            ("王先生", "13900001111", "建议第二条的七个工作日缩短为五个工作日，便于群众及时了解。"),
            (
                "",
                "li@example.cn",
                "第三条应写明去标识化的具体方法。如有疑问可致电 13812345678 联系我。",
            ),
            ("张女士", "0533-2180000", "建议增加公示信息的更正程序。"),
            ("推广", "spam@example.cn", "低价推广，详情请加微信。"),
        ],
    )
    actions.moderate_comment(author, rows[0], approve=True)
    actions.moderate_comment(author, rows[1], approve=True)
    actions.moderate_comment(author, rows[3], approve=False, reason="与本次征求意见无关的广告")
    load.shift(c, _day(load.today, -10))


def _awaiting_feedback(load: _Loader) -> None:
    author = User.objects.get(username="caizheng")
    c = load.publish(
        author,
        CAIZHENG,
        "张店区政府购买服务管理办法（征求意见稿）",
        40,
        draft="第一条 为规范政府购买服务行为，提高财政资金使用效益，制定本办法。\n\n"
        "第二条 政府购买服务应当遵循预算约束、以事定费、公开择优的原则。",
        explanation="依据《政府购买服务管理办法》（财政部令第102号），结合本区实际起草。",
    )
    rows = load.comments(
        c,
        [
            ("赵先生", "13700002222", "建议明确购买服务目录的更新周期。"),
            ("某社会组织", "org@example.cn", "建议提高社会组织承接服务的预付款比例。"),
            ("", "13600003333", "建议公开每个项目的绩效评价结果。"),
        ],
    )
    for row in rows:
        actions.moderate_comment(author, row, approve=True)
    actions.set_outcome(
        author, rows[0], outcome=Outcome.ADOPTED, reason="已在第五条中明确每年更新", topic="目录"
    )
    actions.set_outcome(author, rows[1], outcome=Outcome.NOT_ADOPTED, topic="资金")
    load.shift(c, _day(load.today, -45))
    actions.end_due_windows(load.today)


def _concluded(load: _Loader) -> None:
    c = load.publish(
        load.office,
        GOV,
        "张店区重大行政决策程序规定（征求意见稿）",
        20,
        draft="第一条 为规范重大行政决策程序，提高决策质量和效率，制定本规定。\n\n"
        "第二条 重大行政决策事项目录经区委同意后向社会公布。",
        explanation="依据《重大行政决策程序暂行条例》（国务院令第713号）起草。",
        interpretation="本规定细化了公众参与、专家论证、风险评估、合法性审查和集体讨论决定五个环节。",
        is_major_decision=True,
        short_reason="市政府要求于年内出台，征求意见期缩短为 20 日。",
    )
    rows = load.comments(
        c,
        [
            ("孙先生", "13500004444", "建议听证会的参加人员中群众代表不少于一半。"),
            ("某律师事务所", "law@example.cn", "建议合法性审查的时间不少于七个工作日。"),
            ("", "13400005555", "建议决策后评估结果向社会公开。"),
            ("", "13300006666", "建议取消风险评估环节以提高效率。"),
        ],
    )
    for row in rows:
        actions.moderate_comment(load.office, row, approve=True)
    outcomes = [
        (Outcome.PARTLY, "已规定群众代表所占比例，具体比例由听证机关确定", "公众参与"),
        (Outcome.ADOPTED, "已在第二十条中写明", "合法性审查"),
        (Outcome.ADOPTED, "", "后评估"),
        (Outcome.NOT_ADOPTED, "风险评估是条例规定的法定程序，不能取消", "风险评估"),
    ]
    for row, (outcome, reason, topic) in zip(rows, outcomes, strict=True):
        actions.set_outcome(load.office, row, outcome=outcome, reason=reason, topic=topic)
    actions.save_report(
        load.office,
        c,
        "本次征求意见共收到意见 4 条，经研究，采纳 2 条、部分采纳 1 条、未采纳 1 条。"
        "感谢社会各界的关心和支持。",
    )
    load.shift(c, _day(load.today, -70))
    actions.publish_report(load.office, c)


@transaction.atomic
def load_demo(today: dt.date) -> None:
    """Load the three demo consultations, counting back from `today` (the office's today)."""
    if Consultation.objects.exists():
        return
    if User.objects.filter(username__in=["office", "sifa", "caizheng"]).count() != 3:
        return
    load = _Loader(today)
    _concluded(load)
    _awaiting_feedback(load)
    _open(load)
