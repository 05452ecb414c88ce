"""The events of a request's reply clock, and the receipt-day rule (A1) that fixes its start.

Each event is a frozen record of one thing that happened, dated; a request's log is a list of
them in the order they happened, read by `gongkai.clocks.request.compute`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

REPLY_WORKDAYS = 20
CORRECTION_NOTICE_WORKDAYS = 7
CONSULTATION_WORKDAYS = 15
MAX_EXTENSION_WORKDAYS = 20
#: Table 三 row （六）其他处理 1: the applicant did not correct in time (Art. 30).
OUTCOME_CORRECTION_LAPSED = "其他处理-1"


class Channel(enum.StrEnum):
    IN_PERSON = "in_person"
    POST_SIGNED = "post_signed"  # registered post, signed for by the organ
    LETTER = "letter"  # an ordinary letter that needs no signature
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"  # the organ's published disclosure-request mailbox
    OTHER = "other"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.POST_SIGNED: "邮寄签收",
    Channel.LETTER: "平信",
    Channel.ONLINE: "在线",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
    Channel.OTHER: "其他渠道",
}


class Consulted(enum.StrEnum):
    THIRD_PARTY = "third_party"  # Art. 32
    ORGAN = "organ"  # Arts. 33–34: another organ; silence counts as consent


class Delivery(enum.StrEnum):
    SIGNED = "signed"  # served directly or through another organ: the applicant signed
    CHINA_POST = "china_post"  # handed to 邮政企业: the hand-over day counts
    OTHER_COURIER = "other_courier"  # not valid service under 235号


DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.SIGNED: "申请人签收",
    Delivery.CHINA_POST: "交邮政企业寄出",
    Delivery.OTHER_COURIER: "交其他快递寄出",
}


@dataclass(frozen=True)
class Received:
    date: dt.date  # R, fixed by the caller under A1 (see receipt_date)
    channel: Channel


@dataclass(frozen=True)
class CorrectionRequested:
    date: dt.date  # the notice was sent
    correct_by: dt.date | None = None  # the period the notice set; there is no national length


@dataclass(frozen=True)
class CorrectionReceived:
    date: dt.date  # R2


@dataclass(frozen=True)
class CorrectionLapsed:
    date: dt.date


@dataclass(frozen=True)
class ConsultationStarted:
    date: dt.date  # the letter was sent
    party: Consulted = Consulted.THIRD_PARTY
    letter_received: dt.date | None = None  # when the consulted party got the letter, if known
    name: str = ""


@dataclass(frozen=True)
class ConsultationAnswered:
    date: dt.date


@dataclass(frozen=True)
class ConsultationLapsed:
    date: dt.date


@dataclass(frozen=True)
class Extended:
    date: dt.date  # approved
    approver: str  # the head of the disclosure office
    notified: dt.date | None  # the applicant was told
    workdays: int = MAX_EXTENSION_WORKDAYS


@dataclass(frozen=True)
class Answered:
    date: dt.date
    on_the_spot: bool = False


@dataclass(frozen=True)
class Delivered:
    date: dt.date  # signed for, or handed to the post
    method: Delivery


RequestEvent = (
    Received
    | CorrectionRequested
    | CorrectionReceived
    | CorrectionLapsed
    | ConsultationStarted
    | ConsultationAnswered
    | ConsultationLapsed
    | Extended
    | Answered
    | Delivered
)


def receipt_date(
    channel: Channel,
    arrived: dt.date,
    confirmed: dt.date | None = None,
    contact_restored: dt.date | None = None,
) -> dt.date | None:
    """The receipt day R under A1 (Art. 31, 207号), or None while it is not yet fixed.

    In person, registered post (the signing day) and the published mailbox (the day the mail
    system got it): the day it arrived. An ordinary letter: the day the office confirmed it with
    the applicant, by phone on the day it arrived. Online, fax and other channels: the day both
    sides confirmed. When the applicant could not be reached, the day contact was restored.
    """
    if channel in (Channel.IN_PERSON, Channel.POST_SIGNED, Channel.EMAIL):
        return arrived
    for day in (confirmed, contact_restored):
        if day is not None:
            if day < arrived:
                raise ValueError("a request cannot be confirmed before it arrived")
            return day
    return None


def event_label(event: RequestEvent) -> str:
    """The event as a short Chinese phrase, for explanation lines and problems."""
    match event:
        case Received():
            return f"收到申请（{CHANNEL_LABELS[event.channel]}）"
        case CorrectionRequested():
            return "发出补正通知"
        case CorrectionReceived():
            return "收到补正"
        case CorrectionLapsed():
            return "补正期限届满未补正"
        case ConsultationStarted():
            who = "第三方" if event.party == Consulted.THIRD_PARTY else "其他机关"
            return f"征求{who}意见" + (f"（{event.name}）" if event.name else "")
        case ConsultationAnswered():
            return "收到征求意见的答复"
        case ConsultationLapsed():
            return "征求意见逾期未答复"
        case Extended():
            return "延期答复"
        case Answered():
            return "当场答复" if event.on_the_spot else "作出答复"
        case Delivered():
            return DELIVERY_LABELS[event.method]
