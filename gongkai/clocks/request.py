"""The reply clock of a request for government information (依申请公开, 条例 Arts. 30–34).

The deadline is never stored: it is derived from the request's event log by `compute`, which also
says, one Chinese line per event, what each event did to it. Rules (domain-rules §1.4, §1.7, §8.A):

- A1 (Art. 31, 207号) the receipt day R: see `receipt_date`. The log's `Received` carries R.
- A3 (Art. 33) reply within 20 working days, counted from the day after R:
  `deadline = addWD(R, 20)`.
- A5 (Art. 30) a correction notice (补正) is sent once, within `addWD(R, 7)`; the clock stops
  until the corrected application arrives on R2, then restarts: `addWD(R2, 20)`. If the applicant
  misses the period set in the notice, the request ends as 其他处理-1.
- A6 (Arts. 32–34) consulting a third party or another organ: they have 15 working days from
  receiving the letter (from sending it when that day is unknown, which ends the pause sooner, so
  never gives the organ time it may not have). The clock pauses from sending until the answer or
  the lapse, whichever is first: `paused = workdays_between(sent, end)`, i.e. the working days
  after the sending day up to and including the day the pause ends. The sending day still counts
  towards the reply period; the clock runs again from the day after the pause ends.
- A4 (Art. 33) one extension of at most 20 working days, valid only if the head of the office
  approved it and the applicant was told on or before the current deadline. An extension of more
  than 20 days counts as 20; an invalid or second one counts as none.
- So `deadline = addWD(addWD(R, 20), paused + extended)`, which is `addWD(R, 20 + paused +
  extended)`: pauses and the extension push the deadline by that many working days.
- A2 an answer on the spot (当场答复) is dated R and closes the request; the deadline was met.
- A10 (235号) the deadline is met if the reply is signed for, or handed to China Post
  (交邮之日), on or before the deadline. Another courier is not valid service.

Breaches of these rules are reported in `ClockState.problems` (in Chinese), never raised: the log
records what happened, and the register must show it. The offending event is ignored where
counting it would give the organ time the law does not (a late or second extension), and applied
otherwise (a late correction notice still stops the clock; the applicant must still answer it).

`count_receipt_day` (A3's open question; 207号's counting clause was not retrieved) counts the start
day of every period as its first day when it is a working day, so each result is one working day
earlier. The default, False, follows 民法典 Art. 201: the start day is not counted.

Every computation goes through the `WorkdayCalendar`; a date in a year it has no schedule for
raises `gongkai.workdays.CalendarUnavailable` instead of guessing, including `today` (for
`days_left`) and a deadline that reaches into an unpublished year.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from gongkai.clocks.request_events import (
    CONSULTATION_WORKDAYS,
    CORRECTION_NOTICE_WORKDAYS,
    MAX_EXTENSION_WORKDAYS,
    OUTCOME_CORRECTION_LAPSED,
    REPLY_WORKDAYS,
    Answered,
    ConsultationAnswered,
    ConsultationLapsed,
    ConsultationStarted,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    Delivery,
    Extended,
    Received,
    RequestEvent,
    event_label,
)
from gongkai.workdays import WorkdayCalendar


class ClockStatus(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # a consultation is out
    AWAITING_CORRECTION = "awaiting_correction"
    ANSWERED = "answered"  # replied, not yet validly served
    DELIVERED = "delivered"
    CLOSED = "closed"  # answered on the spot, or ended by a missed correction


@dataclass(frozen=True)
class ClockState:
    """Where a request stands on `today`.

    `deadline` is None while awaiting a correction (the clock restarts when it arrives). While
    paused it assumes the pause ends today (or at the consulted party's lapse, if sooner), so
    `days_left` holds still as the days pass. `met` is True or False once validly served (or
    answered on the spot), False as soon as the deadline has passed without that, else None.
    """

    deadline: dt.date | None
    days_left: int | None  # working days from today to the deadline; negative when late
    state: ClockStatus
    met: bool | None
    problems: list[str]
    explanation: list[str]
    received: dt.date | None = None  # R, or R2 after a correction: the current count's start
    paused_workdays: int = 0
    extended_workdays: int = 0
    consultation_due: dt.date | None = None  # when the open consultation lapses
    outcome: str | None = None  # a Table 三 row the clock itself decides (其他处理-1)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "（无）"


@dataclass
class _Clock:
    """The running computation; `compute` feeds it one event at a time."""

    cal: WorkdayCalendar
    today: dt.date
    count_receipt_day: bool
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    state: ClockStatus | None = None
    first_received: dt.date | None = None
    start: dt.date | None = None
    base_deadline: dt.date | None = None
    paused: int = 0
    extension: int = 0
    extended: bool = False
    notices: list[dt.date] = field(default_factory=list)
    correct_by: dt.date | None = None
    pause_start: dt.date | None = None
    consultation_due: dt.date | None = None
    delivered: dt.date | None = None
    on_the_spot: bool = False
    outcome: str | None = None

    def after(self, start: dt.date, n: int) -> dt.date:
        """The end of a period of n working days starting on `start` (see count_receipt_day)."""
        if self.count_receipt_day and n > 0 and self.cal.is_workday(start):
            return self.cal.add_workdays(start, n - 1)
        return self.cal.add_workdays(start, n)

    def pause_end(self, until: dt.date) -> dt.date:
        assert self.pause_start is not None and self.consultation_due is not None
        return max(self.pause_start, min(until, self.consultation_due))

    def deadline(self, pause_until: dt.date | None = None) -> dt.date | None:
        """The deadline; an open pause is taken to end on `pause_until` (capped at its lapse)."""
        if self.base_deadline is None or self.state == ClockStatus.AWAITING_CORRECTION:
            return None
        extra = self.paused + self.extension
        if self.pause_start is not None and pause_until is not None:
            extra += self.cal.workdays_between(self.pause_start, self.pause_end(pause_until))
        return self.cal.add_workdays(self.base_deadline, extra)

    def say(self, event: RequestEvent, label: str, effect: str) -> None:
        self.lines.append(f"{event.date.isoformat()} {label}：{effect}")

    def reject(self, event: RequestEvent, label: str, reason: str) -> None:
        self.problems.append(f"{event.date.isoformat()} {label}：{reason}")
        self.say(event, label, f"不予计入（{reason}）")

    def close_pause(self, end: dt.date) -> int:
        assert self.pause_start is not None
        days = self.cal.workdays_between(self.pause_start, self.pause_end(end))
        self.paused += days
        self.pause_start = self.consultation_due = None
        return days

    def feed(self, event: RequestEvent) -> None:
        label = event_label(event)
        if self.state is None and not isinstance(event, Received):
            self.reject(event, label, "在收到申请的记录之前")
            return
        if self.state in (ClockStatus.DELIVERED, ClockStatus.CLOSED):
            self.reject(event, label, "申请已办结")
            return
        if self.state == ClockStatus.ANSWERED and not isinstance(event, Delivered):
            self.reject(event, label, "已作出答复")
            return
        match event:
            case Received():
                self.received(event, label)
            case CorrectionRequested():
                self.correction_requested(event, label)
            case CorrectionReceived() | CorrectionLapsed():
                self.correction_ended(event, label)
            case ConsultationStarted():
                self.consultation_started(event, label)
            case ConsultationAnswered() | ConsultationLapsed():
                self.consultation_ended(event, label)
            case Extended():
                self.extended_by(event, label)
            case Answered():
                self.answered(event, label)
            case Delivered():
                self.served(event, label)

    def received(self, event: Received, label: str) -> None:
        if self.state is not None:
            self.reject(event, label, f"已于 {_iso(self.first_received)} 收到过该申请")
            return
        self.state = ClockStatus.RUNNING
        self.first_received = self.start = event.date
        self.base_deadline = self.after(event.date, REPLY_WORKDAYS)
        first = "收到当日" if self.count_receipt_day else "收到次日"
        self.say(
            event,
            label,
            f"答复期限为{first}起{REPLY_WORKDAYS}个工作日，即 {self.base_deadline.isoformat()}",
        )

    def correction_requested(self, event: CorrectionRequested, label: str) -> None:
        assert self.first_received is not None
        if self.notices:
            reason = f"补正只能一次性告知，已于 {self.notices[0].isoformat()} 发出补正通知"
            self.reject(event, label, reason)
            return
        if self.state != ClockStatus.RUNNING:
            self.reject(event, label, "只能在办理期间、征求意见之外发出补正通知")
            return
        limit = self.after(self.first_received, CORRECTION_NOTICE_WORKDAYS)
        if event.date > limit:
            self.problems.append(
                f"{event.date.isoformat()} {label}：晚于收到申请后"
                f"{CORRECTION_NOTICE_WORKDAYS}个工作日（应于 {limit.isoformat()} 前发出）"
            )
        if event.correct_by is not None and event.correct_by <= event.date:
            self.problems.append(f"{event.date.isoformat()} {label}：补正期限不在通知日期之后")
        self.notices.append(event.date)
        self.correct_by = event.correct_by
        self.state = ClockStatus.AWAITING_CORRECTION
        period = f"（补正期限 {event.correct_by.isoformat()}）" if event.correct_by else ""
        self.say(event, label, f"答复期限停止计算{period}，收到补正后重新起算")

    def correction_ended(self, event: CorrectionReceived | CorrectionLapsed, label: str) -> None:
        if self.state != ClockStatus.AWAITING_CORRECTION:
            self.reject(event, label, "没有待补正的通知")
            return
        late = self.correct_by is not None and event.date > self.correct_by
        if isinstance(event, CorrectionLapsed):
            if not late:
                self.problems.append(
                    f"{event.date.isoformat()} {label}：补正期限 {_iso(self.correct_by)} 尚未届满"
                )
            self.state = ClockStatus.CLOSED
            self.base_deadline = None
            self.outcome = OUTCOME_CORRECTION_LAPSED
            self.say(event, label, f"视为放弃申请，不再处理，按「{self.outcome}」办结")
            return
        if late:
            self.problems.append(
                f"{event.date.isoformat()} {label}：晚于补正期限 {_iso(self.correct_by)}"
            )
        self.state = ClockStatus.RUNNING
        self.start = event.date
        self.base_deadline = self.after(event.date, REPLY_WORKDAYS)
        self.paused = self.extension = 0
        self.say(
            event,
            label,
            f"答复期限自收到补正次日起重新计算{REPLY_WORKDAYS}个工作日，"
            f"即 {self.base_deadline.isoformat()}",
        )

    def consultation_started(self, event: ConsultationStarted, label: str) -> None:
        if self.state != ClockStatus.RUNNING:
            reason = (
                "上一次征求意见尚未结束"
                if self.state == ClockStatus.PAUSED
                else "只能在办理期间征求意见"
            )
            self.reject(event, label, reason)
            return
        got = event.letter_received
        if got is not None and got < event.date:
            self.problems.append(f"{event.date.isoformat()} {label}：对方收到日期早于发出日期")
        self.state = ClockStatus.PAUSED
        self.pause_start = event.date
        self.consultation_due = self.after(got or event.date, CONSULTATION_WORKDAYS)
        counted_from = "收到征求意见书" if got else "发出征求意见书（对方收到日期未知）"
        self.say(
            event,
            label,
            f"征求意见期间不计入答复期限，期限暂停；对方答复期限为{counted_from}次日起"
            f"{CONSULTATION_WORKDAYS}个工作日，即 {self.consultation_due.isoformat()}",
        )

    def consultation_ended(
        self, event: ConsultationAnswered | ConsultationLapsed, label: str
    ) -> None:
        if self.state != ClockStatus.PAUSED:
            self.reject(event, label, "没有进行中的征求意见")
            return
        assert self.pause_start is not None and self.consultation_due is not None
        start, due = self.pause_start, self.consultation_due
        note = ""
        if isinstance(event, ConsultationLapsed) and event.date < due:
            self.problems.append(f"{event.date.isoformat()} {label}：对方答复期限 {due} 尚未届满")
        elif isinstance(event, ConsultationAnswered) and event.date > due:
            note = f"（晚于答复期限，暂停只计至 {due.isoformat()}）"
        end = self.pause_end(event.date)
        days = self.close_pause(event.date)
        self.state = ClockStatus.RUNNING
        self.say(
            event,
            label,
            f"{start.isoformat()} 至 {end.isoformat()} 暂停 {days} 个工作日不计入{note}，"
            f"答复期限延至 {_iso(self.deadline())}",
        )

    def extended_by(self, event: Extended, label: str) -> None:
        if self.extended:
            self.reject(event, label, "答复期限只能延长一次")
            return
        if self.state not in (ClockStatus.RUNNING, ClockStatus.PAUSED):
            self.reject(event, label, "只能在办理期间延期")
            return
        current = self.deadline(pause_until=event.date)
        assert current is not None
        if not event.approver.strip():
            reason = "延期须经政府信息公开工作机构负责人同意，未记录批准人"
            self.reject(event, label, reason)
            return
        if event.workdays < 1:
            self.reject(event, label, "延期天数须为正数")
            return
        if event.date > current:
            reason = f"在答复期限 {current.isoformat()} 之后才批准，不能补救逾期"
            self.reject(event, label, reason)
            return
        if event.notified is None:
            self.reject(event, label, "未记录告知申请人的日期")
            return
        if event.notified > current:
            reason = f"在答复期限 {current.isoformat()} 之后才告知申请人"
            self.reject(event, label, reason)
            return
        if event.notified < event.date:
            self.problems.append(f"{event.date.isoformat()} {label}：告知申请人早于批准")
        days = event.workdays
        if days > MAX_EXTENSION_WORKDAYS:
            self.problems.append(
                f"{event.date.isoformat()} {label}：延期 {days} 个工作日，超过"
                f"{MAX_EXTENSION_WORKDAYS}个工作日的上限，按{MAX_EXTENSION_WORKDAYS}个工作日计"
            )
            days = MAX_EXTENSION_WORKDAYS
        self.extended = True
        self.extension = days
        paused_note = "（征求意见结束前，期限仍将顺延）" if self.pause_start else ""
        self.say(
            event,
            label,
            f"经{event.approver}批准，{event.notified.isoformat()} 告知申请人，延期 {days} 个"
            f"工作日，期限延至 {_iso(self.deadline(pause_until=event.date))}{paused_note}",
        )

    def answered(self, event: Answered, label: str) -> None:
        assert self.start is not None
        note = ""
        if self.state == ClockStatus.PAUSED:
            days = self.close_pause(event.date)
            note = f"征求意见随之结束（暂停 {days} 个工作日）；"
        elif self.state == ClockStatus.AWAITING_CORRECTION:
            self.problems.append(f"{event.date.isoformat()} {label}：在等待补正期间作出答复")
            self.base_deadline = None  # the count had stopped; no deadline applies
        deadline = self.deadline()
        if event.on_the_spot:
            if event.date != self.start:
                self.problems.append(
                    f"{event.date.isoformat()} {label}：当场答复应在收到申请当日"
                    f"（{self.start.isoformat()}）"
                )
            self.state = ClockStatus.CLOSED
            self.on_the_spot = True
            self.say(event, label, f"{note}当场答复，办结")
            return
        self.state = ClockStatus.ANSWERED
        late = " 已超过期限" if deadline and event.date > deadline else ""
        self.say(
            event, label, f"{note}答复期限 {_iso(deadline)}{late}，以签收或交邮之日判断是否按期"
        )

    def served(self, event: Delivered, label: str) -> None:
        if self.state != ClockStatus.ANSWERED:
            self.reject(event, label, "送达之前没有答复记录")
            return
        if event.method == Delivery.OTHER_COURIER:
            reason = "邮寄送达须交邮政企业，其他快递不是有效送达，请重新送达"
            self.reject(event, label, reason)
            return
        self.state = ClockStatus.DELIVERED
        self.delivered = event.date
        deadline = self.deadline()
        if deadline is None:
            self.say(event, label, "已送达")
        elif event.date <= deadline:
            self.say(event, label, f"在答复期限 {deadline.isoformat()} 内送达，按期")
        else:
            late = self.cal.workdays_between(deadline, event.date)
            self.say(
                event,
                label,
                f"超过答复期限 {deadline.isoformat()}，逾期 {late} 个工作日",
            )


def compute(
    events: list[RequestEvent],
    calendar: WorkdayCalendar,
    *,
    today: dt.date,
    count_receipt_day: bool = False,
) -> ClockState:
    """The clock of one request from its events, in the order they happened.

    Raises ValueError when the log has no `Received` event, and CalendarUnavailable when a date
    needed falls in a year the calendar has no schedule for.
    """
    if not any(isinstance(e, Received) for e in events):
        raise ValueError("a request's clock starts with a Received event")
    clock = _Clock(calendar, today, count_receipt_day)
    previous: dt.date | None = None
    for event in events:
        if previous is not None and event.date < previous:
            clock.problems.append(
                f"{event.date.isoformat()} {event_label(event)}：记录顺序有误，"
                f"早于上一条记录的日期 {previous.isoformat()}"
            )
        if event.date > today:
            clock.problems.append(f"{event.date.isoformat()} {event_label(event)}：日期晚于今天")
        previous = max(previous or event.date, event.date)
        clock.feed(event)

    state = clock.state
    assert state is not None
    deadline = clock.deadline(pause_until=today)
    met: bool | None = None
    if clock.on_the_spot:
        met = True
    elif clock.delivered is not None:
        met = None if deadline is None else clock.delivered <= deadline
    elif state != ClockStatus.CLOSED and deadline is not None and today > deadline:
        met = False
    days_left = None
    if state in (ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.ANSWERED) and deadline:
        days_left = calendar.workdays_between(today, deadline)
    return ClockState(
        deadline=deadline,
        days_left=days_left,
        state=state,
        met=met,
        problems=clock.problems,
        explanation=clock.lines,
        received=clock.start,
        paused_workdays=clock.paused,
        extended_workdays=clock.extension,
        consultation_due=clock.consultation_due,
        outcome=clock.outcome,
    )
