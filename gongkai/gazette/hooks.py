"""Wiring into the other apps: the gazette's figures are evidence on checkpoints of tasks about
the 政府公报, and its PDFs are a source of the portal's search index (rebuilt through
gongkai.search.sources.rebuild("gazette"))."""

from __future__ import annotations


def connect() -> None:
    from gongkai.gazette import search_index
    from gongkai.gazette.linked import SOURCE
    from gongkai.search.sources import Source, register_source
    from gongkai.work.linked import register_linked_source

    register_linked_source(SOURCE)
    register_source(Source(search_index.SOURCE, search_index.LABEL, search_index.rebuild))
