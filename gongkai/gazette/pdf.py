"""Uploaded gazette PDFs: recognised by their content (the %PDF- magic, and pdfplumber must
open it with at least one page and without a password: junk behind the magic is refused),
capped in size (settings.UPLOAD_MAX_BYTES), stored like evidence (gongkai.work.evidence, area
"gazette": random name, mode 0600, outside any web root) and read for their text with the
project's PDF reader (gongkai.publishing.files.extract_text, the privacy scanner's pdfplumber
reader).

The text is read before the database transaction that records the file, because a long issue
takes seconds to read; a file whose row is never written is removed again (discard).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

import pdfplumber
from django.core.files.uploadedfile import UploadedFile
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from gongkai.publishing.files import extract_text
from gongkai.work.evidence import (
    EvidenceRejected,
    delete_evidence_file,
    display_name,
    evidence_path,
    open_evidence_file,
    save_evidence_file,
)

AREA = "gazette"
MAGIC = b"%PDF-"


class PdfRejected(Exception):
    """The upload was refused; the message names the file and says why, in Chinese."""


@dataclass(frozen=True)
class SavedPdf:
    stored_name: str
    filename: str
    size: int
    sha256: str
    text: str

    def fields(self) -> dict[str, object]:
        """The StoredPdf columns of a model row."""
        return {
            "pdf_name": self.stored_name,
            "pdf_filename": self.filename,
            "pdf_size": self.size,
            "pdf_sha256": self.sha256,
            "pdf_text": self.text,
        }


#: The StoredPdf columns of a row without a PDF.
NO_PDF: dict[str, object] = {
    "pdf_name": "",
    "pdf_filename": "",
    "pdf_size": 0,
    "pdf_sha256": "",
    "pdf_text": "",
}


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(len(MAGIC))
    upload.seek(0)
    return head if isinstance(head, bytes) else b""


def save_pdf(upload: UploadedFile) -> SavedPdf:
    """Check, store and read one uploaded PDF; PdfRejected for anything else."""
    shown = display_name(upload.name or "")
    if upload.size == 0:
        raise PdfRejected(f"文件「{shown}」是空文件")
    if not _head(upload).startswith(MAGIC):
        raise PdfRejected(
            f"文件「{shown}」不是 PDF 文件（文件内容不是 PDF 格式），政府公报只能上传 PDF"
        )
    try:
        stored = save_evidence_file(upload, AREA)
    except EvidenceRejected as exc:
        raise PdfRejected(str(exc)) from None
    try:
        data = evidence_path(stored.stored_name, AREA).read_bytes()
        _check_readable(data, shown)
        text = extract_text(data, "pdf")
    except BaseException:
        discard(stored.stored_name)
        raise
    return SavedPdf(stored.stored_name, stored.filename, stored.size, stored.sha256, text)


def _check_readable(data: bytes, shown: str) -> None:
    """Refuse what only starts like a PDF (the magic followed by HTML or junk) and PDFs the
    public could not open: a reader offered the download must get a readable gazette."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as opened:
            pages = len(opened.pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise PdfRejected(
                f"文件「{shown}」已加密，需要密码才能打开，请上传未加密的 PDF"
            ) from None
        raise PdfRejected(f"文件「{shown}」不是有效的 PDF 文件（内容已损坏或无法读取）") from None
    except Exception:  # pdfminer raises many kinds on a damaged file
        raise PdfRejected(f"文件「{shown}」不是有效的 PDF 文件（内容已损坏或无法读取）") from None
    if pages == 0:
        raise PdfRejected(f"文件「{shown}」中没有任何页面，请检查后重新上传")


def discard(stored_name: str) -> None:
    delete_evidence_file(stored_name, AREA)


def open_pdf(stored_name: str) -> BinaryIO:
    """The stored file opened for reading; FileNotFoundError when it is gone."""
    stream, _kind = open_evidence_file(stored_name, AREA)
    return stream
