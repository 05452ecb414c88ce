"""Evidence files: recognised by content, size-limited, names cleaned, stored privately, and
served only to those who may see the report."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from PIL import Image

from gongkai.work.actions import ReportInput, submit_report
from gongkai.work.evidence import (
    PDF,
    EvidenceRejected,
    check_links_later,
    clean_filename,
    delete_evidence_file,
    display_name,
    save_evidence_file,
)
from gongkai.work.models import Evidence, EvidenceKind, Progress, Report
from tests.conftest import Cast, client_for
from tests.work_factories import TaskSpec, checkpoints_of, make_plan, year_end

# -- small real files ------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Evidence")
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("政务公开工作进展")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "台账"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with members replaced (bytes), removed (None) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename not in change:
                dst.writestr(item, src.read(item))
        for name, content in change.items():
            if content is not None:
                dst.writestr(name, content)
    return out.getvalue()


def macro_docm() -> bytes:
    original = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as z:
        manifest = z.read("[Content_Types].xml").decode()
    manifest = manifest.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return rezip(
        original, {"[Content_Types].xml": manifest.encode(), "word/vbaProject.bin": b"\0" * 64}
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_path(stored_name: str) -> Path:
    return Path(django_settings.MEDIA_ROOT) / "evidence" / stored_name


# -- recognising the type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "ext", "content_type"),
    [
        ("进展报告.pdf", pdf_bytes, "pdf", "application/pdf"),
        (
            "工作方案.docx",
            docx_bytes,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            xlsx_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("现场照片.jpg", lambda: image_bytes("JPEG"), "jpg", "image/jpeg"),
        ("截图.png", lambda: image_bytes("PNG"), "png", "image/png"),
    ],
)
def test_accepted_types_are_stored_privately_with_their_hash(
    name: str, build: Any, ext: str, content_type: str
) -> None:
    data = build()
    stored = save_evidence_file(upload(name, data))
    assert stored.filename == name
    assert stored.content_type == content_type
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    year, leaf = stored.stored_name.split("/")
    assert year == "2026" or year.isdigit()
    assert leaf.endswith("." + ext) and len(leaf.split(".")[0]) == 32
    path = stored_path(stored.stored_name)
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.glob("*.part")) == []


def test_pdf_named_docx_is_stored_as_pdf_with_the_extension_fixed() -> None:
    stored = save_evidence_file(upload("自查报告.docx", pdf_bytes()))
    assert stored.filename == "自查报告.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.stored_name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("通知.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200, "不是可接受的格式"),
        ("脚本.png", b"#!/bin/sh\nrm -rf /\n", "不是可接受的格式"),
        ("页面.pdf", b"<html><script>alert(1)</script></html>", "不是可接受的格式"),
        ("旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "旧版 Word/Excel"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(EvidenceRejected, match=reason) as caught:
        save_evidence_file(upload(name, data))
    assert f"「{name}」" in str(caught.value)
    assert not any(Path(django_settings.MEDIA_ROOT).rglob("*.*"))


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("setup.exe", b"MZ" + b"\0" * 100)
        z.writestr("readme.txt", "hello")
    return out.getvalue()


def zip_with_a_manifest_but_no_document() -> bytes:
    # Claims a Word main part that is not in the archive.
    return rezip(docx_bytes(), {"word/document.xml": None})


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (plain_zip, "压缩包"),
        (zip_with_a_manifest_but_no_document, "压缩包"),
        (macro_docm, "含宏"),
        (lambda: rezip(docx_bytes(), {"word/vbaProject.bin": b"\0" * 64}), "含宏"),
        (lambda: rezip(docx_bytes(), {"[Content_Types].xml": b"<Types><unclosed"}), "损坏"),
        (lambda: docx_bytes()[:300], "损坏"),
    ],
)
def test_docx_that_is_really_something_else_is_refused(build: Any, reason: str) -> None:
    with pytest.raises(EvidenceRejected, match=reason):
        save_evidence_file(upload("材料.docx", build()))


def test_empty_file_is_refused() -> None:
    with pytest.raises(EvidenceRejected, match=r"「空\.pdf」是空文件"):
        save_evidence_file(upload("空.pdf", b""))


def test_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = pdf_bytes() + b"\0" * (1024 * 1024)
    with pytest.raises(EvidenceRejected, match=r"「大文件\.pdf」超过大小上限 1 MB"):
        save_evidence_file(upload("大文件.pdf", data))
    settings.UPLOAD_MAX_BYTES = len(data)
    assert save_evidence_file(upload("大文件.pdf", data)).size == len(data)


def test_size_is_counted_even_when_the_declared_size_lies(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    sneaky = upload("伪装.pdf", pdf_bytes() + b"\0" * 2000)
    sneaky.size = 10
    with pytest.raises(EvidenceRejected, match="超过大小上限"):
        save_evidence_file(sneaky)
    assert list(Path(django_settings.MEDIA_ROOT).rglob("*.part")) == []


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\报告.pdf", "报告.pdf"),
        ("/var/www/html/shell.php", "shell.pdf"),
        ("进展\x00报告\r\n.pdf", "进展报告.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.pdf"),  # right-to-left override removed
        ('a<b>:"c"|d?*.pdf', "abcd.pdf"),
        ("  ..隐藏文件..  ", "隐藏文件.pdf"),
        ("...", "佐证材料.pdf"),
        ("", "佐证材料.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("2026年第三季度 政务公开   工作报告.PDF", "2026年第三季度 政务公开 工作报告.pdf"),
        ("报告.v2.final.docx", "报告.v2.final.pdf"),
    ],
)
def test_filenames_are_cleaned_and_get_the_detected_extension(name: str, expected: str) -> None:
    assert clean_filename(name, PDF) == expected


def test_long_names_are_shortened_keeping_chinese() -> None:
    name = clean_filename("政" * 300 + ".pdf", PDF)
    assert name == "政" * 100 + ".pdf"


def test_messages_name_the_file_safely() -> None:
    assert display_name("../../\x1b[31m恶意.exe") == "[31m恶意.exe"
    with pytest.raises(EvidenceRejected, match="「passwd」"):
        save_evidence_file(upload("../../etc/passwd", b"root:x:0:0"))


def test_delete_removes_the_file_and_ignores_missing_or_foreign_names(tmp_path: Path) -> None:
    stored = save_evidence_file(upload("a.png", image_bytes("PNG")))
    path = stored_path(stored.stored_name)
    delete_evidence_file(stored.stored_name)
    assert not path.exists()
    delete_evidence_file(stored.stored_name)  # already gone
    outside = tmp_path / "keep.txt"
    outside.write_text("keep")
    delete_evidence_file("../../keep.txt")
    delete_evidence_file(str(outside))
    assert outside.exists()


# -- through a report, and the download -------------------------------------------------------


@pytest.fixture
def justice_evidence(cast: Cast) -> dict[str, Evidence]:
    plan = make_plan([TaskSpec("公开法治政府建设年度报告", [cast.justice], rules=[year_end()])])
    checkpoint = checkpoints_of(plan, cast.justice)[0]
    report = submit_report(
        cast.justice_liaison,
        checkpoint,
        ReportInput(
            status=Progress.IN_PROGRESS,
            text="已起草",
            urls=["https://www.example.gov.cn/fzzf/2026.html"],
            files=[upload("../法治政府建设报告.docx", pdf_bytes())],
        ),
    )
    rows = {e.kind: e for e in report.evidence.all()}
    return {"file": rows[EvidenceKind.FILE], "url": rows[EvidenceKind.URL]}


def test_submitted_file_is_recorded_with_its_clean_name(
    justice_evidence: dict[str, Evidence],
) -> None:
    file = justice_evidence["file"]
    assert file.filename == "法治政府建设报告.pdf"
    assert file.content_type == "application/pdf"
    assert stored_path(file.stored_name).is_file()


@pytest.mark.parametrize("who", ["justice_liaison", "justice_leader", "evaluator", "office"])
def test_file_is_served_to_those_who_may_see_the_report(
    cast: Cast, justice_evidence: dict[str, Evidence], who: str
) -> None:
    file = justice_evidence["file"]
    response = client_for(getattr(cast, who)).get(reverse("work:evidence", args=[file.pk]))
    assert response.status_code == 200
    assert response.getvalue() == pdf_bytes_of(file)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("法治政府建设报告.pdf") in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def pdf_bytes_of(evidence: Evidence) -> bytes:
    return stored_path(evidence.stored_name).read_bytes()


def test_file_of_another_unit_is_not_found(
    cast: Cast, justice_evidence: dict[str, Evidence]
) -> None:
    url = reverse("work:evidence", args=[justice_evidence["file"].pk])
    assert client_for(cast.finance_liaison).get(url).status_code == 404
    missing = reverse("work:evidence", args=[justice_evidence["file"].pk + 1000])
    assert client_for(cast.office).get(missing).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(
    anon: Any, justice_evidence: dict[str, Evidence]
) -> None:
    url = reverse("work:evidence", args=[justice_evidence["file"].pk])
    response = anon.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_url_evidence_is_not_redirected_to(
    cast: Cast, justice_evidence: dict[str, Evidence]
) -> None:
    url = reverse("work:evidence", args=[justice_evidence["url"].pk])
    assert client_for(cast.justice_liaison).get(url).status_code == 404


def test_file_gone_from_disk_is_not_found(
    cast: Cast, justice_evidence: dict[str, Evidence]
) -> None:
    file = justice_evidence["file"]
    stored_path(file.stored_name).unlink()
    url = reverse("work:evidence", args=[file.pk])
    assert client_for(cast.office).get(url).status_code == 404


def test_rejected_file_leaves_no_report_and_no_files(cast: Cast) -> None:
    plan = make_plan([TaskSpec("公开权责清单", [cast.justice], rules=[year_end()])])
    checkpoint = checkpoints_of(plan, cast.justice)[0]
    good = upload("好.pdf", pdf_bytes())
    bad = upload("坏.pdf", b"MZ" + b"\0" * 100)
    with pytest.raises(EvidenceRejected, match=r"「坏\.pdf」"):
        submit_report(
            cast.justice_liaison,
            checkpoint,
            ReportInput(status=Progress.DONE, text="完成", files=[good, bad]),
        )
    assert not Evidence.objects.exists()
    assert not Report.objects.exists()
    assert not list(Path(django_settings.MEDIA_ROOT).rglob("*.part"))


def test_links_are_checked_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[int]] = []
    monkeypatch.setattr("gongkai.work.linkcheck.check_links", seen.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check_links_later([3, 5])
    assert seen == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert seen == [[3, 5]]
