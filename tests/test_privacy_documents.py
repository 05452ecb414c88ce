"""The privacy gate's document scanner: personal data found in every hidden place of a .docx,
.xlsx and PDF, with the right location; broken and hostile files reported, never raised."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import RGBColor
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.comments import Comment

from gongkai.privacy.detect import HitKind
from gongkai.privacy.documents import DocumentKind, DocumentScan, scan_bytes, scan_text
from gongkai.privacy.ooxml import Limits
from gongkai.privacy.pdf import close_up_digits

PHONE = "13812345678"
_WML = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MASKED_PHONE = "138****5678"


def _id_number(first17: str) -> str:
    """A resident ID number with its ISO 7064 MOD 11-2 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


ID_NUMBER = _id_number("11010519491231002")
EMAIL = "zhang.san@example.com"


def _one(scan: DocumentScan) -> tuple[str, bool]:
    """The single finding's where and hidden, after checking the context leaks nothing."""
    assert not scan.problems, scan.problems
    assert len(scan.findings) == 1, [(f.where, f.hit.text) for f in scan.findings]
    finding = scan.findings[0]
    assert finding.hit.text == PHONE
    assert PHONE not in finding.context and MASKED_PHONE in finding.context
    return finding.where, finding.hidden


# -- Word ----------------------------------------------------------------------------------

_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_W_INS = 'w:id="{n}" w:author="李四" w:date="2026-01-05T10:00:00Z"'


def _docx(edit: Callable[[Any], None]) -> bytes:
    document = docx.Document()
    document.add_paragraph("关于政务公开工作的通知")
    document.add_paragraph("")  # blank paragraphs are not counted
    edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _raw(document: Any, inner: str) -> None:
    """A paragraph written as WordprocessingML, for what python-docx cannot make."""
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(f"<w:p {nsdecls('w')} {_NS}>{inner}</w:p>"))


def _comment(d: Any) -> None:
    d.add_comment(d.add_paragraph("请核对").runs, text=f"联系人电话 {PHONE}", author="张三")


def _header(d: Any) -> None:
    d.sections[0].header.paragraphs[0].text = f"值班电话 {PHONE}"


def _table(d: Any) -> None:
    d.add_table(rows=2, cols=3).cell(1, 2).text = f"电话{PHONE}"


def _split_runs(d: Any) -> None:
    p = d.add_paragraph("联系电话：")
    p.add_run(PHONE[:7])
    p.add_run(PHONE[7:]).bold = True


def _vanish(d: Any) -> None:
    d.add_paragraph("正文").add_run(PHONE).font.hidden = True


def _hidden_style(d: Any) -> None:
    d.styles.add_style("密", WD_STYLE_TYPE.CHARACTER).font.hidden = True
    d.add_paragraph("正文").add_run(PHONE, style="密")


def _white(d: Any) -> None:
    d.add_paragraph("正文").add_run(PHONE).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _deleted(d: Any) -> None:
    _raw(d, f"<w:r><w:t>电话</w:t></w:r><w:del {_W_INS.format(n=1)}>"
         f"<w:r><w:delText>{PHONE}</w:delText></w:r></w:del>")  # fmt: skip


def _inserted(d: Any) -> None:
    _raw(d, f"<w:r><w:t>电话</w:t></w:r><w:ins {_W_INS.format(n=2)}>"
         f"<w:r><w:t>{PHONE}</w:t></w:r></w:ins>")  # fmt: skip


def _field_code(d: Any) -> None:
    _raw(d, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
         f'<w:r><w:instrText> HYPERLINK "tel:{PHONE}" </w:instrText></w:r>'
         '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>拨打</w:t></w:r>'
         '<w:r><w:fldChar w:fldCharType="end"/></w:r>')  # fmt: skip


def _text_box(d: Any) -> None:
    box = f"<w:txbxContent><w:p><w:r><w:t>电话 {PHONE}</w:t></w:r></w:p></w:txbxContent>"
    _raw(d, "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
         f"{box}</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}"
         "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")  # fmt: skip


