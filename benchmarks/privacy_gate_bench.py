"""How long the privacy gate takes on realistic inputs; prints medians, p95s and throughput.

    .venv/bin/python benchmarks/privacy_gate_bench.py [--runs 7] [--keep]

Four inputs are generated in a temporary folder (kept with --keep):

- a 20-page body: about 16,000 characters of HTML paragraphs (800 a page), a few phone and ID
  numbers in them, as a notice with an appended list would have;
- a 50-page .docx: 1,250 paragraphs, one comment on every 25th and a tracked insertion and
  deletion on every 10th, a header, and personal data in a few percent of them;
- a 10,000-row .xlsx: a roster of name, ID number, mobile, address on a visible sheet with some
  hidden rows and a hidden column, plus a hidden sheet of 1,000 more rows;
- a 50-page text PDF (Chinese, WenQuanYi font when installed, else Latin text).

For each input and each step, `--runs` timed runs after one warm-up: the gate's scan
(gongkai.publishing.gate.body_scan for the body; gongkai.privacy.scan_bytes for files, what an
upload waits for), the text extraction for search (files.extract_text), and the one-click
masking (redact.mask_html / mask_office; PDF cannot be masked). Throughput is characters of
visible text per second of the median scan.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from work_bench import machine  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
SEED = 20261121
SENTENCES = [
    "为进一步规范行政执法行为，提高行政执法透明度，现就有关事项通知如下。",
    "各镇（街道）、区直各部门要高度重视，明确责任分工，确保各项工作落实到位。",
    "本办法自发布之日起施行，有效期五年，由区司法局负责解释。",
    "对群众反映强烈的问题，要建立台账，逐项整改，按期销号。",
    "联系单位：区司法局行政执法监督科，办公电话 0533-2181234。",
    "请于每季度末将工作进展情况报送区政府办公室，逾期未报的予以通报。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def id_number(rng: random.Random) -> str:
    body = f"3703{rng.randint(1, 99):02d}{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177"]) + f"{rng.randint(0, 99_999_999):08d}"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def sentence(rng: random.Random, personal: float) -> str:
    text = rng.choice(SENTENCES) + rng.choice(SENTENCES)
    if rng.random() < personal:
        text += f"联系人{name(rng)}，手机 {mobile(rng)}，身份证号 {id_number(rng)}。"
    return text


# -- the inputs ------------------------------------------------------------------------------


def make_body(rng: random.Random) -> str:
    paragraphs, size = [], 0
    while size < 16_000:
        text = sentence(rng, 0.03)
        paragraphs.append(f"<p>{text}</p>")
        size += len(text)
    return "".join(paragraphs)


def make_docx(rng: random.Random) -> bytes:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "张店区司法局文件"
    body = document.element.body
    for n in range(1250):
        if n % 10 == 0:
            xml = (
                f"<w:p {nsdecls('w')}><w:r><w:t>{sentence(rng, 0.0)}</w:t></w:r>"
                f'<w:del w:id="{2 * n}" w:author="审核人" w:date="2026-03-01T10:00:00Z"><w:r>'
                f"<w:delText>原联系电话 {mobile(rng)}</w:delText></w:r></w:del>"
                f'<w:ins w:id="{2 * n + 1}" w:author="审核人" w:date="2026-03-01T10:00:00Z">'
                f"<w:r><w:t>{sentence(rng, 0.0)}</w:t></w:r></w:ins></w:p>"
            )
            body.insert(len(body) - 1, parse_xml(xml))
        else:
            p = document.add_paragraph(sentence(rng, 0.02))
            if n % 25 == 1:
                document.add_comment(
                    p.runs, text=f"请核实{name(rng)}的电话 {mobile(rng)}", author="张三"
                )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rng: random.Random) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet.append(["序号", "姓名", "身份证号", "手机", "住址", "备注"])
    for n in range(1, 10_001):
        sheet.append(
            [n, name(rng), id_number(rng), mobile(rng), f"张店区{rng.randint(1, 300)}号", ""]
        )
        if n % 50 == 0:
            sheet.row_dimensions[n + 1].hidden = True
    sheet.column_dimensions["F"].hidden = True
    spare = book.create_sheet("备用")
    for n in range(1, 1001):
        spare.append([n, name(rng), id_number(rng), mobile(rng)])
    spare.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_pdf(rng: random.Random) -> tuple[bytes, str]:
    from fpdf import FPDF

    pdf = FPDF()
    if FONT.exists():
        pdf.add_font("wqy", fname=str(FONT))
        pdf.set_font("wqy", size=11)
        line, font = (lambda: sentence(rng, 0.03)), "WenQuanYi Micro Hei"
    else:
        pdf.set_font("helvetica", size=11)
        line, font = (lambda: f"Notice line {rng.randint(0, 10**6)} tel {mobile(rng)}"), "Helvetica"
    for _ in range(50):
        pdf.add_page()
        for _ in range(30):
            pdf.multi_cell(0, 8, text=line(), new_x="LMARGIN", new_y="NEXT")  # type: ignore[no-untyped-call]  # fpdf2 is not typed
    return bytes(pdf.output()), font


# -- timing ----------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm-up: imports, regex compilation, the font cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def row(label: str, step: str, times: list[float], chars: int | None) -> str:
    median = statistics.median(times)
    rate = f"{chars / median / 1000:9.0f} k" if chars else "        —"
    return f"{label:<36} {step:<6} {median * 1000:9.1f} {p95(times) * 1000:9.1f} {rate}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2's font subsetting chatter
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gate-bench-data-"))
    import django

    django.setup()
    from gongkai.privacy import scan_bytes
    from gongkai.publishing import files, gate, redact
    from gongkai.publishing.models import Document
    from gongkai.publishing.sanitize import clean_html, html_to_text

    rng = random.Random(SEED)  # noqa: S311  # made-up data, not secrets
    folder = Path(tempfile.mkdtemp(prefix="gate-bench-"))
    body = clean_html(make_body(rng))
    pdf, font = make_pdf(rng)
    inputs = {"docx": make_docx(rng), "xlsx": make_xlsx(rng), "pdf": pdf}
    for ext, data in inputs.items():
        (folder / f"input.{ext}").write_bytes(data)
    (folder / "body.html").write_text(body, "utf-8")

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Privacy gate benchmark — {machine()}; load average before: {load}")
    print(f"inputs in {folder}; {args.runs} runs each after a warm-up; PDF font: {font}")
    print(f"{'input':<36} {'step':<6} {'median ms':>9} {'p95 ms':>9} {'chars/s':>10}")

    document = Document(title="关于规范行政执法公示工作的通知", body_html=body)
    document.body_text = html_to_text(body)
    scan = gate.body_scan(document)
    chars = len(document.body_text)
    label = f"body ({chars:,} chars)"
    print(row(label, "scan", timed(lambda: gate.body_scan(document), args.runs), chars))
    print(row(label, "mask", timed(lambda: redact.mask_html(body), args.runs), chars))
    print(f"{'':<36} hits found: {len(scan.findings)}")

    sizes = {"docx": "50 pages", "xlsx": "10,000 rows + hidden", "pdf": "50 pages"}
    for ext, data in inputs.items():
        text = files.extract_text(data, ext)
        found = scan_bytes(data, f"input.{ext}")
        label = f".{ext} {sizes[ext]} ({len(data) // 1024:,} KB)"
        steps: list[tuple[str, Callable[[bytes, str], Any]]] = [
            ("scan", lambda d, e: scan_bytes(d, f"input.{e}")),
            ("text", files.extract_text),
        ]
        if ext in redact.MASKABLE:
            steps.append(("mask", redact.mask_office))
        for step, fn in steps:
            times = timed(partial(fn, data, ext), args.runs)
            print(row(label, step, times, len(text)))
        if ext in redact.MASKABLE:
            masked, _ = redact.mask_office(data, ext)
            left = scan_bytes(masked)
            print(
                f"{'':<36} hits found: {len(found.findings)}; after masking: "
                f"{len(left.findings)} hits, {len(left.problems)} problems"
            )
        else:
            print(f"{'':<36} hits found: {len(found.findings)}; problems: {len(found.problems)}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
