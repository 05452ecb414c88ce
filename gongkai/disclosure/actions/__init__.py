"""Everything that changes a request: one function per act, one transaction each, audited.

Views, the API, the public form and tests call these; none of them writes the models directly.
A refused act raises `RequestRejected` with the reason in Chinese and changes nothing.

The flow (RequestState): registered (received) → the receipt day fixed (in progress) →
(awaiting correction) → (consulting) → (extended) → (awaiting fee) → the unit files its draft reply
with the office (review) → approved → answered → delivered → closed. Returned drafts go back to
the unit. A correction or fee that lapses closes the request with its Table 三 outcome.

One module per part of the flow: register, events (the clock's), charges (fees), reply,
handover (transfers) and appeals; base holds what they share.
"""

from __future__ import annotations

from gongkai.disclosure.actions.appeals import AppealInput, record_appeal, update_appeal
from gongkai.disclosure.actions.base import (
    EXTENDABLE,
    MAX_DESCRIPTION,
    MAX_FILES,
    WORKING,
    RequestRejected,
    ReviewConflict,
)
from gongkai.disclosure.actions.charges import fee_lapsed, fee_paid, issue_fee_notice
from gongkai.disclosure.actions.events import (
    correction_lapsed,
    end_consultation,
    extend,
    receive_correction,
    request_correction,
    start_consultation,
)
from gongkai.disclosure.actions.handover import return_request, transfer
from gongkai.disclosure.actions.register import (
    RequestInput,
    confirm_receipt,
    register_request,
    void_unconfirmed,
)
from gongkai.disclosure.actions.reply import (
    answer,
    answer_on_the_spot,
    approved_review,
    close,
    decide_review,
    deliver,
    submit_reply,
)

__all__ = [
    "EXTENDABLE",
    "MAX_DESCRIPTION",
    "MAX_FILES",
    "WORKING",
    "AppealInput",
    "RequestInput",
    "RequestRejected",
    "ReviewConflict",
    "answer",
    "answer_on_the_spot",
    "approved_review",
    "close",
    "confirm_receipt",
    "correction_lapsed",
    "decide_review",
    "deliver",
    "end_consultation",
    "extend",
    "fee_lapsed",
    "fee_paid",
    "issue_fee_notice",
    "receive_correction",
    "record_appeal",
    "register_request",
    "request_correction",
    "return_request",
    "start_consultation",
    "submit_reply",
    "transfer",
    "update_appeal",
    "void_unconfirmed",
]
