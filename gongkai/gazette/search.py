"""The gazette's own search: published issues' items whose title or 文号 contains the words, or
whose PDF text — or, for an item linking a document, the document's text while it is
published — holds them; and published issues whose full PDF holds them.

Titles and 文号 are short and are what a reader saw printed, so they are matched as substrings
(each whitespace-separated word, case-insensitive) in the database: a pass over two short
columns. The long texts go through the portal's full-text index (gongkai.search, jieba words):
the gazette's own entries (search_index, source "gazette") for its PDFs, and the document
register's entries (source "document") for the documents its items link, so a PDF's text is
never scanned at query time. The caller caps the query's length and rate-limits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.gazette import search_index
from gongkai.gazette.models import Issue, IssueState, Item
from gongkai.publishing import search_index as documents_index
from gongkai.publishing.models import DocState
from gongkai.search.query import matching_ids
from gongkai.search.segment import query_terms

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


def _ids(keys: list[str], prefix: str) -> list[int]:
    return [int(key.removeprefix(prefix)) for key in keys if key.startswith(prefix)]


def _linked_documents() -> list[str]:
    """The documents that items of published issues link and that are still published."""
    linked = Item.objects.filter(
        issue__state=IssueState.PUBLISHED, document__state=DocState.PUBLISHED
    )
    return [str(pk) for pk in linked.values_list("document_id", flat=True).distinct()]


@dataclass(frozen=True)
class Found:
    #: The whitespace-separated words (title and 文号 matching, snippets).
    words: list[str]
    #: The index's words of the query (snippets, when no whole word occurs in the text).
    terms: list[str]
    items: QuerySet[Item]
    issues: QuerySet[Issue]


def find(query: str) -> Found:
    words = words_of(query)
    text = " ".join(words)
    keys = matching_ids(text, source=search_index.SOURCE)
    documents = matching_ids(text, source=documents_index.SOURCE, among=_linked_documents())
    by_title = Q()
    for word in words:
        by_title &= Q(title__icontains=word) | Q(doc_number__icontains=word)
    by_text = Q(pk__in=_ids(keys, "item-")) | Q(
        document_id__in=[int(pk) for pk in documents], document__state=DocState.PUBLISHED
    )
    items = (
        Item.objects.filter(on_portal(), issue__state=IssueState.PUBLISHED)
        .filter((by_title if words else Q(pk__in=[])) | by_text)
        .select_related("issue", "document")
        .order_by("-issue__year", "-issue__number", "position", "pk")
    )
    issues = (
        Issue.objects.published()
        .exclude(pdf_name="")
        .filter(pk__in=_ids(keys, "issue-"))
        .order_by("-year", "-number")
    )
    return Found(words, query_terms(text), items, issues)


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


def snippet_of(text: str, found: Found) -> Snippet | None:
    """Around the first whole word of the query in the text, else around the first of the
    index's words (a word typed as 执法决定 may be indexed, and found, as 执法 + 决定)."""
    return snippet(text, found.words) or snippet(text, found.terms)


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
