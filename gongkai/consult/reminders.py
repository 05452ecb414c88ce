"""意见征集 in the units' daily reminder digests: a digest source of gongkai.work.reminders.

When a consultation's window is over and its feedback report is not yet published, its unit
hears about it once (`ended_reminded_on`): the comments now need their outcomes and the report
its summary, before the office can publish it and close the consultation. Collecting the item
also moves the row from "open" to "ended", audited as the system's doing. One query per digest
run finds the units concerned.

The digest leaves the system by e-mail and chat robots, so an item carries the title, the
deadline and the counts only, never a comment or a commenter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from gongkai.consult.actions.base import end_window_if_due
from gongkai.consult.models import Consultation, ConsultationQuerySet, Moderation
from gongkai.work.notify import DigestBlock
from gongkai.work.reminders import DigestPart, DigestSource

ENDED = "consultations_ended"


def _owing(today: dt.date) -> ConsultationQuerySet:
    return Consultation.objects.window_over(today).filter(ended_reminded_on__isnull=True)


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    return list(
        _owing(today)
        .filter(unit_id__in=unit_ids)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's consultations owing the reminder, locked until the digest's transaction ends."""
    found = list(
        _owing(today).select_for_update().filter(unit_id=unit_id).order_by("closes_on", "pk")
    )
    for c in found:
        end_window_if_due(c, today)  # the stored state catches up with the calendar
    counts = dict(
        Consultation.objects.filter(pk__in=[c.pk for c in found])
        .annotate(n=Count("comments", filter=Q(comments__moderation=Moderation.APPROVED)))
        .values_list("pk", "n")
    )
    items = [
        {
            "id": c.pk,
            "title": c.title,
            "closed": c.closes_on.isoformat() if c.closes_on else "",
            "comments": counts.get(c.pk, 0),
        }
        for c in found
    ]

    def mark() -> None:
        if ids := [c.pk for c in found]:
            Consultation.objects.filter(pk__in=ids, ended_reminded_on__isnull=True).update(
                ended_reminded_on=today
            )

    return DigestPart({ENDED: items} if items else {}, mark)


def link(item: Mapping[str, Any]) -> str:
    return settings.BASE_URL + reverse("consult:detail", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    return (
        f"{item.get('title', '')}：征求意见已于 {item.get('closed', '')} 截止，"
        f"公开意见 {item.get('comments', 0)} 条，请填写采纳情况并起草意见反馈报告"
    )


BLOCK = DigestBlock(
    heading="意见征集",
    sections=((ENDED, "意见征集待反馈", "征求意见已截止，待发布反馈报告"),),
    describe=describe,
    link=link,
)

SOURCE = DigestSource("consult.ended", owing=owing, collect=collect, block=BLOCK)
