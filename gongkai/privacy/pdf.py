"""PDF: the text of each page (pdfplumber), its annotations and links, form field values and
the document's properties.

Chinese PDFs often come out with a space between every character; a run of single digits
separated by single spaces ("1 3 8 1 2 …") is closed up before the detector sees it. What a PDF
shows cannot be told from its text, so nothing on a page counts as hidden; annotations, link
addresses and properties do. A page with images but no text is a scan: no OCR is done, and the
page is reported for a human to check.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from gongkai.privacy.ooxml import Limits
from gongkai.privacy.pieces import Piece, Unreadable

logging.getLogger("pdfminer").setLevel(
    logging.ERROR
)  # a damaged file is one problem, not 100 log lines

_SPACED_DIGITS = re.compile(r"(?<!\d)(?<!\d )\d(?: \d){6,}(?: [Xx](?![A-Za-z]))?(?!\d)")
_PROPERTIES = {"Author": "作者", "Title": "标题", "Subject": "主题", "Keywords": "关键词"}
_MAX_FIELDS = 5_000


def pieces(data: bytes, limits: Limits, problems: list[str]) -> Iterator[Piece]:
    if b"%%EOF" not in data[-2048:]:
        problems.append("PDF 文件不完整（缺少结束标记），可能已截断，未能完整检查，需人工核对")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise Unreadable("PDF 已加密，需要密码才能打开，未检查，需人工处理") from exc
        raise Unreadable("PDF 已损坏，无法读取，需人工检查") from exc
    with pdf:
        for key, label in _PROPERTIES.items():
            value = pdf.metadata.get(key)
            if isinstance(value, str) and value.strip():
                yield Piece(value, f"文档属性（{label}）", hidden=True)
        pages = pdf.pages
        if not pages:
            problems.append("PDF 中读不到任何页面，可能已损坏，需人工检查")
        if len(pages) > limits.max_pages:
            problems.append(
                f"PDF 有 {len(pages)} 页，只检查了前 {limits.max_pages} 页，需人工核对其余"
            )
        scans: list[int] = []
        for number, page in enumerate(pages[: limits.max_pages], 1):
            yield from _page(page, number, scans)
            page.close()  # drop the page's parsed objects: a long PDF need not sit in memory
        if scans:
            shown = "、".join(str(n) for n in scans[:10]) + ("等" if len(scans) > 10 else "")
            problems.append(f"第 {shown} 页没有文字层（可能是扫描图片），未做文字识别，需人工检查")
        yield from _form_fields(pdf)


def _page(page: Any, number: int, scans: list[int]) -> Iterator[Piece]:
    text = page.extract_text() or ""
    if text.strip():
        yield Piece(close_up_digits(text), f"第 {number} 页")
    elif page.images:
        scans.append(number)
    for annot in page.annots or []:
        contents = annot.get("contents")
        if isinstance(contents, str) and contents.strip():
            yield Piece(contents, f"第 {number} 页的批注", hidden=True)
        uri = annot.get("uri")
        if isinstance(uri, str) and uri.strip():
            yield Piece(uri, f"第 {number} 页的链接地址", hidden=True)


def close_up_digits(text: str) -> str:
    """ "电话 1 3 8 1 2 3 4 5 6 7 8" → "电话 13812345678"; grouped numbers are left alone."""
    return _SPACED_DIGITS.sub(lambda m: m.group().replace(" ", ""), text)


def _form_fields(pdf: Any) -> Iterator[Piece]:
    form = resolve1(pdf.doc.catalog.get("AcroForm"))
    if not isinstance(form, dict):
        return
    todo = list(resolve1(form.get("Fields")) or [])
    seen = 0
    while todo and seen < _MAX_FIELDS:  # Kids can loop in a hostile file: count, don't recurse
        seen += 1
        field = resolve1(todo.pop())
        if not isinstance(field, dict):
            continue
        todo.extend(resolve1(field.get("Kids")) or [])
        value = resolve1(field.get("V"))
        if isinstance(value, bytes):
            value = _pdf_string(value)
        if isinstance(value, str) and value.strip():
            name = resolve1(field.get("T"))
            name = _pdf_string(name) if isinstance(name, bytes) else ""
            yield Piece(value, f"表单字段「{name}」" if name else "表单字段")


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")
