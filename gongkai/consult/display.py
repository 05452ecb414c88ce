"""What the public (and the feedback report) shows of comments: never the contact, and the
name and text with personal numbers masked (gongkai.privacy.mask_text) every time they are
shown, so a comment approved before the detector learnt a pattern is masked by today's rules.

The feedback report is made from the comments themselves: the approved ones grouped 采纳 /
部分采纳 / 未采纳, each with its reason, and the counts; the office's summary comes with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from gongkai.consult.models import Comment, Consultation, Moderation, Outcome
from gongkai.privacy import mask_text

#: How a comment without a name is signed.
ANONYMOUS = "网友"


@dataclass(frozen=True)
class ShownComment:
    number: int  # its place among the consultation's approved comments, from 1
    name: str
    body: str
    submitted_on: dt.date
    topic: str = ""
    outcome: str = ""
    outcome_label: str = ""
    reason: str = ""


def shown(comment: Comment, number: int) -> ShownComment:
    outcome = comment.outcome
    return ShownComment(
        number=number,
        name=mask_text(comment.name) or ANONYMOUS,
        body=mask_text(comment.body),
        submitted_on=comment.received_on or timezone.localdate(comment.submitted_at),
        topic=mask_text(comment.topic),
        outcome=outcome,
        outcome_label=Outcome(outcome).label if outcome in Outcome.values else "",
        reason=mask_text(comment.outcome_reason),
    )


def approved_comments(consultation: Consultation) -> list[ShownComment]:
    """The approved comments in the order they came, numbered, masked."""
    rows = consultation.comments.approved().order_by("submitted_at", "pk")
    return [shown(c, n) for n, c in enumerate(rows, start=1)]


@dataclass
class Group:
    outcome: Outcome
    comments: list[ShownComment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.outcome.label)


@dataclass
class Feedback:
    groups: list[Group]
    received: int  # every comment, whatever its moderation
    approved: int
    rejected: int
    pending: int
    unassessed: list[ShownComment]  # approved, outcome not yet given (the preview shows them)


def feedback(
    consultation: Consultation, comments: Iterable[ShownComment] | None = None
) -> Feedback:
    """The report's content from the comments as they stand."""
    rows = list(comments) if comments is not None else approved_comments(consultation)
    groups = {o: Group(o) for o in Outcome}
    unassessed = []
    for row in rows:
        if row.outcome in Outcome.values:
            groups[Outcome(row.outcome)].comments.append(row)
        else:
            unassessed.append(row)
    counts = dict(
        consultation.comments.values_list("moderation").annotate(n=Count("pk")).order_by()
    )
    return Feedback(
        groups=[groups[o] for o in Outcome],
        received=sum(counts.values()),
        approved=counts.get(Moderation.APPROVED, 0),
        rejected=counts.get(Moderation.REJECTED, 0),
        pending=counts.get(Moderation.PENDING, 0),
        unassessed=unassessed,
    )
