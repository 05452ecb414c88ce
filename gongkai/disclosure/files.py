"""Files of requests: the applicant's attachments, reply materials, and the letters issued.

Stored like evidence (gongkai.work.evidence: type by content, random names, mode 0600) in
MEDIA_ROOT/requests; served only through the access helpers to those who may see the request,
and to the applicant holding its secret.
"""

from __future__ import annotations

import os
import secrets
from typing import BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from gongkai.work.evidence import (
    DOCX,
    EvidenceRejected,
    FileType,
    StoredFile,
    delete_evidence_file,
    open_evidence_file,
    save_evidence_file,
    storage_root,
)

AREA = "requests"

#: Raised for a refused upload; the message names the file and says why, in Chinese.
FileRejected = EvidenceRejected


def save_upload(upload: UploadedFile) -> StoredFile:
    return save_evidence_file(upload, AREA)


def save_generated_docx(data: bytes) -> str:
    """Store a letter this system made; its stored name."""
    year = f"{timezone.localdate():%Y}"
    folder = storage_root(AREA) / year
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{DOCX.ext}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return f"{year}/{name}"


def open_request_file(stored_name: str) -> tuple[BinaryIO, FileType]:
    return open_evidence_file(stored_name, AREA)


def delete_request_file(stored_name: str) -> None:
    delete_evidence_file(stored_name, AREA)
