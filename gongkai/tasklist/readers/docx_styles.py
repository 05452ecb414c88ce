"""Heading levels and linked numbering of a .docx's paragraph styles.

A paragraph is a heading when its style (or a style it is based on) is named "Heading N" or
"标题 N", or has an outline level; a direct outline level on the paragraph wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai.tasklist.readers.wordml import PPR, W, attr, child, child_val, int_val

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_BODY_OUTLINE = 9  # outline level 9 is body text


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


class Styles:
    def __init__(self, styles_element: Any) -> None:
        self._styles: dict[str, _Style] = {}
        self._default: str | None = None
        if styles_element is None:
            return
        for el in styles_element.iterchildren(W + "style"):
            style_id = attr(el, "styleId")
            if style_id is None or attr(el, "type") not in (None, "paragraph"):
                continue
            ppr = child(el, "pPr")
            self._styles[style_id] = _Style(
                name=(child_val(el, "name") or "").strip(),
                based_on=child_val(el, "basedOn"),
                outline=int_val(ppr, "outlineLvl"),
                num_id=child_val(ppr, "numPr", "numId"),
                ilvl=int_val(ppr, "numPr", "ilvl"),
            )
            if attr(el, "default") in ("1", "true"):
                self._default = style_id

    def _chain(self, style_id: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        current = style_id if style_id is not None else self._default
        while current is not None and current not in seen and current in self._styles:
            seen.add(current)
            style = self._styles[current]
            out.append(style)
            current = style.based_on
        return out

    def heading_level(self, p: Any) -> int | None:
        ppr = p.find(PPR)
        direct = int_val(ppr, "outlineLvl")
        if direct is not None:
            return direct + 1 if 0 <= direct < _BODY_OUTLINE else None
        for style in self._chain(child_val(ppr, "pStyle")):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < _BODY_OUTLINE else None
        return None

    def numbering(self, p: Any) -> tuple[str, int] | None:
        """(numId, level) of the paragraph's list numbering, direct or from its style."""
        ppr = p.find(PPR)
        num_id = child_val(ppr, "numPr", "numId")
        ilvl = int_val(ppr, "numPr", "ilvl")
        if num_id is None:
            for style in self._chain(child_val(ppr, "pStyle")):
                if style.num_id is not None:
                    num_id, ilvl = style.num_id, ilvl if ilvl is not None else style.ilvl
                    break
        if num_id is None or num_id == "0":
            return None
        return num_id, ilvl or 0
