"""Demo questions for 互动交流, made through the actions so every clock, history line and audit
event is real: about a dozen questions in every state across the demo units (see
gongkai/demo/data.py) — new ones waiting to be routed (one already overdue), routed, being
drafted, waiting for review with a phone number that the privacy gate stops, returned and
overdue, transferred, past the 60-day alarm, published on time and late, answered without
publication, and two marked invalid. Dates count back from `today`. Loaded once: nothing happens
when questions exist. The askers are invented.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.holidays.calendar import office_calendar
from gongkai.interact import actions, clock
from gongkai.interact.actions import AskInput
from gongkai.interact.models import InvalidReason, Question
from gongkai.units.models import Unit
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"
FAGAI = "张店区发展和改革局"
#: Who drafts each unit's replies (the office for units without a demo liaison).
LIAISONS = {SIFA: "sifa", CAIZHENG: "caizheng"}


class _Loader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.calendar: WorkdayCalendar = office_calendar()
        self.office = User.objects.get(username="office")
        self.made = 0

    def _workday(self, day: dt.date) -> bool:
        try:
            return self.calendar.is_workday(day)
        except CalendarUnavailable:
            return day.weekday() < 5

    def back(self, n: int) -> dt.date:
        """The n-th working day before today (today itself when n is 0 and it is one)."""
        day, left = self.today, n
        while left > 0 or not self._workday(day):
            day -= dt.timedelta(days=1)
            if self._workday(day):
                left -= 1
        return day

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
        return min(moment, timezone.now())

    def unit(self, name: str) -> Unit:
        return Unit.objects.get(name=name)

    def worker(self, question: Question) -> User:
        username = LIAISONS.get(question.unit.name if question.unit else "")
        return User.objects.get(username=username) if username else self.office

    def ask(
        self, received: dt.date, title: str, body: str, *, agree: bool = True, name: str = ""
    ) -> Question:
        data = AskInput(
            contact="13905330000", title=title, body=body, agree_publish=agree, asker_name=name
        )
        question, _ = actions.ask(data, now=self.at(received, 9))
        self.made += 1
        return question

    def route(self, q: Question, unit: str, day: dt.date, simple: bool = False) -> Question:
        return actions.route(self.office, q, self.unit(unit), simple=simple, now=self.at(day, 11))

    def answer(self, q: Question, reply: str, day: dt.date) -> Question:
        q = actions.submit(self.worker(q), q, reply, now=self.at(day, 14))
        return actions.review(
            self.office, q, approve=True, round_seen=q.review_round, now=self.at(day, 16)
        )


def _open(load: _Loader) -> None:
    """Questions still owed, in each open state."""
    load.ask(
        load.back(0),
        "公交车站点迁移后老年卡如何使用",
        "家门口的公交站点迁移了，请问老年卡在新站点能否正常使用？",
        name="孙大爷",
    )
    load.ask(
        load.back(7),
        "小区旁工地夜间施工扰民",
        "小区东侧工地每天夜里十一点后仍在施工，噪音很大，请问应向哪个部门反映？",
    )  # left unrouted: past its deadline, the office's "逾期/告警" tab shows it
    q = load.ask(
        load.back(1), "法律援助的申请条件", "请问申请法律援助需要满足哪些条件、带哪些材料？"
    )
    load.route(q, SIFA, load.back(0), simple=True)
    q = load.ask(load.back(3), "个人所得税专项附加扣除咨询", "赡养老人专项附加扣除的标准是多少？")
    load.route(q, CAIZHENG, load.back(2))
    actions.save_draft(
        load.worker(q), q, "您好，根据现行规定，赡养老人专项附加扣除", now=load.at(load.back(1))
    )
    q = load.ask(
        load.back(4),
        "人民调解协议的效力",
        "邻里纠纷经社区调解达成协议后对方不履行怎么办？我的电话13805330001，请回电。",
    )
    load.route(q, SIFA, load.back(3))
    actions.submit(
        load.worker(q),
        q,
        "您好：经人民调解委员会调解达成的调解协议具有法律约束力，可以依法申请司法确认。",
        now=load.at(load.back(1)),
    )  # waits for review; the phone number in the question stops publication until masked
    q = load.ask(load.back(12), "重点项目申报时间", "今年区级重点建设项目的申报时间和条件是什么？")
    load.route(q, FAGAI, load.back(11))
    q = actions.submit(load.worker(q), q, "申报时间另行通知。", now=load.at(load.back(9)))
    actions.review(
        load.office,
        q,
        approve=False,
        round_seen=q.review_round,
        comment="请写明申报时间安排和咨询电话",
        now=load.at(load.back(8)),
    )  # returned and now overdue
    q = load.ask(load.back(5), "企业稳岗补贴政策", "小微企业稳岗补贴今年还有吗？如何申请？")
    load.route(q, CAIZHENG, load.back(4))
    actions.transfer(
        load.office,
        q,
        load.unit(FAGAI),
        reason="稳岗补贴由发展改革部门牵头，转发改局答复",
        now=load.at(load.back(3)),
    )
    alarm_day = load.today - dt.timedelta(days=clock.alarm_days() + 5)
    q = load.ask(
        alarm_day,
        "农村道路维修资金",
        "村里道路破损多年，维修资金由哪一级财政安排？",
    )
    load.route(q, CAIZHENG, alarm_day + dt.timedelta(days=1))  # unanswered: the alarm goes off
    clock.raise_alarms(load.at(load.today, 8))


def _replied(load: _Loader) -> None:
    """Questions answered: published on time and late, answered without publication, and
    two invalid messages."""
    q = load.ask(
        load.back(25),
        "公证费用标准",
        "办理继承公证的收费标准是多少？",
    )
    load.route(q, SIFA, load.back(24), simple=True)
    load.answer(
        q,
        "您好：继承公证按照省物价部门核定的标准收费，具体以公证机构公示为准。",
        load.back(22),
    )
    q = load.ask(load.back(40), "政府采购意向公开在哪里查看", "本区政府采购意向公开的网址是什么？")
    load.route(q, CAIZHENG, load.back(39))
    load.answer(
        q,
        "您好：本区政府采购意向在区政府门户网站“财政预决算”栏目公开。",
        load.back(30),
    )  # published late: 9 working days after receipt
    q = load.ask(
        load.back(18),
        "本人企业项目备案进度",
        "我公司上月提交的项目备案目前到哪一步了？",
        agree=False,
    )
    load.route(q, FAGAI, load.back(17))
    load.answer(q, "您好：贵公司项目备案已于本周办结，请登录平台查看。", load.back(15))
    q = load.ask(load.back(6), "优惠广告", "代开各类发票，联系微信……")
    actions.reject(load.office, q, reason=InvalidReason.SPAM, now=load.at(load.back(6), 15))
    first = Question.objects.filter(title="法律援助的申请条件").first()
    q = load.ask(load.back(1), "法律援助的申请条件", "请问申请法律援助需要满足哪些条件？")
    actions.reject(
        load.office,
        q,
        reason=InvalidReason.DUPLICATE,
        note=f"与 {first.tracking_no if first else '此前留言'} 重复",
        now=load.at(load.back(0), 15),
    )


@transaction.atomic
def load_demo(today: dt.date) -> None:
    """Load the demo questions into an empty register (nothing when there are some)."""
    if Question.objects.exists():
        return
    load = _Loader(today)
    _open(load)
    _replied(load)
