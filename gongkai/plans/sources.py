"""Task-list files on disk, under MEDIA_ROOT/plans/ (outside any web root).

- pending/<token>/<its own name>: an upload waiting to be parsed, previewed and confirmed;
- sources/<sha256><ext>: the file of an imported version, named by its content, so importing
  the same file twice stores it once. Served only through the plans views.
Names from a form or the database are checked against their expected shape, so none can
point outside these folders.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import time
from pathlib import Path, PurePath

from django.conf import settings

_EXT = re.compile(r"^\.[a-z0-9]{1,5}$")
_PENDING = re.compile(r"^plan-[0-9a-f]{32}$")
_SOURCE = re.compile(r"^[0-9a-f]{64}(?:\.[a-z0-9]{1,5})?$")
#: An upload nobody confirmed within this many seconds is removed at the next upload.
KEEP_UNCONFIRMED_SECONDS = 7 * 24 * 3600


class MissingFile(LookupError):
    """The name is malformed or its file is gone."""


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "plans"


def extension(filename: str) -> str:
    """The file name's extension if it looks like one (.docx), else ""; the parser sniffs."""
    ext = PurePath(filename).suffix.lower()
    return ext if _EXT.fullmatch(ext) else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def _safe_name(filename: str) -> str:
    """The upload's own name, without any folder part, so the parser sees what people named
    the file (a reader may take a title from it)."""
    name = PurePath(filename.replace("\\", "/")).name.replace("\0", "").lstrip(".").strip()
    return name[-80:] or f"upload{extension(filename)}"


def save_pending(data: bytes, filename: str) -> str:
    """Store an upload; returns its token. Clears out week-old uploads nobody confirmed."""
    token = f"plan-{secrets.token_hex(16)}"
    folder = _root() / "pending"
    _write(folder / token / _safe_name(filename), data)
    cutoff = time.time() - KEEP_UNCONFIRMED_SECONDS
    for old in folder.glob("plan-*"):
        if _PENDING.fullmatch(old.name) and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    return token


def pending_path(token: str) -> Path:
    if not _PENDING.fullmatch(token):
        raise MissingFile("上传的文件标识无效")
    files = [p for p in (_root() / "pending" / token).glob("*") if p.is_file()]
    if len(files) != 1:
        raise MissingFile("上传的文件已不存在，请重新上传")
    return files[0]


def discard_pending(token: str) -> None:
    if _PENDING.fullmatch(token):
        shutil.rmtree(_root() / "pending" / token, ignore_errors=True)


def store_source(data: bytes, filename: str) -> tuple[str, bool]:
    """Keep a version's file; returns its stored name and whether this call created it."""
    name = f"{sha256(data)}{extension(filename)}"
    path = _root() / "sources" / name
    if path.is_file():
        return name, False
    _write(path, data)
    return name, True


def source_path(name: str) -> Path:
    if not _SOURCE.fullmatch(name):
        raise MissingFile("源文件名无效")
    path = _root() / "sources" / name
    if not path.is_file():
        raise MissingFile("源文件已不存在")
    return path


def remove_source(name: str) -> None:
    """Undo store_source after a failed import (only for a file that call created)."""
    if _SOURCE.fullmatch(name):
        (_root() / "sources" / name).unlink(missing_ok=True)