def _hyperlink(d: Any) -> None:
    d.part.relate_to(f"tel:{PHONE}", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)


def _property(d: Any) -> None:
    d.core_properties.comments = f"起草人电话 {PHONE}"


@pytest.mark.parametrize(
    ("edit", "where", "hidden"),
    [
        (_split_runs, "正文第 2 段", False),
        (_table, "表格 1 第 2 行第 3 列", False),
        (_header, "页眉", False),
        (_text_box, "文本框", False),
        (_inserted, "正文第 2 段，修订：插入的文字", False),
        (_comment, "批注（作者 张三）", True),
        (_deleted, "正文第 2 段，修订：删除的文字", True),
        (_vanish, "正文第 2 段，隐藏文字", True),
        (_hidden_style, "正文第 2 段，隐藏文字", True),
        (_white, "正文第 2 段，白色文字", True),
        (_field_code, "正文第 2 段，域代码", True),
        (_hyperlink, "超链接地址", True),
        (_property, "文档属性（备注）", True),
    ],
)
def test_a_phone_in_a_word_document_is_found_where_it_hides(
    edit: Callable[[Any], None], where: str, hidden: bool
) -> None:
    scan = scan_bytes(_docx(edit), "通知.docx")
    assert scan.kind == DocumentKind.DOCX
    assert _one(scan) == (where, hidden)


def test_a_number_rewritten_in_a_revision_is_reported_as_it_was_and_as_it_is() -> None:
    def edit(d: Any) -> None:
        _raw(d, f"<w:r><w:t>电话 138123</w:t></w:r><w:del {_W_INS.format(n=3)}><w:r>"
             f"<w:delText>45678</w:delText></w:r></w:del><w:ins {_W_INS.format(n=4)}><w:r>"
             "<w:t>45679</w:t></w:r></w:ins><w:r><w:t>。</w:t></w:r>")  # fmt: skip

    scan = scan_bytes(_docx(edit))
    found = sorted((f.hit.text, f.where, f.hidden) for f in scan.findings)
    assert found == [
        ("13812345678", "正文第 2 段，修订：删除的文字", True),
        ("13812345679", "正文第 2 段，修订：插入的文字", False),
    ]


def test_a_clean_word_document_is_clean() -> None:
    scan = scan_bytes(_docx(lambda d: d.add_paragraph("文号 区政发〔2026〕3号，热线 12345。")))
    assert scan.clean


# -- Excel ---------------------------------------------------------------------------------


