"""Render the hand-labelled task lists into real documents: .docx, .xlsx, .html and .pdf.

Each fixture is an expected parse result, tests/fixtures/tasklist/<id>.expected.json (the
`gongkai parse --format json` contract), and a layout below saying how the original looks: a
table (which columns, the header row) or a prose plan (headings and items ending with a units
parenthesis). The builders write the document back from the expected answer, so a parser that
reads the document right gives the expected answer again:

- tables: the title paragraph, then ONE table whose header row carries the original column
  names; repeated category cells are real vertical merges (docx vMerge, xlsx merged ranges,
  html rowspan), a path shorter than the category columns spans them horizontally, and a units
  cell equal to the one above within the same top-level category is merged with it;
- prose: headings (Heading 1/2 styles, text numbered 一、 / （一）) and one paragraph per task
  ending with （责任单位：…） or （牵头…：…，责任…：…）;
- PDF (tables only): ruled tables drawn with fpdf2 in a CJK TrueType font, split into one table
  a page with the header repeated and merged cells cut at the page end (the text repeated
  on the next page, as printed Word tables do). The font is not on every machine, so the PDFs
  are built once and committed: `python scripts/build_fixtures.py --commit-pdfs`.

Usage: python scripts/build_fixtures.py [--out DIR] [--formats docx,xlsx,html,pdf] [ID ...]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "tasklist"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
PDF_DATE = datetime(2024, 1, 1, tzinfo=UTC)  # fixed, so a rebuilt PDF is byte-identical

Column = Literal["cat", "number", "requirement", "units", "lead", "responsible", "deadline"]
FORMATS = ("docx", "xlsx", "html", "pdf")


@dataclass(frozen=True)
class TableLayout:
    """A task table: its columns left to right, the header row, and PDF column widths (mm)."""

    columns: tuple[Column, ...]
    header: tuple[tuple[str, int], ...]  # (text, how many columns it spans)
    widths: tuple[float, ...]

    def __post_init__(self) -> None:
        assert sum(span for _, span in self.header) == len(self.columns) == len(self.widths)
        cats = [i for i, c in enumerate(self.columns) if c == "cat"]
        req = self.columns.index("requirement")
        # categories are adjacent and followed by the requirement (a short path lets it span)
        assert cats == list(range(cats[0], cats[0] + len(cats))) and req == cats[-1] + 1


@dataclass(frozen=True)
class ProseLayout:
    """A prose plan: numbered headings, one paragraph a task ending with its units."""

    lead_label: str = "牵头单位"
    responsible_label: str = "责任单位"
    number_single: bool = False  # number the only task under a heading too (1. …)


Layout = TableLayout | ProseLayout

_TASK_TABLE = TableLayout(
    columns=("cat", "cat", "cat", "requirement", "units"),
    header=(("工作任务", 3), ("具体要求", 1), ("责任单位", 1)),
    widths=(26, 28, 32, 150, 41),
)
LAYOUTS: dict[str, Layout] = {
    "000": _TASK_TABLE,
    "001": ProseLayout(),
    "002": _TASK_TABLE,
    "003": ProseLayout(lead_label="牽頭股室", responsible_label="責任股室", number_single=True),
    "004": TableLayout(
        columns=("cat", "cat", "requirement", "lead", "responsible"),
        header=(("工作任务及要求", 3), ("牵头单位", 1), ("责任单位", 1)),
        widths=(36, 44, 125, 38, 34),
    ),
    "x01": TableLayout(
        columns=("number", "cat", "cat", "requirement", "lead", "responsible", "deadline"),
        header=(
            ("序号", 1),
            ("工作任务", 2),
            ("具体内容", 1),
            ("牵头科室", 1),
            ("责任科室", 1),
            ("完成时限", 1),
        ),
        widths=(12, 28, 34, 115, 30, 30, 28),
    ),
}


# ---------------------------------------------------------------------------- the fixtures


def fixture_ids() -> list[str]:
    """Every labelled fixture, in name order (seed ids 000…, then own fixtures x01…)."""
    return sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.expected.json"))


def load_expected(fixture_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / f"{fixture_id}.expected.json").read_text(encoding="utf-8")
    )
    return data


def formats_for(fixture_id: str) -> tuple[str, ...]:
    """The formats a fixture is rendered to: tables to all four, prose to docx and html."""
    layout = LAYOUTS.get(fixture_id)
    if layout is None:
        return ()
    return FORMATS if isinstance(layout, TableLayout) else ("docx", "html")


# What each format carries of the metadata (the scorer compares only these).
META_FIELDS: dict[str, tuple[str, ...]] = {
    "xlsx": ("title",),
    "docx": ("title", "issuer", "issued", "doc_number"),
    "html": ("title", "issuer", "issued", "doc_number"),
    "pdf": ("title", "issuer", "issued", "doc_number"),
}


# ---------------------------------------------------------------------------- text helpers

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 21 → 二十一 (1…99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def marker(level: int, n: int) -> str:
    """The numbering of a heading or item at depth `level` (0-based): 一、 （一） 1. （1）."""
    forms = ("{c}、", "（{c}）", "{n}. ", "（{n}）")
    return forms[min(level, len(forms) - 1)].format(c=cn_number(n), n=n)


def cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def signature(plan: dict[str, Any]) -> list[str]:
    """The lines under the body: the issuer, then the date written 2020年7月8日."""
    lines = [str(plan["issuer"])] if plan.get("issuer") else []
    if plan.get("issued"):
        lines.append(cn_date(plan["issued"]))
    return lines


def units_cell(task: dict[str, Any], column: Column) -> str:
    """The text of a units cell as the original table would show it."""
    lead: list[str] = task["lead_units"]
    resp: list[str] = task["responsible_units"]
    if column == "lead":
        return "、".join(lead)
    if column == "responsible":
        return "、".join(resp)
    if task.get("notes"):  # units written as a sentence; the sentence is the cell
        return str(task["notes"])
    if lead and resp:
        return f"{'、'.join(lead)}牵头，{'、'.join(resp)}配合"
    if lead:
        return f"{'、'.join(lead)}牵头"
    return "、".join(resp)


def units_parenthesis(task: dict[str, Any], layout: ProseLayout) -> str:
    lead = "、".join(task["lead_units"])
    resp = "、".join(task["responsible_units"])
    parts = []
    if lead:
        parts.append(f"{layout.lead_label}：{lead}")
    if resp:
        parts.append(f"{layout.responsible_label}：{resp}")
    return f"（{'，'.join(parts)}）" if parts else ""


# ---------------------------------------------------------------------------- table model


@dataclass(frozen=True)
class GridCell:
    text: str
    key: tuple[Any, ...]  # equal keys in adjacent positions are one merged cell


@dataclass(frozen=True)
class Region:
    """A cell of the rendered table: rows r0…r1 and columns c0…c1 (inclusive) of the body."""

    r0: int
    c0: int
    r1: int
    c1: int
    text: str

    @property
    def rowspan(self) -> int:
        return self.r1 - self.r0 + 1

    @property
    def colspan(self) -> int:
        return self.c1 - self.c0 + 1


def table_grid(plan: dict[str, Any], layout: TableLayout) -> list[list[GridCell]]:
    """One row a task, one GridCell a column; the keys say what merges with what."""
    ncat = layout.columns.count("cat")
    first_cat = layout.columns.index("cat")
    grid: list[list[GridCell]] = []
    for i, task in enumerate(plan["tasks"]):
        path: list[str] = task["path"]
        top = path[0] if path else None
        row: list[GridCell] = []
        for col, kind in enumerate(layout.columns):
            if kind == "cat":
                j = col - first_cat
                depth = len(path)
                if j < depth - 1 or (j == depth - 1 and (depth == ncat or depth == 1)):
                    row.append(GridCell(path[j], ("cat", tuple(path[: j + 1]))))
                elif depth >= 2 and j >= depth - 1:  # the last path element spans the rest
                    row.append(GridCell(path[-1], ("cat", tuple(path))))
                else:  # after a one-element path: the requirement spans the rest
                    row.append(GridCell(task["requirement"], ("req", i)))
            elif kind == "number":
                row.append(GridCell(str(i + 1), ("number", i)))
            elif kind == "requirement":
                row.append(GridCell(task["requirement"], ("req", i)))
            elif kind == "deadline":
                row.append(GridCell(task.get("deadline") or "", ("deadline", i)))
            else:
                text = units_cell(task, kind)
                key: tuple[Any, ...] = (kind, text, top) if text else ("empty", i, col)
                row.append(GridCell(text, key))
        grid.append(row)
    return grid


def merge_regions(grid: Sequence[Sequence[GridCell]]) -> list[Region]:
    """Cover the grid with rectangles of equal keys, left to right, top to bottom."""
    nrows = len(grid)
    ncols = len(grid[0]) if grid else 0
    covered: set[tuple[int, int]] = set()
    regions: list[Region] = []
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) in covered:
                continue
            key = grid[r][c].key
            c1 = c
            while c1 + 1 < ncols and grid[r][c1 + 1].key == key and (r, c1 + 1) not in covered:
                c1 += 1
            r1 = r
            while r1 + 1 < nrows and all(
                grid[r1 + 1][x].key == key and (r1 + 1, x) not in covered for x in range(c, c1 + 1)
            ):
                r1 += 1
            covered.update((y, x) for y in range(r, r1 + 1) for x in range(c, c1 + 1))
            regions.append(Region(r, c, r1, c1, grid[r][c].text))
    return regions


def header_regions(layout: TableLayout) -> list[Region]:
    regions, col = [], 0
    for text, span in layout.header:
        regions.append(Region(0, col, 0, col + span - 1, text))
        col += span
    return regions


# ---------------------------------------------------------------------------- .docx


def build_docx(plan: dict[str, Any], layout: Layout, path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    if plan.get("doc_number"):
        doc.add_paragraph(plan["doc_number"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if plan.get("title"):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(plan["title"])
        run.bold = True
        run.font.size = Pt(18)
    if isinstance(layout, TableLayout):
        _docx_table(doc, plan, layout)
    else:
        for kind, level, text in prose_blocks(plan, layout):
            if kind == "heading":
                doc.add_paragraph(text, style=f"Heading {level + 1}")
            else:
                doc.add_paragraph(text)
    _docx_signature(doc, plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _docx_table(doc: Any, plan: dict[str, Any], layout: TableLayout) -> None:
    grid = table_grid(plan, layout)
    table = doc.add_table(rows=len(grid) + 1, cols=len(layout.columns))
    table.style = "Table Grid"
    for region in header_regions(layout):
        _docx_region(table, region, 0)
    for region in merge_regions(grid):
        _docx_region(table, region, 1)


def _docx_region(table: Any, region: Region, offset: int) -> None:
    cell = table.cell(region.r0 + offset, region.c0)
    if region.rowspan > 1 or region.colspan > 1:
        cell = cell.merge(table.cell(region.r1 + offset, region.c1))
    cell.text = region.text


def _docx_signature(doc: Any, plan: dict[str, Any]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for text in signature(plan):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def prose_blocks(plan: dict[str, Any], layout: ProseLayout) -> list[tuple[str, int, str]]:
    """(kind, level, text): headings numbered 一、/（一）, then the numbered task paragraphs."""
    tasks: list[dict[str, Any]] = plan["tasks"]
    counts: dict[tuple[str, ...], int] = {}
    for task in tasks:
        key = tuple(task["path"])
        counts[key] = counts.get(key, 0) + 1
    blocks: list[tuple[str, int, str]] = []
    current: list[str] = []
    heading_no = [0] * 8
    item_no = 0
    for task in tasks:
        path: list[str] = task["path"]
        same = 0
        while same < min(len(path), len(current)) and path[same] == current[same]:
            same += 1
        if same < len(path) or len(path) != len(current):
            for level in range(same, len(path)):
                heading_no[level] += 1
                for deeper in range(level + 1, len(heading_no)):
                    heading_no[deeper] = 0
                blocks.append(("heading", level, marker(level, heading_no[level]) + path[level]))
            current = list(path)
            item_no = 0
        item_no += 1
        number = ""
        if layout.number_single or counts[tuple(path)] > 1:
            number = marker(len(path), item_no)
        text = number + task["requirement"] + units_parenthesis(task, layout)
        blocks.append(("task", len(path), text))
    return blocks


# ---------------------------------------------------------------------------- .xlsx


def build_xlsx(plan: dict[str, Any], layout: TableLayout, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "任务清单"
    ncols = len(layout.columns)
    top = 1
    if plan.get("title"):
        ws.cell(row=1, column=1, value=plan["title"])
        if ncols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        top = 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, regions in ((top, header_regions(layout)), (top + 1, None)):
        if regions is None:
            regions = merge_regions(table_grid(plan, layout))
        for region in regions:
            cell = ws.cell(row=region.r0 + offset, column=region.c0 + 1, value=region.text)
            cell.alignment = wrap
            if region.rowspan > 1 or region.colspan > 1:
                ws.merge_cells(
                    start_row=region.r0 + offset,
                    start_column=region.c0 + 1,
                    end_row=region.r1 + offset,
                    end_column=region.c1 + 1,
                )
    for i, width in enumerate(layout.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width / 2
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


# ---------------------------------------------------------------------------- .html


def build_html(plan: dict[str, Any], layout: Layout, path: Path) -> Path:
    esc = html.escape
    title = plan.get("title") or ""
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title></head><body>",
    ]
    if plan.get("doc_number"):
        out.append(f'<p class="doc-number">{esc(plan["doc_number"])}</p>')
    if title:
        out.append(f"<h1>{esc(title)}</h1>")
    if isinstance(layout, TableLayout):
        out.append('<table border="1">')
        for offset, regions in ((0, header_regions(layout)), (1, None)):
            if regions is None:
                regions = merge_regions(table_grid(plan, layout))
            rows: dict[int, list[Region]] = {}
            for region in regions:
                rows.setdefault(region.r0, []).append(region)
            count = 1 if offset == 0 else len(plan["tasks"])
            for r in range(count):
                cells = []
                tag = "th" if offset == 0 else "td"
                for region in rows.get(r, []):
                    attrs = ""
                    if region.rowspan > 1:
                        attrs += f' rowspan="{region.rowspan}"'
                    if region.colspan > 1:
                        attrs += f' colspan="{region.colspan}"'
                    cells.append(f"<{tag}{attrs}>{esc(region.text)}</{tag}>")
                out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    else:
        for kind, level, text in prose_blocks(plan, layout):
            tag = f"h{level + 2}" if kind == "heading" else "p"
            out.append(f"<{tag}>{esc(text)}</{tag}>")
    for text in signature(plan):
        out.append(f'<p style="text-align:right">{esc(text)}</p>')
    out.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- .pdf


def find_cjk_font() -> Path | None:
    """A TrueType font with Chinese glyphs: $GONGKAI_CJK_FONT, else a known Debian path."""
    env = os.environ.get("GONGKAI_CJK_FONT")
    for candidate in ([env] if env else []) + list(FONT_CANDIDATES):
        if Path(candidate).is_file():
            return Path(candidate)
    return None


class FontMissing(RuntimeError):
    pass


def build_pdf(
    plan: dict[str, Any], layout: TableLayout, path: Path, font: Path | None = None
) -> Path:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font = font or find_cjk_font()
    if font is None:
        raise FontMissing(
            "no CJK TrueType font: apt-get install fonts-wqy-microhei, or set GONGKAI_CJK_FONT"
        )
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(False)
    kwargs: dict[str, Any] = {"collection_font_number": 0} if font.suffix == ".ttc" else {}
    pdf.add_font("cjk", fname=str(font), **kwargs)
    pdf.set_font("cjk", size=9)
    pdf.add_page()  # measuring text needs a page
    line_h = 4.6
    scale = (pdf.w - pdf.l_margin - pdf.r_margin) / sum(layout.widths)
    widths = [w * scale for w in layout.widths]

    def height(text: str, width: float) -> float:
        lines = pdf.multi_cell(width - 2.5, line_h, text or " ", dry_run=True, output="LINES")
        return len(cast("list[str]", lines)) * line_h + 2.5

    grid = table_grid(plan, layout)
    regions = merge_regions(grid)
    # a row is as high as its tallest cell; a merged cell's height is shared by its rows
    row_h = [0.0] * len(grid)
    for region in regions:
        width = sum(widths[region.c0 : region.c1 + 1])
        share = height(region.text, width) / region.rowspan
        for r in range(region.r0, region.r1 + 1):
            row_h[r] = max(row_h[r], share)
    header_h = max(
        height(t, sum(widths[r.c0 : r.c1 + 1]))
        for t, r in zip((h for h, _ in layout.header), header_regions(layout), strict=True)
    )

    pages: list[list[int]] = []
    budget = 0.0
    for r, h in enumerate(row_h):
        if not pages or h > budget:
            top = 40.0 if not pages else 12.0  # the first page has the title above
            budget = (pdf.h - top - pdf.b_margin - header_h) * 0.95
            pages.append([])
        pages[-1].append(r)
        budget -= h

    face = FontFace(emphasis=None)
    for n, rows in enumerate(pages):
        if n > 0:
            pdf.add_page()
        else:
            if plan.get("doc_number"):
                pdf.cell(0, 6, plan["doc_number"], align="C", new_x="LMARGIN", new_y="NEXT")
            if plan.get("title"):
                pdf.set_font("cjk", size=15)
                pdf.multi_cell(0, 8, plan["title"], align="C", new_x="LMARGIN", new_y="NEXT")
                pdf.set_font("cjk", size=9)
            pdf.ln(2)
        lo, hi = rows[0], rows[-1]
        with pdf.table(
            col_widths=tuple(widths),
            width=sum(widths),
            line_height=line_h,
            headings_style=face,
            text_align="LEFT",
            v_align="TOP",
        ) as table:
            head = table.row()
            for text, span in layout.header:
                head.cell(text, colspan=span)
            page_regions = sorted(
                (
                    Region(max(g.r0, lo), g.c0, min(g.r1, hi), g.c1, g.text)
                    for g in regions
                    if g.r1 >= lo and g.r0 <= hi
                ),
                key=lambda g: (g.r0, g.c0),
            )
            by_row: dict[int, list[Region]] = {}
            for g in page_regions:
                by_row.setdefault(g.r0, []).append(g)
            for r in rows:
                row = table.row()
                for g in by_row.get(r, []):
                    row.cell(g.text, rowspan=g.rowspan, colspan=g.colspan)
        if n == len(pages) - 1:
            for text in signature(plan):
                pdf.cell(0, 6, text, align="R", new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


# ---------------------------------------------------------------------------- driver


def build(fixture_id: str, fmt: str, out_dir: Path) -> Path:
    """Write fixture `fixture_id` as `fmt` into out_dir/<id>.<fmt>; return the path."""
    layout = LAYOUTS[fixture_id]
    plan = load_expected(fixture_id)
    target = out_dir / f"{fixture_id}.{fmt}"
    if fmt == "docx":
        return build_docx(plan, layout, target)
    if fmt == "html":
        return build_html(plan, layout, target)
    if not isinstance(layout, TableLayout):
        raise ValueError(f"{fixture_id} is prose: no {fmt}")
    if fmt == "xlsx":
        return build_xlsx(plan, layout, target)
    if fmt == "pdf":
        return build_pdf(plan, layout, target)
    raise ValueError(f"unknown format {fmt}")


def committed_pdf(fixture_id: str) -> Path:
    return FIXTURES / f"{fixture_id}.pdf"


def build_all(
    out_dir: Path, ids: Iterable[str] | None = None, formats: Iterable[str] = FORMATS
) -> list[Path]:
    wanted = set(formats)
    paths = []
    for fixture_id in ids or fixture_ids():
        for fmt in formats_for(fixture_id):
            if fmt in wanted:
                paths.append(build(fixture_id, fmt, out_dir))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="fixture ids (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "tasklist-fixtures")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--commit-pdfs",
        action="store_true",
        help="(re)build the committed PDFs tests/fixtures/tasklist/<id>.pdf",
    )
    args = parser.parse_args(argv)
    ids = args.ids or fixture_ids()
    if args.commit_pdfs:
        if find_cjk_font() is None:
            sys.stderr.write("no CJK font: apt-get install fonts-wqy-microhei\n")
            return 1
        for fixture_id in ids:
            if "pdf" in formats_for(fixture_id):
                layout = LAYOUTS[fixture_id]
                assert isinstance(layout, TableLayout)
                done = build_pdf(load_expected(fixture_id), layout, committed_pdf(fixture_id))
                sys.stdout.write(f"{done.relative_to(ROOT)}\n")
        return 0
    formats = [f for f in args.formats.split(",") if f]
    if "pdf" in formats and find_cjk_font() is None:
        sys.stderr.write("no CJK font: PDFs skipped (the committed ones are in tests/fixtures)\n")
        formats.remove("pdf")
    for done in build_all(args.out, ids, formats):
        sys.stdout.write(f"{done}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
