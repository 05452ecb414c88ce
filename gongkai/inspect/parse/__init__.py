"""The page parser, in parts: `decode` (bytes to UTF-8), `urls` (links made absolute), `text`
(the visible text and its nodes), `dates`, `metadata` (the metadata block), `lists` (dated
lists), `footer`, `classify` (the page's kind and what its body says) and `core`
(`parse_page`, links, headline, breadcrumb, search forms). `model` holds the dataclasses.

Checks and the crawler import from `gongkai.inspect.page`, which re-exports what is public.
"""

from gongkai.inspect.parse.core import parse_page
from gongkai.inspect.parse.dates import parse_date
from gongkai.inspect.parse.metadata import LABELS
from gongkai.inspect.parse.model import Link, ListItem, Page, PageKind, SearchForm
from gongkai.inspect.parse.text import collapse

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