def _xlsx(edit: Callable[[Any], None]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet["A1"] = "姓名"
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _spare(book: Any, state: str) -> None:
    spare = book.create_sheet("备用")
    spare["C7"] = PHONE
    spare.sheet_state = state


def _hidden_row(book: Any) -> None:
    book["名单"]["A5"] = PHONE
    book["名单"].row_dimensions[5].hidden = True


def _hidden_column(book: Any) -> None:
    book["名单"]["D4"] = PHONE
    book["名单"].column_dimensions["D"].hidden = True


def _grouped_columns(book: Any) -> None:
    book["名单"]["D4"] = PHONE
    book["名单"].column_dimensions.group("C", "E", hidden=True)


def _cell_comment(book: Any) -> None:
    book["名单"]["B3"] = "见批注"
    book["名单"]["B3"].comment = Comment(f"本人电话 {PHONE}", "张三")


def _as_int(book: Any) -> None:
    book["名单"]["B3"] = int(PHONE)


def _as_float(book: Any) -> None:
    book["名单"]["B3"] = float(PHONE)


def _no_show_format(book: Any) -> None:
    book["名单"]["B3"] = int(PHONE)
    book["名单"]["B3"].number_format = ";;;"


def _sheet_header(book: Any) -> None:
    book["名单"].oddHeader.center.text = f"值班 {PHONE}"


@pytest.mark.parametrize(
    ("edit", "where", "hidden"),
    [
        (lambda b: b["名单"].__setitem__("B3", f"电话：{PHONE}"), "工作表「名单」B3", False),
        (_as_int, "工作表「名单」B3", False),
        (_as_float, "工作表「名单」B3", False),
        (_sheet_header, "页眉页脚：工作表「名单」", False),
        (lambda b: _spare(b, "hidden"), "隐藏的工作表「备用」C7", True),
        (lambda b: _spare(b, "veryHidden"), "深度隐藏的工作表「备用」C7", True),
        (_hidden_row, "隐藏的行 5：工作表「名单」A5", True),
        (_hidden_column, "隐藏的列 D：工作表「名单」D4", True),
        (_grouped_columns, "隐藏的列 D：工作表「名单」D4", True),
        (_cell_comment, "单元格批注（作者 张三）：工作表「名单」B3", True),
        (_no_show_format, "格式设为不显示的单元格：工作表「名单」B3", True),
    ],
)
def test_a_phone_in_a_workbook_is_found_where_it_hides(
    edit: Callable[[Any], None], where: str, hidden: bool
) -> None:
    scan = scan_bytes(_xlsx(edit), "名单.xlsx")
    assert scan.kind == DocumentKind.XLSX
    assert _one(scan) == (where, hidden)


def test_a_shared_string_no_cell_uses_is_still_scanned() -> None:
    sst = f'<sst xmlns="{_SML}"><si><t>张三</t></si><si><t>{PHONE}</t></si></sst>'
    rel = f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    data = _rewrite(
        _xlsx(lambda b: b["名单"].__setitem__("B2", "张三")),
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>"),
        extra={"xl/sharedStrings.xml": sst.encode()},
    )
    assert _one(scan_bytes(data)) == ("未被单元格使用的共享字符串（第 2 条）", True)


def test_an_id_number_stored_as_a_number_is_flagged_for_a_human() -> None:
    scan = scan_bytes(_xlsx(lambda b: b["名单"].__setitem__("C9", int(ID_NUMBER[:17] + "1"))))
    assert len(scan.problems) == 1
    assert "C9" in scan.problems[0] and "15 位" in scan.problems[0]
    assert ID_NUMBER[:17] not in scan.problems[0]
    assert not scan.clean


# -- PDF -----------------------------------------------------------------------------------


def _pdf(*pages: str, note: str = "", author: str = "", password: str = "") -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    if author:
        pdf.set_author(author)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for text in pages:
        pdf.add_page()
        pdf.cell(text=text)
        if note:
            pdf.text_annotation(20, 40, note)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("data", "where", "hidden"),
    [
        (_pdf("Cleanup list", f"Tel: {PHONE}"), "第 2 页", False),
        (_pdf("Tel: " + " ".join(PHONE)), "第 1 页", False),
        (_pdf("Notice", note=f"call {PHONE}"), "第 1 页的批注", True),
        (_pdf("Notice", author=f"Zhang {PHONE}"), "文档属性（作者）", True),
    ],
)
def test_a_phone_in_a_pdf_is_found(data: bytes, where: str, hidden: bool) -> None:
    scan = scan_bytes(data, "公告.pdf")
    assert scan.kind == DocumentKind.PDF
    assert _one(scan) == (where, hidden)


@pytest.mark.parametrize(
    ("spaced", "closed"),
    [
        ("电话 1 3 8 1 2 3 4 5 6 7 8 。", "电话 13812345678 。"),
        ("1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", "11010519491231002X"),
        ("第 1 2 3 条", "第 1 2 3 条"),  # short runs are ordinary text
        ("138 1234 5678", "138 1234 5678"),  # grouped: the detector's business
    ],
)
def test_spaced_out_digits_from_pdf_text_are_closed_up(spaced: str, closed: str) -> None:
    assert close_up_digits(spaced) == closed


# -- text ----------------------------------------------------------------------------------


def test_text_is_scanned_with_its_label_and_masked_context() -> None:
    scan = scan_text(f"如有疑问请致电{PHONE}联系。", where="标题")
    assert scan.kind == DocumentKind.TEXT
    assert _one(scan) == ("标题", False)
    assert scan.findings[0].context == f"如有疑问请致电{MASKED_PHONE}联系。"


