"""Demo requests for government information (依申请公开), made through the register's actions.

Dates count back from today in working days, so the register looks alive whenever the demo
is loaded: a letter waiting for confirmation, requests in progress, awaiting correction,
consulting a third party, extended, under review, one overdue; and, further back (the year
before), requests answered, delivered and closed with several outcomes, one lapsed correction,
one answered on the spot and one that went to 行政复议. Every act is dated today or earlier,
as the actions require. Loaded once: nothing happens when the register has requests already.
The applicants are invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.clocks import Consulted, Delivery
from gongkai.disclosure import actions
from gongkai.disclosure.actions import AppealInput, RequestInput
from gongkai.disclosure.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Outcome,
    Request,
    RequestChannel,
)
from gongkai.holidays.calendar import office_calendar
from gongkai.units.models import Unit
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

SIFA = "张店区司法局"
CAIZHENG = "张店区财政局"
FAGAI = "张店区发展和改革局"
#: Who works each unit's requests (the office for units without a demo liaison).
LIAISONS = {SIFA: "sifa", CAIZHENG: "caizheng"}
PERSON, COMPANY = ApplicantType.PERSON, ApplicantType.COMPANY


class _Days:
    """Working days before today, by the office calendar (weekdays where it has no year)."""

    def __init__(self, today: dt.date, calendar: WorkdayCalendar) -> None:
        self.today, self.calendar = today, calendar

    def _workday(self, day: dt.date) -> bool:
        try:
            return self.calendar.is_workday(day)
        except CalendarUnavailable:
            return day.weekday() < 5

    def back(self, n: int) -> dt.date:
        day, left = self.today, n
        while left > 0 or not self._workday(day):
            day -= dt.timedelta(days=1)
            if self._workday(day):
                left -= 1
        return day


class _Loader:
    def __init__(self) -> None:
        self.office = User.objects.get(username="office")
        self.days = _Days(timezone.localdate(), office_calendar())
        self.made: list[Request] = []

    def worker(self, request: Request) -> User:
        username = LIAISONS.get(request.unit.name)
        return User.objects.get(username=username) if username else self.office

    def register(
        self,
        unit: str,
        who: tuple[ApplicantType, str, str, str],
        description: str,
        arrived: int,
        channel: RequestChannel = RequestChannel.IN_PERSON,
    ) -> Request:
        kind, name, id_number, phone = who
        data = RequestInput(
            applicant_type=kind,
            applicant_name=name,
            id_number=id_number,
            contact_phone=phone,
            address="山东省淄博市张店区（演示地址）",
            description=description,
            channel=channel,
            arrived_on=self.days.back(arrived),
            unit=Unit.objects.get(name=unit),
        )
        request, _ = actions.register_request(self.office, data)
        self.made.append(request)
        return request

    def reply(
        self,
        request: Request,
        outcome: Outcome,
        *,
        answered: int,
        delivered: int | None = None,
        close: bool = False,
        reasons: str = "",
    ) -> Request:
        """The unit's draft, the office's approval, the reply; then delivery and filing."""
        worker = self.worker(request)
        review = actions.submit_reply(
            worker,
            request,
            outcome=outcome.value,
            draft=f"经审查，对您申请的信息作如下答复：{outcome.label}。",
            reasons=reasons,
            separated=outcome == Outcome.PARTIAL,
        )
        actions.decide_review(self.office, review, approve=True)
        request = actions.answer(worker, request, self.days.back(answered))
        if delivered is not None:
            day = self.days.back(delivered)
            request = actions.deliver(worker, request, day, Delivery.CHINA_POST)
            if close:
                request = actions.close(worker, request, "已送达，归档")
        return request


# The applicants, all invented: (type, name, ID number or credit code, phone).
WANG = (PERSON, "王建国", "370303198001010011", "13805330001")
LIU = (PERSON, "刘芳", "", "13905330002")
CHEN = (PERSON, "陈志远", "370303199203150033", "13705330003")
ZHAO = (PERSON, "赵红梅", "370303197512120044", "15805330004")
FIRM = (COMPANY, "淄博示例建材有限公司", "91370303MA3DEMO001", "05332000001")
LAW = (ApplicantType.LEGAL, "山东示例律师事务所", "31370000DEMO00002X", "05332000002")
ASSOC = (ApplicantType.NONPROFIT, "张店区示例环保志愿者协会", "", "05332000003")

RENOVATION = "2025年本区老旧小区改造项目的资金分配方案及竣工验收报告"


def _current(load: _Loader) -> None:
    """This year's requests, still open or just answered."""
    load.register(SIFA, LIU, "本区人民调解委员会名单及联系方式", 1, RequestChannel.LETTER)
    # Asks again for what the same person was granted last year: the duplicate help finds it.
    load.register(FAGAI, WANG, RENOVATION.replace("的资金", "资金"), 3)
    r = load.register(CAIZHENG, ASSOC, "本区2026年环境保护专项资金预算安排", 6)
    actions.request_correction(
        load.worker(r), r, load.days.back(4), correct_by=load.days.today + dt.timedelta(days=10)
    )
    r = load.register(FAGAI, FIRM, "某物流园区项目的立项批复及环评审批文件", 9)
    actions.start_consultation(
        load.office,
        r,
        load.days.back(2),
        party=Consulted.THIRD_PARTY,
        name="淄博示例物流有限公司",
    )
    r = load.register(SIFA, LAW, "2025年度本区行政执法案卷评查结果", 18)
    actions.extend(
        load.office,
        r,
        load.days.back(1),
        approver="公开办主任 王敏",
        notified=load.days.back(1),
        workdays=15,
        note="涉及多个执法部门，需汇总核实",
    )
    r = load.register(CAIZHENG, CHEN, "2026年上半年区级一般公共预算执行情况", 14)
    actions.submit_reply(
        load.worker(r),
        r,
        outcome=Outcome.GRANTED.value,
        draft="您申请的信息已在区政府门户网站财政预决算栏目公开，现提供电子文本。",
    )
    load.register(SIFA, ZHAO, "本区2025年法律援助案件办理数量及经费使用情况", 26)  # overdue
    r = load.register(CAIZHENG, FIRM, "2026年政府采购意向公开目录", 30)
    load.reply(r, Outcome.GRANTED, answered=12)
    r = load.register(SIFA, CHEN, "本区公共法律服务中心的设立文件", 35)
    load.reply(r, Outcome.GRANTED, answered=20, delivered=18)


