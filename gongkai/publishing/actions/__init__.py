"""Every change to the document register, one function per act (atomic, audited).

Views, the portal's staff pages, the demo and the tests call these; none of them writes the
models directly. A refused act raises `PublishRejected` with the reason in Chinese and changes
nothing; acting without the right raises PermissionDenied.

The flow (DocState): draft → 审核中 (one round per submission: 初审, 复审, 终审 as the kind's
ReviewPolicy says) → 待发布 → 已发布 → (已撤回). A return sends the document back to the
drafter (已退回), who edits and submits again. Publication waits on the privacy gate.

One module per part: drafting (metadata, body, attachments), reviewing (三审), privacy (the
gate's decisions), publication (publish, withdraw), validity (有效性 and the yearly cleanup);
base holds what they share.
"""

from __future__ import annotations

from gongkai.publishing.actions.base import EDITABLE_FIELDS, PublishRejected, ReviewConflict
from gongkai.publishing.actions.drafting import (
    MAX_ATTACHMENTS,
    add_attachment,
    check_ready,
    create_document,
    remove_attachment,
    update_document,
)
from gongkai.publishing.actions.privacy import gate, override_privacy, redact
from gongkai.publishing.actions.publication import publish, withdraw
from gongkai.publishing.actions.reviewing import next_stage, review, stages_for, submit
from gongkai.publishing.actions.validity import (
    change_validity,
    create_cleanup,
    publish_cleanup,
    set_cleanup_item,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_ATTACHMENTS",
    "PublishRejected",
    "ReviewConflict",
    "add_attachment",
    "change_validity",
    "check_ready",
    "create_cleanup",
    "create_document",
    "gate",
    "next_stage",
    "override_privacy",
    "publish",
    "publish_cleanup",
    "redact",
    "remove_attachment",
    "review",
    "set_cleanup_item",
    "stages_for",
    "submit",
    "update_document",
    "withdraw",
]
