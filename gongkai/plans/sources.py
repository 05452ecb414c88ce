"""Imported versions' files, under MEDIA_ROOT/plans/sources/ (outside any web root).

Each is named <sha256><ext> by its content, so importing the same file twice stores it once,
and served only through the plans views. A name from the database is checked against that
shape, so none can point outside the folder. (An upload waiting for its preview to be
confirmed is a pending upload: gongkai.files.pending.)
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePath

from django.conf import settings

_EXT = re.compile(r"^\.[a-z0-9]{1,5}$")
_SOURCE = re.compile(r"^[0-9a-f]{64}(?:\.[a-z0-9]{1,5})?$")


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
