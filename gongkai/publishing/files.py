"""Attachments of documents: stored like evidence (gongkai.work.evidence: type by content,
random names, mode 0600) in MEDIA_ROOT/publishing, and their text for the search index.

The text is what a reader of the published file sees: the privacy scanner's readers
(gongkai.privacy) yield every piece of a .docx, .xlsx or PDF with where it sits; the pieces a
normal view hides (comments, deleted revisions, hidden sheets, rows and columns, properties)
are left out, so search never shows words the page does not. Images have no text (no OCR).
"""

from __future__ import annotations

import os
import secrets

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from gongkai.privacy import office_docx, office_xlsx, pdf
from gongkai.privacy.ooxml import Limits, Package
from gongkai.privacy.pieces import Piece, Unreadable
from gongkai.work.evidence import (
    TYPES,
    EvidenceRejected,
    FileType,
    StoredFile,
    delete_evidence_file,
    evidence_path,
    save_evidence_file,
    storage_root,
)

AREA = "publishing"
#: Text kept per attachment for search and snippets (the index reads at most 100,000).
MAX_TEXT = 1_000_000

#: Raised for a refused upload; the message names the file and says why, in Chinese.
FileRejected = EvidenceRejected

_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}


def save_upload(upload: UploadedFile) -> StoredFile:
    return save_evidence_file(upload, AREA)


def save_bytes(data: bytes, ext: str) -> str:
    """Store a file this system made (a redacted copy); its stored name."""
    if ext not in TYPES:
        raise ValueError(f"unknown file type {ext!r}")
    year = f"{timezone.localdate():%Y}"
    folder = storage_root(AREA) / year
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return f"{year}/{name}"


def read_bytes(stored_name: str) -> bytes:
    """The stored file's content; FileNotFoundError when it is gone."""
    return evidence_path(stored_name, AREA).read_bytes()


def file_type(stored_name: str) -> FileType:
    return TYPES[stored_name.rsplit(".", 1)[-1]]


def delete_file(stored_name: str) -> None:
    delete_evidence_file(stored_name, AREA)


def _visible(pieces: list[Piece]) -> str:
    return "\n".join(p.text for p in pieces if not p.hidden and not p.only_in_spans)


def _office_pieces(data: bytes) -> list[Piece]:
    package = Package(data, Limits())
    types = package.content_types()
    main, kind = next(((n, k) for n, ct in types.items() if (k := _MAIN.get(ct))), ("", ""))
    if not kind:
        return []
    reader = office_docx.pieces if kind == "docx" else office_xlsx.pieces
    return list(reader(package, main, []))


def extract_text(data: bytes, ext: str) -> str:
    """The visible text of an accepted file ("" for images and files that cannot be read:
    the privacy check reports those)."""
    try:
        if ext in ("docx", "xlsx"):
            pieces = _office_pieces(data)
        elif ext == "pdf":
            pieces = list(pdf.pieces(data, Limits(), []))
        else:
            return ""
    except Unreadable:
        return ""
    except Exception:  # a broken file must not stop the upload; the privacy check flags it
        return ""
    # Visible text only; cells of a sheet come one per piece, so the text reads row by row.
    return _visible(pieces)[:MAX_TEXT]
