"""Dated lists: the links that sit next to a date (a column's items, a home page's blocks),
grouped by the list they belong to, and the page's largest list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.inspect.parse.dates import DATE, MIN_DATE, date_of, lone_short_dates
from gongkai.inspect.parse.model import ListItem
from gongkai.inspect.parse.text import Text, collapse, element_of, inline
from gongkai.inspect.parse.urls import Resolver

#: Items a list needs to count as one of an overview page's boxes.
OVERVIEW_BOX = 4
_LIST_TAGS = frozenset({"ul", "ol", "table", "tbody", "dl", "body", "html", "form"})
_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "span", "td", "em", "font"})


def _anchors(container: Any) -> list[Any]:
    """Up to three links with an href inside `container`: three are enough to tell an item from
    a block of links, and the bound keeps a huge flat page linear."""
    found = []
    for a in container.iter("a"):
        if a.get("href"):
            found.append(a)
            if len(found) == 3:
                break
    return found


def list_items(
    texts: Text, footer: set[Any], resolve: Resolver, today: dt.date
) -> tuple[list[ListItem], int, dt.date | None]:
    """The dated links of the page, and the size and newest date of its largest list."""
    groups: dict[Any, list[ListItem]] = {}
    seen: set[Any] = set()
    looked: dict[Any, list[Any]] = {}
    node_at = texts.node_at
    dated: list[tuple[int, dt.date | None]] = [
        (m.start(), date_of(m, today)) for m in DATE.finditer(texts.text)
    ]
    short = lone_short_dates(texts.text, today)
    if short:
        dated = sorted([*dated, *short], key=lambda pair: pair[0])
    for start, date in dated:
        if date is None or date < MIN_DATE:
            continue
        container = element_of(node_at(start))
        link = None
        for _ in range(3):
            if container is None or container in footer:
                break
            tag = container.tag
            if tag in _LIST_TAGS:
                break
            if tag == "a":
                link = container if container.get("href") else None
            elif len(container):  # a childless element holds no link: climb on
                anchors = looked.get(container)
                if anchors is None:
                    anchors = looked[container] = _anchors(container)
                if len(anchors) > 2:
                    break  # a block of several links, not one item
                link = anchors[0] if anchors else None
            if link is not None:
                break
            container = container.getparent()
        if link is None or container is None or link in seen:
            continue
        if container is link:
            container = link.getparent()
            if container is None:
                continue
        attribute = link.get("title")
        title = attribute or inline(link)
        url = resolve(link.get("href", ""))
        if not url or len(title) < 2:
            continue
        seen.add(link)
        key = container.getparent() if container.tag in _ITEM_TAGS else container
        # inline() has collapsed the text already; a title attribute has not been.
        item = ListItem((collapse(title) if attribute else title)[:300], url, date)
        group = groups.get(key)
        if group is None:
            groups[key] = [item]
        else:
            group.append(item)
    items = [item for group in groups.values() for item in group]
    main = max(groups.values(), key=len) if groups else []
    # An overview page (a first-level column showing a box per sub-column: 政策文件 with
    # 规范性文件, 其他文件 …) has several lists of a like size and is as fresh as its freshest
    # box; a column page has one list that dwarfs its side bars.
    boxes = [g for g in groups.values() if len(g) >= OVERVIEW_BOX and 2 * len(g) >= len(main)]
    judged = [i for g in boxes for i in g] if len(boxes) >= 2 else main
    newest = max((i.date for i in judged if i.date), default=None)
    return items, len(main), newest
