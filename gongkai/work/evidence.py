"""Evidence files and links attached to progress reports.

Files: only PDF, Word (docx), Excel (xlsx), JPG and PNG are accepted, recognised by their
content — never by the name, which the uploader controls. A docx or xlsx is a zip; it is
accepted only when its [Content_Types].xml names the main document part of that kind and the
part is there, so a renamed zip, a macro-enabled docm/xlsm or a template is refused.

A file is stored as MEDIA_ROOT/evidence/<yyyy>/<32 random hex>.<ext>, mode 0600, outside any
web root; the uploader's name, cleaned, is kept only for display and download
(`Evidence.filename`). Files are served by views/evidence.py to those who may see the report.

Links are checked after the report is committed (linkcheck.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.work.actions import WorkRejected


class EvidenceRejected(WorkRejected):
    """The upload was refused; the message says why."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class FileType:
    ext: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word（docx）",
)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel（xlsx）"
)
JPG = FileType("jpg", "image/jpeg", "JPG 图片")
PNG = FileType("png", "image/png", "PNG 图片")
TYPES = {t.ext: t for t in (PDF, DOCX, XLSX, JPG, PNG)}
ACCEPTED = "PDF、Word（docx）、Excel（xlsx）、JPG、PNG"

# The content type of the main part in [Content_Types].xml for each accepted Office kind.
_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # doc, xls, and password-protected docx/xlsx
_CONTENT_TYPES_MAX = 1024 * 1024
_STORED = re.compile(r"^\d{4}/[0-9a-f]{32}\.(?:pdf|docx|xlsx|jpg|png)$")

# -- recognising the type ------------------------------------------------------------------


class _Unrecognised(Exception):
    """Not a type we accept; the message says what it is instead, for the user."""


def _office_type(path: Path) -> FileType:
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.lower() for n in archive.namelist()}
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                raise _Unrecognised("压缩包的内容说明过大，不是正常的 Word 或 Excel 文件")
            manifest = archive.read(info)
    except KeyError:
        raise _Unrecognised(
            "这是一个压缩包（zip），不是 Word（docx）或 Excel（xlsx）文件"
        ) from None
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
        raise _Unrecognised("文件已损坏或已加密，无法识别") from exc
    try:
        # The manifest is at most 1 MB; expat (≥ 2.4) bounds entity expansion and
        # ElementTree fetches no external entities.
        root = ET.fromstring(manifest)  # noqa: S314
    except ET.ParseError as exc:
        raise _Unrecognised("文件已损坏，无法识别") from exc
    found: set[FileType] = set()
    for element in root.iter():
        content_type = (element.get("ContentType") or "").strip()
        if "macroenabled" in content_type.lower() or "vbaproject" in content_type.lower():
            raise _Unrecognised("含宏的 Office 文件（docm、xlsm）不能上传，请另存为 docx 或 xlsx")
        part = (element.get("PartName") or "").lstrip("/").lower()
        kind = _MAIN_PARTS.get(content_type)
        if kind is not None and element.tag.endswith("Override") and part in names:
            found.add(kind)
    if any(n.endswith("vbaproject.bin") for n in names):
        raise _Unrecognised("含宏的 Office 文件（docm、xlsm）不能上传，请另存为 docx 或 xlsx")
    if len(found) != 1:
        raise _Unrecognised("这是一个压缩包（zip），不是 Word（docx）或 Excel（xlsx）文件")
    return found.pop()


def sniff(path: Path) -> FileType:
    """The type of the file at `path`, by its content; _Unrecognised if not one we accept."""
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(path)
    if head.startswith(_OLE):
        raise _Unrecognised(
            "这是旧版 Word/Excel（doc、xls）或加密的 Office 文件，请去掉密码并另存为 docx 或 xlsx"
        )
    raise _Unrecognised(f"文件内容不是可接受的格式（{ACCEPTED}）")


# -- names -----------------------------------------------------------------------------------

