"""Checking evidence links: is the published page still there, and is it still that page?

Each check fetches the URL through gongkai.net and records the HTTP status, final URL, page
title, a content hash and the time; the link is then
- ok: the final response is 2xx or 3xx, and the title matches the first good fetch's;
- dead: 4xx/5xx, or no response at all (DNS, connection, timeout, too many redirects);
- refused: an address Gongkai will not request (not http(s); private or local network);
- changed: it answers, but under another title than it had the first time.

Why titles, not the content hash, decide "changed": government pages carry visit counters,
today's date, "related articles" and rotating notices, so their bytes — and even their
visible text — change between two fetches of the same notice. The title names the document
(关于印发…的通知) and changes when the page is replaced, moved to a "页面不存在" placeholder
or reused for something else. The hash is still kept (of the visible text, scripts and
styles removed, so nonces and tracking code do not move it) for the office to see that a
page was edited.

Links are checked when a report is submitted and again every week while their checkpoint
stands (`recheck_due_links`, run by beat). Only a change of state is written to the audit
trail, as a system event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

import lxml.html  # type: ignore[import-untyped]  # lxml ships no type hints
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.audit.record import record_transition
from gongkai.net import FetchError, FetchRefused, FetchResult, fetch
from gongkai.net.decode import collapse
from gongkai.work.models import Evidence, EvidenceKind, LinkState

CHECK_EVERY = dt.timedelta(days=7)
#: A claimed link is not due again for this long, so two workers do not check it twice.
LEASE = dt.timedelta(hours=1)
BATCH = 50
_INVISIBLE = ("script", "style", "noscript", "template")


def visible_text(result: FetchResult) -> str:
    """The text a reader sees on an HTML page, whitespace collapsed."""
    try:
        root = lxml.html.document_fromstring(
            result.text.encode(), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except Exception:  # lxml: ParserError "Document is empty" and the like
        return collapse(result.text)
    for element in list(root.iter(*_INVISIBLE)):
        element.drop_tree()
    return collapse(str(root.text_content()))


def content_hash(result: FetchResult) -> str:
    """sha256 of the visible text of an HTML page, or of the body of anything else."""
    data = visible_text(result).encode() if result.is_html else result.body
    return hashlib.sha256(data).hexdigest()


def same_title(a: str, b: str) -> bool:
    """Titles compared as a reader would: width (ＡＢＣ/ABC), case and spacing ignored."""

    def norm(s: str) -> str:
        return collapse(unicodedata.normalize("NFKC", s)).casefold()

    return norm(a) == norm(b)


def _outcome(evidence: Evidence, url: str) -> dict[str, object]:
    """The fields a fetch of `url` sets; the evidence supplies the first good fetch."""
    try:
        result = fetch(url)
    except FetchRefused as exc:
        return {"link_state": LinkState.REFUSED, "check_error": str(exc)}
    except (FetchError, ValueError) as exc:  # ValueError: a URL the parser cannot take apart
        return {"link_state": LinkState.DEAD, "check_error": str(exc) or "无法访问"}
    fields: dict[str, object] = {
        "http_status": result.status,
        "final_url": result.url[:2000],
        "title": result.title[:500],
        "content_hash": content_hash(result),
    }
    if result.status >= 400:
        fields.update(link_state=LinkState.DEAD, check_error=f"网页返回 HTTP {result.status}")
    elif not evidence.first_hash:
        fields.update(
            link_state=LinkState.OK, first_title=fields["title"], first_hash=fields["content_hash"]
        )
    elif not same_title(result.title, evidence.first_title):
        fields.update(link_state=LinkState.CHANGED)
    else:
        fields.update(link_state=LinkState.OK)
    return fields


def check_link(pk: int) -> Evidence | None:
    """Check one URL evidence now and record the outcome; None if it is gone or not a URL.
    Never raises for a bad or unreachable URL: that is an outcome like any other."""
    evidence = Evidence.objects.filter(pk=pk, kind=EvidenceKind.URL).first()
    if evidence is None:
        return None
    fields = _outcome(evidence, evidence.url)  # the network, outside any transaction
    now = timezone.now()
    with transaction.atomic():
        current = (
            Evidence.objects.select_for_update()
            .select_related("report__checkpoint")
            .filter(pk=pk)
            .first()
        )
        if current is None:
            return None
        old_state = current.link_state
        # Fields of the previous fetch that this one did not produce are cleared.
        current.http_status, current.final_url = None, ""
        current.title, current.content_hash, current.check_error = "", "", ""
        for name, value in fields.items():
            setattr(current, name, value)
        current.fetched_at = now
        current.next_check_at = now + CHECK_EVERY
        current.save()
        if current.link_state != old_state:
            new = LinkState(current.link_state)
            record_transition(
                None,
                current,
                "link_state",
                old_state,
                current.link_state,
                comment=f"链接检查：{new.label}"
                + (f"（{current.check_error}）" if current.check_error else ""),
            )
    return current


def check_links(ids: list[int]) -> None:
    """Check these URL evidence rows now (the task queued when a report is submitted)."""
    for pk in ids:
        check_link(pk)


def due_links(now: dt.datetime) -> QuerySet[Evidence]:
    """Links whose weekly check has come, on checkpoints that still stand; also links that
    were never checked an hour after they were added (their queued check was lost)."""
    return Evidence.objects.filter(
        kind=EvidenceKind.URL, report__checkpoint__cancelled=False
    ).filter(Q(next_check_at__lte=now) | Q(next_check_at__isnull=True, created_at__lte=now - LEASE))


def _claim(pk: int, due_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Take one due link for this worker: only one conditional UPDATE can succeed."""
    return bool(
        Evidence.objects.filter(pk=pk, next_check_at=due_at).update(next_check_at=now + LEASE)
    )


def recheck_due_links() -> int:
    """Check every due link, a batch at a time; returns how many this call checked."""
    checked = 0
    while True:
        now = timezone.now()
        batch = list(
            due_links(now)
            .order_by("next_check_at", "pk")
            .values_list("pk", "next_check_at")[:BATCH]
        )
        if not batch:
            return checked
        claimed = [pk for pk, due_at in batch if _claim(pk, due_at, now)]
        if not claimed:  # all taken by other workers meanwhile; they are no longer due
            return checked
        for pk in claimed:
            check_link(pk)
        checked += len(claimed)
