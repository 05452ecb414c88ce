"""Reading each account's page or feed for its last post, at most once a day.

Beat runs fetch_due() every hour (the Celery task "gongkai.newmedia.fetch_due"). A worker
claims one due account with a conditional UPDATE that moves next_fetch_at a day ahead, so two
workers never read the same account and an account is read at most once a day; only then does
it fetch, outside any transaction, through gongkai.net.fetch (timeouts, size cap, SSRF guard).

The newest date on the page is found by the inspection's own reader
(gongkai.inspect.checks.network.newest_date: RSS/Atom dates first, else dates in the text,
never one after today). The result is recorded on the account — the date, or why none was
read — and a later hand-entered date still wins (Account.refresh_last_post). A change of the
fetched date or of the problem is one audit event by the system.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.record import record_change, snapshot
from gongkai.inspect.checks.network import newest_date
from gongkai.net import FetchError, FetchRefused, fetch
from gongkai.newmedia.models import Account

FETCH_EVERY = dt.timedelta(days=1)
#: A read asked for by hand waits this long after the last read.
MANUAL_GAP = dt.timedelta(minutes=10)
BATCH = 50


def read_newest(url: str, today: dt.date) -> tuple[dt.date | None, str]:
    """The newest post date on the page at `url`, or None and the reason in Chinese."""
    try:
        result = fetch(url)
    except FetchRefused as exc:
        return None, f"地址不允许访问：{exc}"[:300]
    except (FetchError, ValueError) as exc:  # ValueError: a URL the parser cannot take apart
        return None, (str(exc) or "无法访问")[:300]
    if result.status >= 400:
        return None, f"网页返回 HTTP {result.status}"
    newest = newest_date(result.text, today)
    if newest is None:
        return None, "页面上找不到发布日期"
    return newest, ""


def fetch_account(pk: int) -> Account | None:
    """Read one account now and record the outcome; None if it is gone, closed or has no URL.
    Never raises for a bad or unreachable page: that is an outcome like any other."""
    account = Account.objects.open().filter(pk=pk).exclude(url="").first()
    if account is None:
        return None
    today = timezone.localdate()
    newest, problem = read_newest(account.url, today)  # the network, outside any transaction
    now = timezone.now()
    with transaction.atomic():
        current = Account.objects.select_for_update().filter(pk=pk).first()
        if current is None or current.url != account.url:
            return current  # deleted, or given another address meanwhile: that one is read next
        before = snapshot(current)
        if newest is not None:
            current.fetched_post_on = newest
        current.fetch_error = problem
        current.refresh_last_post()
        current.fetched_at = now
        current.next_fetch_at = max(current.next_fetch_at or now, now + FETCH_EVERY)
        current.save()
        after = snapshot(current)
        for quiet in ("fetched_at", "next_fetch_at", "updated_at"):
            before[quiet] = after[quiet]  # every fetch moves these: not worth a line each day
        record_change(None, current, before)
    return current


def _claim(pk: int, due_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Take one due account for this worker: only one conditional UPDATE can succeed."""
    return bool(
        Account.objects.filter(pk=pk, next_fetch_at=due_at).update(next_fetch_at=now + FETCH_EVERY)
    )


def claim_now(pk: int, now: dt.datetime | None = None) -> bool:
    """Take the account for a read its unit asked for now («立即读取»), in one conditional
    UPDATE: refused while the last read is less than MANUAL_GAP old, or while the scheduled
    read has just claimed it (its claim moved next_fetch_at a day ahead), so a button pressed
    again and again cannot make the server fetch an address again and again. The claim moves
    the schedule a day ahead too, so the hourly run does not read it a second time."""
    now = now or timezone.now()
    return bool(
        Account.objects.filter(pk=pk)
        .filter(Q(fetched_at__isnull=True) | Q(fetched_at__lte=now - MANUAL_GAP))
        .filter(
            Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now + FETCH_EVERY - MANUAL_GAP)
        )
        .update(fetched_at=now, next_fetch_at=now + FETCH_EVERY)
    )


def fetch_due() -> int:
    """Read every account whose daily fetch has come; returns how many this call read."""
    done = 0
    while True:
        now = timezone.now()
        batch = list(
            Account.objects.fetch_due(now)
            .order_by("next_fetch_at", "pk")
            .values_list("pk", "next_fetch_at")[:BATCH]
        )
        if not batch:
            return done
        claimed = [pk for pk, due_at in batch if _claim(pk, due_at, now)]
        if not claimed:  # all taken by other workers meanwhile; they are no longer due
            return done
        for pk in claimed:
            fetch_account(pk)
        done += len(claimed)
