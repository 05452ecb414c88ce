"""Everything that changes a consultation: one function per act, one transaction each, audited.

Views, the demo and tests call these; none of them writes the models directly. A refused act
raises `ConsultRejected` with the reason in Chinese and changes nothing; an act the user may not
do raises PermissionDenied (403).

The flow (ConsultState): a unit liaison or the office drafts (draft) → the office publishes it,
the window at least 30 days unless a reason is recorded (open) → comments arrive while
opens_on ≤ today ≤ closes_on and are moderated; each approved one gets its outcome → the window
ends (ended) → the office publishes the feedback report (concluded) → and closes (closed).

drafts: the draft, attachments, publishing, the window; comments: the public's comments,
moderation, outcomes; feedback: the report and closing; base: what they share.
"""

from __future__ import annotations

from gongkai.consult.actions.base import (
    MAX_COMMENT,
    MAX_CONTACT,
    MAX_NAME,
    ConsultRejected,
)
from gongkai.consult.actions.comments import (
    CommentInput,
    moderate_comment,
    record_comment,
    set_outcome,
    submit_comment,
)
from gongkai.consult.actions.drafts import (
    AREA,
    DraftInput,
    add_attachment,
    create_draft,
    edit_draft,
    end_due_windows,
    extend_window,
    link_decision,
    privacy_findings,
    publish,
    publish_problems,
    remove_attachment,
    window_problem,
)
from gongkai.consult.actions.feedback import (
    close,
    close_problems,
    publish_report,
    report_of,
    report_problems,
    save_report,
)

__all__ = [
    "AREA",
    "MAX_COMMENT",
    "MAX_CONTACT",
    "MAX_NAME",
    "CommentInput",
    "ConsultRejected",
    "DraftInput",
    "add_attachment",
    "close",
    "close_problems",
    "create_draft",
    "edit_draft",
    "end_due_windows",
    "extend_window",
    "link_decision",
    "moderate_comment",
    "privacy_findings",
    "publish",
    "publish_problems",
    "publish_report",
    "record_comment",
    "remove_attachment",
    "report_of",
    "report_problems",
    "save_report",
    "set_outcome",
    "submit_comment",
    "window_problem",
]
