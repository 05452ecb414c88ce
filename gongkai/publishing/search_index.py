"""Published documents in the portal's search index (gongkai.search), source "document".

A document is indexed when it is published (title; body text and the visible text of its
attachments; its portal address, unit, kind, year, validity and 发布日期), indexed again when
its validity or content changes, and removed when it is withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gongkai.publishing.models import DocState, Document
from gongkai.search.actions import index_entry, index_many, remove_entry
from gongkai.search.entries import EntryData

SOURCE = "document"


def searchable_text(document: Document) -> str:
    texts = [document.body_text, *(a.text for a in document.attachments.all())]
    return "\n".join(t for t in texts if t)


def entry_data(document: Document) -> EntryData:
    published = document.published_on
    return EntryData(
        source=SOURCE,
        object_id=str(document.pk),
        title=document.title,
        body=searchable_text(document),
        url=document.public_url(),
        unit_id=document.unit_id,
        doc_kind=document.kind,
        year=published.year if published else None,
        validity=document.validity if document.is_policy else "",
        published_on=published,
    )


def index_document(document: Document) -> None:
    """Index a published document (anything else is taken out of the index)."""
    if document.state != DocState.PUBLISHED:
        remove_document(document)
        return
    data = entry_data(document)
    index_entry(
        data.source,
        data.object_id,
        title=data.title,
        body=data.body,
        url=data.url,
        unit_id=data.unit_id,
        doc_kind=data.doc_kind,
        year=data.year,
        validity=data.validity,
        published_on=data.published_on,
    )


def remove_document(document: Document) -> bool:
    return remove_entry(SOURCE, document.pk)


def _published(documents: Iterable[Document]) -> Iterator[EntryData]:
    for document in documents:
        yield entry_data(document)


def reindex_all() -> int:
    """Rebuild every published document's entry (after a bulk load, or to repair the index)."""
    published = Document.objects.published().prefetch_related("attachments").order_by("pk")
    return index_many(_published(published.iterator(chunk_size=500)))
