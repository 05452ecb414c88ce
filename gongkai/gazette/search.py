"""The gazette's own search: published issues' items whose title, 文号 or PDF text — or, for
an item linking a document, the document's text while it is published — contains the words
(each word, case-insensitive), and published issues whose full PDF contains them.

A plain icontains across the fields: a gazette holds a few thousand items, and the terms a
reader types (a 文号, words of a title) are what they saw printed, so substring matching is
what they expect. The caller caps the query's length and rate-limits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.gazette.models import Issue, IssueState, Item
from gongkai.publishing.models import DocState

#: Characters of PDF text shown on each side of the first match.
CONTEXT = 40
#: Words of one query that are searched (the rest are ignored).
MAX_WORDS = 5
#: Issues matched by their full PDF, listed on the first page.
MAX_ISSUES = 20


def on_portal(prefix: str = "") -> Q:
    """Items the portal shows: a PDF of their own, or a document still published. An item whose
    document left the portal is neither linked nor named there (as portal:document treats
    links to documents that are not public), nor found by its title."""
    return Q(**{f"{prefix}document__isnull": True}) | Q(
        **{f"{prefix}document__state": DocState.PUBLISHED}
    )


def words_of(query: str) -> list[str]:
    return list(dict.fromkeys(query.split()))[:MAX_WORDS]


def matching_items(words: list[str]) -> QuerySet[Item]:
    found = Item.objects.filter(on_portal(), issue__state=IssueState.PUBLISHED)
    for word in words:
        found = found.filter(
            Q(title__icontains=word)
            | Q(doc_number__icontains=word)
            | Q(pdf_text__icontains=word)
            | Q(document__state=DocState.PUBLISHED, document__body_text__icontains=word)
        )
    return found.select_related("issue", "document").order_by(
        "-issue__year", "-issue__number", "position", "pk"
    )


def matching_issues(words: list[str]) -> QuerySet[Issue]:
    found = Issue.objects.published().exclude(pdf_name="")
    for word in words:
        found = found.filter(pdf_text__icontains=word)
    return found.order_by("-year", "-number")


def text_of(item: Item) -> str:
    """What the item's snippet is cut from: its PDF's text, or its published document's."""
    document = item.document
    if item.pdf_text or document is None or document.state != DocState.PUBLISHED:
        return item.pdf_text
    return document.body_text


@dataclass(frozen=True)
class Snippet:
    before: str
    match: str
    after: str


def snippet(text: str, words: list[str]) -> Snippet | None:
    """The first place in `text` where one of the words occurs, with some context."""
    # Matched in the text itself: lower() can change a string's length (İ → i̇), so positions
    # found in a lowered copy would cut the wrong characters out of the original.
    found = [m for w in words if (m := re.search(re.escape(w), text, re.IGNORECASE))]
    if not found:
        return None
    at, end = min((m.start(), m.end()) for m in found)
    start = max(0, at - CONTEXT)
    before = " ".join(text[start:at].split())
    after = " ".join(text[end : end + CONTEXT].split())
    return Snippet(("…" if start else "") + before, text[at:end], after + "…")
