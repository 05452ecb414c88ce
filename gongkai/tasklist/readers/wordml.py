"""WordprocessingML names and small readers of its elements, shared by the docx modules."""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, TBL, TR, TC, SDT, SDT_CONTENT = (W + n for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
CUSTOM_XML = W + "customXml"
PPR, TCPR, TRPR = W + "pPr", W + "tcPr", W + "trPr"


def attr(el: Any, name: str) -> str | None:
    """A w: attribute, or None."""
    value = el.get(W + name)
    return None if value is None else str(value)


def child(el: Any, *path: str) -> Any:
    """The first w:path/… descendant along that path, or None."""
    for name in path:
        if el is None:
            return None
        el = el.find(W + name)
    return el


def child_val(el: Any, *path: str) -> str | None:
    found = child(el, *path)
    return None if found is None else attr(found, "val")


def int_val(el: Any, *path: str, default: int | None = None) -> int | None:
    value = child_val(el, *path)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def containers(el: Any) -> Any:
    """Children, looking through content controls and custom XML wrappers."""
    for item in el.iterchildren():
        if item.tag == SDT:
            content = item.find(SDT_CONTENT)
            if content is not None:
                yield from containers(content)
        elif item.tag == CUSTOM_XML:
            yield from containers(item)
        else:
            yield item
