"""One-click masking: every place the privacy scanner finds a number in a .docx or .xlsx is
masked by the redactor (so the rescan is clean), the rest of the file is left as it was, the
body's HTML keeps its markup, and junk never crashes it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gongkai.privacy import find_hits, scan_bytes
from gongkai.publishing.redact import CannotRedact, mask_html, mask_office
from gongkai.publishing.sanitize import clean_html, html_to_text

# The scanner's own table of hiding places (tests/test_privacy_documents.py): each edit puts
# PHONE somewhere in a document. Whatever the scanner can find there, the redactor must mask.
from tests.test_privacy_documents import (
    _W_INS,
    PHONE,
    _as_float,
    _as_int,
    _cell_comment,
    _comment,
    _deleted,
    _docx,
    _field_code,
    _grouped_columns,
    _header,
    _hidden_column,
    _hidden_row,
    _hidden_style,
    _hyperlink,
    _inserted,
    _no_show_format,
    _property,
    _raw,
    _sheet_header,
    _spare,
    _split_runs,
    _table,
    _text_box,
    _vanish,
    _white,
    _xlsx,
)
from tests.test_publishing_actions import ID_NUMBER, MASKED_ID, pdf_bytes

MASKED_PHONE = "138****5678"

WORD_PLACES = [
    _split_runs,
    _table,
    _header,
    _text_box,
    _inserted,
    _comment,
    _deleted,
    _vanish,
    _hidden_style,
    _white,
    _field_code,
    _hyperlink,
    _property,
]
EXCEL_PLACES = [
    lambda b: b["名单"].__setitem__("B3", f"电话：{PHONE}"),
    _as_int,
    _as_float,
    _sheet_header,
    lambda b: _spare(b, "hidden"),
    lambda b: _spare(b, "veryHidden"),
    _hidden_row,
    _hidden_column,
    _grouped_columns,
    _cell_comment,
    _no_show_format,
]


def _all_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


@pytest.mark.parametrize("edit", WORD_PLACES, ids=lambda f: f.__name__)
def test_every_hiding_place_in_word_is_masked(edit: Callable[[Any], None]) -> None:
    data = _docx(edit)
    assert len(scan_bytes(data).findings) == 1
    masked, count = mask_office(data, "docx")
    assert count >= 1
    rescan = scan_bytes(masked)
    assert rescan.clean, [(f.where, f.hit.masked) for f in rescan.findings]
    assert PHONE not in _all_text(masked)
    docx.Document(io.BytesIO(masked))  # still a Word file python-docx can open


@pytest.mark.parametrize("edit", EXCEL_PLACES, ids=lambda f: getattr(f, "__name__", "x"))
def test_every_hiding_place_in_excel_is_masked(edit: Callable[[Any], None]) -> None:
    data = _xlsx(edit)
    assert len(scan_bytes(data).findings) == 1
    masked, count = mask_office(data, "xlsx")
    assert count == 1
    assert scan_bytes(masked).clean
    assert PHONE not in _all_text(masked)
    openpyxl.load_workbook(io.BytesIO(masked))  # still a workbook


def test_a_number_typed_into_a_number_cell_becomes_its_masked_text() -> None:
    masked, _ = mask_office(_xlsx(_as_int), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(masked))["名单"]
    assert sheet["B3"].value == MASKED_PHONE
    assert sheet["A1"].value == "姓名"  # the rest is untouched


def test_hidden_sheets_stay_hidden_and_other_cells_keep_their_values() -> None:
    def edit(book: Any) -> None:
        _spare(book, "hidden")
        book["名单"]["C2"] = 12345  # a short number: not personal data
        book["名单"]["D2"] = "区司发〔2026〕3号"

    masked, count = mask_office(_xlsx(edit), "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(masked))
    assert count == 1 and book["备用"].sheet_state == "hidden"
    assert book["备用"]["C7"].value == MASKED_PHONE
    assert (book["名单"]["C2"].value, book["名单"]["D2"].value) == (12345, "区司发〔2026〕3号")


def test_a_number_changed_in_a_tracked_revision_is_masked_in_both_views() -> None:
    def edit(d: Any) -> None:
        _raw(d, f"<w:r><w:t>电话 </w:t></w:r><w:del {_W_INS.format(n=3)}><w:r>"
             f"<w:delText>{PHONE}</w:delText></w:r></w:del><w:ins {_W_INS.format(n=4)}><w:r>"
             "<w:t>13912345678</w:t></w:r></w:ins>")  # fmt: skip

    data = _docx(edit)
    assert len(scan_bytes(data).findings) == 2
    masked, count = mask_office(data, "docx")
    assert count == 2 and scan_bytes(masked).clean
    text = _all_text(masked)
    assert MASKED_PHONE in text and "139****5678" in text


def test_a_clean_file_comes_back_unchanged() -> None:
    data = _docx(lambda d: d.add_paragraph("文号 区政发〔2026〕3号，热线 12345。"))
    assert mask_office(data, "docx") == (data, 0)


def test_pdf_and_broken_files_cannot_be_masked_and_say_what_to_do() -> None:
    with pytest.raises(CannotRedact, match=r"PDF 文件不能在系统内自动遮盖.*重新上传.*公开办"):
        mask_office(pdf_bytes(PHONE), "pdf")
    with pytest.raises(CannotRedact, match="无法自动遮盖"):
        mask_office(b"PK\x03\x04 not really a zip", "docx")


def test_html_masking_keeps_markup_and_entities() -> None:
    body = clean_html(
        f"<p>申请人 <b>{ID_NUMBER[:6]}</b>{ID_NUMBER[6:]}，"
        f'<a href="mailto:{PHONE}@example.com">写信</a>，邮箱 zhang.san@example.com</p>'
        "<table><tr><td>13800000000</td><td>2026</td></tr></table><p>A &amp; B &lt;c&gt;</p>"
    )
    masked, count = mask_html(body)
    assert count == 4
    assert f"<b>{ID_NUMBER[:6]}</b>{MASKED_ID[6:]}" in masked
    assert 'href="mailto:1***@example.com"' in masked
    assert "z***@example.com" in masked and "138****0000" in masked
    assert "A &amp; B &lt;c&gt;" in masked
    assert masked == clean_html(masked)


def test_numbers_in_separate_blocks_are_not_joined() -> None:
    body = "<p>1381234</p><p>5678</p>"
    assert mask_html(body) == (body, 0)
    assert "13812345678" not in html_to_text(body).replace("\n", "X")


_PIECES = st.sampled_from(
    [PHONE, ID_NUMBER, "zhang.san@example.com", "6222021234567890128", "<p>", "</p>", "<b>",
     "</b>", "<br>", "<td>", "<table><tr><td>", " ", "-", "电话", "&amp;", "<", ">", "1", "0"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=30))
# Found by CI: a control character that the scanner read as a separator but the masker dropped.
@example(parts=["13812345678", "\x080"])
@example(parts=["13812345678", "&#8;", "0"])
def test_html_masking_never_crashes_and_leaves_nothing_to_find(parts: list[str]) -> None:
    body = clean_html("".join(parts))
    masked, count = mask_html(body)
    assert find_hits(html_to_text(masked)) == []
    assert (count == 0) == (masked == body)


def test_control_characters_never_reach_the_stored_body() -> None:
    # They show nothing; left in, the gate would read "138…78\x080" as a phone number that the
    # masker (which cannot keep them in its tree) would never find.
    assert clean_html("<p>13812345678\x080</p>") == "<p>138123456780</p>"
    assert clean_html("<p>a&#8;b\x00c\x7f</p>") == "<p>abc</p>"
    assert html_to_text("<p>a\x0bb</p>") == "ab"