@pytest.mark.parametrize(("value", "kind"), [(ID_NUMBER, HitKind.ID_CARD), (EMAIL, HitKind.EMAIL)])
def test_other_kinds_are_found_in_a_word_comment(value: str, kind: HitKind) -> None:
    def edit(d: Any) -> None:
        d.add_comment(d.add_paragraph("见批注").runs, text=f"申请人 {value} 。", author="王五")

    scan = scan_bytes(_docx(edit))
    assert [(f.hit.kind, f.where, f.hidden) for f in scan.findings] == [
        (kind, "批注（作者 王五）", True)
    ]
    assert value not in scan.findings[0].context


# -- files that cannot be read ---------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _rewrite(
    data: bytes, name: str, change: Callable[[bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members[name] = change(members[name])
    return _zip(members | (extra or {}))


def _declaring_huge_member() -> bytes:
    """A small zip whose central directory claims a 3 GB member."""
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x"}))
    at = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 1)
    data[at + 24 : at + 28] = struct.pack("<I", 3_000_000_000)
    return bytes(data)


_DOCX = _docx(lambda d: d.add_paragraph(f"电话 {PHONE}"))


@pytest.mark.parametrize(
    ("data", "limits", "says"),
    [
        (b"", None, "空"),
        (b"\x00\x01\x02 junk \xff" * 50, None, "不是 .docx"),
        (b"PK\x03\x04 not really a zip", None, "zip"),
        (_zip({"readme.txt": b"hello"}), None, "缺少部件"),
        (_zip({"[Content_Types].xml": b"<Types/>", "a.txt": b""}), None, "不是 Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None, "旧版"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            None,
            "加密",
        ),
        (_declaring_huge_member(), None, "zip 炸弹"),
        (_zip({f"f{i}.xml": b"" for i in range(60)}), Limits(max_entries=50), "zip 炸弹"),
        (_DOCX, Limits(max_unpacked=10_000), "zip 炸弹"),
        (_DOCX, Limits(max_bytes=1_000), "超过"),
        (_pdf("Tel", password="secret"), None, "加密"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_problem_not_an_exception(
    data: bytes, limits: Limits | None, says: str
) -> None:
    scan = scan_bytes(data, "附件", limits=limits)
    assert scan.kind == DocumentKind.UNKNOWN or not scan.findings
    assert len(scan.problems) == 1 and says in scan.problems[0], scan.problems
    assert not scan.clean


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (_pdf(f"Tel: {PHONE}")[:300], "截断"),
        (_rewrite(_DOCX, "word/document.xml", lambda xml: xml[:-40]), "不是有效的 XML"),
        (
            _rewrite(_DOCX, "word/document.xml", lambda x: b"<!DOCTYPE w [<!ENTITY a 'b'>]>" + x),
            "DTD",
        ),
        (
            _rewrite(_DOCX, "word/document.xml", lambda x: x.replace(_WML, _STRICT)),
            "Strict",
        ),
    ],
)
def test_a_damaged_file_of_a_known_kind_is_reported(data: bytes, says: str) -> None:
    scan = scan_bytes(data)
    assert any(says in problem for problem in scan.problems), scan.problems
    assert not scan.clean


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b))
def test_junk_never_raises(data: bytes) -> None:
    scan = scan_bytes(data)
    assert scan.problems or scan.kind == DocumentKind.PDF


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_DOCX) - 1), st.integers(0, 255)), max_size=8))
def test_a_damaged_word_file_never_raises(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_DOCX)
    for at, value in flips:
        data[at] = value
    scan_bytes(bytes(data))


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (_DOCX, "名单.pdf", DocumentKind.DOCX),
        (_xlsx(_as_int), "名单.docx", DocumentKind.XLSX),
        (_pdf(f"Tel: {PHONE}"), "名单.xlsx", DocumentKind.PDF),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(
    data: bytes, name: str, kind: DocumentKind
) -> None:
    scan = scan_bytes(data, name)
    assert (scan.kind, len(scan.findings), scan.problems) == (kind, 1, [])
