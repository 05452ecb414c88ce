"""Requests, their event log, and what hangs off them."""

from __future__ import annotations

from gongkai.disclosure.models.outcomes import (
    ENDED_WITHOUT_REPLY,
    Outcome,
)
from gongkai.disclosure.models.parts import (
    Appeal,
    AppealKind,
    AppealResult,
    Attachment,
    AttachmentRole,
    Letter,
    LetterKind,
    LetterTemplate,
    ReplyReview,
    ReviewDecision,
    Transfer,
    TransferKind,
)
from gongkai.disclosure.models.request import (
    OPEN_STATES,
    ApplicantType,
    DeliveryWanted,
    EventKind,
    FeeMethod,
    FormWanted,
    Request,
    RequestChannel,
    RequestEvent,
    RequestQuerySet,
    RequestState,
    Source,
    TrackingCounter,
)

__all__ = [
    "ENDED_WITHOUT_REPLY",
    "OPEN_STATES",
    "Appeal",
    "AppealKind",
    "AppealResult",
    "ApplicantType",
    "Attachment",
    "AttachmentRole",
    "DeliveryWanted",
    "EventKind",
    "FeeMethod",
    "FormWanted",
    "Letter",
    "LetterKind",
    "LetterTemplate",
    "Outcome",
    "ReplyReview",
    "Request",
    "RequestChannel",
    "RequestEvent",
    "RequestQuerySet",
    "RequestState",
    "ReviewDecision",
    "Source",
    "TrackingCounter",
    "Transfer",
    "TransferKind",
]
