"""Published gazette PDFs in the portal's search index (gongkai.search), source "gazette".

What is indexed, while its issue is published:
- each item with a PDF of its own, object id "item-<pk>": its title; its 文号 and the PDF's text
  as the body; the PDF's portal address (gb:item_file);
- the full PDF of the issue, object id "issue-<pk>": the issue's label, the PDF's text, the
  issue's portal page (gb:issue).
Both carry the issue's 出版日期 and year. An item linking a document of the register is not
indexed here: the document is, by the document register (source "document"), and indexing it
twice would list it twice on /portal/search/.

An issue's entries are written when it is published and all removed when it is withdrawn; a
published issue cannot be edited (actions._require_draft), so its entries change only then.
`rebuild()` (registered with gongkai.search.sources) makes the index match the tables again.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.gazette.models import Issue, Item
from gongkai.search.actions import index_many, store
from gongkai.search.entries import EntryData
from gongkai.search.models import SearchEntry

SOURCE = "gazette"
LABEL = "政府公报"
#: doc_kind of the two kinds of entry (this register's own names; not document kinds).
ITEM = "gazette_item"
ISSUE = "gazette_issue"


def item_key(pk: int) -> str:
    return f"item-{pk}"


def issue_key(pk: int) -> str:
    return f"issue-{pk}"


def item_data(item: Item, issue: Issue) -> EntryData:
    body = "\n".join(text for text in (item.doc_number, item.pdf_text) if text)
    return EntryData(
        source=SOURCE,
        object_id=item_key(item.pk),
        title=item.title,
        body=body,
        url=reverse("gb:item_file", args=[item.pk]),
        doc_kind=ITEM,
        year=issue.year,
        published_on=issue.published_on,
    )


def issue_data(issue: Issue) -> EntryData:
    return EntryData(
        source=SOURCE,
        object_id=issue_key(issue.pk),
        title=f"{LABEL}{issue.label}",
        body=issue.pdf_text,
        url=issue.public_url(),
        doc_kind=ISSUE,
        year=issue.year,
        published_on=issue.published_on,
    )


def entries_of(issue: Issue) -> Iterator[EntryData]:
    """The entries of a published issue (none for a draft)."""
    if not issue.is_published:
        return
    if issue.has_pdf:
        yield issue_data(issue)
    for item in issue.items.filter(document__isnull=True).order_by("position", "pk"):
        yield item_data(item, issue)


def _issue_entries(issue: Issue) -> QuerySet[SearchEntry]:
    keys = [issue_key(issue.pk)]
    keys += [item_key(pk) for pk in issue.items.values_list("pk", flat=True)]
    return SearchEntry.objects.filter(source=SOURCE, object_id__in=keys)


def index_issue(issue: Issue) -> int:
    """Make the index hold exactly the issue's entries: all of them when it is published,
    none when it is not. Called inside the action's transaction, so the portal never sees
    an issue published without its entries or withdrawn with them."""
    with transaction.atomic():
        _issue_entries(issue).delete()
        return index_many(entries_of(issue))


def remove_issue(issue: Issue) -> None:
    _issue_entries(issue).delete()


def remove_item(pk: int) -> None:
    """An item deleted from a draft (its issue's entries are gone already; this keeps an index
    written by hand or an older version from naming it)."""
    SearchEntry.objects.filter(source=SOURCE, object_id=item_key(pk)).delete()


def rebuild() -> int:
    """Every published issue's entries, and nothing else of the source (stale entries of
    withdrawn issues or deleted items go). The segmentation runs first, outside the
    transaction that swaps the entries."""
    issues = Issue.objects.published().order_by("pk")
    prepared = [data.prepare() for issue in issues.iterator() for data in entries_of(issue)]
    with transaction.atomic():
        SearchEntry.objects.filter(source=SOURCE).delete()
        return store(prepared) if prepared else 0