_RESERVED = frozenset('<>:"/\\|?*')
_WINDOWS = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}
)
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,8}")
MAX_STEM = 100


def _clean(name: str) -> str:
    """The last path segment without control, format (bidi overrides, zero-width) and
    reserved characters, whitespace collapsed and no leading or trailing dots."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in _RESERVED)
    return " ".join(name.split()).strip(" .")


def display_name(name: str) -> str:
    """The uploader's name made safe to show in a message."""
    return _clean(name)[: MAX_STEM + 10] or "未命名文件"


def clean_filename(name: str, kind: FileType) -> str:
    """The name to keep and offer for download: cleaned, at most MAX_STEM characters before
    the extension, and the extension of the type found in the content (a PDF sent as
    报告.docx is kept as 报告.pdf). Chinese characters are kept."""
    name = _clean(name)
    stem, dot, ext = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(ext):
        name = stem
    name = name[:MAX_STEM].rstrip(" .")
    if name.split(".", 1)[0].lower() in _WINDOWS:
        name = "_" + name
    return f"{name or '佐证材料'}.{kind.ext}"


# -- storage ---------------------------------------------------------------------------------


def storage_root(area: str = "evidence") -> Path:
    """The folder of one kind of stored file (evidence; requests uses "requests")."""
    return Path(settings.MEDIA_ROOT) / area


def evidence_path(stored_name: str, area: str = "evidence") -> Path:
    """The file of a stored name; FileNotFoundError when the name is malformed (so none can
    point outside the folder) or the file is gone."""
    if not _STORED.fullmatch(stored_name):
        raise FileNotFoundError("佐证材料文件名无效")
    path = storage_root(area) / stored_name
    if not path.is_file():
        raise FileNotFoundError("佐证材料文件已不存在")
    return path


def open_evidence_file(stored_name: str, area: str = "evidence") -> tuple[BinaryIO, FileType]:
    """The stored file opened for reading, and its type (from the stored name's extension,
    which save_evidence_file took from the content)."""
    path = evidence_path(stored_name, area)
    return path.open("rb"), TYPES[path.suffix.lstrip(".")]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def save_evidence_file(upload: UploadedFile, area: str = "evidence") -> StoredFile:
    """Check and store one uploaded file. Raises EvidenceRejected, naming the file, for an
    empty or oversized file or one whose content is not an accepted type."""
    shown = display_name(upload.name or "")
    limit = int(settings.UPLOAD_MAX_BYTES)
    too_big = EvidenceRejected(
        f"文件「{shown}」超过大小上限 {_megabytes(limit)} MB，请压缩或拆分后再上传"
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    year = f"{timezone.localdate():%Y}"
    folder = storage_root(area) / year
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    partial = folder / f"{token}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:  # the declared size can lie; count what arrives
                    raise too_big
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EvidenceRejected(f"文件「{shown}」是空文件")
        try:
            kind = sniff(partial)
        except _Unrecognised as exc:
            raise EvidenceRejected(f"文件「{shown}」不能上传：{exc}") from None
        partial.replace(folder / f"{token}.{kind.ext}")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(
        stored_name=f"{year}/{token}.{kind.ext}",
        filename=clean_filename(upload.name or "", kind),
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def delete_evidence_file(stored_name: str, area: str = "evidence") -> None:
    """Remove a stored file; a missing file or a malformed name is ignored."""
    if _STORED.fullmatch(stored_name):
        (storage_root(area) / stored_name).unlink(missing_ok=True)


def check_links_later(evidence_ids: list[int]) -> None:
    """Check these links in the background once the current transaction has committed (at
    once outside one). robust: a queue hiccup must not fail a report that is saved; the
    weekly sweep (linkcheck.recheck_due_links) picks up links that were never checked."""
    from gongkai.work.tasks import check_links_task

    ids = list(evidence_ids)
    if ids:
        transaction.on_commit(lambda: check_links_task.delay(ids), robust=True)
