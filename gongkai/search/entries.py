"""What a register hands the index: one entry's text and filters, before segmentation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.search.models import SearchEntry
from gongkai.search.segment import segment

#: Only the start of a very long body is indexed: it bounds segmentation time and stays well
#: under PostgreSQL's 1 MB tsvector limit. The whole body is still stored for snippets.
MAX_INDEXED_CHARS = 100_000


@dataclass(frozen=True)
class EntryData:
    source: str
    object_id: str
    title: str
    body: str
    url: str
    unit_id: int | None = None
    doc_kind: str = ""
    year: int | None = None
    validity: str = ""
    published_on: dt.date | None = None

    def prepare(self) -> SearchEntry:
        """An unsaved entry with its segmented words (the slow part: jieba)."""
        return SearchEntry(
            source=self.source,
            object_id=str(self.object_id),
            title=self.title,
            body=self.body,
            url=self.url,
            unit_id=self.unit_id,
            doc_kind=self.doc_kind,
            year=self.year,
            validity=self.validity,
            published_on=self.published_on,
            title_words=segment(self.title),
            body_words=segment(self.body[:MAX_INDEXED_CHARS]),
        )
