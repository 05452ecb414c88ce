"""The report as HTML in the national layout, every figure of Tables 三 and 四 a link to the
records behind it.

`cell_url(table, key, col)` says where a figure links ("3" or "4", the row key or appeal kind,
the column index); None leaves the figure as text (a stored version whose scope is gone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from gongkai.reports.tables import (
    TABLE2,
    TABLE2_FIRST_COLUMN,
    Cell,
    table3_header_cells,
    table3_label_cells,
    table4_header_cells,
)

CellUrl = Callable[[str, str, int], str | None]


@dataclass(frozen=True)
class Figure:
    value: Any
    url: str | None = None
    colspan: int = 1


def _header_rows(cells: list[Cell], rows: int) -> list[list[Cell]]:
    return [[c for c in cells if c.row == r] for r in range(rows)]


def table2_rows(table2: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of Table 二 on a 4-column grid: block header, column header, data rows."""
    out: list[dict[str, Any]] = []
    for block in TABLE2:
        span = 3 // len(block.columns)
        out.append({"kind": "block", "cells": [Cell(block.header, 0, 0, colspan=4)]})
        out.append(
            {
                "kind": "head",
                "cells": [
                    Cell(TABLE2_FIRST_COLUMN, 0, 0),
                    *[Cell(c, 0, 1 + i, colspan=span) for i, c in enumerate(block.columns)],
                ],
            }
        )
        for key, label in block.rows:
            values = table2.get(key, {})
            out.append(
                {
                    "kind": "data",
                    "label": label,
                    "figures": [Figure(values.get(f, 0), colspan=span) for f in block.fields],
                }
            )
    return out


def table3_rows(built: dict[str, Any], cell_url: CellUrl) -> list[dict[str, Any]]:
    labels = table3_label_cells()
    return [
        {
            "labels": labels[i],
            "key": row["key"],
            "figures": [
                Figure(v, cell_url("3", row["key"], c)) for c, v in enumerate(row["values"])
            ],
        }
        for i, row in enumerate(built["table3"]["rows"])
    ]


def table4_figures(built: dict[str, Any], cell_url: CellUrl) -> list[Figure]:
    return [
        Figure(v, cell_url("4", group["key"], c))
        for group in built["table4"]["groups"]
        for c, v in enumerate(group["values"])
    ]


def context(built: dict[str, Any], cell_url: CellUrl) -> dict[str, Any]:
    return {
        "built": built,
        "t2_rows": table2_rows(built["table2"]),
        "t3_head": _header_rows(table3_header_cells(), 3),
        "t3_rows": table3_rows(built, cell_url),
        "t4_head": _header_rows(table4_header_cells(), 3),
        "t4_figures": table4_figures(built, cell_url),
    }


def no_links(table: str, key: str, col: int) -> str | None:
    return None


def render_fragment(built: dict[str, Any], cell_url: CellUrl = no_links) -> str:
    """The report body (sections and tables), for a page that supplies the frame."""
    return render_to_string("reports/_annual.html", context(built, cell_url))


def render_document(built: dict[str, Any], cell_url: CellUrl = no_links) -> str:
    """A whole HTML document with its own styles (the command line's --format html)."""
    return render_to_string("reports/annual_document.html", context(built, cell_url))
