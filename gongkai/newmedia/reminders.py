"""政务新媒体 in the daily reminder digests: a digest source of gongkai.work.reminders.

A unit with reminder settings (NotifySettings) hears about each of its open accounts once per
stale episode: the first digest after the account has gone more than NEWMEDIA_STALE_DAYS days
without a post lists it and stamps stale_alerted_on. A post recent enough to end the episode
clears the stamp (Account.refresh_last_post), so if the account goes quiet again its unit hears
again; a newer post that is still too old does not. The
office sees the stale accounts of every unit in red on its list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse

from gongkai.newmedia.models import Account, stale_days
from gongkai.work.notify import DigestBlock
from gongkai.work.reminders import DigestPart, DigestSource

STALE = "newmedia_stale"


def owing(today: dt.date, limit: dt.date, unit_ids: list[int]) -> Iterable[int]:
    """The units among `unit_ids` with a stale account not yet told (one query)."""
    wanted = set(unit_ids)
    found = Account.objects.stale(today).filter(stale_alerted_on__isnull=True)
    return {u for u in found.values_list("unit_id", flat=True).distinct() if u in wanted}


def _item(account: Account, today: dt.date) -> dict[str, Any]:
    return {
        "id": account.pk,
        "name": account.name,
        "platform": account.get_platform_display(),
        "unit": account.unit.name,
        "last_post": account.last_post_on.isoformat() if account.last_post_on else "",
        "days": account.idle_days(today),
        "limit": stale_days(),
    }


def collect(unit_id: int, today: dt.date, limit: dt.date) -> DigestPart:
    """The unit's stale accounts not yet told, locked until the digest's transaction ends."""
    found = list(
        Account.objects.stale(today)
        .select_for_update(of=("self",))
        .filter(unit_id=unit_id, stale_alerted_on__isnull=True)
        .select_related("unit")
        .order_by("last_post_on", "pk")
    )
    ids = [a.pk for a in found]

    def mark() -> None:
        if ids:
            Account.objects.filter(pk__in=ids, stale_alerted_on__isnull=True).update(
                stale_alerted_on=today
            )

    items = [_item(a, today) for a in found]
    return DigestPart({STALE: items} if items else {}, mark)


def account_link(item: Mapping[str, Any]) -> str:
    """The account's staff page: absolute under GONGKAI_BASE_URL, else a path."""
    return settings.BASE_URL + reverse("newmedia:detail", args=[int(item["id"])])


def describe(item: Mapping[str, Any]) -> str:
    last = item.get("last_post") or "未登记"
    return (
        f"{item.get('name', '')}（{item.get('platform', '')}，{item.get('unit', '')}，"
        f"最近发布 {last}，已 {item.get('days', '')} 天未更新，要求 {item.get('limit', 14)} 天内）"
    )


BLOCK = DigestBlock(
    heading="政务新媒体",
    sections=(
        (STALE, "政务新媒体未更新", "超过规定天数未更新的政务新媒体账号（两周未更新即单项否决）"),
    ),
    describe=describe,
    link=account_link,
)

SOURCE = DigestSource("newmedia.stale", owing=owing, collect=collect, block=BLOCK)
