"""Statutory clocks derived from event logs, as a library with no Django import.

`request` is the reply clock of a request for government information (依申请公开), with its
events in `request_events`: feed `compute` the request's events and a `WorkdayCalendar`, get the
deadline, the days left, whether it is running or paused, the rule breaches, and one Chinese line
per event saying why the deadline is what it is.
"""

from __future__ import annotations

from gongkai.clocks.request import ClockState, ClockStatus, compute
from gongkai.clocks.request_events import (
    CHANNEL_LABELS,
    CONSULTATION_WORKDAYS,
    CORRECTION_NOTICE_WORKDAYS,
    DELIVERY_LABELS,
    MAX_EXTENSION_WORKDAYS,
    OUTCOME_CORRECTION_LAPSED,
    REPLY_WORKDAYS,
    Answered,
    Channel,
    ConsultationAnswered,
    ConsultationLapsed,
    ConsultationStarted,
    Consulted,
    CorrectionLapsed,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    Delivery,
    Extended,
    Received,
    RequestEvent,
    event_label,
    receipt_date,
)

__all__ = [
    "CHANNEL_LABELS",
    "CONSULTATION_WORKDAYS",
    "CORRECTION_NOTICE_WORKDAYS",
    "DELIVERY_LABELS",
    "MAX_EXTENSION_WORKDAYS",
    "OUTCOME_CORRECTION_LAPSED",
    "REPLY_WORKDAYS",
    "Answered",
    "Channel",
    "ClockState",
    "ClockStatus",
    "ConsultationAnswered",
    "ConsultationLapsed",
    "ConsultationStarted",
    "Consulted",
    "CorrectionLapsed",
    "CorrectionReceived",
    "CorrectionRequested",
    "Delivered",
    "Delivery",
    "Extended",
    "Received",
    "RequestEvent",
    "compute",
    "event_label",
    "receipt_date",
]
