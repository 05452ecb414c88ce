"""One fetched HTML page, parsed once with lxml into what every check reads.

Checks never parse HTML themselves: the crawler calls `parse_page` once per response and hands
the same `Page` to every check, which keeps the per-page cost to one parse. The parser lives in
the `gongkai.inspect.parse` package (decoding, URLs, text, dates, metadata block, dated lists,
footer, classification); this module is the stable place to import it and its dataclasses from.
"""

from __future__ import annotations

from gongkai.inspect.parse import (
    LABELS,
    Link,
    ListItem,
    Page,
    PageKind,
    SearchForm,
    collapse,
    parse_date,
    parse_page,
)

__all__ = [
    "LABELS",
    "Link",
    "ListItem",
    "Page",
    "PageKind",
    "SearchForm",
    "collapse",
    "parse_date",
    "parse_page",
]