def _last_year(load: _Loader) -> None:
    """Requests of about a year ago, closed with several outcomes; one went to 行政复议."""
    r = load.register(FAGAI, WANG, RENOVATION, 350)
    load.reply(r, Outcome.GRANTED, answered=336, delivered=334, close=True)
    r = load.register(CAIZHENG, LAW, "某街道2024年度三公经费决算明细及原始凭证", 330)
    load.reply(
        r,
        Outcome.PARTIAL,
        answered=316,
        delivered=314,
        close=True,
        reasons="原始凭证含个人信息，作区分处理后公开其余部分（第三十七条）",
    )
    r = load.register(SIFA, ZHAO, "本人与邻居纠纷的调解经过", 310)
    load.reply(
        r,
        Outcome.PETITION,
        answered=300,
        delivered=299,
        close=True,
        reasons="申请内容属于信访诉求，已告知通过信访渠道反映",
    )
    r = load.register(FAGAI, ASSOC, "本区2015年以前的工业企业排污许可原始档案", 290)
    load.reply(r, Outcome.NOT_HELD, answered=266, delivered=265, close=True, reasons="本机关不掌握")
    r = load.register(SIFA, FIRM, "某企业行政处罚决定书所依据的举报人信息", 270)
    appealed = load.reply(
        r,
        Outcome.THIRD_PARTY,
        answered=250,
        delivered=248,
        close=True,
        reasons="涉及第三方个人信息，公开会损害其合法权益",
    )
    r = load.register(CAIZHENG, CHEN, "2025年区级预算公开说明", 260)
    load.reply(r, Outcome.REPEAT, answered=252, delivered=251, close=True, reasons="重复申请")
    r = load.register(SIFA, LIU, "社区矫正工作相关统计数据", 240)
    actions.request_correction(
        load.worker(r), r, load.days.back(238), correct_by=load.days.back(228)
    )
    actions.correction_lapsed(load.worker(r), r, load.days.back(225))
    r = load.register(CAIZHENG, WANG, "本区政府采购监督投诉电话", 230)
    actions.answer_on_the_spot(load.worker(r), r, outcome=Outcome.GRANTED.value)
    actions.record_appeal(
        load.office,
        AppealInput(
            kind=AppealKind.RECONSIDERATION,
            filed_on=load.days.back(220),
            unit=appealed.unit,
            request=appealed,
            body="淄博市人民政府",
            case_no="淄政复〔演示〕1号",
            result=AppealResult.UPHELD,
            decided_on=load.days.back(170),
        ),
    )


@transaction.atomic
def load_demo_requests() -> dict[str, Any]:
    """Load the demo requests into an empty register; how many were made (0: there were some)."""
    if Request.objects.exists():
        return {"requests": 0}
    load = _Loader()
    _last_year(load)
    _current(load)
    return {"requests": len(load.made)}
