"""Import files waiting between preview and confirmation, kept under MEDIA_ROOT/imports.

A pending file is named by a random token; only tokens of the expected shape are accepted,
so a token from a form can never point outside that folder.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from gongkai.units.sheets import TableFormat

_TOKEN = re.compile(r"^units-[0-9a-f]{32}\.(?:xlsx|csv)$")
#: A previewed file nobody confirmed within this many seconds is removed at the next upload.
KEEP_UNCONFIRMED_SECONDS = 24 * 3600


class UnknownUpload(LookupError):
    """The token is malformed or its file is gone."""


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _path(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise UnknownUpload("上传的文件标识无效")
    return _folder() / token


def save_pending(data: bytes, fmt: TableFormat) -> str:
    """Store the file; returns its token. Clears out day-old files nobody confirmed."""
    token = f"units-{secrets.token_hex(16)}.{fmt.value}"
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    path = folder / token
    path.write_bytes(data)
    path.chmod(0o600)
    return token


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - KEEP_UNCONFIRMED_SECONDS
    for old in folder.glob("units-*"):
        if _TOKEN.fullmatch(old.name) and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def read_pending(token: str) -> bytes:
    try:
        return _path(token).read_bytes()
    except FileNotFoundError:
        raise UnknownUpload("上传的文件已不存在，请重新上传") from None


def discard_pending(token: str) -> None:
    _path(token).unlink(missing_ok=True)
